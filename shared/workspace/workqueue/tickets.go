package workqueue

import (
	"context"
	"slices"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/ticket"
)

// TicketFilter is a ticket view as ops ask for it. Empty lists mean "any" (statuses: DefaultStatuses).
type TicketFilter struct {
	Statuses   []ticket.Status
	Teams      []escalation.Team
	Priorities []ticket.Priority
	Channels   []ticket.Channel
	Categories []ticket.Category
	Assignee   string // an agent's IAM ARN
	Unassigned bool
	Breached   bool          // what the ticket owes now is overdue
	DueWithin  time.Duration // owed within this long from now (not yet overdue); 0: no bound
	Unanswered bool          // no first response yet
}

var channels = []ticket.Channel{ticket.ChannelWeb, ticket.ChannelEmail, ticket.ChannelChat, ticket.ChannelSocial, ticket.ChannelPhone}

// Tickets reads one page of a ticket view, most urgent first (next due time, then oldest), as of now.
func (s *Service) Tickets(ctx context.Context, f TicketFilter, limit int, cursor string) (TicketPage, time.Time, error) {
	now := s.Now()
	q, err := f.query(now)
	if err != nil {
		return TicketPage{}, now, err
	}
	q.Limit, q.Cursor = limit, cursor
	page, err := s.store.Tickets(ctx, q)
	return page, now, err
}

// query turns the filter into the partitions, window and narrowing filters of the view.
func (f TicketFilter) query(now time.Time) (TicketQuery, error) {
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = DefaultStatuses
	}
	for _, st := range statuses {
		if !slices.Contains(TicketStatuses, st) {
			return TicketQuery{}, invalid("status")
		}
	}
	teams := f.Teams
	if len(teams) == 0 {
		teams = escalation.Teams
	}
	for _, t := range teams {
		if !t.Valid() {
			return TicketQuery{}, invalid("team")
		}
	}
	for _, p := range f.Priorities {
		if !p.Valid() {
			return TicketQuery{}, invalid("priority")
		}
	}
	for _, c := range f.Channels {
		if !slices.Contains(channels, c) {
			return TicketQuery{}, invalid("channel")
		}
	}
	for _, c := range f.Categories {
		if !c.Valid() {
			return TicketQuery{}, invalid("category")
		}
	}
	if f.DueWithin < 0 || f.DueWithin > MaxDueWithin {
		return TicketQuery{}, invalid("due_within")
	}
	if f.Unassigned && f.Assignee != "" {
		return TicketQuery{}, invalid("assignee")
	}

	// The lanes the statuses live in select the partitions. The statuses are a filter as well: a lane may
	// hold statuses a view does not ask for (open vs in progress, or a status added later), and a filter
	// that discards nothing costs no reads.
	var lanes []ticket.Lane
	for _, st := range statuses {
		if l := (ticket.Ticket{Status: st}).QueueLane(); !slices.Contains(lanes, l) {
			lanes = append(lanes, l)
		}
	}
	q := TicketQuery{Statuses: statuses, Priorities: f.Priorities, Channels: f.Channels, Categories: f.Categories,
		Assignee: f.Assignee, Unassigned: f.Unassigned, Unanswered: f.Unanswered}
	for _, t := range teams {
		for _, l := range lanes {
			if p := (Partition{Team: t, Lane: l}); !slices.Contains(q.Partitions, p) {
				q.Partitions = append(q.Partitions, p)
			}
		}
	}
	switch {
	case f.Breached && f.DueWithin > 0:
		until := now.Add(f.DueWithin)
		q.DueBefore = &until
	case f.Breached:
		q.DueBefore = &now
	case f.DueWithin > 0:
		until := now.Add(f.DueWithin)
		q.DueFrom, q.DueBefore = &now, &until
	}
	return q, nil
}
