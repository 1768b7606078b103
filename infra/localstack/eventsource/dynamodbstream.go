package eventsource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// StreamClient is the part of *dynamodbstreams.Client the poller uses.
type StreamClient interface {
	DescribeStream(context.Context, *dynamodbstreams.DescribeStreamInput, ...func(*dynamodbstreams.Options)) (*dynamodbstreams.DescribeStreamOutput, error)
	GetShardIterator(context.Context, *dynamodbstreams.GetShardIteratorInput, ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error)
	GetRecords(context.Context, *dynamodbstreams.GetRecordsInput, ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error)
}

var _ StreamClient = (*dynamodbstreams.Client)(nil)

// DynamoDBStreamPoller is one DynamoDB stream event source mapping: it reads every shard of the stream in
// order, drops records the filters reject, and invokes the function with batches shaped like Lambda's
// events.DynamoDBEvent. A failed batch is retried from the first failed record (ReportBatchItemFailures)
// or whole, until MaximumRetryAttempts, after which its records are skipped as Lambda would skip them.
type DynamoDBStreamPoller struct {
	Client    StreamClient
	StreamARN string
	Region    string
	// StartingPosition applies to the shards open when the poller starts (LATEST or TRIM_HORIZON); shards
	// that appear later are read from their start.
	StartingPosition string
	// BatchSize is the most records per invocation (default 100, Lambda's).
	BatchSize               int
	ReportBatchItemFailures bool
	// MaximumRetryAttempts bounds retries of a failing batch; -1 retries without limit.
	MaximumRetryAttempts int
	// Filters: a record is delivered when any filter matches it (or there are none).
	Filters []*Filter
	Invoke  InvokeFunc
	// PollInterval is the pause between empty reads (default 250ms); RetryDelay between retries (default 1s).
	PollInterval time.Duration
	RetryDelay   time.Duration
	Logf         func(format string, args ...any)

	mu     sync.Mutex
	shards map[string]*shardReader
	opened bool
}

type shardReader struct {
	iterator string // "" once the shard is closed and drained
	pending  []events.DynamoDBEventRecord
	attempts int // failed invocations of the current head batch
	// lastSequence is the last record read (or skipped), where a new iterator resumes; "" resumes at the
	// shard's start.
	lastSequence string
}

// reposition replaces an unusable iterator with one right after the last record read.
func (p *DynamoDBStreamPoller) reposition(ctx context.Context, shardID string, sh *shardReader, cause error) error {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: &p.StreamARN, ShardId: &shardID, ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon}
	if sh.lastSequence != "" {
		in.ShardIteratorType, in.SequenceNumber = streamtypes.ShardIteratorTypeAfterSequenceNumber, &sh.lastSequence
	}
	it, err := p.Client.GetShardIterator(ctx, in)
	if err != nil {
		return fmt.Errorf("iterator lost (%v), and a new one failed: %w", cause, err)
	}
	sh.iterator = aws.ToString(it.ShardIterator)
	p.logf("stream %s shard %s: iterator renewed after %s (%v)", p.StreamARN, shardID, sh.lastSequence, cause)
	return nil
}

// Open positions the poller on the stream (StartingPosition). Run calls it when needed; callers that must
// know the poller will see writes made after this moment call it first.
func (p *DynamoDBStreamPoller) Open(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.opened {
		return nil
	}
	p.shards = map[string]*shardReader{}
	if err := p.discover(ctx, p.StartingPosition); err != nil {
		return err
	}
	p.opened = true
	return nil
}

// discover adds the stream's shards not seen yet, positioned at position.
func (p *DynamoDBStreamPoller) discover(ctx context.Context, position string) error {
	var start *string
	for {
		out, err := p.Client.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &p.StreamARN, ExclusiveStartShardId: start})
		if err != nil {
			return fmt.Errorf("describe stream: %w", err)
		}
		for _, sh := range out.StreamDescription.Shards {
			id := aws.ToString(sh.ShardId)
			if _, seen := p.shards[id]; seen {
				continue
			}
			// LATEST is emulated: DynamoDB Local's LATEST iterators can fail later with TrimmedDataAccess, so the
			// shard is read from its start and what it holds now is skipped. Every reader then has a concrete
			// place (the last sequence number) to resume from.
			it, err := p.Client.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
				StreamArn: &p.StreamARN, ShardId: sh.ShardId, ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon,
			})
			if err != nil {
				return fmt.Errorf("shard %s iterator: %w", id, err)
			}
			reader := &shardReader{iterator: aws.ToString(it.ShardIterator)}
			if position == string(streamtypes.ShardIteratorTypeLatest) {
				if err := p.skipToEnd(ctx, id, reader); err != nil {
					return err
				}
			}
			p.shards[id] = reader
		}
		start = out.StreamDescription.LastEvaluatedShardId
		if start == nil {
			return nil
		}
	}
}

