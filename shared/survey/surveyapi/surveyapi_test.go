package surveyapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationsqs"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
	"github.com/tanggap/tanggap/shared/ticket"
)

// countingDB records every DynamoDB request the handler makes, on the real DynamoDB Local client.
type countingDB struct {
	dynamostore.DB
	names map[string]string // table name -> short name for the log
	mu    sync.Mutex
	calls []string
}

func (c *countingDB) record(op, table string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, op+" "+c.names[table])
}

// take returns the calls so far and forgets them.
func (c *countingDB) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

func (c *countingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.record("GetItem", aws.ToString(in.TableName))
	return c.DB.GetItem(ctx, in, o...)
}

func (c *countingDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.record("PutItem", aws.ToString(in.TableName))
	return c.DB.PutItem(ctx, in, o...)
}

func (c *countingDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.record("UpdateItem", aws.ToString(in.TableName))
	return c.DB.UpdateItem(ctx, in, o...)
}

func (c *countingDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.record("DeleteItem", aws.ToString(in.TableName))
	return c.DB.DeleteItem(ctx, in, o...)
}

func (c *countingDB) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.record("Query", aws.ToString(in.TableName))
	return c.DB.Query(ctx, in, o...)
}

func (c *countingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.record("TransactWriteItems", "") // one request, whatever the items
	return c.DB.TransactWriteItems(ctx, in, o...)
}

func (c *countingDB) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	c.record("BatchGetItem", "")
	return c.DB.BatchGetItem(ctx, in, o...)
}

// syncBuffer collects EMF lines from concurrent requests (os.Stdout, in production, is safe for that).
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	env     *testenv.DynamoEnv
	db      *countingDB
	h       http.Handler
	emf     *syncBuffer
	now     time.Time
	tickets *ticket.Service
}

// base is a Monday morning in Jakarta; orders were delivered before it.
var base = time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)

func setup(t *testing.T) *fixture {
	t.Helper()
	env := testenv.DynamoDB(t)
	f := &fixture{env: env, emf: &syncBuffer{}, now: base}
	f.db = &countingDB{DB: env.Client, names: map[string]string{env.SupportTable: "support", env.IdempotencyTable: "idempotency"}}
	svc := survey.NewService(dynamostore.NewSurveys(f.db, env.SupportTable), func() time.Time { return f.now }, f.emf)
	h, err := httpapi.New(httpapi.Options{
		Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(f.db, env.IdempotencyTable)),
	}, surveyapi.Routes(svc))
	if err != nil {
		t.Fatal(err)
	}
	f.h = h

	orders := dynamostore.NewOrders(env.Client, env.SupportTable)
	for _, o := range []order.Order{
		ordertest.Sample("O-BUDI-1", "budi", base.Add(-5*24*time.Hour)),
		ordertest.Sample("O-BUDI-2", "budi", base.Add(-5*24*time.Hour)),
		ordertest.Sample("O-SITI-1", "siti", base.Add(-5*24*time.Hour)),
		shipped(ordertest.Sample("O-BUDI-SHIPPED", "budi", base.Add(-24*time.Hour))),
	} {
		if _, _, err := orders.Upsert(t.Context(), o); err != nil {
			t.Fatal(err)
		}
	}
	f.tickets = ticket.NewService(dynamostore.NewTickets(env.Client, env.SupportTable), orders,
		ticket.DefaultRules(), ticket.DefaultSLA(), func() time.Time { return f.now })
	return f
}

func shipped(o order.Order) order.Order {
	o.Status, o.Shipment.Status, o.Shipment.DeliveredAt = order.StatusShipped, order.ShipmentInTransit, nil
	return o
}

// newTicket files a complaint as customer and, if resolve, resolves it as ops.
func (f *fixture) newTicket(t *testing.T, customer string, resolve bool) string {
	t.Helper()
	d, err := f.tickets.Create(t.Context(), customer, ticket.NewComplaint{
		Channel: ticket.ChannelWeb, Category: ticket.CategoryOther, Subject: "Pertanyaan", Description: "Mohon info status pesanan.",
	})
	if err != nil {
		t.Fatal(err)
	}
	if resolve {
		if _, err := f.tickets.Resolve(t.Context(), "arn:aws:iam::123456789012:user/agent", d.Ticket.ID, "Sudah kami bantu."); err != nil {
			t.Fatal(err)
		}
	}
	return d.Ticket.ID
}

func (f *fixture) post(t *testing.T, customer string, body any, status int, headers ...string) apitest.Response {
	t.Helper()
	h := map[string]string{}
	for i := 0; i+1 < len(headers); i += 2 {
		h[headers[i]] = headers[i+1]
	}
	return apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/surveys", Body: body, Headers: h, As: apitest.AsCustomer(customer)}, status)
}

