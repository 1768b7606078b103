package complaintapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
	"github.com/tanggap/tanggap/shared/ticket/calendarapi"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
)

var start = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) // 10:00 WIB

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

type fixture struct {
	t     *testing.T
	env   *testenv.DynamoEnv
	h     http.Handler
	clock *clock
}

// newFixture serves complaints on a calendar that is always open, so due times are wall-clock times;
// newCalendarFixture serves them on the business calendar stored in the table (the default until one is put).
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, func(*testenv.DynamoEnv, *clock) ticket.CalendarSource { return calendar.Fixed(calendar.AlwaysOpen()) })
}

func newFixtureOn(t *testing.T, cal func(*testenv.DynamoEnv, *clock) ticket.CalendarSource) *fixture {
	t.Helper()
	env := testenv.DynamoDB(t)
	clk := &clock{t: start}
	svc := ticket.NewService(dynamostore.NewTickets(env.Client, env.SupportTable), dynamostore.NewOrders(env.Client, env.SupportTable),
		ticket.DefaultRules(), ticket.DefaultSLA(), clk.Now)
	svc.Calendars = cal(env, clk)
	calendars := dynamostore.NewCalendars(env.Client, env.SupportTable, clk.Now, nil)
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))},
		append(complaintapi.Routes(svc), calendarapi.Routes(calendars)...))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, env: env, h: h, clock: clk}
}

func complaint(subject, description string, extra ...string) map[string]any {
	body := map[string]any{"channel": "web", "category": "delivery", "subject": subject, "description": description}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i]] = extra[i+1]
	}
	return body
}

func (f *fixture) file(customer string, body any, want int) apitest.Response {
	f.t.Helper()
	return apitest.Expect(f.t, f.h, apitest.Request{Method: "POST", Path: "/complaints", Body: body, As: apitest.AsCustomer(customer)}, want)
}

func (f *fixture) fileOK(customer string, body any) ticket.CustomerView {
	f.t.Helper()
	var v ticket.CustomerView
	f.file(customer, body, 201).JSON(&v)
	return v
}

func (f *fixture) getMine(customer, id string, want int) apitest.Response {
	f.t.Helper()
	return apitest.Expect(f.t, f.h, apitest.Request{Method: "GET", Path: "/complaints/" + id, As: apitest.AsCustomer(customer)}, want)
}

func (f *fixture) ops(action, id string, body any, want int) ticket.OpsView {
	f.t.Helper()
	req := apitest.Request{Method: "POST", Path: "/ops/complaints/" + id + "/" + action, Body: body, As: apitest.AsOperator("dewi")}
	if action == "" {
		req.Method, req.Path = "GET", "/ops/complaints/"+id
	}
	r := apitest.Expect(f.t, f.h, req, want)
	var v ticket.OpsView
	if want == 200 {
		r.JSON(&v)
	}
	return v
}

func (f *fixture) item(pk, sk string) map[string]types.AttributeValue {
	f.t.Helper()
	out, err := f.env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(f.env.SupportTable), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: pk}, "SK": &types.AttributeValueMemberS{Value: sk}},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out.Item
}

func attr(item map[string]types.AttributeValue, name string) string {
	switch v := item[name].(type) {
	case *types.AttributeValueMemberS:
		return v.Value
	case *types.AttributeValueMemberN:
		return v.Value
	}
	return ""
}

// counter sums a metric counter over the day's shards.
func (f *fixture) counter(name string) int64 {
	f.t.Helper()
	var sum int64
	for shard := range metrics.Shards {
		it := f.item(fmt.Sprintf("METRICS#%s#%d", metrics.Day(f.clock.Now()), shard), "#COUNTERS")
		if v := attr(it, name); v != "" {
			n, _ := strconv.ParseInt(v, 10, 64)
			sum += n
		}
	}
	return sum
}

