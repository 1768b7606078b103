package ticket

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Target is the SLA promise for one priority, counted from the ticket's creation.
type Target struct {
	FirstResponse time.Duration
	Resolution    time.Duration
}

// SLA holds a target per priority.
type SLA map[Priority]Target

// DefaultSLA: urgent 30 min / 4 h, high 2 h / 24 h, normal 8 h / 72 h, low 24 h / 120 h.
func DefaultSLA() SLA {
	return SLA{
		PriorityUrgent: {30 * time.Minute, 4 * time.Hour},
		PriorityHigh:   {2 * time.Hour, 24 * time.Hour},
		PriorityNormal: {8 * time.Hour, 72 * time.Hour},
		PriorityLow:    {24 * time.Hour, 120 * time.Hour},
	}
}

// LoadSLA reads SLA_<PRIORITY>_FIRST_RESPONSE_MINUTES and SLA_<PRIORITY>_RESOLUTION_MINUTES through
// intVar (config.Env.Int), defaulting to DefaultSLA.
func LoadSLA(intVar func(name string, def int64) int64) SLA {
	s := DefaultSLA()
	for _, p := range Priorities {
		t := s[p]
		prefix := "SLA_" + strings.ToUpper(string(p))
		t.FirstResponse = time.Duration(intVar(prefix+"_FIRST_RESPONSE_MINUTES", int64(t.FirstResponse/time.Minute))) * time.Minute
		t.Resolution = time.Duration(intVar(prefix+"_RESOLUTION_MINUTES", int64(t.Resolution/time.Minute))) * time.Minute
		s[p] = t
	}
	return s
}

// Validate checks every priority has positive targets and answers come before resolutions.
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
		}
	}
	return errors.Join(errs...)
}

// Due returns the first-response and resolution due times of a ticket at p opened at from.
func (s SLA) Due(p Priority, from time.Time) (firstResponse, resolution time.Time) {
	t := s[p]
	return from.Add(t.FirstResponse).UTC(), from.Add(t.Resolution).UTC()
}

// Breaches says whether the ticket missed its promises, as of now: an answered (resolved) ticket is
// judged by when it was answered (resolved), an open one by the clock.
func Breaches(t Ticket, now time.Time) (firstResponse, resolution bool) {
	late := func(due time.Time, done *time.Time) bool {
		if done != nil {
			return done.After(due)
		}
		return now.After(due)
	}
	return late(t.FirstResponseDueAt, t.FirstRespondedAt), late(t.ResolutionDueAt, t.ResolvedAt)
}
