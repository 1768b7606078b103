// Package workqueue is the ops work queues: the tickets a team owes an answer or a resolution, most urgent
// first, the returns waiting for a decision, a parcel or a refund, oldest first, and how many of each there
// are. Every view is one partition of the queue index (or a few, merged) read in key order; the counts come
// from counters kept in the transactions that change tickets and returns, plus Queries bounded by a time
// window.
package workqueue

import (
	"context"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/ticket"
)

// Partition is one team's lane of the ticket queue index.
type Partition struct {
	Team escalation.Team
	Lane ticket.Lane
}

// TicketQuery is one page of a ticket view as the store runs it: the partitions in key order (next due,
// created, id), a due-time window, and the filters that narrow what the key selected.
type TicketQuery struct {
	Partitions []Partition
	DueFrom    *time.Time // inclusive
	DueBefore  *time.Time // exclusive
	Statuses   []ticket.Status
	Priorities []ticket.Priority
	Channels   []ticket.Channel
	Categories []ticket.Category
	Assignee   string // an agent ARN
	Unassigned bool
	Unanswered bool
	Limit      int
	Cursor     string
}

// TicketPage is a page of tickets in queue order. A filtered page may hold fewer than Limit tickets and
// still have a NextCursor: each page reads a bounded stretch of the index.
type TicketPage struct {
	Tickets    []ticket.Ticket
	NextCursor string
}

// ReturnQuery is one page of a return queue: one status, oldest first, optionally narrowed.
type ReturnQuery struct {
	Status      returns.Status
	Resolutions []returns.Resolution
	Reasons     []string
	Limit       int
	Cursor      string
}

// ReturnPage is a page of returns, oldest first.
type ReturnPage struct {
	Returns    []returns.Return
	NextCursor string
}

// Due is one active ticket's next due time and priority, as a due-time window Query reads it.
type Due struct {
	Priority ticket.Priority
	At       time.Time
}

// Counters are the queue counters as stored.
type Counters struct {
	Tickets map[ticket.QueueCell]map[string]int64
	Returns map[returns.Status]int64
}

// Store is the port to the queue index and counters.
type Store interface {
	// Tickets reads one page of a ticket view.
	Tickets(ctx context.Context, q TicketQuery) (TicketPage, error)
	// Returns reads one page of a return queue.
	Returns(ctx context.Context, q ReturnQuery) (ReturnPage, error)
	// Counters reads every queue counter (a fixed set of items, whatever the number of tickets).
	Counters(ctx context.Context) (Counters, error)
	// DueBefore lists the team's active tickets whose next due time is before until.
	DueBefore(ctx context.Context, team escalation.Team, until time.Time) ([]Due, error)
}

// ReturnStatuses are the return queues: awaiting a decision, the parcel, the refund.
var ReturnStatuses = []returns.Status{returns.StatusRequested, returns.StatusApproved, returns.StatusReceived}

// DefaultStatuses is the ticket view when no status is asked for: work still owed.
var DefaultStatuses = []ticket.Status{ticket.StatusOpen, ticket.StatusInProgress}

// TicketStatuses are the statuses a ticket view may ask for: those still in a queue (closed tickets are in
// none). A new ticket status that stays in a queue is added here.
var TicketStatuses = []ticket.Status{ticket.StatusOpen, ticket.StatusInProgress, ticket.StatusWaitingOnCustomer, ticket.StatusResolved}

// DueSoonWindow is how far ahead "due within the hour" looks.
const DueSoonWindow = time.Hour

// MaxDueWithin bounds due_within: a week ahead.
const MaxDueWithin = 7 * 24 * time.Hour

// Service serves the queues.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService wires a Service.
func NewService(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Now is the clock views judge breaches and ages by.
func (s *Service) Now() time.Time { return s.now().UTC() }

func invalid(field string) error {
	return failure.Invalid(failure.FieldError{Field: field, Code: "invalid"})
}