// ticketCount counts the customer's ticket items straight from the index.
func (f *fixture) ticketCount(customer string) int {
	f.t.Helper()
	out, err := f.env.Client.Query(context.Background(), &dynamodb.QueryInput{
		TableName: aws.String(f.env.SupportTable), IndexName: aws.String("GSI1"), Select: types.SelectCount,
		KeyConditionExpression: aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "CUSTOMER#" + customer}, ":p": &types.AttributeValueMemberS{Value: "TICKET#"},
		},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return int(out.Count)
}

func (f *fixture) outbox(ticketID string, reason string) map[string]types.AttributeValue {
	f.t.Helper()
	return f.item("ESCALATION#ticket:"+ticketID+":"+reason, "#ESCALATION")
}

func TestFileComplaintShowsPrioritySLAAndPublicTimeline(t *testing.T) {
	f := newFixture(t)
	r := f.file("budi", complaint("Paket belum sampai", "Sudah lima hari paket saya belum sampai."), 201)
	var v ticket.CustomerView
	r.JSON(&v)
	if !ticket.IDs.Valid(v.TicketID) || r.Header("Location") != "/complaints/"+v.TicketID {
		t.Fatalf("id %q location %q", v.TicketID, r.Header("Location"))
	}
	if v.Status != ticket.StatusOpen || v.Priority != ticket.PriorityNormal || v.Escalation.Status != ticket.EscalationNone {
		t.Fatalf("view: %+v", v)
	}
	if !v.SLA.FirstResponseDueAt.Equal(start.Add(8*time.Hour)) || !v.SLA.ResolutionDueAt.Equal(start.Add(72*time.Hour)) ||
		v.SLA.FirstResponseBreached || v.SLA.ResolutionBreached {
		t.Fatalf("sla: %+v", v.SLA)
	}
	if len(v.Timeline) != 1 || v.Timeline[0].Type != ticket.EventCreated {
		t.Fatalf("timeline: %+v", v.Timeline)
	}
	for _, internal := range []string{"priorityReasons", "assignedAgent", `"team"`, "customerId", "dedupKey"} {
		if strings.Contains(r.Body, internal) {
			t.Fatalf("customer view exposes %s: %s", internal, r.Body)
		}
	}

	// The due times are stored: they read back the same, and breaches are judged at read time.
	f.clock.Advance(9 * time.Hour)
	var again ticket.CustomerView
	f.getMine("budi", v.TicketID, 200).JSON(&again)
	if !again.SLA.FirstResponseDueAt.Equal(v.SLA.FirstResponseDueAt) || !again.SLA.FirstResponseBreached || again.SLA.ResolutionBreached {
		t.Fatalf("after 9 hours: %+v", again.SLA)
	}
	stored := f.item("TICKET#"+v.TicketID, "#TICKET")
	if attr(stored, "firstResponseDueAt") != start.Add(8*time.Hour).Format(time.RFC3339Nano) || attr(stored, "priority") != "normal" {
		t.Fatalf("stored ticket: %v", stored)
	}
	if f.counter(metrics.TicketsCreated) != 1 || f.counter(metrics.TicketsPriorityPfx+"normal") != 1 {
		t.Fatal("creation not counted")
	}
}

func TestHighComplaintQueuesOneEscalation(t *testing.T) {
	f := newFixture(t)
	v := f.fileOK("budi", complaint("Kurir palsu", "Saya kena penipuan oleh kurir palsu yang minta transfer.", "category", "payment"))
	if v.Priority != ticket.PriorityHigh || v.Escalation.Status != ticket.EscalationPending {
		t.Fatalf("view: %+v", v)
	}
	if !v.SLA.FirstResponseDueAt.Equal(start.Add(2*time.Hour)) || !v.SLA.ResolutionDueAt.Equal(start.Add(24*time.Hour)) {
		t.Fatalf("high SLA: %+v", v.SLA)
	}
	out := f.outbox(v.TicketID, "priority_high")
	if attr(out, "GSI1PK") != "OUTBOX#PENDING" || attr(out, "team") != "payments" || attr(out, "ticketId") != v.TicketID ||
		attr(out, "subjectType") != "ticket" || attr(out, "customerId") != "budi" || attr(out, "priority") != "high" {
		t.Fatalf("outbox item: %v", out)
	}
	ops := f.ops("", v.TicketID, nil, 200)
	if !slices.Equal(ops.PriorityReasons, []string{"keyword:penipuan", "rule:fraud"}) || ops.Team != "payments" ||
		ops.Escalation.DedupKey != "ticket:"+v.TicketID+":priority_high" {
		t.Fatalf("ops view: %+v", ops)
	}

	// A normal complaint queues nothing.
	n := f.fileOK("budi", complaint("Paket telat", "Belum sampai"))
	if len(f.outbox(n.TicketID, "priority_high")) != 0 || len(f.outbox(n.TicketID, "priority_urgent")) != 0 {
		t.Fatal("a normal ticket escalated")
	}
}

