package ticket

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// Checked is what one SLA check did to a ticket.
type Checked struct {
	Marks        []string // "<target>:<mark>" set by this check
	Escalated    []string // targets whose breach was queued for escalation
	AutoResolved bool
}

// maxCheckRounds bounds the changes one check makes: each breach escalates in its own change (a change
// carries one outbox item), so a ticket whose two targets passed while the monitor was away needs two.
const maxCheckRounds = 4

// CheckSLA is the SLA monitor's work on one ticket: it marks each running target at risk once (when less
// than 100 - Policy.AtRiskPercent % of it is left) and breached once (when it passed), each mark with an
// internal timeline entry in the same change; a breach also queues an escalation to the ticket's team
// (reason sla_breach, one dedup key per ticket and target). A ticket waiting on the customer past its
// AutoResolveAt is resolved. Every change is conditional on the ticket's version, so overlapping or
// repeated checks mark and escalate once: the loser re-reads and finds nothing left to do.
func (s *Service) CheckSLA(ctx context.Context, id string) (Checked, error) {
	var out Checked
	for round := 0; round < maxCheckRounds; round++ {
		var did Checked
		d, err := s.change(ctx, id, func(before Ticket, now time.Time, cal calendar.Calendar) (Change, error) {
			did = Checked{}
			return s.checkOnce(before, now, cal, &did), nil
		})
		if err != nil {
			return out, err
		}
		out.Marks = append(out.Marks, did.Marks...)
		out.Escalated = append(out.Escalated, did.Escalated...)
		out.AutoResolved = out.AutoResolved || did.AutoResolved
		if len(did.Marks) == 0 && !did.AutoResolved || d.Ticket.NextSLACheckAt == nil || d.Ticket.NextSLACheckAt.After(s.clock()) {
			break
		}
	}
	return out, nil
}

func (s *Service) checkOnce(before Ticket, now time.Time, cal calendar.Calendar, did *Checked) Change {
	ch := next(before, now)
	if before.Status == StatusWaitingOnCustomer && before.AutoResolveAt != nil && !now.Before(*before.AutoResolveAt) {
		s.resolve(&ch, cal, now)
		ch.Events = append(ch.Events, Event{Type: EventAutoResolved, Visibility: Public, Author: AuthorSystem,
			FromStatus: before.Status, ToStatus: StatusResolved, At: now})
		did.AutoResolved = true
		return ch
	}
	pending := s.sla.pendingMarks(cal, s.Policy, before)
	breachedTargets := map[string]bool{} // a target already past breach skips its at-risk mark
	for _, m := range pending {
		if m.mark == MarkBreached && !now.Before(m.at) {
			breachedTargets[m.target] = true
		}
	}
	for _, m := range pending {
		if now.Before(m.at) {
			continue
		}
		switch {
		case m.mark == MarkAtRisk && !breachedTargets[m.target]:
			addMark(&ch, m.target, MarkAtRisk, EventSLAAtRisk, now)
			did.Marks = append(did.Marks, markName(m.target, MarkAtRisk))
		case m.mark == MarkBreached && ch.Escalation == nil:
			if m.target == TargetResolution && before.FirstResolvedAt != nil {
				// A reopened ticket's resolution was counted at its first resolution; mark and escalate only.
				addMark(&ch, m.target, MarkBreached, EventSLABreached, now)
			} else {
				markBreached(&ch, m.target, now)
			}
			escalateBreach(&ch, m.target)
			did.Marks = append(did.Marks, markName(m.target, MarkBreached))
			did.Escalated = append(did.Escalated, m.target)
		}
	}
	if len(did.Marks) == 0 && sameTime(s.sla.NextCheck(cal, s.Policy, before), before.NextSLACheckAt) {
		return Change{Before: before, After: before} // nothing due and the check time is right
	}
	return ch
}

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

// escalateBreach queues the escalation of a breached target to the ticket's team.
func escalateBreach(ch *Change, target string) {
	t := &ch.After
	key := escalation.DedupKey(escalation.SubjectTicket, t.ID, escalation.ReasonSLABreach, target)
	ch.Escalation = &escalation.Escalation{
		DedupKey: key, Reason: escalation.ReasonSLABreach, Team: t.Team, Priority: escalation.Priority(t.Priority),
		SubjectType: escalation.SubjectTicket, SubjectID: t.ID, TicketID: t.ID, CustomerID: t.CustomerID, CreatedAt: ch.At,
	}
	t.EscalationStatus, t.EscalationDedupKey = EscalationPending, key
}

// DueChecks is the port to the SLA check index: the ids of tickets whose next check is due at now, at most
// limit per index partition, read through an index ordered by check time (never a scan).
type DueChecks interface {
	DueSLAChecks(ctx context.Context, now time.Time, limit int) ([]string, error)
}

// Monitor is the scheduled SLA monitor: each run checks every ticket whose check is due.
type Monitor struct {
	Service *Service
	Checks  DueChecks
	// Limit bounds the tickets one run takes per index partition; the rest wait for the next run.
	Limit int
	// Workers check tickets in parallel.
	Workers int
	Log     *slog.Logger
}

// RunResult is what one monitor run did.
type RunResult struct {
	Due, AtRisk, Breached, Escalated, AutoResolved, Failed int
}

// Run checks the due tickets. A ticket that fails is logged and counted, and the run goes on: its check
// stays due, so the next run tries again. Run fails only when the due checks cannot be read.
func (m *Monitor) Run(ctx context.Context) (RunResult, error) {
	ids, err := m.Checks.DueSLAChecks(ctx, m.Service.Now(), max(m.Limit, 1))
	if err != nil {
		return RunResult{}, err
	}
	res := RunResult{Due: len(ids)}
	var mu sync.Mutex
	work := make(chan string)
	var wg sync.WaitGroup
	for range max(m.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				c, err := m.Service.CheckSLA(ctx, id)
				mu.Lock()
				if err != nil {
					res.Failed++
				}
				for _, mk := range c.Marks {
					if strings.HasSuffix(mk, ":"+MarkAtRisk) {
						res.AtRisk++
					} else {
						res.Breached++
					}
				}
				res.Escalated += len(c.Escalated)
				if c.AutoResolved {
					res.AutoResolved++
				}
				mu.Unlock()
				m.logCheck(ctx, id, c, err)
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return res, nil
}

func (m *Monitor) logCheck(ctx context.Context, id string, c Checked, err error) {
	if m.Log == nil {
		return
	}
	switch {
	case errors.Is(err, ErrNotFound):
		m.Log.WarnContext(ctx, "sla check of a missing ticket", slog.String("ticketId", id))
	case err != nil:
		m.Log.ErrorContext(ctx, "sla check failed; the next run retries", slog.String("ticketId", id), slog.Any("err", err))
	case len(c.Marks) > 0 || c.AutoResolved:
		m.Log.InfoContext(ctx, "sla check", slog.String("ticketId", id), slog.Any("marks", c.Marks),
			slog.Any("escalated", c.Escalated), slog.Bool("autoResolved", c.AutoResolved))
	}
}
