package workspaceapi_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
	"github.com/tanggap/tanggap/shared/workspace/workqueue"
	"github.com/tanggap/tanggap/shared/workspace/workspaceapi"
)

type seeded struct {
	urgent, fraud, pay, log, low, tieA, tieB, answered, assigned, resolved, closed, reopened, legal, account string
}

// seed files tickets over several teams, priorities and statuses, then lets time pass so some breach.
func (f *fixture) seed() seeded {
	ctx := context.Background()
	var s seeded
	s.pay = f.file("cust-a", ticket.CategoryPayment, ticket.ChannelWeb)             // payments, normal
	s.log = f.file("cust-b", ticket.CategoryDelivery, ticket.ChannelEmail)          // logistics, normal
	s.fraud = f.file("cust-c", ticket.CategoryFraud, ticket.ChannelChat)            // payments, high
	s.low = f.file("cust-d", ticket.CategoryOther, ticket.ChannelPhone)             // customer_care, low
	s.urgent = f.file("cust-e", ticket.CategoryPayment, ticket.ChannelWeb)          // payments, raised to urgent
	f.must(f.tickets.SetPriority(ctx, "dewi", s.urgent, ticket.PriorityUrgent, "")) // first response due in 30 min
	f.clock.Advance(10 * time.Minute)
	s.tieA = f.file("cust-f", ticket.CategoryPayment, ticket.ChannelWeb) // same instant: same due, same age
	s.tieB = f.file("cust-g", ticket.CategoryPayment, ticket.ChannelWeb)
	s.answered = f.file("cust-h", ticket.CategoryDelivery, ticket.ChannelWeb)
	f.must(f.tickets.Respond(ctx, "dewi", s.answered, "Kami cek dulu."))
	s.assigned = f.file("cust-i", ticket.CategoryPayment, ticket.ChannelSocial)
	f.must(f.tickets.Assign(ctx, "dewi", s.assigned, agentDewi, ""))
	s.resolved = f.file("cust-j", ticket.CategoryProductQuality, ticket.ChannelWeb)
	f.must(f.tickets.Resolve(ctx, "dewi", s.resolved, "Sudah kami ganti."))
	s.closed = f.file("cust-k", ticket.CategoryPayment, ticket.ChannelWeb)
	f.must(f.tickets.Resolve(ctx, "dewi", s.closed, ""))
	f.must(f.tickets.Close(ctx, "dewi", s.closed))
	s.reopened = f.file("cust-l", ticket.CategoryDelivery, ticket.ChannelWeb)
	f.must(f.tickets.Resolve(ctx, "dewi", s.reopened, ""))
	f.must(f.tickets.Close(ctx, "dewi", s.reopened))
	f.must(f.tickets.Reopen(ctx, "dewi", s.reopened, "Pelanggan belum menerima."))
	s.legal = f.file("cust-m", ticket.CategoryPayment, ticket.ChannelWeb)
	f.must(f.tickets.Assign(ctx, "dewi", s.legal, "", escalation.TeamLegal))
	s.account = f.file("cust-n", ticket.CategoryAccount, ticket.ChannelEmail) // technical, normal
	f.clock.Advance(3 * time.Hour)                                            // urgent (30 min) and high (2 h) first responses are late now
	return s
}

