package ticket

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// Clock says what a target counts: only the shop's business hours, or every hour.
type Clock string

const (
	ClockBusiness Clock = "business"
	ClockCalendar Clock = "calendar"
)

// Target is the SLA promise for one priority, counted from the ticket's creation in its Clock.
type Target struct {
	FirstResponse time.Duration
	Resolution    time.Duration
	Clock         Clock
}

// SLA holds a target per priority.
type SLA map[Priority]Target

// DefaultSLA: urgent 30 min / 4 h on the wall clock; high 2 h / 24 h, normal 8 h / 72 h, low 24 h /
// 120 h in business hours.
func DefaultSLA() SLA {
	return SLA{
		PriorityUrgent: {30 * time.Minute, 4 * time.Hour, ClockCalendar},
		PriorityHigh:   {2 * time.Hour, 24 * time.Hour, ClockBusiness},
		PriorityNormal: {8 * time.Hour, 72 * time.Hour, ClockBusiness},
		PriorityLow:    {24 * time.Hour, 120 * time.Hour, ClockBusiness},
	}
}

// LoadSLA reads SLA_<PRIORITY>_FIRST_RESPONSE_MINUTES, SLA_<PRIORITY>_RESOLUTION_MINUTES (intVar,
// config.Env.Int) and SLA_<PRIORITY>_CLOCK = business|calendar (stringVar, config.Env.Optional),
// defaulting to DefaultSLA. SLA_DEMO_MINUTES > 0 (make run) shortens the low priority's targets for a
// demo: that many minutes to the first response and twice as many to resolution, on the wall clock.
func LoadSLA(intVar func(name string, def int64) int64, stringVar func(name, def string) string) SLA {
	s := DefaultSLA()
	demo := time.Duration(intVar("SLA_DEMO_MINUTES", 0)) * time.Minute
	for _, p := range Priorities {
		t := s[p]
		prefix := "SLA_" + strings.ToUpper(string(p))
		t.FirstResponse = time.Duration(intVar(prefix+"_FIRST_RESPONSE_MINUTES", int64(t.FirstResponse/time.Minute))) * time.Minute
		t.Resolution = time.Duration(intVar(prefix+"_RESOLUTION_MINUTES", int64(t.Resolution/time.Minute))) * time.Minute
		t.Clock = Clock(stringVar(prefix+"_CLOCK", string(t.Clock)))
		if demo > 0 && p == PriorityLow {
			t = Target{demo, 2 * demo, ClockCalendar}
		}
		s[p] = t
	}
	return s
}

// Validate checks every priority has positive targets, answers come before resolutions, and each
// names a known clock.
func (s SLA) Validate() error {
	var errs []error
	for _, p := range Priorities {
		t, ok := s[p]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("sla: no target for %s", p))
		case t.FirstResponse <= 0 || t.Resolution <= 0:
			errs = append(errs, fmt.Errorf("sla: %s targets must be positive", p))
		case t.FirstResponse > t.Resolution:
			errs = append(errs, fmt.Errorf("sla: %s first response target exceeds its resolution target", p))
		case t.Clock != ClockBusiness && t.Clock != ClockCalendar:
			errs = append(errs, fmt.Errorf("sla: %s clock %q is neither business nor calendar", p, t.Clock))
		}
	}
	return errors.Join(errs...)
}

// add is d of the target's time after from.
func (t Target) add(cal calendar.Calendar, from time.Time, d time.Duration) time.Time {
	if t.Clock == ClockBusiness {
		return cal.Add(from, d).UTC()
	}
	return from.Add(d).UTC()
}

// sub is the instant d of the target's time before to.
func (t Target) sub(cal calendar.Calendar, to time.Time, d time.Duration) time.Time {
	if t.Clock == ClockBusiness {
		return cal.Sub(to, d).UTC()
	}
	return to.Add(-d).UTC()
}

// between is the target's time in [from, to).
func (t Target) between(cal calendar.Calendar, from, to time.Time) time.Duration {
	if t.Clock == ClockBusiness {
		return cal.Between(from, to)
	}
	return max(to.Sub(from), 0)
}

// Due returns the first-response and resolution due times of a ticket at p opened at from.
func (s SLA) Due(cal calendar.Calendar, p Priority, from time.Time) (firstResponse, resolution time.Time) {
	t := s[p]
	return t.add(cal, from, t.FirstResponse), t.add(cal, from, t.Resolution)
}

// Breaches says whether the ticket missed its promises, as of now: an answered (resolved) ticket is
// judged by when it was answered (resolved), an open one by the clock; while the ticket waits on the
// customer its resolution clock stands still where it paused.
func Breaches(t Ticket, now time.Time) (firstResponse, resolution bool) {
	late := func(due time.Time, done *time.Time) bool {
		if done != nil {
			return done.After(due)
		}
		return now.After(due)
	}
	resolvedOrPaused := t.ResolvedAt
	if resolvedOrPaused == nil && t.WaitingSince != nil {
		resolvedOrPaused = t.WaitingSince
	}
	return late(t.FirstResponseDueAt, t.FirstRespondedAt), late(t.ResolutionDueAt, resolvedOrPaused)
}

