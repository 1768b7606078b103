package workqueue

import (
	"context"
	"sync"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/ticket"
)

// TicketCount is one team and priority's ticket queue.
type TicketCount struct {
	Team       escalation.Team
	Priority   ticket.Priority
	Open       int64 // open or in progress (counter)
	Unanswered int64 // of those, nobody answered yet (counter)
	Breached   int64 // what the ticket owes now is overdue (due-time index)
	DueSoon    int64 // owed within DueSoonWindow, not overdue yet (due-time index)
}

// ReturnCount is one return queue.
type ReturnCount struct {
	Status returns.Status
	Open   int64
}

// Counts are every queue's size, as of AsOf.
type Counts struct {
	AsOf    time.Time
	Tickets []TicketCount // every team × priority, in escalation.Teams × ticket.Priorities order (most urgent first)
	Returns []ReturnCount // in ReturnStatuses order
}

// Counts reads the counters (a fixed number of items) and, per team, the active tickets due before the end
// of DueSoonWindow (a Query bounded by that window and by what is overdue).
func (s *Service) Counts(ctx context.Context) (Counts, error) {
	now := s.Now()
	c, err := s.store.Counters(ctx)
	if err != nil {
		return Counts{}, err
	}
	dues := make([][]Due, len(escalation.Teams))
	errs := make([]error, len(escalation.Teams))
	var wg sync.WaitGroup
	for i, team := range escalation.Teams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dues[i], errs[i] = s.store.DueBefore(ctx, team, now.Add(DueSoonWindow))
		}()
	}
	wg.Wait()
	out := Counts{AsOf: now}
	for i, team := range escalation.Teams {
		if errs[i] != nil {
			return Counts{}, errs[i]
		}
		breached, soon := map[ticket.Priority]int64{}, map[ticket.Priority]int64{}
		for _, d := range dues[i] {
			if now.After(d.At) { // the rule ticket.Breaches judges by
				breached[d.Priority]++
			} else {
				soon[d.Priority]++
			}
		}
		for j := len(ticket.Priorities) - 1; j >= 0; j-- {
			p := ticket.Priorities[j]
			cell := c.Tickets[ticket.QueueCell{Team: team, Priority: p}]
			out.Tickets = append(out.Tickets, TicketCount{Team: team, Priority: p,
				Open: cell[ticket.CounterOpen], Unanswered: cell[ticket.CounterUnanswered],
				Breached: breached[p], DueSoon: soon[p]})
		}
	}
	for _, st := range ReturnStatuses {
		out.Returns = append(out.Returns, ReturnCount{Status: st, Open: c.Returns[st]})
	}
	return out, nil
}
