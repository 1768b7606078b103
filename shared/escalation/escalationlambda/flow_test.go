package escalationlambda_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/infra/localstack/eventsource"
	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationlambda"
	"github.com/tanggap/tanggap/shared/escalation/escalationsns"
	"github.com/tanggap/tanggap/shared/escalation/escalationsqs"
	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
)

// flow is the escalation path as deployed: the complaints API writes the ticket and its outbox item, the
// relay (stream batch or schedule) sends to EscalationQueue, an SQS event source mapping feeds the consumer,
// which marks the ticket and publishes to EscalationTopic. Every service is real (DynamoDB Local, fauxqs).
type flow struct {
	ddb     *testenv.DynamoEnv
	msg     *testenv.MessagingEnv
	api     http.Handler
	tickets *dynamostore.Tickets
	outbox  *dynamostore.Escalations
	relay   *escalationlambda.Relay
	sqs     *sqs.Client
	sns     *sns.Client

	consumer *escalationlambda.Consumer
}

// newFlow wires the functions to endpoint's queues and topic. SDK clients try once per call: while the
// emulator is down each call fails at once instead of retrying for seconds.
func newFlow(t *testing.T, ddb *testenv.DynamoEnv, msg *testenv.MessagingEnv) *flow {
	t.Helper()
	f := &flow{ddb: ddb, msg: msg}
	cfg := testenv.AWSConfig()
	cfg.RetryMaxAttempts = 1
	f.sqs = sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(msg.Endpoint) })
	f.sns = sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = aws.String(msg.Endpoint) })

	f.tickets = dynamostore.NewTickets(ddb.Client, ddb.SupportTable)
	f.outbox = dynamostore.NewEscalations(ddb.Client, ddb.SupportTable)
	svc := ticket.NewService(f.tickets, dynamostore.NewOrders(ddb.Client, ddb.SupportTable), ticket.DefaultRules(), ticket.DefaultSLA(), time.Now)
	api, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(ddb.Client, ddb.IdempotencyTable))},
		complaintapi.Routes(svc))
	if err != nil {
		t.Fatal(err)
	}
	f.api = api
	f.relay = &escalationlambda.Relay{
		Relay: &escalation.Relay{
			Outbox: f.outbox, Publisher: escalationsqs.NewPublisher(f.sqs, msg.QueueURL("EscalationQueue")), Now: time.Now,
		},
		Decode: dynamostore.EscalationFromItem,
		Sweep:  escalation.SweepOptions{Limit: 100}, // no MinAge: the test plays the stream path itself
	}
	f.consumer = &escalationlambda.Consumer{Consumer: &escalation.Consumer{
		Ledger: f.outbox, Tickets: f.tickets, Notifier: escalationsns.NewNotifier(f.sns, msg.TopicARN("EscalationTopic")), Now: time.Now,
	}}
	return f
}

// fileUrgentComplaint files a complaint whose text makes it urgent (product safety → quality team).
func (f *flow) fileUrgentComplaint(t *testing.T, customer string) string {
	t.Helper()
	resp := apitest.Expect(t, f.api, apitest.Request{
		Method: "POST", Path: "/complaints", As: apitest.AsCustomer(customer),
		Headers: map[string]string{"Idempotency-Key": fmt.Sprintf("k-%d", time.Now().UnixNano())},
		Body: map[string]string{
			"channel": "web", "category": "product_quality", "subject": "Charger terbakar",
			"description": "Charger yang saya beli terbakar saat dipakai dan tangan saya luka.",
		},
	}, http.StatusCreated)
	var body struct {
		ID         string `json:"ticketId"`
		Priority   string `json:"priority"`
		Escalation struct {
			Status string `json:"status"`
		} `json:"escalation"`
	}
	resp.JSON(&body)
	if body.ID == "" || body.Priority != "urgent" || body.Escalation.Status != "pending" {
		t.Fatalf("filed complaint: %s", resp.Body)
	}
	return body.ID
}

// ticketView is what ops see of the ticket's escalation.
type ticketView struct {
	Escalation struct {
		Status   string `json:"status"`
		Team     string `json:"team"`
		DedupKey string `json:"dedupKey"`
	} `json:"escalation"`
	Timeline []struct {
		Type string `json:"type"`
	} `json:"timeline"`
}