func TestEachViewIsExactlyItsTicketsMostUrgentFirst(t *testing.T) {
	f := newFixture(t)
	s := f.seed()
	now := f.clock.Now()
	all := f.scanTickets()

	views := []struct {
		q     map[string]string
		match func(storedTicket) bool
	}{
		{map[string]string{}, func(x storedTicket) bool { return in(x.Status, "open", "in_progress") }},
		{map[string]string{"team": "payments"}, func(x storedTicket) bool { return in(x.Status, "open", "in_progress") && x.Team == "payments" }},
		{map[string]string{"team": "payments,logistics"}, func(x storedTicket) bool {
			return in(x.Status, "open", "in_progress") && in(x.Team, "payments", "logistics")
		}},
		{map[string]string{"priority": "urgent,high"}, func(x storedTicket) bool {
			return in(x.Status, "open", "in_progress") && in(x.Priority, "urgent", "high")
		}},
		{map[string]string{"status": "resolved"}, func(x storedTicket) bool { return x.Status == "resolved" }},
		{map[string]string{"status": "open"}, func(x storedTicket) bool { return x.Status == "open" }},
		{map[string]string{"status": "open,in_progress,resolved"}, func(storedTicket) bool { return true }},
		{map[string]string{"assignee": "unassigned"}, func(x storedTicket) bool { return in(x.Status, "open", "in_progress") && x.AssignedAgent == "" }},
		{map[string]string{"assignee": agentDewi}, func(x storedTicket) bool { return in(x.Status, "open", "in_progress") && x.AssignedAgent == agentDewi }},
		{map[string]string{"channel": "email"}, func(x storedTicket) bool { return in(x.Status, "open", "in_progress") && x.Channel == "email" }},
		{map[string]string{"category": "payment,delivery"}, func(x storedTicket) bool {
			return in(x.Status, "open", "in_progress") && in(x.Category, "payment", "delivery")
		}},
		{map[string]string{"sla": "breached"}, func(x storedTicket) bool { return in(x.Status, "open", "in_progress") && now.After(x.nextDue()) }},
		{map[string]string{"sla": "unanswered"}, func(x storedTicket) bool { return in(x.Status, "open", "in_progress") && x.FirstRespondedAt == nil }},
		// 5 h from now ends exactly at the first-response due time of the tickets filed 10 minutes in: they are out.
		{map[string]string{"due_within": "290"}, func(x storedTicket) bool {
			d := x.nextDue()
			return in(x.Status, "open", "in_progress") && !d.Before(now) && d.Before(now.Add(290*time.Minute))
		}},
		{map[string]string{"sla": "breached", "due_within": "60"}, func(x storedTicket) bool {
			return in(x.Status, "open", "in_progress") && x.nextDue().Before(now.Add(time.Hour))
		}},
		{map[string]string{"team": "payments", "priority": "normal", "sla": "unanswered"}, func(x storedTicket) bool {
			return in(x.Status, "open", "in_progress") && x.Team == "payments" && x.Priority == "normal" && x.FirstRespondedAt == nil
		}},
	}
	for i, v := range views {
		want := expectedView(all, now, v.match)
		limits := []string{"50"}
		if i%4 == 0 { // small pages (merging across partitions and pages) on a quarter of the views keeps the test quick
			limits = append(limits, "3")
		}
		for _, limit := range limits {
			got, perPage := f.ticketView(v.q, limit)
			if joined(got) != joined(want) {
				t.Errorf("view %v (limit %s):\n got  %v\n want %v", v.q, limit, got, want)
			}
			teams := len(escalation.Teams)
			if tm, ok := v.q["team"]; ok {
				teams = len(splitComma(tm))
			}
			lanes := 1
			if v.q["status"] == "open,in_progress,resolved" {
				lanes = 2
			}
			for i, n := range perPage {
				if n > teams*lanes {
					t.Errorf("view %v page %d: %d Queries, want at most one per partition (%d)", v.q, i, n, teams*lanes)
				}
			}
		}
	}

	// What the seeding means, spelled out: the late ones lead, the closed one is nowhere, the reopened one is
	// back, the tie goes by id, the resolved one is only in the resolved lane.
	var breached workspaceapi.TicketPage
	f.page("/ops/complaints", map[string]string{"sla": "breached", "team": "payments"}, &breached)
	if len(breached.Items) != 2 || breached.Items[0].TicketID != s.urgent || breached.Items[1].TicketID != s.fraud {
		t.Errorf("breached payments tickets %+v, want the urgent then the high one", breached.Items)
	}
	if it := breached.Items[0]; !it.SLA.FirstResponseBreached || it.SLA.ResolutionBreached || it.Priority != "urgent" ||
		it.PriorityLabel != "Urgent" || it.Customer.Name != "Pelanggan cust-e" || it.Customer.Contact != "c***@example.co.id" ||
		it.AgeSeconds != int64((3*time.Hour+10*time.Minute)/time.Second) || !it.NextDueAt.Equal(start.Add(30*time.Minute)) {
		t.Errorf("urgent item %+v", it)
	}
	def, _ := f.ticketView(map[string]string{}, "50")
	if slices.Contains(def, s.closed) || slices.Contains(def, s.resolved) || !slices.Contains(def, s.reopened) {
		t.Errorf("default view %v: want the reopened ticket, not the closed or resolved one", def)
	}
	a, b := slices.Index(def, s.tieA), slices.Index(def, s.tieB)
	if a < 0 || b < 0 || (a < b) != (s.tieA < s.tieB) {
		t.Errorf("tied tickets (same due time, same age) at %d and %d, want them in id order", a, b)
	}
	res, _ := f.ticketView(map[string]string{"status": "resolved"}, "50")
	if joined(res) != s.resolved {
		t.Errorf("resolved lane %v, want only %s", res, s.resolved)
	}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// The same next due time breaks ties oldest first, across team partitions too.
func TestTiesBreakOldestFirst(t *testing.T) {
	f := newFixture(t)
	low := f.file("cust-a", ticket.CategoryOther, ticket.ChannelWeb) // customer_care, low: first response due in 24 h
	f.clock.Advance(16 * time.Hour)
	normal := f.file("cust-b", ticket.CategoryPayment, ticket.ChannelWeb) // payments, normal: due 8 h later, the same instant
	got, _ := f.ticketView(map[string]string{}, "1")
	if joined(got) != low+" "+normal {
		t.Errorf("order %v, want the older %s first", got, low)
	}
}

// Exactly one Query per page of a one-partition view, and never a read besides the Queries.
func TestOneQueryPerPage(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 7; i++ {
		f.file(fmt.Sprintf("cust-%d", i), ticket.CategoryPayment, ticket.ChannelWeb)
	}
	got, perPage := f.ticketView(map[string]string{"team": "payments", "priority": "normal"}, "3")
	if len(got) != 7 || !slices.Equal(perPage, []int{1, 1, 1}) {
		t.Errorf("pages %v over %d tickets, want 3 pages of one Query each", perPage, len(got))
	}
	var p workspaceapi.ReturnPage
	f.db.reset()
	f.page("/ops/returns", map[string]string{"status": "approved", "resolution": "refund"}, &p)
	if q, b, o := f.db.reset(); q != 1 || b != 0 || o != 0 {
		t.Errorf("return queue page: %d Queries %d batches %d others, want one Query", q, b, o)
	}
}

// Paging through a queue while tickets change: every ticket that did not change is seen exactly once and in
// order; a ticket closed before its page is not seen; a new one due after the cursor is.
func TestPaginationIsStableWhileTicketsChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var ids []string
	for i := 0; i < 12; i++ {
		ids = append(ids, f.file(fmt.Sprintf("cust-%d", i), ticket.CategoryPayment, ticket.ChannelWeb))
		f.clock.Advance(time.Minute)
	}
	q := map[string]string{"team": "payments", "limit": "4"}
	var seen []string
	var p workspaceapi.TicketPage
	f.page("/ops/complaints", q, &p)
	for _, it := range p.Items {
		seen = append(seen, it.TicketID)
	}
	// Between pages: answer a seen ticket (its next due moves 3 days on, so it comes round again), close an
	// unseen one, file a new one (due after everything), raise an unseen one to urgent (due before the cursor).
	f.must(f.tickets.Respond(ctx, "dewi", ids[0], "Halo"))
	f.must(f.tickets.Resolve(ctx, "dewi", ids[6], ""))
	f.must(f.tickets.Close(ctx, "dewi", ids[6]))
	fresh := f.file("cust-new", ticket.CategoryPayment, ticket.ChannelWeb)
	f.must(f.tickets.SetPriority(ctx, "dewi", ids[9], ticket.PriorityUrgent, ""))
	for p.NextCursor != "" {
		q["cursor"] = p.NextCursor
		p = workspaceapi.TicketPage{}
		f.page("/ops/complaints", q, &p)
		for _, it := range p.Items {
			seen = append(seen, it.TicketID)
		}
	}
	var unchanged []string
	for i, id := range ids {
		if i != 0 && i != 6 && i != 9 {
			unchanged = append(unchanged, id)
		}
	}
	var order []string
	for _, id := range seen {
		if slices.Contains(unchanged, id) {
			order = append(order, id)
		}
	}
	if joined(order) != joined(unchanged) {
		t.Errorf("unchanged tickets seen %v, want each once in order %v", order, unchanged)
	}
	if slices.Contains(seen, ids[6]) || slices.Contains(seen, ids[9]) || !slices.Contains(seen, fresh) {
		t.Errorf("seen %v: want the closed %s and the raised %s (now before the cursor) out, the new %s in", seen, ids[6], ids[9], fresh)
	}
	if n := len(slices.DeleteFunc(slices.Clone(seen), func(id string) bool { return id != ids[0] })); n != 2 {
		t.Errorf("the answered ticket was seen %d times, want before and after its due time moved", n)
	}
}