// skipToEnd reads and drops the records the shard holds now.
func (p *DynamoDBStreamPoller) skipToEnd(ctx context.Context, shardID string, sh *shardReader) error {
	for sh.iterator != "" {
		out, err := p.Client.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(sh.iterator), Limit: aws.Int32(1000)})
		if err != nil {
			return fmt.Errorf("shard %s: skip to the latest record: %w", shardID, err)
		}
		sh.iterator = aws.ToString(out.NextShardIterator)
		if len(out.Records) == 0 {
			return nil
		}
		if last := out.Records[len(out.Records)-1].Dynamodb; last != nil {
			sh.lastSequence = aws.ToString(last.SequenceNumber)
		}
	}
	return nil
}

// Run polls until ctx is done. Read errors are logged and retried.
func (p *DynamoDBStreamPoller) Run(ctx context.Context) error {
	interval := p.PollInterval
	if interval <= 0 {
		interval = 250 * time.Millisecond
	}
	for ctx.Err() == nil {
		if err := p.Open(ctx); err != nil {
			p.logf("stream %s: %v", p.StreamARN, err)
			sleep(ctx, time.Second)
			continue
		}
		busy, err := p.PollOnce(ctx)
		if err != nil && ctx.Err() == nil {
			p.logf("stream %s: %v", p.StreamARN, err)
		}
		if !busy {
			sleep(ctx, interval)
		}
	}
	return ctx.Err()
}

// PollOnce reads each shard once, then invokes the function with at most one batch per shard. It reports
// whether there is more to do right away.
func (p *DynamoDBStreamPoller) PollOnce(ctx context.Context) (bool, error) {
	if err := p.Open(ctx); err != nil {
		return false, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.discover(ctx, string(streamtypes.ShardIteratorTypeTrimHorizon)); err != nil {
		return false, err
	}
	ids := make([]string, 0, len(p.shards))
	for id := range p.shards {
		ids = append(ids, id)
	}
	sort.Strings(ids) // parents sort before their children: shard ids grow with time
	var errs []error
	busy := false
	for _, id := range ids {
		sh := p.shards[id]
		if sh.iterator != "" && len(sh.pending) < p.batchSize() {
			if err := p.read(ctx, id, sh); err != nil {
				errs = append(errs, fmt.Errorf("shard %s: %w", id, err))
			}
		}
		if len(sh.pending) > 0 {
			p.deliver(ctx, id, sh)
			busy = busy || (len(sh.pending) > 0 && sh.attempts == 0)
		}
	}
	return busy, errors.Join(errs...)
}

func (p *DynamoDBStreamPoller) batchSize() int {
	if p.BatchSize <= 0 {
		return 100
	}
	return p.BatchSize
}

func (p *DynamoDBStreamPoller) read(ctx context.Context, shardID string, sh *shardReader) error {
	out, err := p.Client.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(sh.iterator), Limit: aws.Int32(1000)})
	if err != nil {
		var expired *streamtypes.ExpiredIteratorException
		var trimmed *streamtypes.TrimmedDataAccessException
		if errors.As(err, &expired) || errors.As(err, &trimmed) {
			// Resume after the last record read (DynamoDB Local sometimes invalidates iterators).
			return p.reposition(ctx, shardID, sh, err)
		}
		return err
	}
	sh.iterator = aws.ToString(out.NextShardIterator)
	for _, r := range out.Records {
		rec := p.eventRecord(r)
		sh.lastSequence = rec.Change.SequenceNumber
		keep, err := p.accept(rec)
		if err != nil {
			return err
		}
		if keep {
			sh.pending = append(sh.pending, rec)
		}
	}
	return nil
}