func TestInjuryIsUrgentAndStatedUrgencyStopsAtHigh(t *testing.T) {
	f := newFixture(t)
	v := f.fileOK("budi", complaint("Charger meledak", "Tangan anak saya luka karena charger ini.", "category", "product_quality"))
	if v.Priority != ticket.PriorityUrgent || len(f.outbox(v.TicketID, "priority_urgent")) == 0 ||
		attr(f.outbox(v.TicketID, "priority_urgent"), "team") != "quality" {
		t.Fatalf("injury: %+v", v)
	}
	s := f.fileOK("siti", complaint("Cepat tolong", "Paket saya hilang", "urgency", "urgent"))
	if s.Priority != ticket.PriorityHigh || s.StatedUrgency != ticket.PriorityUrgent {
		t.Fatalf("stated urgency: %+v", s)
	}
}

func TestOrderMustBeTheCallers(t *testing.T) {
	f := newFixture(t)
	orders := dynamostore.NewOrders(f.env.Client, f.env.SupportTable)
	small := ordertest.Sample("TGP-SMALL", "budi", start.Add(-72*time.Hour))
	big := ordertest.Sample("TGP-BIG", "budi", start.Add(-72*time.Hour))
	big.Lines[0].UnitPrice = 250_000_000 // 2 x Rp 2.500.000 plus the rest: over Rp 5.000.000
	sitis := ordertest.Sample("TGP-SITI", "siti", start.Add(-72*time.Hour))
	for _, o := range []order.Order{small, big, sitis} {
		if _, _, err := orders.Upsert(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"TGP-SITI", "TGP-NONE", "../etc"} {
		p := f.file("budi", complaint("Pesanan", "Ada masalah", "orderId", id), 404).Problem()
		if p.Code != "order_not_found" {
			t.Fatalf("%s: %+v", id, p)
		}
	}
	if f.ticketCount("budi") != 0 {
		t.Fatal("a refused complaint was stored")
	}

	v := f.fileOK("budi", complaint("Pesanan", "Ada masalah", "orderId", "TGP-SMALL"))
	if v.OrderID != "TGP-SMALL" || v.Priority != ticket.PriorityNormal {
		t.Fatalf("small order: %+v", v)
	}
	f.clock.Advance(31 * 24 * time.Hour) // outside the repeat window
	b := f.fileOK("budi", complaint("Pesanan", "Ada masalah", "orderId", "TGP-BIG"))
	ops := f.ops("", b.TicketID, nil, 200)
	if b.Priority != ticket.PriorityHigh || !slices.Equal(ops.PriorityReasons, []string{"order_value>=500000000"}) ||
		ops.OrderTotal == nil || ops.OrderTotal.Amount != big.Total().Amount || ops.OrderTotal.Currency != "IDR" {
		t.Fatalf("big order: %+v / %+v", b, ops)
	}
}

func TestRepeatComplaintsWithinThirtyDaysRaisePriority(t *testing.T) {
	f := newFixture(t)
	for i := range 2 {
		if v := f.fileOK("budi", complaint("Paket", fmt.Sprintf("Keluhan %d", i))); v.Priority != ticket.PriorityNormal {
			t.Fatalf("complaint %d: %s", i, v.Priority)
		}
		f.clock.Advance(24 * time.Hour)
	}
	third := f.fileOK("budi", complaint("Paket", "Keluhan ketiga"))
	if third.Priority != ticket.PriorityHigh {
		t.Fatalf("third: %s", third.Priority)
	}
	if r := f.ops("", third.TicketID, nil, 200).PriorityReasons; !slices.Equal(r, []string{"repeat_complaints:2"}) {
		t.Fatalf("reasons: %v", r)
	}
	// Another customer's history does not count.
	if v := f.fileOK("siti", complaint("Paket", "Pertama kali")); v.Priority != ticket.PriorityNormal {
		t.Fatalf("siti: %s", v.Priority)
	}
	// Thirty days after the second complaint only the third is recent.
	f.clock.Advance(29*24*time.Hour + time.Minute)
	if v := f.fileOK("budi", complaint("Paket", "Lagi")); v.Priority != ticket.PriorityNormal {
		t.Fatalf("after the window: %s", v.Priority)
	}
}

func TestCustomersCannotReachEachOthersTickets(t *testing.T) {
	f := newFixture(t)
	v := f.fileOK("budi", complaint("Paket", "Belum sampai"))

	other := f.getMine("siti", v.TicketID, 404).Problem()
	missing := f.getMine("siti", "TKT-AAAAAAAAAAAAAAAA", 404).Problem()
	malformed := f.getMine("siti", "TICKET-1", 404).Problem()
	if other.Code != "ticket_not_found" || other.Detail != missing.Detail || malformed.Code != "ticket_not_found" {
		t.Fatalf("someone else's ticket answers differently: %+v vs %+v", other, missing)
	}
	p := apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/complaints/" + v.TicketID + "/messages",
		Body: map[string]any{"message": "Ini tiket saya"}, As: apitest.AsCustomer("siti"),
		Headers: map[string]string{"Idempotency-Key": "siti-1"}}, 404).Problem()
	if p.Code != "ticket_not_found" {
		t.Fatalf("post to another's ticket: %+v", p)
	}
	var mine ticket.CustomerView
	f.getMine("budi", v.TicketID, 200).JSON(&mine)
	if len(mine.Timeline) != 1 {
		t.Fatalf("siti's message reached budi's ticket: %+v", mine.Timeline)
	}
	var list complaintapi.ListResponse
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/complaints", As: apitest.AsCustomer("siti")}, 200).JSON(&list)
	if len(list.Items) != 0 {
		t.Fatalf("siti lists %+v", list.Items)
	}
	// Customers cannot use ops routes, and operators are not customers.
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/complaints/" + v.TicketID, As: apitest.AsCustomer("budi")}, 403)
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/complaints/" + v.TicketID, As: apitest.AsOperator("dewi")}, 401)
}

