package customer

import (
	"slices"
	"time"

	"github.com/tanggap/tanggap/shared/metrics"
)

// Retention is the part of the profile the retention counters are derived from. The customer's
// contribution to every counter is a pure function of it (counts); each change bumps the counters by
// the difference between its contribution after and before, so the counters always equal the sum over
// customers of what their current state says, whatever order the changes arrived in.
type Retention struct {
	// Counted is how many of the customer's orders are not cancelled.
	Counted int
	// Early holds the counted orders placed within 90 days of the earliest counted one (that one
	// included), by id: all the cohort figure ever needs to look at.
	Early map[string]time.Time
	// Support holds one entry per month (YYYY-MM, WIB) in which the customer contacted support.
	Support map[string]SupportEntry
}

// SupportEntry is a customer's support contact in one month.
type SupportEntry struct {
	Anchor       time.Time // the month's first ticket or return request
	LastTicketID string    // the month's latest ticket; empty when the month had only returns
	Outcome      string    // one of metrics.SupportOutcomes
	Orders       []string  // counted orders placed in (Anchor, Anchor+90 days]
}

// Outcomes of a month's last ticket.
const (
	OutcomeSLAMet     = "sla_met"
	OutcomeSLAMissed  = "sla_missed"
	OutcomeUnresolved = "unresolved"
	OutcomeNoTicket   = "no_ticket"
)

const (
	day          = 24 * time.Hour
	cohortWindow = 90 * day
	supportWin   = 90 * day
)

// Deltas are counter changes by counter day (YYYY-MM-DD).
type Deltas map[string]map[string]int64

func (d Deltas) add(day, name string, n int64) {
	if d[day] == nil {
		d[day] = map[string]int64{}
	}
	d[day][name] += n
}

// Month is the support month of t (YYYY-MM in the counters' zone).
func Month(t time.Time) string { return t.In(metrics.Zone).Format("2006-01") }

// first returns the earliest order of Early (ties: smallest id) and the next one after it.
func (r Retention) first() (firstID string, first, second time.Time, hasSecond bool) {
	for id, at := range r.Early {
		if firstID == "" || at.Before(first) || (at.Equal(first) && id < firstID) {
			if firstID != "" {
				second, hasSecond = first, true
			}
			firstID, first = id, at
			continue
		}
		if !hasSecond || at.Before(second) {
			second, hasSecond = at, true
		}
	}
	return firstID, first, second, hasSecond
}

// counts is the customer's contribution to every retention counter.
func (r Retention) counts() Deltas {
	d := Deltas{}
	if firstID, first, second, ok := r.first(); firstID != "" {
		cohortDay := metrics.Day(first)
		d.add(cohortDay, metrics.RetentionCohortCustomers, 1)
		for _, days := range metrics.RetentionDays {
			if ok && second.Sub(first) <= time.Duration(days)*day {
				d.add(cohortDay, metrics.CohortCounter(days), 1)
			}
		}
	}
	for _, e := range r.Support {
		anchorDay := metrics.Day(e.Anchor)
		d.add(anchorDay, metrics.RetentionSupportCustomersPfx+e.Outcome, 1)
		if len(e.Orders) > 0 {
			d.add(anchorDay, metrics.RetentionSupportRetainedPfx+e.Outcome, 1)
		}
	}
	return d
}

// diff is after − before, without zero entries.
func diff(before, after Deltas) Deltas {
	out := Deltas{}
	for dayKey, names := range after {
		for n, v := range names {
			if w := v - before[dayKey][n]; w != 0 {
				out.add(dayKey, n, w)
			}
		}
	}
	for dayKey, names := range before {
		for n, v := range names {
			if _, ok := after[dayKey][n]; !ok && v != 0 {
				out.add(dayKey, n, -v)
			}
		}
	}
	return out
}

