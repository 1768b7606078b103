package customer

import (
	"testing"
	"time"
)

// A second order exactly 30, 60 or 90 days after the first counts as retained within that many days (the
// thresholds are inclusive); a moment later it does not.
func TestCohortThresholdsAreInclusive(t *testing.T) {
	for _, c := range []struct {
		after time.Duration
		want  Deltas
	}{
		{30 * day, Deltas{"2026-09-01": {"retention_cohort_30d": 1, "retention_cohort_60d": 1, "retention_cohort_90d": 1}}},
		{30*day + time.Second, Deltas{"2026-09-01": {"retention_cohort_60d": 1, "retention_cohort_90d": 1}}},
		{90 * day, Deltas{"2026-09-01": {"retention_cohort_90d": 1}}},
		{90*day + time.Second, Deltas{}},
	} {
		p := &Profile{ID: "b"}
		mustOrder(t, p, nil, OrderFact{ID: "B1", PlacedAt: t0}, nil)
		got := mustOrder(t, p, nil, OrderFact{ID: "B2", PlacedAt: t0.Add(c.after)}, nil)
		expectDeltas(t, got, c.want)
	}
}

// An order exactly 90 days after a month's first support contact counts as retained after support; one
// placed at the contact itself, or a moment past the 90 days, does not.
func TestSupportWindowIsAfterTheContactAndInclusive(t *testing.T) {
	for _, c := range []struct {
		after    time.Duration
		retained bool
	}{{0, false}, {time.Second, true}, {90 * day, true}, {90*day + time.Second, false}} {
		p := &Profile{ID: "s"}
		p.ReturnRequested(t0)
		got := mustOrder(t, p, nil, OrderFact{ID: "S1", PlacedAt: t0.Add(c.after)}, nil)
		if retained := got["2026-09-01"]["retention_support_90d_no_ticket"] == 1; retained != c.retained {
			t.Errorf("order %v after the contact: deltas %v, retained %v, want %v", c.after, got, retained, c.retained)
		}
	}
}

// A ticket resolved exactly at its due time met its SLA.
func TestResolvedAtTheDueTimeMeetsTheSLA(t *testing.T) {
	p := &Profile{ID: "r"}
	p.TicketFiled("TKT-R", t0)
	got := p.TicketResolved("TKT-R", t0, dayN(2), dayN(2))
	expectDeltas(t, got, Deltas{"2026-09-01": {"retention_support_customers_unresolved": -1, "retention_support_customers_sla_met": 1}})
}

// Cancelling an order that counted takes it out of the cohort and of the support figures; cancelling it
// again, or changing what retention does not look at, changes nothing.
func TestCancellingAnOrderUndoesWhatItCounted(t *testing.T) {
	p := &Profile{ID: "x"}
	p.ReturnRequested(t0)
	o := OrderFact{ID: "X1", PlacedAt: dayN(1), UpdatedAt: dayN(1)}
	mustOrder(t, p, nil, o, nil)
	cancelled := o
	cancelled.Cancelled, cancelled.UpdatedAt = true, dayN(2)
	expectDeltas(t, mustOrder(t, p, &o, cancelled, nil), Deltas{
		"2026-09-02": {"retention_cohort_customers": -1},
		"2026-09-01": {"retention_support_90d_no_ticket": -1},
	})
	again := cancelled
	again.UpdatedAt, again.Units = dayN(3), 5
	expectDeltas(t, mustOrder(t, p, &cancelled, again, nil), Deltas{})
	if p.Retention.Counted != 0 || len(p.Retention.Early) != 0 {
		t.Fatalf("retention %+v", p.Retention)
	}
}

// A one-word name is the first name.
func TestOneWordNameIsTheFirstName(t *testing.T) {
	if got := (Profile{Name: "Siti"}).FirstName(); got != "Siti" {
		t.Fatalf("FirstName = %q", got)
	}
}

// The order after the first is found whatever order the orders are read in.
func TestSecondOrderIsFoundInAnyReadingOrder(t *testing.T) {
	for range 50 {
		r := Retention{Early: map[string]time.Time{"B": dayN(20), "A": dayN(0)}}
		id, first, second, ok := r.first()
		if id != "A" || !first.Equal(dayN(0)) || !ok || !second.Equal(dayN(20)) {
			t.Fatalf("first %s at %v, then %v (%v); want A, then B 20 days later", id, first, second, ok)
		}
	}
}

// An update that changes nothing retention looks at needs no look-up, even when the order is the only
// one in the cohort window and others lie past it.
func TestAnUpdateThatChangesNothingNeedsNoLookup(t *testing.T) {
	p := &Profile{ID: "n"}
	n1 := OrderFact{ID: "N1", PlacedAt: dayN(0), UpdatedAt: dayN(0), Units: 1}
	mustOrder(t, p, nil, n1, nil)
	mustOrder(t, p, nil, OrderFact{ID: "N2", PlacedAt: dayN(100), UpdatedAt: dayN(100)}, nil)
	updated := n1
	updated.UpdatedAt, updated.Units = dayN(101), 2
	expectDeltas(t, mustOrder(t, p, &n1, updated, nil), Deltas{})
}

// A profile whose cohort window lost track of its counted orders (kept before the window was, say) looks
// them up at the next order, and counts the cohort from the real first order.
func TestAProfileWithoutItsWindowLooksTheOrdersUp(t *testing.T) {
	p := &Profile{ID: "l", Orders: 1, Retention: Retention{Counted: 1}}
	o1 := OrderFact{ID: "L1", PlacedAt: dayN(0)}
	o2 := OrderFact{ID: "L2", PlacedAt: dayN(10)}
	got := mustOrder(t, p, nil, o2, []OrderFact{o1, o2})
	expectDeltas(t, got, Deltas{"2026-09-01": {"retention_cohort_customers": 1, "retention_cohort_30d": 1, "retention_cohort_60d": 1, "retention_cohort_90d": 1}})
}

// The first order moved past the later ones: the look-up finds the new first, and the moved order still
// counts in its new place.
func TestMovingTheFirstOrderPastTheOthers(t *testing.T) {
	p := &Profile{ID: "v"}
	v1 := OrderFact{ID: "V1", PlacedAt: dayN(0)}
	v2 := OrderFact{ID: "V2", PlacedAt: dayN(100)}
	mustOrder(t, p, nil, v1, nil)
	mustOrder(t, p, nil, v2, nil)
	moved := v1
	moved.PlacedAt = dayN(110)
	got := mustOrder(t, p, &v1, moved, []OrderFact{moved, v2})
	expectDeltas(t, got, Deltas{
		"2026-09-01": {"retention_cohort_customers": -1},
		"2026-12-10": {"retention_cohort_customers": 1, "retention_cohort_30d": 1, "retention_cohort_60d": 1, "retention_cohort_90d": 1},
	})
}
