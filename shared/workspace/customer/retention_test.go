package customer

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC) // 10:00 WIB

func dayN(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func mustOrder(t *testing.T, p *Profile, before *OrderFact, after OrderFact, all []OrderFact) Deltas {
	t.Helper()
	d, err := p.OrderChange(before, after, Contact{}, func() ([]OrderFact, error) {
		if all == nil {
			t.Fatal("the profile looked up the customer's orders without needing to")
		}
		return all, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func expectDeltas(t *testing.T, got Deltas, want Deltas) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("deltas %v, want %v", got, want)
	}
	for day, names := range want {
		if len(got[day]) != len(names) {
			t.Fatalf("deltas %v, want %v", got, want)
		}
		for n, v := range names {
			if got[day][n] != v {
				t.Fatalf("deltas %v, want %v", got, want)
			}
		}
	}
}

// The first order cancelled while a later order lies past its 90 days: only the customer's orders can say
// which order is first now, and the cohort moves to it.
func TestCancellingTheFirstOrderMovesTheCohort(t *testing.T) {
	p := &Profile{ID: "x"}
	x1 := OrderFact{ID: "X1", PlacedAt: dayN(0), UpdatedAt: dayN(0)}
	x2 := OrderFact{ID: "X2", PlacedAt: dayN(100), UpdatedAt: dayN(100)}
	x3 := OrderFact{ID: "X3", PlacedAt: dayN(120), UpdatedAt: dayN(120)}
	expectDeltas(t, mustOrder(t, p, nil, x1, nil), Deltas{"2026-09-01": {"retention_cohort_customers": 1}})
	expectDeltas(t, mustOrder(t, p, nil, x2, nil), Deltas{}) // 100 days later: retained within none
	expectDeltas(t, mustOrder(t, p, nil, x3, nil), Deltas{})
	if len(p.Retention.Early) != 1 || p.Retention.Counted != 3 {
		t.Fatalf("early %v counted %d", p.Retention.Early, p.Retention.Counted)
	}
	cancelled := x1
	cancelled.Cancelled, cancelled.UpdatedAt = true, dayN(130)
	got := mustOrder(t, p, &x1, cancelled, []OrderFact{x1, x2, x3})
	expectDeltas(t, got, Deltas{
		"2026-09-01": {"retention_cohort_customers": -1},
		"2026-12-10": {"retention_cohort_customers": 1, "retention_cohort_30d": 1, "retention_cohort_60d": 1, "retention_cohort_90d": 1},
	})
	if p.Orders != 3 || p.FirstOrderID != "X1" {
		t.Fatalf("totals count every order the shop sent: %+v", p)
	}
}

// A first order that was never the only one, moved later, with every counted order already in Early,
// needs no look-up.
func TestMovingTheFirstOrderWithinTheWindowNeedsNoLookup(t *testing.T) {
	p := &Profile{ID: "y"}
	y1 := OrderFact{ID: "Y1", PlacedAt: dayN(0)}
	y2 := OrderFact{ID: "Y2", PlacedAt: dayN(40)}
	mustOrder(t, p, nil, y1, nil)
	mustOrder(t, p, nil, y2, nil)
	moved := y1
	moved.PlacedAt = dayN(20)
	got := mustOrder(t, p, &y1, moved, nil)
	expectDeltas(t, got, Deltas{
		"2026-09-01": {"retention_cohort_customers": -1, "retention_cohort_60d": -1, "retention_cohort_90d": -1},
		"2026-09-21": {"retention_cohort_customers": 1, "retention_cohort_30d": 1, "retention_cohort_60d": 1, "retention_cohort_90d": 1},
	})
}

// Returns only: the customer is in the month's after-support cohort once, under no_ticket; a later
// ticket in the month makes them unresolved until it is resolved.
func TestReturnContactsAndTheMonthsLastTicket(t *testing.T) {
	p := &Profile{ID: "z"}
	expectDeltas(t, p.ReturnRequested(dayN(2)), Deltas{"2026-09-03": {"retention_support_customers_no_ticket": 1}})
	expectDeltas(t, p.ReturnRequested(dayN(5)), Deltas{})
	expectDeltas(t, mustOrder(t, p, nil, OrderFact{ID: "Z1", PlacedAt: dayN(9)}, nil), Deltas{
		"2026-09-10": {"retention_cohort_customers": 1},
		"2026-09-03": {"retention_support_90d_no_ticket": 1},
	})
	expectDeltas(t, p.TicketFiled("TKT-Z", dayN(10)), Deltas{"2026-09-03": {
		"retention_support_customers_no_ticket": -1, "retention_support_90d_no_ticket": -1,
		"retention_support_customers_unresolved": 1, "retention_support_90d_unresolved": 1,
	}})
	// Another ticket's resolution, or a second resolution, settles nothing.
	expectDeltas(t, p.TicketResolved("TKT-OTHER", dayN(10), dayN(11), dayN(13)), Deltas{})
	expectDeltas(t, p.TicketResolved("TKT-Z", dayN(10), dayN(14), dayN(13)), Deltas{"2026-09-03": {
		"retention_support_customers_unresolved": -1, "retention_support_90d_unresolved": -1,
		"retention_support_customers_sla_missed": 1, "retention_support_90d_sla_missed": 1,
	}})
	expectDeltas(t, p.TicketResolved("TKT-Z", dayN(10), dayN(12), dayN(13)), Deltas{})
	// October is another month: a new entry anchored on its first contact.
	expectDeltas(t, p.TicketFiled("TKT-Z2", dayN(40)), Deltas{"2026-10-11": {"retention_support_customers_unresolved": 1}})
	if p.Tickets != 2 || p.Returns != 2 {
		t.Fatalf("totals %+v", p)
	}
}

// An order without contact details (or an older one) never overwrites the name a newer order gave.
func TestContactComesFromTheNewestOrderThatHasOne(t *testing.T) {
	p := &Profile{ID: "c"}
	mustContact := func(name string, updated time.Time) {
		t.Helper()
		if _, err := p.OrderChange(nil, OrderFact{ID: name + updated.String(), PlacedAt: updated, UpdatedAt: updated}, Contact{Name: name}, nil); err != nil {
			t.Fatal(err)
		}
	}
	mustContact("", dayN(5))
	mustContact("Dewi Lestari", dayN(3))
	mustContact("D. Lestari (lama)", dayN(1))
	if p.Name != "Dewi Lestari" {
		t.Fatalf("name %q", p.Name)
	}
}

func TestEmailKeyNormalizes(t *testing.T) {
	if EmailKey(" Budi@Example.CO.id ") != EmailKey("budi@example.co.id") || EmailKey("budi@example.co.id") == EmailKey("budi@example.co") {
		t.Fatal("email keys")
	}
	if (Profile{Name: "  Siti   Rahayu "}).FirstName() != "Siti" || (Profile{}).FirstName() != "" {
		t.Fatal("first name")
	}
}