// A closed ticket leaves every view and every count; reopened, it is back in both.
func TestClosedLeavesEveryQueueAndReopenedReturns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.file("cust-a", ticket.CategoryDelivery, ticket.ChannelWeb)
	every := []map[string]string{{}, {"team": "logistics", "priority": "normal", "channel": "web", "category": "delivery"},
		{"sla": "unanswered", "assignee": "unassigned"}, {"status": "open,in_progress,resolved"}, {"due_within": "600"}}
	present := func(step string, want bool) {
		t.Helper()
		for _, q := range every {
			got, _ := f.ticketView(q, "10")
			if slices.Contains(got, id) != want {
				t.Errorf("%s: view %v has it %v, want %v", step, q, !want, want)
			}
		}
		var c workqueue.CountsView
		f.page("/ops/queues", nil, &c)
		wantOpen := map[bool]int64{true: 1, false: 0}[want]
		if c.TicketTotals.Open != wantOpen || c.TicketTotals.Unanswered != wantOpen || c.TicketTotals.DueWithinHour != 0 {
			t.Errorf("%s: totals %+v, want open and unanswered %d", step, c.TicketTotals, wantOpen)
		}
	}
	present("filed", true)
	f.must(f.tickets.Resolve(ctx, "dewi", id, ""))
	f.must(f.tickets.Close(ctx, "dewi", id))
	present("closed", false)
	if got, _ := f.ticketView(map[string]string{"status": "resolved"}, "10"); len(got) != 0 {
		t.Errorf("closed ticket still in the resolved lane: %v", got)
	}
	f.must(f.tickets.Reopen(ctx, "dewi", id, ""))
	present("reopened", true)
}