func TestEveryPostIsIdempotent(t *testing.T) {
	posts := 0
	for _, r := range complaintapi.Routes(nil) {
		if r.Method == "POST" {
			posts++
			if !r.Idempotent {
				t.Errorf("POST %s does not honour Idempotency-Key", r.Path)
			}
		}
	}
	// Filing, messages and the ops actions: an empty route list must not pass for "all idempotent".
	if posts < 2 {
		t.Fatalf("%d POST routes; the check saw nothing to check", posts)
	}
}

func TestIdempotencyKeyReplaysCreateAndMessage(t *testing.T) {
	f := newFixture(t)
	req := apitest.Request{Method: "POST", Path: "/complaints", As: apitest.AsCustomer("budi"),
		Body: complaint("Paket", "Belum sampai"), Headers: map[string]string{"Idempotency-Key": "k-1"}}
	first := apitest.Expect(t, f.h, req, 201)
	second := apitest.Expect(t, f.h, req, 201)
	if second.Header(httpapi.ReplayedHeader) != "true" || second.Body != first.Body || second.Header("Location") != first.Header("Location") {
		t.Fatalf("replay differs: %s vs %s", first.Body, second.Body)
	}
	if n := f.ticketCount("budi"); n != 1 {
		t.Fatalf("%d tickets after a replay, want 1", n)
	}
	if f.counter(metrics.TicketsCreated) != 1 {
		t.Fatal("replay counted again")
	}
	req.Body = complaint("Paket", "Isi yang lain")
	if p := apitest.Expect(t, f.h, req, 422).Problem(); p.Code != "idempotency_key_reused" {
		t.Fatalf("mismatch: %+v", p)
	}
	// The same key from another customer is another key.
	req.As = apitest.AsCustomer("siti")
	apitest.Expect(t, f.h, req, 201)

	var v ticket.CustomerView
	first.JSON(&v)
	msg := apitest.Request{Method: "POST", Path: "/complaints/" + v.TicketID + "/messages", As: apitest.AsCustomer("budi"),
		Body: map[string]any{"message": "Ada kabar?"}, Headers: map[string]string{"Idempotency-Key": "m-1"}}
	apitest.Expect(t, f.h, msg, 201)
	apitest.Expect(t, f.h, msg, 201)
	var after ticket.CustomerView
	f.getMine("budi", v.TicketID, 200).JSON(&after)
	if len(after.Timeline) != 2 {
		t.Fatalf("message replay added an entry: %+v", after.Timeline)
	}

	// Ops actions are idempotent too: a replayed reply is not a second reply.
	reply := apitest.Request{Method: "POST", Path: "/ops/complaints/" + v.TicketID + "/responses", As: apitest.AsOperator("dewi"),
		Body: map[string]any{"message": "Kami cek"}, Headers: map[string]string{"Idempotency-Key": "r-1"}}
	apitest.Expect(t, f.h, reply, 200)
	apitest.Expect(t, f.h, reply, 200)
	if f.counter(metrics.FirstResponses) != 1 || len(f.ops("", v.TicketID, nil, 200).Timeline) != 3 {
		t.Fatal("replayed reply applied twice")
	}
}