func (f *fixture) get(t *testing.T, customer, subjectType, id string, status int) apitest.Response {
	t.Helper()
	return apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/surveys/" + subjectType + "/" + id,
		Resource: "/surveys/{subjectType}/{subjectId}", As: apitest.AsCustomer(customer)}, status)
}

func (f *fixture) totals(t *testing.T) metrics.Totals {
	t.Helper()
	tot, err := dynamostore.NewMetrics(f.env.Client, f.env.SupportTable).Sum(t.Context(), []string{metrics.Day(base)})
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

func assertCode(t *testing.T, r apitest.Response, code string) {
	t.Helper()
	if p := r.Problem(); p.Code != code {
		t.Fatalf("code %s, want %s: %s", p.Code, code, r.Body)
	}
}

func TestSubmitAndReadBack(t *testing.T) {
	f := setup(t)
	r := f.post(t, "budi", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 5, "ces": 2, "nps": 10,
		"comment": "  Pengiriman cepat, terima kasih!  "}, 201)
	if loc := r.Header("Location"); loc != "/surveys/order/O-BUDI-1" {
		t.Fatalf("Location %q", loc)
	}
	want := `{"subjectType":"order","subjectId":"O-BUDI-1","csat":5,"ces":2,"nps":10,"comment":"Pengiriman cepat, terima kasih!",` +
		`"submittedAt":"2026-11-02T02:00:00Z","followUp":false}`
	if strings.TrimSpace(r.Body) != want {
		t.Fatalf("body %s", r.Body)
	}
	if got := f.get(t, "budi", "order", "O-BUDI-1", 200); strings.TrimSpace(got.Body) != want {
		t.Fatalf("read back %s", got.Body)
	}
	// Someone else's survey, an unrated subject and nonsense paths are all simply not found.
	assertCode(t, f.get(t, "siti", "order", "O-BUDI-1", 404), "survey_not_found")
	assertCode(t, f.get(t, "budi", "order", "O-BUDI-2", 404), "survey_not_found")
	assertCode(t, f.get(t, "budi", "invoice", "O-BUDI-1", 404), "survey_not_found")
	assertCode(t, f.get(t, "budi", "order", "O#BUDI", 404), "survey_not_found") // the client sent O%23BUDI

	// Optional scores may be left out or null.
	r = f.post(t, "budi", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-2", "csat": 4, "nps": nil}, 201)
	if !strings.Contains(r.Body, `"ces":null,"nps":null,"comment":""`) {
		t.Fatalf("body %s", r.Body)
	}
}

func TestOneSurveyPerSubject(t *testing.T) {
	f := setup(t)
	body := map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 4}
	first := f.post(t, "budi", body, 201, "Idempotency-Key", "survey-1")

	// The same Idempotency-Key replays the first answer without writing again.
	replay := f.post(t, "budi", body, 201, "Idempotency-Key", "survey-1")
	if replay.Header(httpapi.ReplayedHeader) != "true" || replay.Body != first.Body {
		t.Fatalf("replay %v %s", replay.Headers, replay.Body)
	}
	// Anything else is a second survey of the subject: 409, whatever the scores or the key.
	assertCode(t, f.post(t, "budi", body, 409), "survey_already_submitted")
	assertCode(t, f.post(t, "budi", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 1}, 409, "Idempotency-Key", "survey-2"),
		"survey_already_submitted")

	if got := f.totals(t); got[metrics.Surveys] != 1 || got[metrics.CSATSatisfied] != 1 || got[metrics.ServiceRecoveries] != 0 {
		t.Fatalf("counters %v", got)
	}
	if n := strings.Count(f.emf.String(), "\n"); n != 1 {
		t.Fatalf("%d EMF lines, want 1:\n%s", n, f.emf)
	}
}