// After a random run of creates, replies, priority changes, assignments, team moves, resolves, closes and
// reopens, every count in /ops/queues equals a brute-force count over the stored tickets; the counts cost one
// BatchGetItem and one Query per team.
func TestQueueCountsEqualABruteForceCount(t *testing.T) {
	for _, seed := range []uint64{1} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			rng := rand.New(rand.NewPCG(seed, 99))
			cats := []ticket.Category{ticket.CategoryPayment, ticket.CategoryDelivery, ticket.CategoryFraud, ticket.CategoryOther,
				ticket.CategoryTechnical, ticket.CategoryProductQuality}
			for step := 0; step < 90; step++ {
				f.clock.Advance(time.Duration(rng.IntN(40)) * time.Minute)
				if len(f.ids) == 0 || rng.IntN(4) == 0 {
					f.file(fmt.Sprintf("cust-%d", rng.IntN(5)), cats[rng.IntN(len(cats))], ticket.ChannelWeb)
					continue
				}
				id := f.ids[rng.IntN(len(f.ids))]
				var err error
				switch rng.IntN(7) {
				case 0:
					_, err = f.tickets.Respond(ctx, "dewi", id, "Kami bantu.")
				case 1:
					_, err = f.tickets.SetPriority(ctx, "dewi", id, ticket.Priorities[rng.IntN(len(ticket.Priorities))], "")
				case 2:
					_, err = f.tickets.Assign(ctx, "dewi", id, agentDewi, escalation.Teams[rng.IntN(len(escalation.Teams))])
				case 3:
					_, err = f.tickets.Resolve(ctx, "dewi", id, []string{"", "Selesai."}[rng.IntN(2)])
				case 4:
					_, err = f.tickets.Close(ctx, "dewi", id)
				case 5:
					_, err = f.tickets.Reopen(ctx, "dewi", id, "")
				case 6:
					_, err = f.tickets.PostMessage(ctx, "", id, "Halo?") // someone else's: refused, changes nothing
				}
				if err != nil && !failure.IsKind(err, failure.KindConflict) && !failure.IsKind(err, failure.KindNotFound) {
					t.Fatalf("step %d: %v", step, err)
				}
			}
			now := f.clock.Now()
			type cell struct{ team, priority string }
			want := map[cell]workqueue.TicketCountView{}
			for _, x := range f.scanTickets() {
				if !in(x.Status, "open", "in_progress") {
					continue
				}
				c := want[cell{x.Team, x.Priority}]
				c.Open++
				if x.FirstRespondedAt == nil {
					c.Unanswered++
				}
				switch d := x.nextDue(); {
				case now.After(d):
					c.Breached++
				case d.Before(now.Add(time.Hour)):
					c.DueWithinHour++
				}
				want[cell{x.Team, x.Priority}] = c
			}
			f.db.reset()
			var got workqueue.CountsView
			f.page("/ops/queues", nil, &got)
			if q, b, o := f.db.reset(); b != 1 || q != len(escalation.Teams) || o != 0 {
				t.Errorf("/ops/queues took %d BatchGetItem, %d Queries, %d other reads; want 1 and %d", b, q, o, len(escalation.Teams))
			}
			if len(got.Tickets) != len(escalation.Teams)*len(ticket.Priorities) {
				t.Fatalf("%d cells, want every team and priority", len(got.Tickets))
			}
			var total int64
			for _, g := range got.Tickets {
				w := want[cell{g.Team, g.Priority}]
				if g.Open != w.Open || g.Unanswered != w.Unanswered || g.Breached != w.Breached || g.DueWithinHour != w.DueWithinHour {
					t.Errorf("%s/%s: got open %d unanswered %d breached %d due soon %d, brute force %d %d %d %d", g.Team, g.Priority,
						g.Open, g.Unanswered, g.Breached, g.DueWithinHour, w.Open, w.Unanswered, w.Breached, w.DueWithinHour)
				}
				total += g.Open
			}
			if total == 0 || total != got.TicketTotals.Open {
				t.Errorf("open total %d (cells sum %d): the run left nothing open or the totals disagree", got.TicketTotals.Open, total)
			}
		})
	}
}