func TestOpsLifecycleIsAuditedAndCounted(t *testing.T) {
	f := newFixture(t)
	v := f.fileOK("budi", complaint("Paket", "Belum sampai"))
	id := v.TicketID

	f.clock.Advance(20 * time.Minute)
	o := f.ops("assign", id, map[string]any{"agent": "arn:aws:iam::123456789012:user/dewi", "team": "logistics"}, 200)
	if o.Status != ticket.StatusInProgress || o.AssignedAgent != "arn:aws:iam::123456789012:user/dewi" {
		t.Fatalf("assign: %+v", o)
	}
	f.ops("notes", id, map[string]any{"note": "Cek gudang Cikarang"}, 200)
	f.clock.Advance(25 * time.Minute)
	o = f.ops("responses", id, map[string]any{"message": "Paket sedang kami lacak."}, 200)
	if o.SLA.FirstRespondedAt == nil || !o.SLA.FirstRespondedAt.Equal(start.Add(45*time.Minute)) {
		t.Fatalf("first response: %+v", o.SLA)
	}
	f.clock.Advance(time.Hour)
	f.ops("responses", id, map[string]any{"message": "Update: sudah di kurir."}, 200)
	if f.counter(metrics.FirstResponses) != 1 || f.counter(metrics.FirstResponseSecs) != 45*60 ||
		f.counter(metrics.BucketCounter(metrics.FirstResponseBucket, metrics.FirstResponseBounds, 45*time.Minute)) != 1 {
		t.Fatal("first response counters")
	}

	// The customer sees replies, not the note or who wrote them.
	r := f.getMine("budi", id, 200)
	if strings.Contains(r.Body, "Cikarang") || strings.Contains(r.Body, "dewi") {
		t.Fatalf("customer view leaks internals: %s", r.Body)
	}
	var cv ticket.CustomerView
	r.JSON(&cv)
	if cv.Status != ticket.StatusInProgress || cv.SLA.FirstRespondedAt == nil || len(cv.Timeline) != 3 || cv.Timeline[1].Author != ticket.AuthorAgent {
		t.Fatalf("customer view: %+v", cv)
	}

	f.clock.Advance(2 * time.Hour)
	o = f.ops("resolve", id, map[string]any{"message": "Paket sudah diterima."}, 200)
	if o.Status != ticket.StatusResolved || o.SLA.ResolvedAt == nil || o.FirstResolvedAt == nil {
		t.Fatalf("resolve: %+v", o)
	}
	took := 3*time.Hour + 45*time.Minute
	if f.counter(metrics.Resolutions) != 1 || f.counter(metrics.ResolutionSecs) != int64(took/time.Second) ||
		f.counter(metrics.BucketCounter(metrics.ResolutionBucket, metrics.ResolutionBounds, took)) != 1 {
		t.Fatal("resolution counters")
	}
	f.ops("close", id, nil, 200)
	p := apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/complaints/" + id + "/messages", As: apitest.AsCustomer("budi"),
		Body: map[string]any{"message": "Masih ada masalah"}}, 409).Problem()
	if p.Code != "ticket_closed" {
		t.Fatalf("message on closed: %+v", p)
	}
	f.clock.Advance(time.Hour)
	o = f.ops("reopen", id, map[string]any{"reason": "Pelanggan menelepon lagi"}, 200)
	if o.Status != ticket.StatusOpen || o.SLA.ResolvedAt != nil || o.ClosedAt != nil || !o.SLA.ResolutionDueAt.Equal(f.clock.Now().Add(72*time.Hour)) {
		t.Fatalf("reopen: %+v", o)
	}
	o = f.ops("resolve", id, map[string]any{}, 200)
	if f.counter(metrics.Resolutions) != 1 || o.FirstResolvedAt == nil || !o.FirstResolvedAt.Before(*o.SLA.ResolvedAt) {
		t.Fatal("a second resolution was counted, or the first one forgotten")
	}

	// Every ops entry names the operator: the timeline is the audit trail.
	var opsTypes []ticket.EventType
	for _, e := range o.Timeline {
		if e.Author == ticket.AuthorAgent {
			opsTypes = append(opsTypes, e.Type)
			if e.Actor != "dewi" {
				t.Fatalf("ops entry without operator: %+v", e)
			}
		}
	}
	want := []ticket.EventType{ticket.EventAssigned, ticket.EventInternalNote, ticket.EventAgentReply, ticket.EventAgentReply,
		ticket.EventResolved, ticket.EventClosed, ticket.EventReopened, ticket.EventInternalNote, ticket.EventResolved}
	if !slices.Equal(opsTypes, want) {
		t.Fatalf("audit trail %v, want %v", opsTypes, want)
	}
}

