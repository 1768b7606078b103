package customereventlambda_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/tanggap/tanggap/infra/localstack/eventsource"
	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/customerevent/customereventlambda"
	"github.com/tanggap/tanggap/shared/customerevent/customereventsns"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationlambda"
	"github.com/tanggap/tanggap/shared/escalation/escalationsqs"
	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
)

// flow is the customer event path as deployed: the complaints API writes a change and its events in one
// transaction; the outbox relay (stream batch or schedule, through JSON as Lambda calls it) publishes them to
// CustomerEventsTopic and writes survey invitations. DynamoDB Local and fauxqs are real.
type flow struct {
	ddb   *testenv.DynamoEnv
	api   http.Handler
	relay *escalationlambda.Relay
	store *dynamostore.CustomerEvents
}

// newFlow wires the relay to endpoint's topic. The SNS client tries once per call, so an outage fails at once.
func newFlow(t *testing.T, ddb *testenv.DynamoEnv, msg *testenv.MessagingEnv) *flow {
	t.Helper()
	cfg := testenv.AWSConfig()
	cfg.RetryMaxAttempts = 1
	topic := sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = aws.String(msg.Endpoint) })
	f := &flow{ddb: ddb, store: dynamostore.NewCustomerEvents(ddb.Client, ddb.SupportTable)}
	svc := ticket.NewService(dynamostore.NewTickets(ddb.Client, ddb.SupportTable), dynamostore.NewOrders(ddb.Client, ddb.SupportTable),
		ticket.DefaultRules(), ticket.DefaultSLA(), time.Now)
	api, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(ddb.Client, ddb.IdempotencyTable))},
		complaintapi.Routes(svc))
	if err != nil {
		t.Fatal(err)
	}
	f.api = api
	companion := &customereventlambda.Handler{
		Relay: &customerevent.Relay{Outbox: f.store, Publisher: customereventsns.NewPublisher(topic, msg.TopicARN("CustomerEventsTopic")),
			Invitations: f.store, Now: time.Now},
		DecodeEvent: dynamostore.CustomerEventFromItem,
		Sweep:       customerevent.SweepOptions{Limit: 100}, // no MinAge: the test plays the stream path itself
	}
	// Repeat complaints escalate: the escalation side of the relay sends to its queue as deployed.
	queue := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(msg.Endpoint) })
	f.relay = &escalationlambda.Relay{
		Relay: &escalation.Relay{Outbox: dynamostore.NewEscalations(ddb.Client, ddb.SupportTable),
			Publisher: escalationsqs.NewPublisher(queue, msg.QueueURL("EscalationQueue")), Now: time.Now},
		Decode: dynamostore.EscalationFromItem, Companions: []escalationlambda.Companion{companion},
	}
	return f
}

func (f *flow) post(t *testing.T, as apitest.Caller, path, resource string, body any, lang string, want int) []byte {
	t.Helper()
	resp := apitest.Expect(t, f.api, apitest.Request{Method: "POST", Path: path, Resource: resource, As: as, Body: body,
		Headers: map[string]string{"Idempotency-Key": fmt.Sprintf("k-%d", time.Now().UnixNano()), "Accept-Language": lang}}, want)
	return []byte(resp.Body)
}

// fileComplaint files a normal complaint (no escalation) in lang.
func (f *flow) fileComplaint(t *testing.T, customer, lang string) string {
	t.Helper()
	var body struct {
		ID string `json:"ticketId"`
	}
	raw := f.post(t, apitest.AsCustomer(customer), "/complaints", "", map[string]string{
		"channel": "web", "category": "delivery", "subject": "Paket belum sampai", "description": "Paket saya belum sampai sejak minggu lalu.",
	}, lang, http.StatusCreated)
	if err := json.Unmarshal(raw, &body); err != nil || body.ID == "" {
		t.Fatalf("complaint: %s", raw)
	}
	return body.ID
}

func (f *flow) reply(t *testing.T, id string) {
	t.Helper()
	f.post(t, apitest.AsOperator("dewi"), "/ops/complaints/"+id+"/responses", "/ops/complaints/{ticketId}/responses",
		map[string]string{"message": "Paket Anda sedang kami lacak."}, "id", http.StatusOK)
}