// SLA marks the monitor sets, once per ticket: "<target>:<mark>".
const (
	MarkAtRisk   = "at_risk"
	MarkBreached = "breached"

	TargetFirstResponse = "first_response"
	TargetResolution    = "resolution"
)

func markName(target, mark string) string { return target + ":" + mark }

// HasMark reports whether the ticket carries the mark for target.
func (t Ticket) HasMark(target, mark string) bool {
	for _, m := range t.SLAMarks {
		if m == markName(target, mark) {
			return true
		}
	}
	return false
}

// SLAPolicy is what the SLA clock does besides the targets.
type SLAPolicy struct {
	// AtRiskPercent is the share of a target that may pass before the ticket is marked at risk.
	AtRiskPercent int
	// AutoResolveDays is how many business days a ticket waits on the customer before it resolves.
	AutoResolveDays int
}

// DefaultSLAPolicy: at risk at 75% of a target; auto-resolve after 5 business days without an answer.
func DefaultSLAPolicy() SLAPolicy { return SLAPolicy{AtRiskPercent: 75, AutoResolveDays: 5} }

// LoadSLAPolicy reads SLA_AT_RISK_PERCENT and WAITING_AUTO_RESOLVE_BUSINESS_DAYS through intVar.
func LoadSLAPolicy(intVar func(name string, def int64) int64) SLAPolicy {
	d := DefaultSLAPolicy()
	return SLAPolicy{AtRiskPercent: int(intVar("SLA_AT_RISK_PERCENT", int64(d.AtRiskPercent))),
		AutoResolveDays: int(intVar("WAITING_AUTO_RESOLVE_BUSINESS_DAYS", int64(d.AutoResolveDays)))}
}

// Validate checks the share is a percentage below 100 and the wait at least one day.
func (p SLAPolicy) Validate() error {
	var errs []error
	if p.AtRiskPercent < 1 || p.AtRiskPercent > 99 {
		errs = append(errs, fmt.Errorf("sla: SLA_AT_RISK_PERCENT %d is not within 1..99", p.AtRiskPercent))
	}
	if p.AutoResolveDays < 1 || p.AutoResolveDays > 60 {
		errs = append(errs, fmt.Errorf("sla: WAITING_AUTO_RESOLVE_BUSINESS_DAYS %d is not within 1..60", p.AutoResolveDays))
	}
	return errors.Join(errs...)
}

// targetState is one running target of a ticket: its due time and length, and whether its clock runs.
type targetState struct {
	name    string
	due     time.Time
	length  time.Duration
	running bool
}

// running are the ticket's targets with their state: first response until answered, resolution until
// resolved and not while waiting on the customer.
func (s SLA) running(t Ticket) []targetState {
	done := t.Status == StatusResolved || t.Status == StatusClosed
	tg := s[t.Priority]
	return []targetState{
		{TargetFirstResponse, t.FirstResponseDueAt, tg.FirstResponse, !done && t.FirstRespondedAt == nil},
		{TargetResolution, t.ResolutionDueAt, tg.Resolution, !done && t.WaitingSince == nil},
	}
}

// pendingMark is a mark that falls due at `at`.
type pendingMark struct {
	target, mark string
	at           time.Time
}

// pendingMarks are the marks the ticket has still to get, each with when it falls due: at risk once
// less than (100 - AtRiskPercent)% of the target remains, breached at the due time.
func (s SLA) pendingMarks(cal calendar.Calendar, p SLAPolicy, t Ticket) []pendingMark {
	var out []pendingMark
	clock := s[t.Priority]
	for _, ts := range s.running(t) {
		if !ts.running || ts.due.IsZero() {
			continue
		}
		if !t.HasMark(ts.name, MarkAtRisk) && !t.HasMark(ts.name, MarkBreached) {
			left := ts.length * time.Duration(100-p.AtRiskPercent) / 100
			out = append(out, pendingMark{ts.name, MarkAtRisk, clock.sub(cal, ts.due, left)})
		}
		if !t.HasMark(ts.name, MarkBreached) {
			out = append(out, pendingMark{ts.name, MarkBreached, ts.due})
		}
	}
	return out
}

// NextCheck is when the SLA monitor must look at the ticket next (the earliest pending mark or the
// automatic resolution of a ticket waiting on the customer); nil when nothing is left to watch.
func (s SLA) NextCheck(cal calendar.Calendar, p SLAPolicy, t Ticket) *time.Time {
	var next *time.Time
	consider := func(at time.Time) {
		if next == nil || at.Before(*next) {
			at := at.UTC()
			next = &at
		}
	}
	for _, m := range s.pendingMarks(cal, p, t) {
		consider(m.at)
	}
	if t.Status == StatusWaitingOnCustomer && t.AutoResolveAt != nil {
		consider(*t.AutoResolveAt)
	}
	return next
}