func (f *flow) opsView(t *testing.T, id string) (ticketView, int) {
	t.Helper()
	resp := apitest.Expect(t, f.api, apitest.Request{Method: "GET", Path: "/ops/complaints/" + id, Resource: "/ops/complaints/{ticketId}",
		As: apitest.AsOperator("alice")}, http.StatusOK)
	var v ticketView
	resp.JSON(&v)
	escalated := 0
	for _, e := range v.Timeline {
		if e.Type == "escalated" {
			escalated++
		}
	}
	return v, escalated
}

func (f *flow) outboxItem(t *testing.T, dedupKey string) map[string]ddbtypes.AttributeValue {
	t.Helper()
	out, err := f.ddb.Client.GetItem(t.Context(), &dynamodb.GetItemInput{
		TableName: aws.String(f.ddb.SupportTable), ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{
			"PK": &ddbtypes.AttributeValueMemberS{Value: "ESCALATION#" + dedupKey}, "SK": &ddbtypes.AttributeValueMemberS{Value: "#ESCALATION"},
		},
	})
	if err != nil || out.Item == nil {
		t.Fatalf("outbox item %s: %v", dedupKey, err)
	}
	return out.Item
}

func (f *flow) invokeRelay(t *testing.T, event any) any {
	t.Helper()
	raw, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.relay.Handle(t.Context(), raw)
	if err != nil {
		t.Fatalf("relay: %v", err)
	}
	return out
}

func (f *flow) sweep(t *testing.T) escalation.SweepResult {
	t.Helper()
	out := f.invokeRelay(t, (&eventsource.Schedule{RuleName: "sweep", Region: testenv.Region, AccountID: "000000000000"}).Event())
	res, ok := out.(escalationlambda.SweepResponse)
	if !ok {
		t.Fatalf("sweep returned %T", out)
	}
	return res.Sweep
}

// poller is the SQS event source mapping of the consumer; invocations go through JSON like Lambda's.
func (f *flow) poller(queueURL string, payloads *[][]byte) *eventsource.SQSPoller {
	return &eventsource.SQSPoller{
		Client: f.sqs, QueueURL: queueURL, QueueARN: "arn:aws:sqs:ap-southeast-3:000000000000:EscalationQueue", Region: testenv.Region,
		BatchSize: 10, WaitTimeSeconds: 1, ReportBatchItemFailures: true,
		Invoke: func(ctx context.Context, payload []byte) ([]byte, error) {
			if payloads != nil {
				*payloads = append(*payloads, payload)
			}
			return f.invokeConsumer(ctx, payload)
		},
	}
}

func (f *flow) invokeConsumer(ctx context.Context, payload []byte) ([]byte, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	resp, err := f.consumer.Handle(ctx, ev)
	if err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

func queueDepth(t *testing.T, client *sqs.Client, url string) int {
	t.Helper()
	out, err := client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible},
	})
	if err != nil {
		t.Fatalf("queue depth: %v", err)
	}
	n := 0
	for _, v := range out.Attributes {
		var i int
		fmt.Sscan(v, &i)
		n += i
	}
	return n
}

