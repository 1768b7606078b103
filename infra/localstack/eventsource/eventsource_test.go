package eventsource

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/infra/testenv"
)

// consumer records the SQS events it receives; fail decides per body whether a record fails.
type consumer struct {
	mu      sync.Mutex
	batches []events.SQSEvent
	fail    func(body string) bool
	err     error // whole-invocation failure
}

func (c *consumer) invoke(_ context.Context, payload []byte) ([]byte, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.batches = append(c.batches, ev)
	c.mu.Unlock()
	if c.err != nil {
		return nil, c.err
	}
	var resp events.SQSEventResponse
	for _, r := range ev.Records {
		if c.fail != nil && c.fail(r.Body) {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
		}
	}
	return json.Marshal(resp)
}

func (c *consumer) bodies() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]int{}
	for _, b := range c.batches {
		for _, r := range b.Records {
			seen[r.Body]++
		}
	}
	return seen
}

func send(t *testing.T, client *sqs.Client, url string, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		_, err := client.SendMessage(context.Background(), &sqs.SendMessageInput{
			QueueUrl: aws.String(url), MessageBody: aws.String(b),
			MessageAttributes: map[string]sqstypes.MessageAttributeValue{
				"ticketId": {DataType: aws.String("String"), StringValue: aws.String("TCK-" + b)},
				"priority": {DataType: aws.String("Number"), StringValue: aws.String("2")},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func approximateCount(t *testing.T, client *sqs.Client, url string) int {
	t.Helper()
	out, err := client.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range []string{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"} {
		var v int
		_ = json.Unmarshal([]byte(out.Attributes[k]), &v)
		n += v
	}
	return n
}

func TestSQSEventShapeAndDeleteOnSuccess(t *testing.T) {
	env := testenv.Messaging(t)
	url, arn := env.QueueURL("EscalationQueue"), env.QueueARN("EscalationQueue")
	send(t, env.SQS, url, "a", "b", "c")

	c := &consumer{}
	p := &SQSPoller{Client: env.SQS, QueueURL: url, QueueARN: arn, Region: testenv.Region, BatchSize: 10, WaitTimeSeconds: 1,
		ReportBatchItemFailures: true, Invoke: c.invoke}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for len(c.bodies()) < 3 && ctx.Err() == nil {
		if _, err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if seen := c.bodies(); len(seen) != 3 {
		t.Fatalf("received %v", seen)
	}
	rec := c.batches[0].Records[0]
	if rec.EventSource != "aws:sqs" || rec.EventSourceARN != arn || rec.AWSRegion != testenv.Region ||
		rec.MessageId == "" || rec.ReceiptHandle == "" || rec.Md5OfBody == "" {
		t.Errorf("record %+v", rec)
	}
	if rec.Attributes["ApproximateReceiveCount"] != "1" || rec.Attributes["SentTimestamp"] == "" {
		t.Errorf("attributes %v", rec.Attributes)
	}
	ticket := rec.MessageAttributes["ticketId"]
	if ticket.DataType != "String" || aws.ToString(ticket.StringValue) != "TCK-"+rec.Body || rec.MessageAttributes["priority"].DataType != "Number" {
		t.Errorf("message attributes %+v", rec.MessageAttributes)
	}
	// Lambda's JSON shape: camelCase keys, list values present.
	raw, _ := json.Marshal(c.batches[0])
	for _, key := range []string{`"Records"`, `"messageId"`, `"receiptHandle"`, `"eventSourceARN"`, `"stringValue"`, `"dataType"`, `"stringListValues":[]`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("event JSON lacks %s: %s", key, raw)
		}
	}
	if n := approximateCount(t, env.SQS, url); n != 0 {
		t.Errorf("%d message(s) left after successful processing", n)
	}
}

func TestPartialBatchFailuresAreRetriedThenDeadLettered(t *testing.T) {
	env := testenv.Messaging(t, testenv.WithVisibilityTimeout("EscalationQueue", 1))
	url, arn := env.QueueURL("EscalationQueue"), env.QueueARN("EscalationQueue")
	dlq := env.QueueURL("EscalationDeadLetterQueue")
	send(t, env.SQS, url, "ok-1", "poison", "ok-2")

	c := &consumer{fail: func(body string) bool { return body == "poison" }}
	p := &SQSPoller{Client: env.SQS, QueueURL: url, QueueARN: arn, Region: testenv.Region, BatchSize: 10, WaitTimeSeconds: 1,
		ReportBatchItemFailures: true, Invoke: c.invoke}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = p.Run(ctx)
	}()
	defer func() { cancel(); <-done }()

	// The template's maxReceiveCount is 5: the poison message is delivered 5 times, then redriven.
	deadline := time.Now().Add(40 * time.Second)
	var dead []sqstypes.Message
	for time.Now().Before(deadline) && len(dead) == 0 {
		out, err := env.SQS.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlq), WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		dead = out.Messages
	}
	if len(dead) != 1 || aws.ToString(dead[0].Body) != "poison" {
		t.Fatalf("dead-letter queue holds %v, want the poison message", dead)
	}
	seen := c.bodies()
	if seen["ok-1"] != 1 || seen["ok-2"] != 1 {
		t.Errorf("successful records delivered %d and %d times, want once each", seen["ok-1"], seen["ok-2"])
	}
	if seen["poison"] != 5 {
		t.Errorf("poison delivered %d times, want maxReceiveCount 5", seen["poison"])
	}
}

func TestFunctionErrorKeepsWholeBatch(t *testing.T) {
	env := testenv.Messaging(t, testenv.WithVisibilityTimeout("EscalationQueue", 1))
	url, arn := env.QueueURL("EscalationQueue"), env.QueueARN("EscalationQueue")
	send(t, env.SQS, url, "x", "y")

	c := &consumer{err: errors.New("downstream unavailable")}
	p := &SQSPoller{Client: env.SQS, QueueURL: url, QueueARN: arn, Region: testenv.Region, BatchSize: 10, WaitTimeSeconds: 1,
		ReportBatchItemFailures: true, Invoke: c.invoke}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for len(c.bodies()) < 2 && ctx.Err() == nil {
		if _, err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Both come back after the visibility timeout; now the function succeeds and they are deleted.
	c.mu.Lock()
	c.err = nil
	c.mu.Unlock()
	for (c.bodies()["x"] < 2 || c.bodies()["y"] < 2) && ctx.Err() == nil {
		if _, err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if seen := c.bodies(); seen["x"] != 2 || seen["y"] != 2 {
		t.Fatalf("deliveries %v, want each twice", seen)
	}
	if n := approximateCount(t, env.SQS, url); n != 0 {
		t.Errorf("%d message(s) left after the retry succeeded", n)
	}
}

func TestBatchResponseValidation(t *testing.T) {
	msgs := []sqstypes.Message{{MessageId: aws.String("m1")}, {MessageId: aws.String("m2")}}
	p := &SQSPoller{ReportBatchItemFailures: true}
	for _, tc := range []struct {
		resp    string
		keep    []string
		wantErr bool
	}{
		{`null`, nil, false},
		{`{}`, nil, false},
		{`{"batchItemFailures":[]}`, nil, false},
		{`{"batchItemFailures":[{"itemIdentifier":"m2"}]}`, []string{"m2"}, false},
		{`{"batchItemFailures":[{"itemIdentifier":"other"}]}`, []string{"m1", "m2"}, true},
		{`{"batchItemFailures":[{"itemIdentifier":""}]}`, []string{"m1", "m2"}, true},
		{`"not json object"`, []string{"m1", "m2"}, true},
	} {
		keep, err := p.failedIDs([]byte(tc.resp), msgs)
		var got []string
		for id := range keep {
			got = append(got, id)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(tc.keep, ",") || (err != nil) != tc.wantErr {
			t.Errorf("%s: keep %v err %v, want %v err=%v", tc.resp, got, err, tc.keep, tc.wantErr)
		}
	}
	// Without ReportBatchItemFailures a successful invocation deletes everything, whatever it returned.
	if keep, err := (&SQSPoller{}).failedIDs([]byte(`{"batchItemFailures":[{"itemIdentifier":"m1"}]}`), msgs); err != nil || len(keep) != 0 {
		t.Errorf("without ReportBatchItemFailures: keep %v err %v", keep, err)
	}
}

func TestScheduledEventShape(t *testing.T) {
	now := time.Date(2025, 6, 1, 2, 3, 4, 500, time.UTC)
	var got []byte
	s := &Schedule{RuleName: "tanggap-local-EscalationRelayFunctionSweep", Region: "ap-southeast-3", AccountID: "000000000000",
		Interval: time.Hour, Now: func() time.Time { return now },
		Invoke: func(_ context.Context, p []byte) ([]byte, error) { got = p; return nil, nil }}
	if _, err := s.Fire(context.Background()); err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(got, &ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"version": "0", "source": "aws.events", "detail-type": "Scheduled Event", "account": "000000000000",
		"region": "ap-southeast-3", "time": "2025-06-01T02:03:04Z"}
	for k, v := range want {
		if ev[k] != v {
			t.Errorf("%s = %v, want %v", k, ev[k], v)
		}
	}
	res, _ := ev["resources"].([]any)
	if len(res) != 1 || res[0] != "arn:aws:events:ap-southeast-3:000000000000:rule/tanggap-local-EscalationRelayFunctionSweep" {
		t.Errorf("resources %v", ev["resources"])
	}
	if d, ok := ev["detail"].(map[string]any); !ok || len(d) != 0 {
		t.Errorf("detail %v", ev["detail"])
	}

	s.Input = `{"sweep":"outbox"}`
	if _, err := s.Fire(context.Background()); err != nil || string(got) != `{"sweep":"outbox"}` {
		t.Errorf("template Input not passed through: %s %v", got, err)
	}
}

func TestScheduleRunsOnInterval(t *testing.T) {
	var mu sync.Mutex
	fired := 0
	s := &Schedule{RuleName: "r", Region: "ap-southeast-3", AccountID: "000000000000", Interval: 20 * time.Millisecond,
		Invoke: func(context.Context, []byte) ([]byte, error) {
			mu.Lock()
			fired++
			mu.Unlock()
			return nil, errors.New("relay failed") // logged, the schedule keeps going
		}}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := s.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run returned %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if fired < 3 {
		t.Errorf("fired %d times in 500ms at a 20ms interval", fired)
	}
}

// Several pollers process batches side by side, each batch still deleted only after its invocation succeeded.
func TestPollersProcessBatchesConcurrently(t *testing.T) {
	env := testenv.Messaging(t)
	url, arn := env.QueueURL("EscalationQueue"), env.QueueARN("EscalationQueue")
	send(t, env.SQS, url, "p1", "p2", "p3")

	const pollers = 3
	var mu sync.Mutex
	inFlight, peak := 0, 0
	together := make(chan struct{})
	c := &consumer{}
	invoke := func(ctx context.Context, payload []byte) ([]byte, error) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		if inFlight == pollers {
			close(together)
		}
		mu.Unlock()
		// Hold each batch until all pollers have one (or give up after a while).
		select {
		case <-together:
		case <-time.After(5 * time.Second):
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return c.invoke(ctx, payload)
	}
	p := &SQSPoller{Client: env.SQS, QueueURL: url, QueueARN: arn, Region: testenv.Region, BatchSize: 1, WaitTimeSeconds: 1,
		ReportBatchItemFailures: true, Pollers: pollers, Invoke: invoke}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = p.Run(ctx)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for len(c.bodies()) < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if seen := c.bodies(); len(seen) != 3 || seen["p1"] != 1 || seen["p2"] != 1 || seen["p3"] != 1 {
		t.Fatalf("deliveries %v, want each once", seen)
	}
	if peak != pollers {
		t.Errorf("at most %d batches ran at once, want %d", peak, pollers)
	}
	if n := approximateCount(t, env.SQS, url); n != 0 {
		t.Errorf("%d message(s) left", n)
	}
}
