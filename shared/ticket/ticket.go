// Package ticket is complaints: each complaint is a ticket with a derived priority, SLA due times, an
// escalation to the team that can fix it, and a timeline the customer sees (public entries) next to the
// notes only ops see (internal entries).
package ticket

import (
	"context"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Channel is where the customer complained.
type Channel string

const (
	ChannelWeb    Channel = "web"
	ChannelEmail  Channel = "email"
	ChannelChat   Channel = "chat"
	ChannelSocial Channel = "social"
	ChannelPhone  Channel = "phone"
)

// Category is what the complaint is about; it picks the default team and the base priority.
type Category string

const (
	CategoryOrderIssue     Category = "order_issue"
	CategoryDelivery       Category = "delivery"
	CategoryPayment        Category = "payment"
	CategoryRefund         Category = "refund"
	CategoryProductQuality Category = "product_quality"
	CategoryTechnical      Category = "technical"
	CategoryAccount        Category = "account"
	CategoryFraud          Category = "fraud"
	CategoryOther          Category = "other"
)

// Status of a ticket: open -> in_progress -> resolved -> closed; resolved/closed can be reopened. An
// agent's request for information puts an open or in-progress ticket in waiting_on_customer, which stops
// its resolution clock until the customer writes (back to in_progress) or it resolves by itself.
type Status string

const (
	StatusOpen              Status = "open"
	StatusInProgress        Status = "in_progress"
	StatusWaitingOnCustomer Status = "waiting_on_customer"
	StatusResolved          Status = "resolved"
	StatusClosed            Status = "closed"
)

// Statuses lists every status, in life-cycle order.
var Statuses = []Status{StatusOpen, StatusInProgress, StatusWaitingOnCustomer, StatusResolved, StatusClosed}

// Active reports whether work on the ticket is still to be done (open, in progress or waiting).
func (s Status) Active() bool {
	return s == StatusOpen || s == StatusInProgress || s == StatusWaitingOnCustomer
}

// EscalationStatus follows the ticket's escalation: pending once the outbox item is written in the
// ticket's own transaction, escalated once the escalation consumer recorded it.
type EscalationStatus string

const (
	EscalationNone      EscalationStatus = "none"
	EscalationPending   EscalationStatus = "pending"
	EscalationEscalated EscalationStatus = "escalated"
)

// Text limits, in characters (runes).
const (
	MaxSubject     = 150
	MaxDescription = 5000
	MaxMessage     = 5000
	// MaxVersion bounds how many changes one ticket takes, so its timeline stays readable in one query.
	MaxVersion = 500
)

// Ticket as stored.
type Ticket struct {
	ID              string
	CustomerID      string
	CustomerName    string // as the identity provider gave it when the ticket was filed
	CustomerContact string // the customer's email, masked (MaskEmail), as filed: what ops queues show
	Language        string // the customer's language when filing (Accept-Language: "id" or "en"); replies render in it
	Channel         Channel
	Category        Category
	Subject         string
	Description     string
	OrderID         string
	OrderTotal      int64 // minor units of OrderCurrency; only with OrderID
	OrderCurrency   string
	StatedUrgency   Priority // empty when the customer stated none

	Status          Status
	Priority        Priority
	PriorityReasons []string
	Team            escalation.Team // the team that owns the ticket now
	AssignedAgent   string          // IAM principal ARN of the agent; internal only

	CreatedAt          time.Time
	UpdatedAt          time.Time
	FirstResponseDueAt time.Time
	ResolutionDueAt    time.Time
	FirstRespondedAt   *time.Time
	ResolvedAt         *time.Time // the current resolution; cleared by reopen
	FirstResolvedAt    *time.Time // the first resolution ever; resolution metrics count it once
	ClosedAt           *time.Time

	// WaitingSince is when the ticket started waiting on the customer (its resolution clock stopped);
	// AutoResolveAt when it resolves by itself if the customer does not answer. Both only while waiting.
	WaitingSince  *time.Time
	AutoResolveAt *time.Time
	// SLAMarks are the SLA monitor's marks, "<target>:<mark>", each set once.
	SLAMarks []string
	// NextSLACheckAt is when the SLA monitor must look at the ticket next; nil when nothing is left.
	NextSLACheckAt *time.Time

	EscalationStatus   EscalationStatus
	EscalatedPriority  Priority        // the highest priority an escalation was sent for
	EscalationDedupKey string          // the latest escalation written to the outbox
	EscalationTeam     escalation.Team // set by the escalation consumer
	EscalatedAt        *time.Time

	// Version increases with every change made through the service; writes are conditional on it.
	Version int64
}

// Visibility of a timeline entry.
type Visibility string

const (
	Public   Visibility = "public"
	Internal Visibility = "internal"
)

// EventType names a timeline entry.
type EventType string

const (
	EventCreated         EventType = "created"
	EventCustomerMessage EventType = "customer_message"
	EventAgentReply      EventType = "agent_reply"
	EventInternalNote    EventType = "internal_note"
	EventAssigned        EventType = "assigned"
	EventResolved        EventType = "resolved"
	EventClosed          EventType = "closed"
	EventReopened        EventType = "reopened"
	EventPriorityChanged EventType = "priority_changed"
	EventEscalated       EventType = "escalated"
	EventSLAPaused       EventType = "sla_paused"    // waiting on the customer: the resolution clock stopped
	EventSLAResumed      EventType = "sla_resumed"   // the customer wrote (or an agent took it back): the clock runs
	EventSLAAtRisk       EventType = "sla_at_risk"   // the monitor: most of a target has passed (internal)
	EventSLABreached     EventType = "sla_breached"  // the monitor: a target passed unmet (internal)
	EventAutoResolved    EventType = "auto_resolved" // no answer from the customer within the wait
)

// Author kinds. Customers never see an operator's name, only that an agent wrote.
const (
	AuthorCustomer = "customer"
	AuthorAgent    = "agent"
	AuthorSystem   = "system"
)

// Event is one timeline entry. Ops entries double as the audit trail: Actor is the operator's name.
type Event struct {
	Type       EventType
	Visibility Visibility
	Author     string
	Actor      string // operator name for ops changes; empty for customer and system entries
	Body       string
	FromStatus Status
	ToStatus   Status
	Priority   Priority
	Team       escalation.Team
	Agent      string // assignee ARN; internal entries only
	Target     string // SLA entries: first_response or resolution
	At         time.Time
}

// Page of a customer's tickets, newest first.
type Page struct {
	Tickets    []Ticket
	NextCursor string
}

// Failures.
var (
	ErrNotFound       = failure.NotFound("ticket_not_found")
	ErrOrderNotFound  = failure.NotFound("order_not_found")
	ErrChanged        = failure.Conflict("ticket_changed")
	ErrClosed         = failure.Conflict("ticket_closed")
	ErrTooManyChanges = failure.Rejected("ticket_too_many_changes")
)

// Change is one conditional write to a ticket: it applies only while the stored ticket still has
// Before's version and status, and it writes After's state, the new timeline entries, the metric
// counters of At's day and, when Escalation is set, the escalation outbox item, all in one transaction.
type Change struct {
	Before     Ticket
	After      Ticket
	Events     []Event
	Counters   map[string]int64
	Escalation *escalation.Escalation
	// AddMarks are SLA marks this change sets; the write fails with ErrChanged if one is set already.
	AddMarks []string
	At       time.Time
	// MacroID is the saved reply the change's message was written with: its usage is counted in the same
	// transaction.
	MacroID string
}

// Store is the port to ticket storage.
type Store interface {
	// Create writes a new ticket (version 1) with its first timeline entries, counters and escalation.
	Create(ctx context.Context, c Change) error
	// Read returns the ticket header and all its timeline entries, oldest first, strongly consistent, in
	// one read; or ErrNotFound.
	Read(ctx context.Context, id string) (Ticket, []Event, error)
	// Update applies c, or returns ErrChanged when the ticket moved on since c.Before was read.
	Update(ctx context.Context, c Change) error
	// ListByCustomer pages a customer's tickets, newest first; the cursor resumes within that customer only.
	ListByCustomer(ctx context.Context, customerID string, limit int, cursor string) (Page, error)
	// CountByCustomer counts the customer's tickets created in [from, to].
	CountByCustomer(ctx context.Context, customerID string, from, to time.Time) (int, error)
}
