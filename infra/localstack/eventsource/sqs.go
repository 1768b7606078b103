// Package eventsource drives functions from their non-API events locally, the way Lambda's managed pollers do:
// an SQS event source mapping (long-poll, batch, delete what succeeded) and EventBridge schedules.
package eventsource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// InvokeFunc runs the consumer with an event payload.
type InvokeFunc func(ctx context.Context, payload []byte) ([]byte, error)

// SQSPoller is one SQS event source mapping.
type SQSPoller struct {
	Client   *sqs.Client
	QueueURL string
	QueueARN string
	Region   string
	// BatchSize is the most records per invocation (Lambda's default 10; one receive returns at most 10).
	BatchSize int
	// WaitTimeSeconds is the long-poll wait (default 20, Lambda's).
	WaitTimeSeconds int32
	// ReportBatchItemFailures: the function's batchItemFailures name the records to keep.
	ReportBatchItemFailures bool
	// Pollers is how many batches are received and processed at once (default 1).
	Pollers int
	Invoke  InvokeFunc
	// Logf receives a line per batch; nil is quiet.
	Logf func(format string, args ...any)
}

// Run polls with Pollers concurrent pollers until ctx is done. Receive errors are logged and retried with a
// back-off, so a restarting queue service does not stop the mapping.
func (p *SQSPoller) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range max(1, p.Pollers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.poll(ctx)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

func (p *SQSPoller) poll(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		_, err := p.PollOnce(ctx)
		if err != nil && ctx.Err() == nil {
			p.logf("sqs %s: %v (retrying in %s)", p.QueueARN, err, backoff)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 30*time.Second)
			continue
		}
		backoff = time.Second
	}
}

// PollOnce receives one batch, invokes the function with it and deletes the records that succeeded. It returns
// the number of records received.
func (p *SQSPoller) PollOnce(ctx context.Context) (int, error) {
	batch := p.BatchSize
	if batch <= 0 {
		batch = 10
	}
	wait := p.WaitTimeSeconds
	if wait == 0 {
		wait = 20
	}
	out, err := p.Client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl:                    &p.QueueURL,
		MaxNumberOfMessages:         int32(min(batch, 10)),
		WaitTimeSeconds:             wait,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"},
	})
	if err != nil {
		return 0, fmt.Errorf("receive: %w", err)
	}
	if len(out.Messages) == 0 {
		return 0, nil
	}
	event := p.Event(out.Messages)
	payload, err := json.Marshal(event)
	if err != nil {
		return len(out.Messages), err
	}
	resp, err := p.Invoke(ctx, payload)
	if err != nil {
		// The whole batch becomes visible again after the visibility timeout; the queue's redrive policy moves
		// messages that keep failing to the dead-letter queue.
		p.logf("sqs %s: %d record(s) kept, function failed: %v", p.QueueARN, len(out.Messages), err)
		return len(out.Messages), nil
	}
	keep, err := p.failedIDs(resp, out.Messages)
	if err != nil {
		p.logf("sqs %s: %d record(s) kept, %v", p.QueueARN, len(out.Messages), err)
		return len(out.Messages), nil
	}
	var entries []sqstypes.DeleteMessageBatchRequestEntry
	for i, m := range out.Messages {
		if keep[aws.ToString(m.MessageId)] {
			continue
		}
		entries = append(entries, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle})
	}
	if len(entries) > 0 {
		del, err := p.Client.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &p.QueueURL, Entries: entries})
		if err != nil {
			return len(out.Messages), fmt.Errorf("delete: %w", err)
		}
		if len(del.Failed) > 0 {
			return len(out.Messages), fmt.Errorf("delete: %d entries failed, first: %s", len(del.Failed), aws.ToString(del.Failed[0].Message))
		}
	}
	p.logf("sqs %s: %d record(s) processed, %d kept for retry", p.QueueARN, len(entries), len(keep))
	return len(out.Messages), nil
}

// failedIDs reads a partial batch response. Without ReportBatchItemFailures any success deletes everything.
// Like Lambda, an unreadable response or an unknown/empty itemIdentifier fails the whole batch.
func (p *SQSPoller) failedIDs(resp []byte, msgs []sqstypes.Message) (map[string]bool, error) {
	keep := map[string]bool{}
	if !p.ReportBatchItemFailures {
		return keep, nil
	}
	all := func() map[string]bool {
		for _, m := range msgs {
			keep[aws.ToString(m.MessageId)] = true
		}
		return keep
	}
	trimmed := strings.TrimSpace(string(resp))
	if trimmed == "" || trimmed == "null" || trimmed == "{}" {
		return keep, nil
	}
	var r events.SQSEventResponse
	if err := json.Unmarshal(resp, &r); err != nil {
		return all(), errors.New("response is not a batch item failures document")
	}
	known := map[string]bool{}
	for _, m := range msgs {
		known[aws.ToString(m.MessageId)] = true
	}
	for _, f := range r.BatchItemFailures {
		if !known[f.ItemIdentifier] {
			return all(), fmt.Errorf("batchItemFailures names unknown item %q", f.ItemIdentifier)
		}
		keep[f.ItemIdentifier] = true
	}
	return keep, nil
}

// Event builds the SQS event Lambda would deliver for msgs.
func (p *SQSPoller) Event(msgs []sqstypes.Message) events.SQSEvent {
	ev := events.SQSEvent{Records: make([]events.SQSMessage, 0, len(msgs))}
	for _, m := range msgs {
		rec := events.SQSMessage{
			MessageId:              aws.ToString(m.MessageId),
			ReceiptHandle:          aws.ToString(m.ReceiptHandle),
			Body:                   aws.ToString(m.Body),
			Md5OfBody:              aws.ToString(m.MD5OfBody),
			Md5OfMessageAttributes: aws.ToString(m.MD5OfMessageAttributes),
			Attributes:             map[string]string{},
			MessageAttributes:      map[string]events.SQSMessageAttribute{},
			EventSourceARN:         p.QueueARN,
			EventSource:            "aws:sqs",
			AWSRegion:              p.Region,
		}
		for k, v := range m.Attributes {
			rec.Attributes[k] = v
		}
		for k, v := range m.MessageAttributes {
			rec.MessageAttributes[k] = events.SQSMessageAttribute{
				StringValue:      v.StringValue,
				BinaryValue:      v.BinaryValue,
				StringListValues: nonNil(v.StringListValues),
				BinaryListValues: nonNilBytes(v.BinaryListValues),
				DataType:         aws.ToString(v.DataType),
			}
		}
		ev.Records = append(ev.Records, rec)
	}
	return ev
}

func (p *SQSPoller) logf(format string, args ...any) {
	if p.Logf != nil {
		p.Logf(format, args...)
	}
}

// Lambda sends [] rather than null for the list values.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilBytes(s [][]byte) [][]byte {
	if s == nil {
		return [][]byte{}
	}
	return s
}
