package metricsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationsns"
	"github.com/tanggap/tanggap/shared/escalation/escalationsqs"
	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/metrics/metricsapi"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
	"github.com/tanggap/tanggap/shared/ticket"
)

// batchCounter counts BatchGetItem requests on the real client.
type batchCounter struct {
	dynamostore.DB
	calls int
}

func (b *batchCounter) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	b.calls++
	return b.DB.BatchGetItem(ctx, in, o...)
}

type metricsAPI struct {
	h     http.Handler
	reads *batchCounter
	emf   *bytes.Buffer
}

func newMetricsAPI(t *testing.T, db dynamostore.DB, table string, now time.Time) *metricsAPI {
	t.Helper()
	m := &metricsAPI{reads: &batchCounter{DB: db}, emf: &bytes.Buffer{}}
	h, err := httpapi.New(httpapi.Options{}, metricsapi.Routes(metrics.NewService(dynamostore.NewMetrics(m.reads, table), m.emf, func() time.Time { return now })))
	if err != nil {
		t.Fatal(err)
	}
	m.h = h
	return m
}

func (m *metricsAPI) report(t *testing.T, from, to string, status int, headers ...string) apitest.Response {
	t.Helper()
	h := map[string]string{}
	for i := 0; i+1 < len(headers); i += 2 {
		h[headers[i]] = headers[i+1]
	}
	return apitest.Expect(t, m.h, apitest.Request{Method: "GET", Path: "/ops/metrics", Query: map[string]string{"from": from, "to": to},
		Headers: h, As: apitest.AsOperator("dewi")}, status)
}

// compactJSON re-encodes a JSON document without insignificant whitespace, keeping member order.
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	return b.String()
}

const opsARN = "arn:aws:iam::123456789012:user/dewi"

// day is 2 November 2026 in Jakarta: 09:00 WIB.
var day = time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)

