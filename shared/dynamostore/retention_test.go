package dynamostore_test

import (
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/ticket"
)

// Retention over a seeded history, written through the real stores (so the counters come from the same
// transactions as production), with the expected figures worked out by hand below. Every time is 03:00
// UTC (10:00 WIB), so days never shift across the WIB boundary.
//
// Cohorts (first order not cancelled → next order within 30/60/90 days):
//
//	A  1 Sep, again 20 Sep (19 days)                      September: 30, 60, 90
//	B  5 Sep, again 1 Nov (57 days)                       September: 60, 90
//	C  10 Sep, again 5 Dec (86 days)                      September: 90 (until C's 5 Dec order is cancelled)
//	D  15 Sep, again 20 Dec (96 days)                     September: none
//	G  3 Sep created cancelled, 8 Sep                     September (8 Sep): none
//	E  20 Sep, then 1 Oct; the 20 Sep order is cancelled  October (1 Oct): none
//	F  25 Sep pushed first, then 20 Aug arrives late     August (20 Aug): 60, 90 (36 days)
//
// So September: 5 customers (A B C D G); within 30: 1 (A), 60: 2 (A B), 90: 3 (A B C).
//
// After support (first ticket of the month → an order placed within 90 days after it; split by the
// month's last ticket):
//
//	A  ticket 10 Sep, resolved within SLA; ordered 20 Sep                     sla_met, retained
//	B  ticket 12 Sep, resolved after its due time; ordered 1 Nov (50 days)    sla_missed, retained
//	C  tickets 14 Sep (resolved in SLA) and 28 Sep (never resolved): the last one counts;
//	   ordered 5 Dec (82 days after 14 Sep)                                  unresolved, retained
//	D  ticket 16 Sep, resolved within SLA; ordered 20 Dec (95 days)           sla_met, not retained
//
// So September: 4 customers, 3 retained (75%); sla_met 2 (1 retained), sla_missed 1 (1), unresolved 1 (1).
// Cancelling C's 5 Dec order then takes C out of both: 90 days 2 (40%); after support 2 of 4 (50%).
func TestRetentionOverASeededHistory(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := t.Context()
	orders := dynamostore.NewOrders(env.Client, env.SupportTable)
	tickets := dynamostore.NewTickets(env.Client, env.SupportTable)
	at := func(month time.Month, day int) time.Time { return time.Date(2026, month, day, 3, 0, 0, 0, time.UTC) }
	push := func(id, cust string, placed time.Time, status order.Status, updated time.Time) {
		t.Helper()
		o := ordertest.Sample(id, cust, placed)
		o.Status, o.UpdatedAt = status, updated
		if _, _, err := orders.Upsert(ctx, o); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	place := func(id, cust string, placed time.Time) { push(id, cust, placed, order.StatusPlaced, placed) }
	file := func(id, cust string, when time.Time) ticket.Ticket {
		t.Helper()
		tk := sampleTicket(id, cust, when, ticket.PriorityNormal) // resolution due 3 days later
		createTicket(t, tickets, tk, nil)
		return tk
	}
	resolve := func(tk ticket.Ticket, when time.Time) {
		t.Helper()
		after := tk
		after.Status, after.ResolvedAt, after.FirstResolvedAt, after.UpdatedAt, after.Version = ticket.StatusResolved, &when, &when, when, tk.Version+1
		if err := tickets.Update(ctx, ticket.Change{Before: tk, After: after, At: when, Events: []ticket.Event{{Type: ticket.EventResolved,
			Visibility: ticket.Public, Author: ticket.AuthorAgent, FromStatus: tk.Status, ToStatus: ticket.StatusResolved, At: when}}}); err != nil {
			t.Fatalf("resolve %s: %v", tk.ID, err)
		}
	}

	// The history, in the order the events reach the API.
	place("A1", "ret-a", at(9, 1))
	push("G1", "ret-g", at(9, 3), order.StatusCancelled, at(9, 3))
	place("B1", "ret-b", at(9, 5))
	place("G2", "ret-g", at(9, 8))
	tA := file("TKT-RETA", "ret-a", at(9, 10))
	place("C1", "ret-c", at(9, 10))
	resolve(tA, at(9, 11))
	tB := file("TKT-RETB", "ret-b", at(9, 12))
	tC1 := file("TKT-RETC1", "ret-c", at(9, 14))
	resolve(tC1, at(9, 15))
	place("D1", "ret-d", at(9, 15))
	tD := file("TKT-RETD", "ret-d", at(9, 16))
	resolve(tD, at(9, 17))
	place("E1", "ret-e", at(9, 20))
	place("A2", "ret-a", at(9, 20))
	place("F2", "ret-f", at(9, 25))
	file("TKT-RETC2", "ret-c", at(9, 28))
	place("E2", "ret-e", at(10, 1))
	push("E1", "ret-e", at(9, 20), order.StatusCancelled, at(10, 2))
	resolve(tB, at(10, 20)) // due 15 Sep: late
	place("F1", "ret-f", at(8, 20))
	place("B2", "ret-b", at(11, 1))
	place("C2", "ret-c", at(12, 5))
	place("D2", "ret-d", at(12, 20))
	push("A1", "ret-a", at(9, 1), order.StatusPaid, at(12, 21)) // an update that changes nothing retention reads

	report := func(from, to string) metrics.RetentionFigures {
		t.Helper()
		days, err := metrics.DayRange(from, to)
		if err != nil {
			t.Fatal(err)
		}
		totals, err := dynamostore.NewMetrics(env.Client, env.SupportTable).Sum(ctx, days)
		if err != nil {
			t.Fatal(err)
		}
		return metrics.RetentionOf(totals)
	}
	expectCohort := func(r metrics.RetentionFigures, customers int64, within ...int64) {
		t.Helper()
		if r.Cohort.Customers != customers {
			t.Errorf("cohort customers %d, want %d", r.Cohort.Customers, customers)
		}
		for i, w := range r.Cohort.Within {
			if w.Customers != within[i] {
				t.Errorf("within %d days: %d, want %d", w.Days, w.Customers, within[i])
			}
		}
	}
	expectSupport := func(r metrics.RetentionFigures, customers, retained int64, byOutcome map[string][2]int64) {
		t.Helper()
		if r.AfterSupport.Customers != customers || r.AfterSupport.OrderedAgain90d != retained {
			t.Errorf("after support %d/%d, want %d/%d", r.AfterSupport.OrderedAgain90d, r.AfterSupport.Customers, retained, customers)
		}
		for _, o := range r.AfterSupport.ByLastTicketSLA {
			if want := byOutcome[o.Outcome]; o.Customers != want[0] || o.OrderedAgain90d != want[1] {
				t.Errorf("%s: %d customers, %d retained; want %v", o.Outcome, o.Customers, o.OrderedAgain90d, want)
			}
		}
	}

	sep := report("2026-09-01", "2026-09-30")
	expectCohort(sep, 5, 1, 2, 3)
	if p := sep.Cohort.Within[2].Percent; p == nil || *p != 60 {
		t.Errorf("90-day percent %v, want 60", p)
	}
	expectSupport(sep, 4, 3, map[string][2]int64{"sla_met": {2, 1}, "sla_missed": {1, 1}, "unresolved": {1, 1}, "no_ticket": {0, 0}})
	if p := sep.AfterSupport.Percent; p == nil || *p != 75 {
		t.Errorf("after-support percent %v, want 75", p)
	}
	expectCohort(report("2026-10-01", "2026-10-31"), 1, 0, 0, 0)
	expectCohort(report("2026-08-01", "2026-08-31"), 1, 0, 1, 1)

	// C's 5 December order is cancelled: C no longer came back within 90 days, after the cohort or support.
	push("C2", "ret-c", at(12, 5), order.StatusCancelled, at(12, 22))
	sep = report("2026-09-01", "2026-09-30")
	expectCohort(sep, 5, 1, 2, 2)
	expectSupport(sep, 4, 2, map[string][2]int64{"sla_met": {2, 1}, "sla_missed": {1, 1}, "unresolved": {1, 0}, "no_ticket": {0, 0}})
}