// Customers can't reach the workspace: every route answers a customer (and a guest) 403 in the handler.
func TestCustomersCannotReachTheWorkspace(t *testing.T) {
	f := newFixture(t)
	for _, rt := range workspaceapi.Routes(nil) {
		for _, as := range []apitest.Caller{customerWithName("cust-a", "Budi"), apitest.AsGuest()} {
			f.db.reset()
			r := apitest.Expect(t, f.h, apitest.Request{Method: rt.Method, Path: rt.Path, As: as}, http.StatusForbidden)
			if p := r.Problem(); p.Code == "" {
				t.Errorf("%s %s: problem without a code", rt.Method, rt.Path)
			}
			if q, b, o := f.db.reset(); q+b+o != 0 {
				t.Errorf("%s %s as a customer read the table", rt.Method, rt.Path)
			}
		}
	}
}

func TestBadQueriesAreRefusedWithTheField(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		path, field string
		q           map[string]string
	}{
		{"/ops/complaints", "status", map[string]string{"status": "closed"}},
		{"/ops/complaints", "status", map[string]string{"status": "open,"}},
		{"/ops/complaints", "team", map[string]string{"team": "marketing"}},
		{"/ops/complaints", "priority", map[string]string{"priority": "critical"}},
		{"/ops/complaints", "channel", map[string]string{"channel": "fax"}},
		{"/ops/complaints", "category", map[string]string{"category": "x"}},
		{"/ops/complaints", "assignee", map[string]string{"assignee": "dewi"}},
		{"/ops/complaints", "sla", map[string]string{"sla": "late"}},
		{"/ops/complaints", "due_within", map[string]string{"due_within": "0"}},
		{"/ops/complaints", "due_within", map[string]string{"due_within": "10081"}},
		{"/ops/complaints", "cursor", map[string]string{"cursor": "bm9wZQ"}},
		{"/ops/complaints", "teams", map[string]string{"teams": "payments"}},
		{"/ops/complaints", "limit", map[string]string{"limit": "51"}},
		{"/ops/returns", "status", map[string]string{"status": "refunded"}},
		{"/ops/returns", "resolution", map[string]string{"resolution": "cash"}},
		{"/ops/returns", "reason", map[string]string{"reason": "bored"}},
		{"/ops/queues", "team", map[string]string{"team": "payments"}},
	} {
		r := apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: c.path, Query: c.q, As: asOps()}, http.StatusBadRequest)
		if p := r.Problem(); len(p.Errors) != 1 || p.Errors[0].Field != c.field {
			t.Errorf("%s %v: errors %+v, want one on %s", c.path, c.q, p.Errors, c.field)
		}
	}
}

// A complaint filed through the customer route shows, in the queue, the name from the customer's token and
// their email masked.
func TestQueueShowsTheFilersNameAndMaskedContact(t *testing.T) {
	f := newFixture(t)
	complaints, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(f.env.Client, f.env.IdempotencyTable))},
		complaintapi.Routes(f.tickets))
	if err != nil {
		t.Fatal(err)
	}
	var filed struct {
		TicketID string `json:"ticketId"`
	}
	apitest.Expect(t, complaints, apitest.Request{Method: "POST", Path: "/complaints", As: customerWithName("cust-budi", "Budi Santoso"),
		Body: map[string]any{"channel": "web", "category": "delivery", "subject": "Paket belum sampai", "description": "Sudah seminggu."}},
		http.StatusCreated).JSON(&filed)
	var p workspaceapi.TicketPage
	f.page("/ops/complaints", nil, &p)
	if len(p.Items) != 1 || p.Items[0].TicketID != filed.TicketID || p.Items[0].Customer != (workqueue.CustomerRef{
		ID: "cust-budi", Name: "Budi Santoso", Contact: "c***@example.co.id"}) || p.Items[0].Team != "logistics" {
		t.Errorf("queue %+v", p.Items)
	}
}