func (f *flow) resolve(t *testing.T, id string) {
	t.Helper()
	f.post(t, apitest.AsOperator("dewi"), "/ops/complaints/"+id+"/resolve", "/ops/complaints/{ticketId}/resolve",
		map[string]string{"message": "Paket sudah diterima."}, "id", http.StatusOK)
}

func (f *flow) reopen(t *testing.T, id string) {
	t.Helper()
	f.post(t, apitest.AsOperator("dewi"), "/ops/complaints/"+id+"/reopen", "/ops/complaints/{ticketId}/reopen",
		map[string]string{"reason": "Pelanggan menghubungi lagi."}, "id", http.StatusOK)
}

// stored is every customer event stored for customer (inbox and shop-only), oldest first, as raw items.
func (f *flow) stored(t *testing.T, customer string) []map[string]ddbtypes.AttributeValue {
	t.Helper()
	out, err := f.ddb.Client.Query(t.Context(), &dynamodb.QueryInput{
		TableName: aws.String(f.ddb.SupportTable), KeyConditionExpression: aws.String("PK = :pk"), ConsistentRead: aws.Bool(true),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": &ddbtypes.AttributeValueMemberS{Value: "INBOX#" + customer}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]ddbtypes.AttributeValue
	for _, it := range out.Items {
		if e, _ := it["entity"].(*ddbtypes.AttributeValueMemberS); e != nil && e.Value == "customer_event" {
			items = append(items, it)
		}
	}
	// Oldest first: by time, then a subject's sequence (one change's events share their instant), then id.
	sort.Slice(items, func(i, j int) bool {
		ai, _ := time.Parse(time.RFC3339Nano, s(items[i], "at"))
		aj, _ := time.Parse(time.RFC3339Nano, s(items[j], "at"))
		if !ai.Equal(aj) {
			return ai.Before(aj)
		}
		if qi, qj := seq(items[i]), seq(items[j]); qi != qj {
			return qi < qj
		}
		return s(items[i], "eventId") < s(items[j], "eventId")
	})
	return items
}

func seq(item map[string]ddbtypes.AttributeValue) int64 {
	v, _ := item["sequence"].(*ddbtypes.AttributeValueMemberN)
	if v == nil {
		return 0
	}
	n, _ := strconv.ParseInt(v.Value, 10, 64)
	return n
}

func s(item map[string]ddbtypes.AttributeValue, name string) string {
	if v, ok := item[name].(*ddbtypes.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// streamBatch plays the stream path for items, as one batch; it returns the failed sequence numbers.
func (f *flow) streamBatch(t *testing.T, items []map[string]ddbtypes.AttributeValue) []string {
	t.Helper()
	var ev events.DynamoDBEvent
	for i, it := range items {
		ev.Records = append(ev.Records, escalationtest.StreamInsert(it, strconv.Itoa(100+i)))
	}
	out := f.invoke(t, ev)
	resp, ok := out.(events.DynamoDBEventResponse)
	if !ok {
		t.Fatalf("stream batch returned %T", out)
	}
	var failed []string
	for _, r := range resp.BatchItemFailures {
		failed = append(failed, r.ItemIdentifier)
	}
	return failed
}

func (f *flow) invoke(t *testing.T, event any) any {
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

func (f *flow) sweep(t *testing.T) customerevent.SweepResult {
	t.Helper()
	out := f.invoke(t, (&eventsource.Schedule{RuleName: "sweep", Region: testenv.Region, AccountID: "000000000000"}).Event())
	res, ok := out.(escalationlambda.SweepResponse)
	if !ok || len(res.Companions) != 1 {
		t.Fatalf("sweep returned %#v", out)
	}
	return res.Companions[0].(customerevent.SweepResult)
}

func decode(t *testing.T, n escalationtest.Notification) customerevent.Event {
	t.Helper()
	e, err := customerevent.Decode(n.Body)
	if err != nil {
		t.Fatalf("notification %s: %v", n.Body, err)
	}
	if n.Attributes["type"] != string(e.Type) || n.Attributes["subjectType"] != string(e.SubjectType) || n.Attributes["eventId"] != e.ID {
		t.Fatalf("attributes %v do not match the body %s", n.Attributes, n.Body)
	}
	return e
}

// A ticket's life produces one stored event per change, published with its attributes, in the customer's
// language, with increasing sequence numbers; resolving invites once, and re-resolving after a reopen by ops
// does not invite again.
func TestTicketEventsReachTheTopicAndInviteOnce(t *testing.T) {
	msg := testenv.Messaging(t)
	f := newFlow(t, testenv.DynamoDB(t), msg)
	sub := escalationtest.Subscribe(t, msg.SQS, msg.SNS, msg.TopicARN("CustomerEventsTopic"), fmt.Sprintf("tg-events-%d", time.Now().UnixNano()),
		`{"subjectType": ["ticket"]}`)

	id := f.fileComplaint(t, "budi", "en")
	f.reply(t, id)
	f.resolve(t, id)
	f.reopen(t, id)
	f.resolve(t, id)

	items := f.stored(t, "budi")
	var types []string
	for _, it := range items {
		types = append(types, s(it, "type"))
	}
	if fmt.Sprint(types) != "[ticket.replied ticket.resolved ticket.reopened ticket.resolved]" {
		t.Fatalf("stored events %v", types)
	}
	if failed := f.streamBatch(t, items); len(failed) != 0 {
		t.Fatalf("stream batch failed %v", failed)
	}
	// The first resolution invited; the invitation is an event of its own, which the sweep publishes.
	if res := f.sweep(t); res != (customerevent.SweepResult{Found: 1, Sent: 1}) {
		t.Fatalf("sweep: %+v", res)
	}
	if res := f.sweep(t); res != (customerevent.SweepResult{}) {
		t.Fatalf("second sweep: %+v", res)
	}
	got := sub.Drain(t, 2*time.Second)
	if len(got) != 5 {
		t.Fatalf("%d notifications, want 5: %+v", len(got), got)
	}
	var seqs []int64
	byType := map[customerevent.Type]int{}
	for _, n := range got {
		e := decode(t, n)
		byType[e.Type]++
		if e.CustomerID != "budi" || e.SubjectID != id || e.Language != "en" || e.Data.TicketID != id {
			t.Errorf("event %+v", e)
		}
		if e.Type == customerevent.SurveyInvited && (e.Title != "How did we do?" || e.Data.InvitedBy != customerevent.TicketResolved) {
			t.Errorf("invitation %+v", e)
		}
		if e.Type == customerevent.TicketReplied && (e.Title != "New reply to your complaint" || e.Data.Message != "Paket Anda sedang kami lacak.") {
			t.Errorf("reply %+v", e)
		}
		seqs = append(seqs, e.Sequence)
	}
	if byType[customerevent.SurveyInvited] != 1 || byType[customerevent.TicketResolved] != 2 || byType[customerevent.TicketReopened] != 1 {
		t.Fatalf("by type %v", byType)
	}
	sorted := append([]int64(nil), seqs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			t.Fatalf("sequence numbers repeat: %v", seqs)
		}
	}
	// Every stored event is marked sent and has left the pending index.
	for _, it := range f.stored(t, "budi") {
		if s(it, "status") != "sent" || it["GSI1PK"] != nil {
			t.Errorf("event %s after publishing: status %s", s(it, "eventId"), s(it, "status"))
		}
	}
}

// The outage test: a burst of changes runs while the SNS/SQS emulator (a private fauxqs; the shared
// one is never touched) is stopped halfway. Every change's event is stored with it; the stream path and the
// sweep fail without losing any; once the emulator is back the sweep publishes every one of them.
func TestEventsSurviveAnSNSOutageDuringABurst(t *testing.T) {
	fq := testenv.StartFauxqs(t)
	msg := testenv.MessagingAt(t, fq.Endpoint)
	f := newFlow(t, testenv.DynamoDB(t), msg)
	customers := []string{"budi", "siti", "andi"}

	change := func(i int) {
		c := customers[i%len(customers)]
		id := f.fileComplaint(t, c, "id")
		f.reply(t, id)
		f.resolve(t, id)
	}
	published := map[string]bool{}
	// First third with the topic up: the stream path publishes at once (and writes the invitations).
	for i := range 3 {
		change(i)
	}
	for _, c := range customers {
		if failed := f.streamBatch(t, f.stored(t, c)); len(failed) != 0 {
			t.Fatalf("stream batch failed %v", failed)
		}
	}
	sentBefore := map[string]bool{}
	for _, c := range customers {
		for _, it := range f.stored(t, c) {
			if s(it, "status") == "sent" {
				sentBefore[s(it, "eventId")] = true
			}
		}
	}
	if len(sentBefore) != 6 {
		t.Fatalf("%d events published before the outage, want 6 (3 replies, 3 resolutions)", len(sentBefore))
	}

	fq.Stop()
	for i := 3; i < 9; i++ {
		change(i)
	}
	// Every failed stream batch reports its first unsent record, so Lambda retries from there.
	for _, c := range customers {
		var pending []map[string]ddbtypes.AttributeValue
		for _, it := range f.stored(t, c) {
			if s(it, "status") == "pending" {
				pending = append(pending, it)
			}
		}
		if failed := f.streamBatch(t, pending); len(failed) != 1 || failed[0] != "100" {
			t.Fatalf("%s: stream batch with SNS down reported %v", c, failed)
		}
	}
	if res := f.sweep(t); res.Sent != 0 || res.Failed == 0 {
		t.Fatalf("sweep with SNS down: %+v", res)
	}

	fq.Start()
	msg.CreateAgain()
	sub := escalationtest.Subscribe(t, msg.SQS, msg.SNS, msg.TopicARN("CustomerEventsTopic"), fmt.Sprintf("tg-events-%d", time.Now().UnixNano()), "")
	for range 10 {
		if res := f.sweep(t); res.Found == 0 {
			break
		}
	}
	for _, n := range sub.Drain(t, 2*time.Second) {
		published[decode(t, n).ID] = true
	}
	total := 0
	for _, c := range customers {
		for _, it := range f.stored(t, c) {
			total++
			id, typ := s(it, "eventId"), s(it, "type")
			if s(it, "status") != "sent" || it["GSI1PK"] != nil {
				t.Errorf("%s %s still pending after recovery", typ, id)
			}
			// What went out before the outage reached the first fauxqs, which lost it on stop (it keeps
			// everything in memory); everything else must arrive now.
			if !sentBefore[id] && !published[id] {
				t.Errorf("%s %s never published", typ, id)
			}
		}
	}
	// 9 changes of 2 events each plus 9 invitations; all but the 6 sent before the outage arrive afterwards.
	if total != 27 || len(published) != 21 {
		t.Fatalf("%d events stored (want 27), %d published after the outage (want 21)", total, len(published))
	}
}

// A reply that asks the customer for information is a reply and a wait: two events, the wait carrying the
// reply's text; the customer's answer (which resumes the ticket) tells the customer nothing.
func TestReplyWaitingOnTheCustomer(t *testing.T) {
	f := newFlow(t, testenv.DynamoDB(t), testenv.Messaging(t))
	id := f.fileComplaint(t, "andi", "id")
	f.post(t, apitest.AsOperator("dewi"), "/ops/complaints/"+id+"/responses", "/ops/complaints/{ticketId}/responses",
		map[string]any{"message": "Mohon kirim foto paketnya.", "waitForCustomer": true}, "id", http.StatusOK)
	f.post(t, apitest.AsCustomer("andi"), "/complaints/"+id+"/messages", "/complaints/{ticketId}/messages",
		map[string]any{"message": "Ini fotonya."}, "id", http.StatusCreated)
	items := f.stored(t, "andi")
	var types []string
	for _, it := range items {
		types = append(types, s(it, "type"))
	}
	if fmt.Sprint(types) != "[ticket.replied ticket.waiting_on_customer]" {
		t.Fatalf("events %v", types)
	}
	e, err := dynamostore.CustomerEventFromItem(items[1])
	if err != nil || e.Data.Message != "Mohon kirim foto paketnya." || e.Title != "Kami menunggu jawaban Anda" || e.Data.Status != "waiting_on_customer" {
		t.Fatalf("waiting event %+v %v", e, err)
	}
}