func TestInvalidTransitionsAreConflicts(t *testing.T) {
	f := newFixture(t)
	id := f.fileOK("budi", complaint("Paket", "Belum sampai")).TicketID
	for _, action := range []string{"close", "reopen"} {
		r := apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/ops/complaints/" + id + "/" + action,
			As: apitest.AsOperator("dewi"), Headers: map[string]string{"Accept-Language": "en"}}, 409)
		// The status is named by its label, never as a raw code inside the sentence.
		if p := r.Problem(); p.Code != "ticket_invalid_transition" || !strings.Contains(p.Detail, "“Open”") {
			t.Fatalf("%s on open: %+v", action, p)
		}
	}
	f.ops("resolve", id, nil, 200)
	for _, action := range []string{"responses", "assign", "resolve", "priority"} {
		body := map[string]any{"message": "x", "agent": "arn:aws:iam::123456789012:user/dewi", "priority": "high"}
		switch action {
		case "responses":
			body = map[string]any{"message": "x"}
		case "assign":
			body = map[string]any{"agent": "arn:aws:iam::123456789012:user/dewi"}
		case "resolve":
			body = map[string]any{}
		case "priority":
			body = map[string]any{"priority": "high"}
		}
		f.ops(action, id, body, 409)
	}
	f.ops("notes", id, map[string]any{"note": "Notes are fine in any status"}, 200)
	f.ops("", "TKT-AAAAAAAAAAAAAAAA", nil, 404)
	f.ops("assign", id, map[string]any{"agent": "dewi"}, 400)
	f.ops("assign", id, map[string]any{"team": "marketing"}, 400)
}