// change runs mutate and returns the counter changes it caused.
func (r *Retention) change(mutate func() error) (Deltas, error) {
	before := r.counts()
	if err := mutate(); err != nil {
		return nil, err
	}
	return diff(before, r.counts()), nil
}

// orderChange moves an order's fact from before (nil when new) to after.
func (r *Retention) orderChange(before *OrderFact, after OrderFact, allCounted func() ([]OrderFact, error)) (Deltas, error) {
	if before != nil && before.Cancelled == after.Cancelled && before.PlacedAt.Equal(after.PlacedAt) {
		return Deltas{}, nil // nothing retention looks at changed
	}
	return r.change(func() error {
		if r.Early == nil {
			r.Early = map[string]time.Time{}
		}
		rebuild := false
		if before != nil && !before.Cancelled {
			firstID, _, _, _ := r.first()
			r.Counted--
			delete(r.Early, before.ID)
			r.dropSupportOrder(before.ID)
			// The first order cancelled or moved later: orders past its 90 days may now fall in the window.
			// Only when Early lacks some counted order is there anything to look up.
			rebuild = firstID == before.ID && (after.Cancelled || after.PlacedAt.After(before.PlacedAt)) && r.Counted > len(r.Early)
		}
		if !after.Cancelled {
			if len(r.Early) == 0 && r.Counted > 0 {
				rebuild = true
			}
			r.Counted++
			r.addSupportOrder(after)
			r.Early[after.ID] = after.PlacedAt
		}
		if rebuild {
			facts, err := allCounted()
			if err != nil {
				return err
			}
			r.Early = map[string]time.Time{}
			for _, f := range facts {
				if f.ID != after.ID && !f.Cancelled {
					r.Early[f.ID] = f.PlacedAt
				}
			}
			if !after.Cancelled {
				r.Early[after.ID] = after.PlacedAt
			}
		}
		r.trimEarly()
		return nil
	})
}

// trimEarly keeps only the orders within the cohort window of the earliest.
func (r *Retention) trimEarly() {
	_, first, _, _ := r.first()
	for id, at := range r.Early {
		if at.Sub(first) > cohortWindow {
			delete(r.Early, id)
		}
	}
}

func (r *Retention) addSupportOrder(o OrderFact) {
	for m, e := range r.Support {
		if o.PlacedAt.After(e.Anchor) && o.PlacedAt.Sub(e.Anchor) <= supportWin && !slices.Contains(e.Orders, o.ID) {
			e.Orders = append(e.Orders, o.ID)
			r.Support[m] = e
		}
	}
}

func (r *Retention) dropSupportOrder(id string) {
	for m, e := range r.Support {
		if i := slices.Index(e.Orders, id); i >= 0 {
			e.Orders = slices.Delete(e.Orders, i, i+1)
			r.Support[m] = e
		}
	}
}

// contact records a ticket (ticketID set) or a return request at at.
func (r *Retention) contact(ticketID string, at time.Time) Deltas {
	d, _ := r.change(func() error {
		if r.Support == nil {
			r.Support = map[string]SupportEntry{}
		}
		m := Month(at)
		e, ok := r.Support[m]
		if !ok {
			e = SupportEntry{Anchor: at, Outcome: OutcomeNoTicket}
		}
		if ticketID != "" {
			e.LastTicketID, e.Outcome = ticketID, OutcomeUnresolved
		}
		r.Support[m] = e
		return nil
	})
	return d
}

// resolved settles the outcome of the month's last ticket at its first resolution.
func (r *Retention) resolved(ticketID string, createdAt, resolvedAt, dueAt time.Time) Deltas {
	d, _ := r.change(func() error {
		m := Month(createdAt)
		e, ok := r.Support[m]
		if !ok || e.LastTicketID != ticketID || e.Outcome != OutcomeUnresolved {
			return nil
		}
		e.Outcome = OutcomeSLAMet
		if resolvedAt.After(dueAt) {
			e.Outcome = OutcomeSLAMissed
		}
		r.Support[m] = e
		return nil
	})
	return d
}
