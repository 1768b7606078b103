package eventsource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/tanggap/tanggap/infra/testenv"
)

const outboxPattern = `{"eventName": ["INSERT"], "dynamodb": {"NewImage": {"entity": {"S": ["escalation_outbox"]}}}}`

func TestFilterMatchesLikeLambda(t *testing.T) {
	f, err := CompileFilter(outboxPattern)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(name, entity string) events.DynamoDBEventRecord {
		return events.DynamoDBEventRecord{EventName: name, Change: events.DynamoDBStreamRecord{
			NewImage: map[string]events.DynamoDBAttributeValue{"entity": events.NewStringAttribute(entity)}}}
	}
	for _, c := range []struct {
		rec  events.DynamoDBEventRecord
		want bool
	}{
		{rec("INSERT", "escalation_outbox"), true},
		{rec("MODIFY", "escalation_outbox"), false},
		{rec("INSERT", "ticket"), false},
		{events.DynamoDBEventRecord{EventName: "INSERT"}, false},
		{events.DynamoDBEventRecord{EventName: "INSERT", Change: events.DynamoDBStreamRecord{NewImage: map[string]events.DynamoDBAttributeValue{
			"entity": events.NewNumberAttribute("1")}}}, false},
	} {
		if got, err := f.Match(c.rec); err != nil || got != c.want {
			t.Errorf("%s/%v: match %v (%v), want %v", c.rec.EventName, c.rec.Change.NewImage, got, err, c.want)
		}
	}

	ops, err := CompileFilter(`{"a": [{"prefix": "esc"}], "b": [{"exists": false}], "c": [{"anything-but": ["x", 1]}], "n": [2], "tags": ["red"]}`)
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"a": "escalation", "c": "y", "n": 2.0, "tags": []string{"blue", "red"}}
	if ok, _ := ops.Match(doc); !ok {
		t.Error("operators: want match")
	}
	for _, change := range []func(map[string]any){
		func(d map[string]any) { d["a"] = "ticket" },
		func(d map[string]any) { d["b"] = "present" },
		func(d map[string]any) { d["c"] = "x" },
		func(d map[string]any) { d["n"] = 3 },
		func(d map[string]any) { d["tags"] = []string{"blue"} },
		func(d map[string]any) { delete(d, "c") },
	} {
		d := map[string]any{"a": "escalation", "c": "y", "n": 2.0, "tags": []string{"blue", "red"}}
		change(d)
		if ok, _ := ops.Match(d); ok {
			t.Errorf("%v: want no match", d)
		}
	}

	for _, bad := range []string{`[]`, `{"a": "x"}`, `{"a": []}`, `{"a": [{"numeric": [">", 1]}]}`, `{"a": [{"prefix": 1}]}`, `nope`} {
		if _, err := CompileFilter(bad); err == nil {
			t.Errorf("CompileFilter(%s) accepted", bad)
		}
	}
}

// streamRecorder answers stream batches; fail decides which sequence numbers fail.
type streamRecorder struct {
	batches [][]events.DynamoDBEventRecord
	fail    func(rec events.DynamoDBEventRecord, attempt int) bool
	err     error
}

func (s *streamRecorder) invoke(_ context.Context, payload []byte) ([]byte, error) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	s.batches = append(s.batches, ev.Records)
	if s.err != nil {
		return nil, s.err
	}
	resp := events.DynamoDBEventResponse{}
	for _, r := range ev.Records {
		if s.fail != nil && s.fail(r, len(s.batches)) {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
		}
	}
	return json.Marshal(resp)
}

func (s *streamRecorder) delivered() []string {
	var keys []string
	for _, b := range s.batches {
		for _, r := range b {
			keys = append(keys, r.Change.Keys["PK"].String())
		}
	}
	return keys
}

func newStreamPoller(t *testing.T, env *testenv.DynamoEnv, rec *streamRecorder, maxRetries int) *DynamoDBStreamPoller {
	t.Helper()
	desc, err := env.Client.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(env.SupportTable)})
	if err != nil || desc.Table.LatestStreamArn == nil {
		t.Fatalf("SupportTable has no stream (template StreamSpecification): %v", err)
	}
	f, err := CompileFilter(outboxPattern)
	if err != nil {
		t.Fatal(err)
	}
	p := &DynamoDBStreamPoller{
		Client: dynamodbstreams.NewFromConfig(testenv.AWSConfig(), func(o *dynamodbstreams.Options) {
			o.BaseEndpoint = aws.String(testenv.DynamoDBEndpoint(t))
		}),
		StreamARN: aws.ToString(desc.Table.LatestStreamArn), Region: testenv.Region, StartingPosition: "LATEST",
		BatchSize: 2, ReportBatchItemFailures: true, MaximumRetryAttempts: maxRetries, Filters: []*Filter{f},
		Invoke: rec.invoke, RetryDelay: time.Millisecond, Logf: t.Logf,
	}
	if err := p.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	return p
}

