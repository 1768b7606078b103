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