// A known set of orders, tickets, returns, surveys and escalations, each written by its real service and
// store (so the counters come from the same transactions production uses), gives exactly these figures.
func TestExactFiguresFromAKnownSet(t *testing.T) {
	env := testenv.DynamoDB(t)
	msg := testenv.Messaging(t)
	ctx := t.Context()
	now := day
	clock := func() time.Time { return now }

	// Orders: four placed on 29 October (5 units each: 2 returnable + 3 final sale), delivered on 1 November.
	orders := dynamostore.NewOrders(env.Client, env.SupportTable)
	customers := []string{"budi", "siti", "andi", "dewi"}
	for i, c := range customers {
		if _, _, err := orders.Upsert(ctx, ordertest.Sample("TGP-"+string(rune('1'+i)), c, day.Add(-4*24*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}

	// Tickets, one per customer so no repeat-complaint rule raises a priority.
	tickets := ticket.NewService(dynamostore.NewTickets(env.Client, env.SupportTable), orders, ticket.DefaultRules(), ticket.DefaultSLA(), clock)
	file := func(customer string, cat ticket.Category, text string) string {
		d, err := tickets.Create(ctx, customer, ticket.NewComplaint{Channel: ticket.ChannelWeb, Category: cat, Subject: "Keluhan", Description: text})
		if err != nil {
			t.Fatal(err)
		}
		return d.Ticket.ID
	}
	at := func(d time.Duration, f func(id string) error, id string) {
		now = day.Add(d)
		if err := f(id); err != nil {
			t.Fatal(err)
		}
	}
	respond := func(id string) error {
		_, err := tickets.Respond(ctx, opsARN, id, "Kami sedang memeriksanya.")
		return err
	}
	resolve := func(id string) error { _, err := tickets.Resolve(ctx, opsARN, id, ""); return err }
	t1 := file("budi", ticket.CategoryOther, "Bagaimana cara mengganti alamat?")                // low
	t2 := file("siti", ticket.CategoryDelivery, "Paket belum sampai.")                          // normal
	t3 := file("andi", ticket.CategoryPayment, "Saya ditipu, ini penipuan lewat tautan palsu.") // high: escalates
	at(10*time.Minute, respond, t1)                                                             // FRT 600 s     → bucket ≤ 900 s
	at(40*time.Minute, respond, t2)                                                             // FRT 2 400 s   → bucket ≤ 3 600 s
	at(2*time.Hour, resolve, t1)                                                                // resolution 7 200 s  → bucket ≤ 14 400 s
	at(10*time.Hour, resolve, t2)                                                               // resolution 36 000 s → bucket ≤ 86 400 s
	at(50*time.Hour, respond, t3)                                                               // FRT 180 000 s → the open bucket (> 172 800 s)

	// Returns on 2 November: budi's is refunded; siti's is rejected (its units are taken back out).
	now = day
	rets := returns.NewService(dynamostore.NewReturns(env.Client, env.SupportTable), returnpolicy.Default(), clock)
	op := returns.Actor{Kind: returns.ActorOperator, ID: opsARN}
	request := func(orderID, customer string, qty int) string {
		r, err := rets.Request(ctx, returns.Request{OrderID: orderID, CustomerID: customer, Resolution: returns.ResolutionRefund,
			Lines: []returns.LineRequest{{LineID: "L1", Quantity: qty, Reason: returnpolicy.ReasonSizeOrFit, Condition: returnpolicy.ConditionUnopened}}})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	r1, r2 := request("TGP-1", "budi", 2), request("TGP-2", "siti", 1)
	for _, step := range []func() (returns.Return, error){
		func() (returns.Return, error) { return rets.Approve(ctx, op, r1, "") },
		func() (returns.Return, error) {
			return rets.Receive(ctx, op, r1, []returns.ReceivedLine{{LineID: "L1", Condition: returnpolicy.ConditionUnopened}}, "")
		},
		func() (returns.Return, error) { return rets.Refund(ctx, op, r1, "") },
		func() (returns.Return, error) {
			return rets.Reject(ctx, op, r2, returns.RejectCondition, "Segel rusak.")
		},
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}

	// Surveys on 4 November, through the survey API.
	now = day.Add(48 * time.Hour)
	surveys, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))},
		surveyapi.Routes(survey.NewService(dynamostore.NewSurveys(env.Client, env.SupportTable), clock, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		customer string
		body     map[string]any
	}{
		{"budi", map[string]any{"subjectType": "ticket", "subjectId": t1, "csat": 5, "ces": 2, "nps": 10}},
		{"siti", map[string]any{"subjectType": "ticket", "subjectId": t2, "csat": 4, "ces": 3, "nps": 8}},
		{"budi", map[string]any{"subjectType": "return", "subjectId": r1, "csat": 5, "nps": 9}},
		{"siti", map[string]any{"subjectType": "return", "subjectId": r2, "csat": 2, "ces": 6, "nps": 3, "comment": "Ditolak tanpa penjelasan."}},
		{"andi", map[string]any{"subjectType": "order", "subjectId": "TGP-3", "csat": 3, "nps": 7}},
		{"dewi", map[string]any{"subjectType": "order", "subjectId": "TGP-4", "csat": 1}},
	} {
		apitest.Expect(t, surveys, apitest.Request{Method: "POST", Path: "/surveys", Body: s.body, As: apitest.AsCustomer(s.customer)}, 201)
	}

	// Escalations reach the counters when the consumer records them: run the relay and the consumer.
	outbox := dynamostore.NewEscalations(env.Client, env.SupportTable)
	relay := &escalation.Relay{Outbox: outbox, Publisher: escalationsqs.NewPublisher(msg.SQS, msg.QueueURL("EscalationQueue")), Now: clock}
	if res, err := relay.Sweep(ctx, escalation.SweepOptions{}); err != nil || res.Sent != 3 {
		t.Fatalf("relay: %+v %v", res, err)
	}
	consumer := &escalation.Consumer{Ledger: outbox, Tickets: dynamostore.NewTickets(env.Client, env.SupportTable),
		Notifier: escalationsns.NewNotifier(msg.SNS, msg.TopicARN("EscalationTopic")), Now: clock}
	reasons := escalationtest.Consume(t, msg.SQS, msg.QueueURL("EscalationQueue"), consumer)
	slices.Sort(reasons)
	if !slices.Equal(reasons, []string{"priority_high", "service_recovery", "service_recovery"}) {
		t.Fatalf("escalations %v", reasons)
	}

	// Retention: the four customers' first orders (29 October) are the cohort, none ordered again. Budi,
	// siti and andi filed tickets in November (their returns in the same month add no one): budi's and
	// siti's were resolved within their SLA, andi's is unresolved.
	api := newMetricsAPI(t, env.Client, env.SupportTable, day.Add(72*time.Hour))
	r := api.report(t, "2026-10-27", "2026-11-04", 200)
	want := `{"from":"2026-10-27","to":"2026-11-04","days":9,"timeZone":"UTC+07:00 (WIB)",
		"csat":{"responses":6,"satisfied":3,"percent":50,"meanScore":3.3},
		"ces":{"responses":3,"mean":3.7},
		"nps":{"responses":5,"promoters":2,"passives":2,"detractors":1,"score":20},
		"firstResponseTime":{"count":3,"meanSeconds":61000,"p50":{"upperBoundSeconds":3600},"p90":{"upperBoundSeconds":null,"overSeconds":172800},
			"method":"bucket_upper_bound","bucketUpperBoundsSeconds":[300,900,1800,3600,7200,14400,28800,86400,172800],"bucketCounts":[0,1,0,1,0,0,0,0,0,1]},
		"resolutionTime":{"count":2,"meanSeconds":21600,"p50":{"upperBoundSeconds":14400},"p90":{"upperBoundSeconds":86400},
			"method":"bucket_upper_bound","bucketUpperBoundsSeconds":[3600,14400,28800,86400,172800,259200,604800,1209600],"bucketCounts":[0,1,0,1,0,0,0,0,0]},
		"retention":{
			"cohort":{"customers":4,"orderedAgainWithin":[{"days":30,"customers":0,"percent":0},{"days":60,"customers":0,"percent":0},{"days":90,"customers":0,"percent":0}]},
			"afterSupport":{"customers":3,"orderedAgainWithin90Days":0,"percent":0,"byLastTicketSla":[
				{"outcome":"sla_met","customers":2,"orderedAgainWithin90Days":0,"percent":0},
				{"outcome":"sla_missed","customers":0,"orderedAgainWithin90Days":0,"percent":null},
				{"outcome":"unresolved","customers":1,"orderedAgainWithin90Days":0,"percent":0},
				{"outcome":"no_ticket","customers":0,"orderedAgainWithin90Days":0,"percent":null}]}},
		"counts":{"surveys":6,"orders":4,"unitsOrdered":20,"tickets":3,"ticketsByPriority":{"high":1,"low":1,"normal":1,"urgent":0},
			"firstResponses":3,"resolutions":2,"escalations":3,"serviceRecoveries":2,"returns":2,"unitsReturned":2,"refunds":1},
		"returnRate":{"unitsPercent":10,"returnsPerOrdersPercent":50},
		"helpCenter":{"articleViews":0,"feedback":{"helpful":0,"notHelpful":0,"helpfulPercent":null},
			"deflection":{"complaintFormHelpful":0,"complaintFormNotHelpful":0,"complaintsFiled":3,"percent":0}},
		"surveyResponseRate":{"overall":{"invited":0,"answered":0,"percent":null},"bySubjectType":{
		"order":{"invited":0,"answered":0,"percent":null},"return":{"invited":0,"answered":0,"percent":null},
		"ticket":{"invited":0,"answered":0,"percent":null}}}}`
	// The figures above come first; later sections (SLA, ...) are checked on their own below.
	if got := strings.TrimSpace(r.Body); !strings.HasPrefix(got, strings.TrimSuffix(compactJSON(t, want), "}")+",") {
		t.Fatalf("report\n%s\nwant\n%s", got, compactJSON(t, want))
	}
	// SLA, on the default calendar (Mon-Fri 08:00-17:00 WIB; 2 November is a Monday, filed at 09:00):
	//   t1 low:    answered 09:10 (10 min business), resolved 11:00 (2 h): both targets met.
	//   t2 normal: answered 09:40 (40 min), resolved 19:00 (10 h on the clock, 8 h of business): both met.
	//   t3 high:   due 11:00 Monday, answered Wednesday 11:00 (50 h on the clock; 8 + 9 + 3 = 20 h of
	//              business): breached, counted by the late answer.
	// First-response medians: calendar {600, 2400, 180000} s -> ≤ 3600; business {600, 2400, 72000} -> ≤ 3600.
	// Resolution medians: calendar {7200, 36000} -> ≤ 14400; business {7200, 28800} -> ≤ 14400.
	// Business-time means: (600 + 2400 + 72000) / 3 = 25000 s; (7200 + 28800) / 2 = 18000 s.
	var full metrics.Report
	r.JSON(&full)
	met := func(a, b int64, pct *float64) metrics.SLAAttainment {
		return metrics.SLAAttainment{Achieved: a, Breached: b, AttainmentPercent: pct}
	}
	pct := func(v float64) *float64 { return &v }
	bound := func(s int64) *metrics.Percentile { return &metrics.Percentile{UpperBoundSeconds: &s} }
	secs := func(s int64) *int64 { return &s }
	wantSLA := metrics.SLAFigures{
		ByPriority: map[string]map[string]metrics.SLAAttainment{
			"low":    {"first_response": met(1, 0, pct(100)), "resolution": met(1, 0, pct(100))},
			"normal": {"first_response": met(1, 0, pct(100)), "resolution": met(1, 0, pct(100))},
			"high":   {"first_response": met(0, 1, pct(0)), "resolution": met(0, 0, nil)},
			"urgent": {"first_response": met(0, 0, nil), "resolution": met(0, 0, nil)},
		},
		Total: map[string]metrics.SLAAttainment{"first_response": met(2, 1, pct(66.7)), "resolution": met(2, 0, pct(100))},
		Medians: metrics.SLAMedians{
			FirstResponse: metrics.MedianPair{Count: 3, Calendar: bound(3600), Business: bound(3600), BusinessMeanSeconds: secs(25000)},
			Resolution:    metrics.MedianPair{Count: 2, Calendar: bound(14400), Business: bound(14400), BusinessMeanSeconds: secs(18000)},
		},
	}
	if g, w := mustJSON(t, full.SLA), mustJSON(t, wantSLA); g != w {
		t.Fatalf("SLA figures\n%s\nwant\n%s", g, w)
	}
	// 9 days × 4 shards = 36 keys: one BatchGetItem request, whatever the volume of writes behind them.
	if api.reads.calls != 1 {
		t.Fatalf("%d BatchGetItem requests", api.reads.calls)
	}
	// The same figures as one Embedded Metric Format line.
	wantEMF := `{"_aws":{"Timestamp":1793844000000,"CloudWatchMetrics":[{"Namespace":"Tanggap","Dimensions":[["Service"]],"Metrics":[` +
		`{"Name":"CSATPercent","Unit":"Percent"},{"Name":"CESMean","Unit":"None"},{"Name":"NPS","Unit":"None"},` +
		`{"Name":"FirstResponseTimeP50","Unit":"Seconds"},{"Name":"ResolutionTimeP50","Unit":"Seconds"},{"Name":"ResolutionTimeP90","Unit":"Seconds"},` +
		`{"Name":"Tickets","Unit":"Count"},{"Name":"Escalations","Unit":"Count"},{"Name":"Returns","Unit":"Count"},{"Name":"Refunds","Unit":"Count"},` +
		`{"Name":"Orders","Unit":"Count"},{"Name":"Surveys","Unit":"Count"},{"Name":"ReturnRateUnitsPercent","Unit":"Percent"},` +
		`{"Name":"ReturnRateOrdersPercent","Unit":"Percent"}]}]},"Service":"metrics","CSATPercent":50,"CESMean":3.7,"NPS":20,` +
		`"FirstResponseTimeP50":3600,"ResolutionTimeP50":14400,"ResolutionTimeP90":86400,"Tickets":3,"Escalations":3,"Returns":2,` +
		`"Refunds":1,"Orders":4,"Surveys":6,"ReturnRateUnitsPercent":10,"ReturnRateOrdersPercent":50}` + "\n"
	if api.emf.String() != wantEMF {
		t.Fatalf("EMF\n%s\nwant\n%s", api.emf.String(), wantEMF)
	}

	// Day boundaries are in WIB: the surveys of 4 November alone.
	r = api.report(t, "2026-11-04", "2026-11-04", 200)
	var one metrics.Report
	r.JSON(&one)
	if one.Counts.Surveys != 6 || one.Counts.Tickets != 0 || one.Counts.FirstResponses != 1 || one.CSAT.Responses != 6 {
		t.Fatalf("4 November: %s", r.Body)
	}
}

func TestRangeRules(t *testing.T) {
	env := testenv.DynamoDB(t)
	api := newMetricsAPI(t, env.Client, env.SupportTable, day)
	for _, c := range []struct {
		from, to string
		want     []string
	}{
		{"", "", []string{"from:required", "to:required"}},
		{"2026-11-31", "11/30/2026", []string{"from:report_date", "to:report_date"}},
		{"2026-11-05", "2026-11-04", []string{"to:report_range_order"}},
		{"2026-01-01", "2026-04-03", []string{"to:report_range_days"}},
	} {
		p := api.report(t, c.from, c.to, 400).Problem()
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Field+":"+e.Code)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q..%q: %v, want %v", c.from, c.to, got, c.want)
		}
	}
	for lang, want := range map[string]string{
		"id": "Rentang tanggal maksimal 92 hari.",
		"en": "The range may span at most 92 days.",
	} {
		if p := api.report(t, "2026-01-01", "2026-12-31", 400, "Accept-Language", lang).Problem(); len(p.Errors) != 1 || p.Errors[0].Message != want {
			t.Errorf("%s: %+v", lang, p.Errors)
		}
	}
	if api.reads.calls != 0 {
		t.Fatalf("invalid ranges read %d times", api.reads.calls)
	}

	// The longest range, with nothing counted: zeros and nulls, in ⌈92 × 4 / 100⌉ = 4 requests.
	r := api.report(t, "2026-01-01", "2026-04-02", 200)
	var rep metrics.Report
	r.JSON(&rep)
	if rep.Days != 92 || rep.CSAT.Percent != nil || rep.NPS.Score != nil || rep.FirstResponseTime.P50 != nil || rep.Counts.Orders != 0 ||
		!strings.Contains(r.Body, `"p90":null`) || !strings.Contains(r.Body, `"unitsPercent":null`) {
		t.Fatalf("%s", r.Body)
	}
	if api.reads.calls != 4 {
		t.Fatalf("%d BatchGetItem requests for 368 keys", api.reads.calls)
	}
	if api.emf.Len() == 0 || strings.Contains(api.emf.String(), "CSATPercent") {
		t.Fatalf("EMF without null figures expected, got %s", api.emf.String())
	}

	// Only IAM-signed ops callers: a customer token is refused even if API Gateway were misconfigured.
	apitest.Expect(t, api.h, apitest.Request{Method: "GET", Path: "/ops/metrics", Query: map[string]string{"from": "2026-11-01", "to": "2026-11-01"},
		As: apitest.AsCustomer("budi")}, 403)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