// A follow-up on a resolved ticket reopens it; legal words in it raise the priority and escalate to legal.
func TestCustomerFollowUpReopensAndCanEscalate(t *testing.T) {
	f := newFixture(t)
	id := f.fileOK("budi", complaint("Barang rusak", "Layar retak", "category", "product_quality")).TicketID
	f.ops("resolve", id, map[string]any{"message": "Kami kirim pengganti."}, 200)
	f.clock.Advance(time.Hour)
	var v ticket.CustomerView
	apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/complaints/" + id + "/messages", As: apitest.AsCustomer("budi"),
		Body: map[string]any{"message": "Pengganti juga retak. Saya akan lapor ke YLKI."}}, 201).JSON(&v)
	if v.Status != ticket.StatusOpen || v.Priority != ticket.PriorityHigh || v.Escalation.Status != ticket.EscalationPending {
		t.Fatalf("after follow-up: %+v", v)
	}
	// Raised at start+1h: the high targets count from now, never later than already promised.
	if !v.SLA.ResolutionDueAt.Equal(f.clock.Now().Add(24 * time.Hour)) {
		t.Fatalf("due times: %+v", v.SLA)
	}
	types := make([]ticket.EventType, 0, len(v.Timeline))
	for _, e := range v.Timeline {
		types = append(types, e.Type)
	}
	if !slices.Equal(types, []ticket.EventType{ticket.EventCreated, ticket.EventResolved, ticket.EventCustomerMessage, ticket.EventReopened, ticket.EventPriorityChanged}) {
		t.Fatalf("timeline: %v", types)
	}
	if out := f.outbox(id, "priority_high"); attr(out, "team") != "legal" {
		t.Fatalf("outbox: %v", out)
	}
	if f.counter(metrics.TicketsCreated) != 1 {
		t.Fatal("a follow-up counted as a ticket")
	}
}

func TestOpsRePrioritisingEscalatesOncePerLevel(t *testing.T) {
	f := newFixture(t)
	id := f.fileOK("budi", complaint("Paket", "Belum sampai")).TicketID
	f.clock.Advance(10 * time.Minute)
	o := f.ops("priority", id, map[string]any{"priority": "high", "reason": "Pelanggan VIP"}, 200)
	if o.Priority != ticket.PriorityHigh || o.Escalation.Status != ticket.EscalationPending ||
		!o.SLA.FirstResponseDueAt.Equal(f.clock.Now().Add(2*time.Hour)) || len(f.outbox(id, "priority_high")) == 0 {
		t.Fatalf("raise to high: %+v", o)
	}
	o = f.ops("priority", id, map[string]any{"priority": "normal"}, 200)
	if o.Priority != ticket.PriorityNormal || !o.SLA.FirstResponseDueAt.Equal(f.clock.Now().Add(2*time.Hour)) {
		t.Fatalf("lowering must keep the promise: %+v", o.SLA)
	}
	o = f.ops("priority", id, map[string]any{"priority": "high"}, 200)
	if o.Escalation.DedupKey != "ticket:"+id+":priority_high" {
		t.Fatalf("re-raise: %+v", o.Escalation)
	}
	v := o.Version
	if o = f.ops("priority", id, map[string]any{"priority": "high"}, 200); o.Version != v {
		t.Fatal("setting the same priority wrote a change")
	}
	o = f.ops("priority", id, map[string]any{"priority": "urgent"}, 200)
	if len(f.outbox(id, "priority_urgent")) == 0 || o.Escalation.EscalatedPriority != ticket.PriorityUrgent {
		t.Fatalf("urgent: %+v", o.Escalation)
	}
}