// The outage test: SQS is down while a complaint is filed. The ticket is stored and its escalation
// waits in the outbox; neither the stream path nor the sweep loses it; once SQS is back the sweep sends it
// exactly once, the consumer escalates the ticket, and a redelivery changes nothing and notifies nobody.
func TestEscalationSurvivesSQSOutage(t *testing.T) {
	fq := testenv.StartFauxqs(t)
	msg := testenv.MessagingAt(t, fq.Endpoint)
	f := newFlow(t, testenv.DynamoDB(t), msg)

	fq.Stop()
	id := f.fileUrgentComplaint(t, "budi")
	pending, err := f.outbox.ListPending(t.Context(), time.Now().Add(time.Hour), 10)
	if err != nil || len(pending) != 1 || pending[0].TicketID != id || pending[0].Reason != escalation.ReasonPriorityUrgent || pending[0].Team != escalation.TeamQuality {
		t.Fatalf("outbox after intake: %+v %v", pending, err)
	}
	key := pending[0].DedupKey

	// The stream path fails and reports the record, so Lambda would retry it.
	stream := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{escalationtest.StreamInsert(f.outboxItem(t, key), "100")}}
	resp, ok := f.invokeRelay(t, stream).(events.DynamoDBEventResponse)
	if !ok || len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "100" {
		t.Fatalf("stream batch with SQS down: %+v", resp)
	}
	// So does the sweep; the escalation stays pending with its attempts counted.
	if res := f.sweep(t); res != (escalation.SweepResult{Found: 1, Failed: 1}) {
		t.Fatalf("sweep with SQS down: %+v", res)
	}
	item := f.outboxItem(t, key)
	if s, _ := item["status"].(*ddbtypes.AttributeValueMemberS); s == nil || s.Value != "pending" || item["GSI1PK"] == nil {
		t.Fatalf("outbox item after failures: %v", item)
	}
	if n, _ := item["attempts"].(*ddbtypes.AttributeValueMemberN); n == nil || n.Value != "2" {
		t.Fatalf("attempts: %v", item["attempts"])
	}
	if v, _ := f.opsView(t, id); v.Escalation.Status != "pending" || v.Escalation.DedupKey != key {
		t.Fatalf("ticket during the outage: %+v", v.Escalation)
	}

	fq.Start()
	msg.CreateAgain()
	notifications := escalationtest.Subscribe(t, msg.SQS, msg.SNS, msg.TopicARN("EscalationTopic"), fmt.Sprintf("tg-ops-%d", time.Now().UnixNano()), `{"team": ["quality"]}`)

	if res := f.sweep(t); res != (escalation.SweepResult{Found: 1, Sent: 1}) {
		t.Fatalf("sweep after recovery: %+v", res)
	}
	if res := f.sweep(t); res != (escalation.SweepResult{}) {
		t.Fatalf("second sweep: %+v", res)
	}
	// Exactly one message: received once, processed once.
	var payloads [][]byte
	p := f.poller(msg.QueueURL("EscalationQueue"), &payloads)
	for range 3 {
		if _, err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	var delivered int
	for _, raw := range payloads {
		var ev events.SQSEvent
		_ = json.Unmarshal(raw, &ev)
		delivered += len(ev.Records)
	}
	if delivered != 1 || queueDepth(t, msg.SQS, msg.QueueURL("EscalationQueue")) != 0 {
		t.Fatalf("%d escalation messages delivered, want exactly 1", delivered)
	}
	v, escalatedEntries := f.opsView(t, id)
	if v.Escalation.Status != "escalated" || v.Escalation.Team != "quality" || escalatedEntries != 1 {
		t.Fatalf("ticket after the consumer: %+v, %d escalated entries", v.Escalation, escalatedEntries)
	}

	// Redelivery of the same message (a consumer that timed out after its work, say).
	out, err := f.invokeConsumer(t.Context(), payloads[0])
	if err != nil || strings.Contains(string(out), "itemIdentifier\":\"") {
		t.Fatalf("redelivery: %s %v", out, err)
	}
	if _, entries := f.opsView(t, id); entries != 1 {
		t.Fatalf("redelivery added a timeline entry: %d", entries)
	}
	got := notifications.Drain(t, 2*time.Second)
	if len(got) != 1 || got[0].DedupKey() != key || got[0].Attributes["team"] != "quality" {
		t.Fatalf("notifications: %+v", got)
	}
}