func TestSubjectMustBeTheCallersAndFinished(t *testing.T) {
	f := setup(t)
	open := f.newTicket(t, "budi", false)
	sitiTicket := f.newTicket(t, "siti", true)
	for _, c := range []struct {
		name, subjectType, id string
		status                int
		code                  string
	}{
		{"someone else's order", "order", "O-SITI-1", 404, "survey_subject_not_found"},
		{"someone else's resolved ticket", "ticket", sitiTicket, 404, "survey_subject_not_found"},
		{"missing order", "order", "O-NOPE", 404, "survey_subject_not_found"},
		{"missing return", "return", "RET-NOPE", 404, "survey_subject_not_found"},
		{"an order still on its way", "order", "O-BUDI-SHIPPED", 422, "survey_subject_not_rateable"},
		{"an open ticket", "ticket", open, 422, "survey_subject_not_rateable"},
	} {
		r := f.post(t, "budi", map[string]any{"subjectType": c.subjectType, "subjectId": c.id, "csat": 1, "comment": "buruk"}, c.status)
		if p := r.Problem(); p.Code != c.code {
			t.Errorf("%s: %s, want %s", c.name, p.Code, c.code)
		}
	}
	// Nothing was stored or counted, and nothing escalated.
	if got := f.totals(t); got[metrics.Surveys] != 0 || got[metrics.ServiceRecoveries] != 0 {
		t.Fatalf("counters %v", got)
	}
	if f.emf.String() != "" {
		t.Fatalf("EMF for refused surveys: %s", f.emf)
	}
	// siti may still rate her own ticket.
	f.post(t, "siti", map[string]any{"subjectType": "ticket", "subjectId": sitiTicket, "csat": 5}, 201)
}

func TestOutOfRangeIsAClear400InBothLanguages(t *testing.T) {
	f := setup(t)
	long := strings.Repeat("é", survey.MaxCommentChars+1)
	cases := []struct {
		name string
		body string
		want []string // field:code
	}{
		{"csat missing", `{"subjectType":"order","subjectId":"O-BUDI-1"}`, []string{"csat:required"}},
		{"csat 0", `{"subjectType":"order","subjectId":"O-BUDI-1","csat":0}`, []string{"csat:csat_range"}},
		{"csat 6", `{"subjectType":"order","subjectId":"O-BUDI-1","csat":6}`, []string{"csat:csat_range"}},
		{"csat 4.5", `{"subjectType":"order","subjectId":"O-BUDI-1","csat":4.5}`, []string{"csat:csat_range"}},
		{"ces 0 and 8, nps 11 and -1", `{"subjectType":"order","subjectId":"O-BUDI-1","csat":3,"ces":8,"nps":-1}`, []string{"ces:ces_range", "nps:nps_range"}},
		{"ces 0, nps 11", `{"subjectType":"order","subjectId":"O-BUDI-1","csat":3,"ces":0,"nps":11}`, []string{"ces:ces_range", "nps:nps_range"}},
		{"everything wrong at once", `{"subjectType":"invoice","subjectId":"a#b","csat":9,"comment":"` + long + `"}`,
			[]string{"subjectType:oneof", "subjectId:invalid", "csat:csat_range", "comment:comment_length"}},
		{"score as text", `{"subjectType":"order","subjectId":"O-BUDI-1","csat":"5"}`, []string{"csat:type"}},
	}
	for _, c := range cases {
		r := f.post(t, "budi", c.body, 400)
		p := r.Problem()
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Field+":"+e.Code)
		}
		if p.Code != "validation_failed" || !slices.Equal(got, c.want) {
			t.Errorf("%s: %s %v, want %v", c.name, p.Code, got, c.want)
		}
	}
	// The messages say what is allowed, in Indonesian by default and in English on request.
	body := `{"subjectType":"order","subjectId":"O-BUDI-1","csat":0,"ces":8,"nps":11,"comment":"` + long + `"}`
	for lang, want := range map[string][]string{
		"id-ID": {"Nilai kepuasan harus berupa angka bulat 1–5.", "Nilai kemudahan harus berupa angka bulat 1–7.",
			"Nilai rekomendasi harus berupa angka bulat 0–10.", "Komentar maksimal 2.000 karakter."},
		"en": {"The satisfaction score must be a whole number from 1 to 5.", "The effort score must be a whole number from 1 to 7.",
			"The recommendation score must be a whole number from 0 to 10.", "The comment may have at most 2,000 characters."},
	} {
		r := f.post(t, "budi", body, 400, "Accept-Language", lang)
		p := r.Problem()
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Message)
		}
		if !slices.Equal(got, want) || r.Header("Content-Language") != lang[:2] {
			t.Errorf("%s: %q (Content-Language %s)", lang, got, r.Header("Content-Language"))
		}
	}
	// A comment of exactly 2,000 characters is fine.
	f.post(t, "budi", `{"subjectType":"order","subjectId":"O-BUDI-1","csat":3,"comment":"`+long[len("é"):]+`"}`, 201)
	if got := f.totals(t); got[metrics.Surveys] != 1 {
		t.Fatalf("counters %v", got)
	}
}

