package metrics

import "strconv"

// Retention counters (definitions in the README, "Customer retention"). They sit in the daily counter
// items of the day a cohort is anchored on: a customer's first order (cohort) or their first support
// contact of a month (after support). The customer profile bumps them when a customer enters or
// leaves a cohort or crosses a threshold, never by reading orders.
const (
	RetentionCohortCustomers = "retention_cohort_customers"
	RetentionCohortPfx       = "retention_cohort_" // + 30d | 60d | 90d

	RetentionSupportCustomersPfx = "retention_support_customers_" // + outcome
	RetentionSupportRetainedPfx  = "retention_support_90d_"       // + outcome
)

// RetentionDays are the cohort thresholds.
var RetentionDays = []int{30, 60, 90}

// SupportOutcomes split the after-support cohort by the customer's last ticket of the month.
var SupportOutcomes = []string{"sla_met", "sla_missed", "unresolved", "no_ticket"}

// RetentionFigures are both retention figures of the customers anchored in the report's days.
type RetentionFigures struct {
	Cohort       CohortRetention  `json:"cohort"`
	AfterSupport SupportRetention `json:"afterSupport"`
}

// CohortRetention: of the customers whose first order fell in the range, those who ordered again
// within 30, 60 and 90 days of it.
type CohortRetention struct {
	Customers int64             `json:"customers"`
	Within    []RetentionWithin `json:"orderedAgainWithin"`
}

// RetentionWithin is one threshold.
type RetentionWithin struct {
	Days      int      `json:"days"`
	Customers int64    `json:"customers"`
	Percent   *float64 `json:"percent"`
}

// SupportRetention: of the customers whose first support contact of a month fell in the range, those
// who ordered again within 90 days of it, in total and by the outcome of their last ticket that month.
type SupportRetention struct {
	Customers       int64            `json:"customers"`
	OrderedAgain90d int64            `json:"orderedAgainWithin90Days"`
	Percent         *float64         `json:"percent"`
	ByLastTicketSLA []SupportOutcome `json:"byLastTicketSla"`
}

// SupportOutcome is one part of the split.
type SupportOutcome struct {
	Outcome         string   `json:"outcome"`
	Customers       int64    `json:"customers"`
	OrderedAgain90d int64    `json:"orderedAgainWithin90Days"`
	Percent         *float64 `json:"percent"`
}

// RetentionOf reads the retention figures from summed counters.
func RetentionOf(t Totals) RetentionFigures {
	var r RetentionFigures
	r.Cohort.Customers = t[RetentionCohortCustomers]
	for _, d := range RetentionDays {
		n := t[RetentionCohortPfx+dayLabel(d)]
		r.Cohort.Within = append(r.Cohort.Within, RetentionWithin{Days: d, Customers: n, Percent: percent(n, r.Cohort.Customers)})
	}
	for _, o := range SupportOutcomes {
		c, k := t[RetentionSupportCustomersPfx+o], t[RetentionSupportRetainedPfx+o]
		r.AfterSupport.Customers += c
		r.AfterSupport.OrderedAgain90d += k
		r.AfterSupport.ByLastTicketSLA = append(r.AfterSupport.ByLastTicketSLA,
			SupportOutcome{Outcome: o, Customers: c, OrderedAgain90d: k, Percent: percent(k, c)})
	}
	r.AfterSupport.Percent = percent(r.AfterSupport.OrderedAgain90d, r.AfterSupport.Customers)
	return r
}

// CohortCounter names the counter of a cohort threshold in days (30, 60, 90).
func CohortCounter(days int) string { return RetentionCohortPfx + dayLabel(days) }

func dayLabel(d int) string { return strconv.Itoa(d) + "d" }