// A poison message fails alone: the good messages of its batch are processed and deleted, and the bad one
// is received maxReceiveCount times (the template's) and then moved to the dead-letter queue.
func TestPoisonMessageReachesDeadLetterQueueAlone(t *testing.T) {
	msg := testenv.Messaging(t, testenv.WithVisibilityTimeout("EscalationQueue", 1))
	f := newFlow(t, testenv.DynamoDB(t), msg)
	queues, err := testenv.ProjectTemplate(t).Queues()
	if err != nil {
		t.Fatal(err)
	}
	maxReceive := queues["EscalationQueue"].RedrivePolicy.MaxReceiveCount

	id := f.fileUrgentComplaint(t, "siti")
	if res := f.sweep(t); res.Sent != 1 {
		t.Fatalf("sweep: %+v", res)
	}
	recovery := escalation.Escalation{
		DedupKey: escalation.DedupKey(escalation.SubjectReturn, "RET-1", escalation.ReasonServiceRecovery), Reason: escalation.ReasonServiceRecovery,
		Team: escalation.TeamCustomerCare, Priority: escalation.PriorityHigh, SubjectType: escalation.SubjectReturn, SubjectID: "RET-1",
		CustomerID: "siti", CreatedAt: time.Now().UTC(),
	}
	if _, err := escalationsqs.NewPublisher(f.sqs, msg.QueueURL("EscalationQueue")).Send(t.Context(), recovery); err != nil {
		t.Fatal(err)
	}
	poison := []string{`{"dedupKey": "ticket:x", "team": "`, `{"dedupKey":"ticket:T:priority_high","reason":"priority_high","team":"marketing"}`}
	for _, body := range poison {
		if _, err := f.sqs.SendMessage(t.Context(), &sqs.SendMessageInput{QueueUrl: aws.String(msg.QueueURL("EscalationQueue")), MessageBody: aws.String(body)}); err != nil {
			t.Fatal(err)
		}
	}

	var payloads [][]byte
	p := f.poller(msg.QueueURL("EscalationQueue"), &payloads)
	dlq := msg.QueueURL("EscalationDeadLetterQueue")
	deadline := time.Now().Add(time.Duration(maxReceive)*4*time.Second + 10*time.Second)
	for queueDepth(t, msg.SQS, dlq) < len(poison) {
		if time.Now().After(deadline) {
			t.Fatalf("poison messages not dead-lettered after %d polls", len(payloads))
		}
		if _, err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}

	receives := map[string]int{}
	for _, raw := range payloads {
		var ev events.SQSEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		for _, r := range ev.Records {
			receives[r.Body]++
		}
	}
	for _, body := range poison {
		if receives[body] != maxReceive {
			t.Errorf("poison %q received %d times, want maxReceiveCount %d", body, receives[body], maxReceive)
		}
	}
	if len(receives) != len(poison)+2 {
		t.Fatalf("distinct messages received: %d", len(receives))
	}
	isPoison := map[string]bool{poison[0]: true, poison[1]: true}
	for body, n := range receives {
		if !isPoison[body] && n != 1 {
			t.Errorf("good message received %d times: %s", n, body)
		}
	}
	dead, err := msg.SQS.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlq), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	var deadBodies []string
	for _, m := range dead.Messages {
		deadBodies = append(deadBodies, aws.ToString(m.Body))
		delete(isPoison, aws.ToString(m.Body))
	}
	if len(deadBodies) != len(poison) || len(isPoison) != 0 {
		t.Fatalf("dead-letter queue holds %q, want the poison messages", deadBodies)
	}
	if queueDepth(t, msg.SQS, msg.QueueURL("EscalationQueue")) != 0 {
		t.Fatal("messages left on the escalation queue")
	}
	if v, entries := f.opsView(t, id); v.Escalation.Status != "escalated" || entries != 1 {
		t.Fatalf("good ticket escalation: %+v %d", v.Escalation, entries)
	}
	if rec, err := f.outbox.Record(t.Context(), recovery, time.Now()); err != nil || rec.First || !rec.Notified {
		t.Fatalf("service recovery escalation was not processed and notified: %+v %v", rec, err)
	}
}

// A failed publish fails the message; its redelivery publishes exactly once and records nothing twice.
func TestConsumerRedeliveryAfterFailedPublishNotifiesOnce(t *testing.T) {
	msg := testenv.Messaging(t, testenv.WithVisibilityTimeout("EscalationQueue", 1))
	f := newFlow(t, testenv.DynamoDB(t), msg)
	notifications := escalationtest.Subscribe(t, msg.SQS, msg.SNS, msg.TopicARN("EscalationTopic"), fmt.Sprintf("tg-ops-%d", time.Now().UnixNano()), "")
	id := f.fileUrgentComplaint(t, "budi")
	if res := f.sweep(t); res.Sent != 1 {
		t.Fatalf("sweep: %+v", res)
	}
	var payloads [][]byte
	p := f.poller(msg.QueueURL("EscalationQueue"), &payloads)

	working := f.consumer.Consumer.Notifier
	f.consumer.Consumer.Notifier = escalationsns.NewNotifier(f.sns, msg.TopicARN("EscalationTopic")+"-missing")
	if n, err := p.PollOnce(t.Context()); err != nil || n != 1 {
		t.Fatalf("first delivery: %d %v", n, err)
	}
	if v, entries := f.opsView(t, id); v.Escalation.Status != "escalated" || entries != 1 {
		t.Fatalf("after the failed publish the ticket is escalated (the step before it): %+v %d", v.Escalation, entries)
	}
	if got := notifications.Drain(t, time.Second); len(got) != 0 {
		t.Fatalf("notified despite the failure: %+v", got)
	}

	f.consumer.Consumer.Notifier = working
	time.Sleep(1500 * time.Millisecond) // the failed message becomes visible again
	for range 2 {
		if _, err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	// And once more by hand, as a duplicate delivery after success.
	if _, err := f.invokeConsumer(t.Context(), payloads[len(payloads)-1]); err != nil {
		t.Fatal(err)
	}
	if got := notifications.Drain(t, 2*time.Second); len(got) != 1 {
		t.Fatalf("notifications after redelivery: %d, want 1", len(got))
	}
	if _, entries := f.opsView(t, id); entries != 1 {
		t.Fatalf("escalated entries: %d", entries)
	}
}