// A poor answer queues a service-recovery escalation in the survey's own transaction; the relay then sends
// it on the escalation queue, exactly like a complaint's.
func TestServiceRecoveryGoesThroughTheEscalationQueue(t *testing.T) {
	f := setup(t)
	msg := testenv.Messaging(t)
	resolved := f.newTicket(t, "budi", true)
	orders := dynamostore.NewOrders(f.env.Client, f.env.SupportTable)
	for _, id := range []string{"O-BUDI-3", "O-BUDI-4", "O-BUDI-5"} {
		if _, _, err := orders.Upsert(t.Context(), ordertest.Sample(id, "budi", base.Add(-5*24*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		body     map[string]any
		followUp bool
	}{
		{map[string]any{"subjectType": "ticket", "subjectId": resolved, "csat": 2}, true},
		{map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 4, "nps": 6, "comment": "Kemasan rusak."}, true},
		{map[string]any{"subjectType": "order", "subjectId": "O-BUDI-2", "csat": 3, "nps": 0}, false},                        // detractor, no comment
		{map[string]any{"subjectType": "order", "subjectId": "O-BUDI-3", "csat": 3, "nps": 7, "comment": "Lumayan."}, false}, // passive
		{map[string]any{"subjectType": "order", "subjectId": "O-BUDI-4", "csat": 3, "nps": 6, "comment": "   "}, false},      // blank comment
		{map[string]any{"subjectType": "order", "subjectId": "O-BUDI-5", "csat": 1}, true},
	} {
		r := f.post(t, "budi", c.body, 201)
		if want := `"followUp":` + map[bool]string{true: "true", false: "false"}[c.followUp]; !strings.Contains(r.Body, want) {
			t.Errorf("%v: %s, want %s", c.body, r.Body, want)
		}
	}
	if got := f.totals(t); got[metrics.ServiceRecoveries] != 3 || got[metrics.Surveys] != 6 {
		t.Fatalf("counters %v", got)
	}

	relay := &escalation.Relay{
		Outbox:    dynamostore.NewEscalations(f.env.Client, f.env.SupportTable),
		Publisher: escalationsqs.NewPublisher(msg.SQS, msg.QueueURL("EscalationQueue")),
		Now:       func() time.Time { return base.Add(time.Hour) },
	}
	// The complaint's own escalations (if its priority called for one) travel too; keep only recoveries.
	res, err := relay.Sweep(t.Context(), escalation.SweepOptions{})
	if err != nil || res.Failed != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	got := map[string]escalation.Escalation{}
	for len(got) < res.Sent {
		out, err := msg.SQS.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(msg.QueueURL("EscalationQueue")), MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
			MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			t.Fatalf("got %d of %d messages", len(got), res.Sent)
		}
		for _, m := range out.Messages {
			attrs := map[string]string{}
			for k, v := range m.MessageAttributes {
				attrs[k] = aws.ToString(v.StringValue)
			}
			e, err := escalation.Decode(escalation.Message{Body: aws.ToString(m.Body), Attributes: attrs})
			if err != nil {
				t.Fatal(err)
			}
			if e.Reason == escalation.ReasonServiceRecovery {
				if attrs["reason"] != "service_recovery" || attrs["team"] != "customer_care" {
					t.Errorf("attributes %v", attrs)
				}
				got[e.DedupKey] = e
			} else {
				res.Sent-- // not a survey's
			}
		}
	}
	want := map[string]escalation.Escalation{
		"survey:ticket:" + resolved + ":service_recovery": {SubjectID: "ticket:" + resolved, TicketID: resolved},
		"survey:order:O-BUDI-1:service_recovery":          {SubjectID: "order:O-BUDI-1"},
		"survey:order:O-BUDI-5:service_recovery":          {SubjectID: "order:O-BUDI-5"},
	}
	if len(got) != len(want) {
		t.Fatalf("recoveries %v", got)
	}
	for key, w := range want {
		e := got[key]
		if e.Team != escalation.TeamCustomerCare || e.Priority != escalation.PriorityHigh || e.SubjectType != escalation.SubjectSurvey ||
			e.SubjectID != w.SubjectID || e.TicketID != w.TicketID || e.CustomerID != "budi" || !e.CreatedAt.Equal(base) {
			t.Errorf("%s: %+v", key, e)
		}
	}
}

// A survey write is two DynamoDB requests (the subject's invitation GetItem, then one TransactWriteItems),
// accepted or refused; the idempotency middleware adds a claim and a completion on the idempotency table
// when an Idempotency-Key is sent.
func TestSurveyWriteCostsTwoRequests(t *testing.T) {
	f := setup(t)
	f.db.take()
	cases := []struct {
		name    string
		body    map[string]any
		headers []string
		status  int
		want    []string
	}{
		{"accepted", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 5, "ces": 1, "nps": 9}, nil, 201,
			[]string{"GetItem support", "TransactWriteItems "}},
		{"accepted with service recovery", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-2", "csat": 1, "comment": "Kecewa."}, nil, 201,
			[]string{"GetItem support", "TransactWriteItems "}},
		{"duplicate", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 5}, nil, 409,
			[]string{"GetItem support", "TransactWriteItems "}},
		{"someone else's", map[string]any{"subjectType": "order", "subjectId": "O-SITI-1", "csat": 5}, nil, 404,
			[]string{"GetItem support", "TransactWriteItems "}},
		{"not yet rateable", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-SHIPPED", "csat": 5}, nil, 422,
			[]string{"GetItem support", "TransactWriteItems "}},
		{"no such subject", map[string]any{"subjectType": "order", "subjectId": "O-NOWHERE", "csat": 5}, nil, 404,
			[]string{"GetItem support", "TransactWriteItems "}},
		{"invalid: no request at all", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 7}, nil, 400, nil},
		{"with an Idempotency-Key", map[string]any{"subjectType": "order", "subjectId": "O-SITI-1", "csat": 5}, []string{"Idempotency-Key", "k1"}, 404,
			[]string{"PutItem idempotency", "GetItem support", "TransactWriteItems ", "UpdateItem idempotency"}},
		{"replayed: the failed claim returns the stored answer", map[string]any{"subjectType": "order", "subjectId": "O-SITI-1", "csat": 5},
			[]string{"Idempotency-Key", "k1"}, 404, []string{"PutItem idempotency"}},
	}
	for _, c := range cases {
		customer := "budi"
		f.post(t, customer, c.body, c.status, c.headers...)
		if got := f.db.take(); !slices.Equal(got, c.want) {
			t.Errorf("%s: requests %q, want %q", c.name, got, c.want)
		}
	}
	f.get(t, "budi", "order", "O-BUDI-1", 200)
	if got := f.db.take(); !slices.Equal(got, []string{"GetItem support"}) {
		t.Errorf("read: requests %q", got)
	}
}

