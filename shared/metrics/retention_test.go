package metrics

import (
	"reflect"
	"testing"
)

func pct(v float64) *float64 { return &v }

// Retention figures read from summed counters, worked out by hand: 40 first-time customers, 12 of them
// back within 30 days, 18 within 60, 20 within 90; after support, each outcome on its own and in total.
func TestRetentionOfSummedCounters(t *testing.T) {
	got := RetentionOf(Totals{
		RetentionCohortCustomers: 40, CohortCounter(30): 12, CohortCounter(60): 18, CohortCounter(90): 20,
		RetentionSupportCustomersPfx + "sla_met": 10, RetentionSupportRetainedPfx + "sla_met": 6,
		RetentionSupportCustomersPfx + "sla_missed": 5, RetentionSupportRetainedPfx + "sla_missed": 1,
		RetentionSupportCustomersPfx + "unresolved": 4, RetentionSupportRetainedPfx + "unresolved": 1,
		RetentionSupportCustomersPfx + "no_ticket": 0,
	})
	want := RetentionFigures{
		Cohort: CohortRetention{Customers: 40, Within: []RetentionWithin{
			{Days: 30, Customers: 12, Percent: pct(30)}, {Days: 60, Customers: 18, Percent: pct(45)}, {Days: 90, Customers: 20, Percent: pct(50)},
		}},
		AfterSupport: SupportRetention{Customers: 19, OrderedAgain90d: 8, Percent: pct(42.1), ByLastTicketSLA: []SupportOutcome{
			{Outcome: "sla_met", Customers: 10, OrderedAgain90d: 6, Percent: pct(60)},
			{Outcome: "sla_missed", Customers: 5, OrderedAgain90d: 1, Percent: pct(20)},
			{Outcome: "unresolved", Customers: 4, OrderedAgain90d: 1, Percent: pct(25)},
			{Outcome: "no_ticket"},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("retention\n got %+v\nwant %+v", got, want)
	}
}