func putItem(t *testing.T, env *testenv.DynamoEnv, pk, entity string) {
	t.Helper()
	_, err := env.Client.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(env.SupportTable), Item: map[string]ddbtypes.AttributeValue{
		"PK": &ddbtypes.AttributeValueMemberS{Value: pk}, "SK": &ddbtypes.AttributeValueMemberS{Value: "#X"},
		"entity": &ddbtypes.AttributeValueMemberS{Value: entity}, "n": &ddbtypes.AttributeValueMemberN{Value: "1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
}

func pollUntil(t *testing.T, p *DynamoDBStreamPoller, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatal("stream poller did not get there in time")
		}
		if _, err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Only new outbox items reach the function, in write order, in batches of BatchSize, shaped as Lambda's.
func TestDynamoDBStreamDeliversFilteredInserts(t *testing.T) {
	env := testenv.DynamoDB(t)
	putItem(t, env, "BEFORE", "escalation_outbox") // before the poller: LATEST skips it
	rec := &streamRecorder{}
	p := newStreamPoller(t, env, rec, 3)
	for i := range 3 {
		putItem(t, env, fmt.Sprintf("E%d", i), "escalation_outbox")
		putItem(t, env, fmt.Sprintf("T%d", i), "ticket")
	}
	putItem(t, env, "E0", "escalation_outbox") // MODIFY: filtered out
	pollUntil(t, p, func() bool { return len(rec.delivered()) >= 3 })
	time.Sleep(300 * time.Millisecond)
	if _, err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rec.delivered()); got != "[E0 E1 E2]" {
		t.Fatalf("delivered %s", got)
	}
	for _, b := range rec.batches {
		if len(b) > 2 {
			t.Fatalf("batch of %d, BatchSize 2", len(b))
		}
	}
	r := rec.batches[0][0]
	if r.EventName != "INSERT" || r.EventSource != "aws:dynamodb" || r.EventSourceArn != p.StreamARN || r.AWSRegion != testenv.Region ||
		r.Change.SequenceNumber == "" || r.Change.NewImage["entity"].String() != "escalation_outbox" || r.Change.NewImage["n"].Number() != "1" {
		t.Fatalf("record %+v", r)
	}
}

// A reported failure is retried from that record; after MaximumRetryAttempts the stream moves on.
func TestDynamoDBStreamRetriesFromTheFailedRecord(t *testing.T) {
	env := testenv.DynamoDB(t)
	rec := &streamRecorder{fail: func(r events.DynamoDBEventRecord, attempt int) bool {
		pk := r.Change.Keys["PK"].String()
		return pk == "BAD" || (pk == "FLAKY" && attempt == 1)
	}}
	p := newStreamPoller(t, env, rec, 2)
	putItem(t, env, "OK1", "escalation_outbox")
	putItem(t, env, "FLAKY", "escalation_outbox")
	putItem(t, env, "BAD", "escalation_outbox")
	putItem(t, env, "OK2", "escalation_outbox")
	pollUntil(t, p, func() bool { return len(rec.batches) >= 4 })
	for range 3 {
		if _, err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	// [OK1 FLAKY] fails at FLAKY → [FLAKY BAD] fails at BAD → [BAD OK2] ×2 more, then BAD is skipped with
	// the rest of its batch → nothing left. OK2 was in BAD's batch, so Lambda would skip it too.
	want := "[OK1 FLAKY FLAKY BAD BAD OK2 BAD OK2]"
	if got := fmt.Sprint(rec.delivered()); got != want {
		t.Fatalf("deliveries %s, want %s", got, want)
	}

	rec.fail, rec.err = nil, errors.New("function crashed")
	putItem(t, env, "CRASH", "escalation_outbox")
	pollUntil(t, p, func() bool { return len(rec.batches) >= 7 })
	rec.err = nil
	putItem(t, env, "AFTER", "escalation_outbox")
	pollUntil(t, p, func() bool {
		d := rec.delivered()
		return d[len(d)-1] == "AFTER"
	})
	if got := fmt.Sprint(rec.delivered()[8:]); got != "[CRASH CRASH CRASH AFTER]" {
		t.Fatalf("after a crashing function: %s", got)
	}
}