// The survey item itself: what ops and the README rely on.
func TestSurveyItemLayout(t *testing.T) {
	f := setup(t)
	f.post(t, "budi", map[string]any{"subjectType": "order", "subjectId": "O-BUDI-1", "csat": 2, "nps": 3}, 201)
	out, err := f.env.Client.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(f.env.SupportTable),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "SURVEY#order#O-BUDI-1"}, "SK": &types.AttributeValueMemberS{Value: "#SURVEY"}}})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"entity": "survey", "customerId": "budi", "subjectType": "order", "subjectId": "O-BUDI-1"} {
		if s, _ := out.Item[name].(*types.AttributeValueMemberS); s == nil || s.Value != want {
			t.Errorf("%s = %v, want %s", name, out.Item[name], want)
		}
	}
	if n, _ := out.Item["csat"].(*types.AttributeValueMemberN); n == nil || n.Value != "2" {
		t.Errorf("csat %v", out.Item["csat"])
	}
	if _, ok := out.Item["ces"]; ok {
		t.Error("ces stored although not given")
	}
}

// A burst of surveys on one day: every one is stored and counted exactly once, although they all add to
// the same day's counters (spread over metrics.Shards items).
func TestConcurrentSurveysAreAllCounted(t *testing.T) {
	f := setup(t)
	const n = 24
	orders := dynamostore.NewOrders(f.env.Client, f.env.SupportTable)
	for i := range n {
		if _, _, err := orders.Upsert(t.Context(), ordertest.Sample(fmt.Sprintf("O-BURST-%02d", i), "budi", base.Add(-5*24*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			r := apitest.Do(t, f.h, apitest.Request{Method: "POST", Path: "/surveys", As: apitest.AsCustomer("budi"),
				Body: map[string]any{"subjectType": "order", "subjectId": fmt.Sprintf("O-BURST-%02d", i), "csat": 1 + i%5, "nps": i % 11}})
			statuses[i] = r.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 201 {
			t.Errorf("survey %d: %d", i, s)
		}
	}
	got := f.totals(t)
	// csat 1..5 five times minus one (24 answers): sum = 4×15 + (1+2+3+4) = 70; satisfied (4, 5): 5+4 = 9.
	// nps 0..10, 0..10, 0, 1: promoters (9, 10) 4; detractors (0–6) 7+7+2 = 16.
	want := metrics.Totals{metrics.Surveys: n, metrics.CSATResponses: n, metrics.CSATScoreSum: 70, metrics.CSATSatisfied: 9,
		metrics.NPSResponses: n, metrics.NPSPromoters: 4, metrics.NPSDetractors: 16, metrics.ServiceRecoveries: 10}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
}