func TestConsumerEscalationShowsOnTheTicket(t *testing.T) {
	f := newFixture(t)
	v := f.fileOK("budi", complaint("Data bocor", "Sepertinya data bocor, saya dapat telepon penipu.", "category", "account"))
	store := dynamostore.NewTickets(f.env.Client, f.env.SupportTable)
	key := "ticket:" + v.TicketID + ":priority_high"
	if applied, err := store.RecordEscalation(context.Background(), v.TicketID, key, "technical", start.Add(time.Minute)); err != nil || !applied {
		t.Fatalf("record: %v %v", applied, err)
	}
	var after ticket.CustomerView
	r := f.getMine("budi", v.TicketID, 200)
	r.JSON(&after)
	if after.Escalation.Status != ticket.EscalationEscalated || after.Escalation.EscalatedAt == nil ||
		after.Timeline[len(after.Timeline)-1].Type != ticket.EventEscalated || strings.Contains(r.Body, "technical") {
		t.Fatalf("customer view after escalation: %s", r.Body)
	}
	if o := f.ops("", v.TicketID, nil, 200); o.Escalation.Team != "technical" {
		t.Fatalf("ops view: %+v", o.Escalation)
	}
}

func TestValidationAndLimits(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		body  map[string]any
		field string
		code  string
	}{
		{complaint(strings.Repeat("é", 151), "x"), "subject", "max"},
		{complaint("x", strings.Repeat("a", 5001)), "description", "max"},
		{complaint("", "x"), "subject", "required"},
		{complaint("x", "x", "channel", "fax"), "channel", "oneof"},
		{complaint("x", "x", "category", "spam"), "category", "oneof"},
		{complaint("x", "x", "urgency", "asap"), "urgency", "oneof"},
	}
	for _, c := range cases {
		p := f.file("budi", c.body, 400).Problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != c.field || p.Errors[0].Code != c.code {
			t.Errorf("%s: %+v", c.field, p.Errors)
		}
	}
	if p := f.file("budi", complaint("   ", "x"), 400).Problem(); p.Errors[0].Field != "subject" {
		t.Fatalf("blank subject: %+v", p)
	}
	v := f.fileOK("budi", complaint(strings.Repeat("é", 150), strings.Repeat("a", 5000)))
	apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/complaints/" + v.TicketID + "/messages", As: apitest.AsCustomer("budi"),
		Body: map[string]any{"message": strings.Repeat("a", 5001)}}, 400)
	if f.ticketCount("budi") != 1 {
		t.Fatal("invalid complaints were stored")
	}
}

func TestListPagesNewestFirst(t *testing.T) {
	f := newFixture(t)
	var ids []string
	for i := range 3 {
		ids = append(ids, f.fileOK("budi", complaint("Paket", fmt.Sprintf("Keluhan %d", i))).TicketID)
		f.clock.Advance(time.Minute)
	}
	var page complaintapi.ListResponse
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/complaints", Query: map[string]string{"limit": "2"}, As: apitest.AsCustomer("budi")}, 200).JSON(&page)
	if len(page.Items) != 2 || page.Items[0].TicketID != ids[2] || page.NextCursor == "" || page.Items[1].SLA.FirstResponseDueAt.IsZero() {
		t.Fatalf("first page: %+v", page)
	}
	var rest complaintapi.ListResponse
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/complaints", Query: map[string]string{"limit": "2", "cursor": page.NextCursor},
		As: apitest.AsCustomer("budi")}, 200).JSON(&rest)
	if len(rest.Items) != 1 || rest.Items[0].TicketID != ids[0] || rest.NextCursor != "" {
		t.Fatalf("second page: %+v", rest)
	}
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/complaints", Query: map[string]string{"cursor": "bogus"}, As: apitest.AsCustomer("budi")}, 400)
}