func (p *DynamoDBStreamPoller) accept(rec events.DynamoDBEventRecord) (bool, error) {
	if len(p.Filters) == 0 {
		return true, nil
	}
	for _, f := range p.Filters {
		ok, err := f.Match(rec)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// deliver invokes the function with the head of the shard's pending records and drops what succeeded.
func (p *DynamoDBStreamPoller) deliver(ctx context.Context, shardID string, sh *shardReader) {
	if sh.attempts > 0 {
		delay := p.RetryDelay
		if delay <= 0 {
			delay = time.Second
		}
		sleep(ctx, delay)
	}
	batch := sh.pending[:min(len(sh.pending), p.batchSize())]
	payload, err := json.Marshal(events.DynamoDBEvent{Records: batch})
	if err != nil {
		p.logf("stream %s: %v", p.StreamARN, err)
		return
	}
	resp, err := p.Invoke(ctx, payload)
	done := 0 // a failed invocation fails the whole batch
	if err == nil {
		done, err = p.succeeded(resp, batch)
	}
	if err == nil {
		sh.pending, sh.attempts = sh.pending[done:], 0
		return
	}
	sh.pending = sh.pending[done:]
	if done > 0 {
		sh.attempts = 1 // a new head record: its first failure
	} else {
		sh.attempts++
	}
	if p.MaximumRetryAttempts >= 0 && sh.attempts > p.MaximumRetryAttempts {
		skip := min(len(sh.pending), len(batch)-done)
		p.logf("stream %s shard %s: %d record(s) skipped after %d retries: %v", p.StreamARN, shardID, skip, p.MaximumRetryAttempts, err)
		sh.pending, sh.attempts = sh.pending[skip:], 0
		return
	}
	p.logf("stream %s shard %s: retrying from record %d of the batch (attempt %d): %v", p.StreamARN, shardID, done, sh.attempts, err)
}

// succeeded returns how many leading records of batch succeeded, with an error when some did not. Like
// Lambda, an unreadable response or an unknown item identifier fails the whole batch.
func (p *DynamoDBStreamPoller) succeeded(resp []byte, batch []events.DynamoDBEventRecord) (int, error) {
	trimmed := strings.TrimSpace(string(resp))
	if !p.ReportBatchItemFailures || trimmed == "" || trimmed == "null" || trimmed == "{}" {
		return len(batch), nil
	}
	var r events.DynamoDBEventResponse
	if err := json.Unmarshal(resp, &r); err != nil {
		return 0, errors.New("response is not a batch item failures document")
	}
	if len(r.BatchItemFailures) == 0 {
		return len(batch), nil
	}
	first := len(batch)
	for _, f := range r.BatchItemFailures {
		idx := -1
		for i, rec := range batch {
			if rec.Change.SequenceNumber == f.ItemIdentifier {
				idx = i
				break
			}
		}
		if idx < 0 {
			return 0, fmt.Errorf("batchItemFailures names unknown item %q", f.ItemIdentifier)
		}
		first = min(first, idx)
	}
	return first, fmt.Errorf("function reported record %s failed", batch[first].Change.SequenceNumber)
}

// eventRecord is the record as Lambda delivers it.
func (p *DynamoDBStreamPoller) eventRecord(r streamtypes.Record) events.DynamoDBEventRecord {
	rec := events.DynamoDBEventRecord{
		AWSRegion: p.Region, EventID: aws.ToString(r.EventID), EventName: string(r.EventName),
		EventSource: "aws:dynamodb", EventVersion: aws.ToString(r.EventVersion), EventSourceArn: p.StreamARN,
	}
	if rec.EventVersion == "" {
		rec.EventVersion = "1.1"
	}
	if d := r.Dynamodb; d != nil {
		rec.Change = events.DynamoDBStreamRecord{
			Keys: streamImage(d.Keys), NewImage: streamImage(d.NewImage), OldImage: streamImage(d.OldImage),
			SequenceNumber: aws.ToString(d.SequenceNumber), SizeBytes: aws.ToInt64(d.SizeBytes), StreamViewType: string(d.StreamViewType),
		}
		if d.ApproximateCreationDateTime != nil {
			rec.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: *d.ApproximateCreationDateTime}
		}
	}
	return rec
}

func streamImage(item map[string]streamtypes.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if item == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(item))
	for k, v := range item {
		out[k] = streamValue(v)
	}
	return out
}

func streamValue(v streamtypes.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *streamtypes.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *streamtypes.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *streamtypes.AttributeValueMemberB:
		return events.NewBinaryAttribute(x.Value)
	case *streamtypes.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *streamtypes.AttributeValueMemberSS:
		return events.NewStringSetAttribute(x.Value)
	case *streamtypes.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(x.Value)
	case *streamtypes.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(x.Value)
	case *streamtypes.AttributeValueMemberL:
		list := make([]events.DynamoDBAttributeValue, len(x.Value))
		for i, e := range x.Value {
			list[i] = streamValue(e)
		}
		return events.NewListAttribute(list)
	case *streamtypes.AttributeValueMemberM:
		return events.NewMapAttribute(streamImage(x.Value))
	}
	return events.NewNullAttribute()
}

func (p *DynamoDBStreamPoller) logf(format string, args ...any) {
	if p.Logf != nil {
		p.Logf(format, args...)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
