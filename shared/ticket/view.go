package ticket

import (
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/money"
)

// SLAView is what was promised and whether it was kept; breaches are judged at read time.
type SLAView struct {
	FirstResponseDueAt    time.Time  `json:"firstResponseDueAt"`
	ResolutionDueAt       time.Time  `json:"resolutionDueAt"`
	FirstRespondedAt      *time.Time `json:"firstRespondedAt,omitempty"`
	ResolvedAt            *time.Time `json:"resolvedAt,omitempty"`
	FirstResponseBreached bool       `json:"firstResponseBreached"`
	ResolutionBreached    bool       `json:"resolutionBreached"`
}

// EscalationView is the customer's view of the escalation: whether and when, not to whom.
type EscalationView struct {
	Status      EscalationStatus `json:"status"`
	EscalatedAt *time.Time       `json:"escalatedAt,omitempty"`
}

// TimelineEntry is a public timeline entry as the customer sees it: agents are anonymous.
type TimelineEntry struct {
	Type     EventType `json:"type"`
	Author   string    `json:"author"`
	Body     string    `json:"body,omitempty"`
	Status   Status    `json:"status,omitempty"`
	Priority Priority  `json:"priority,omitempty"`
	At       time.Time `json:"at"`
}

// CustomerView is a ticket as its customer sees it: no internal notes, routing, reasons or agents.
type CustomerView struct {
	TicketID      string          `json:"ticketId"`
	Status        Status          `json:"status"`
	Channel       Channel         `json:"channel"`
	Category      Category        `json:"category"`
	Subject       string          `json:"subject"`
	Description   string          `json:"description"`
	OrderID       string          `json:"orderId,omitempty"`
	StatedUrgency Priority        `json:"urgency,omitempty"`
	Priority      Priority        `json:"priority"`
	CreatedAt     time.Time       `json:"createdAt"`
	UpdatedAt     time.Time       `json:"updatedAt"`
	SLA           SLAView         `json:"sla"`
	Escalation    EscalationView  `json:"escalation"`
	Timeline      []TimelineEntry `json:"timeline"`
}

// Summary is a ticket in the customer's list.
type Summary struct {
	TicketID   string         `json:"ticketId"`
	Status     Status         `json:"status"`
	Category   Category       `json:"category"`
	Subject    string         `json:"subject"`
	Priority   Priority       `json:"priority"`
	CreatedAt  time.Time      `json:"createdAt"`
	UpdatedAt  time.Time      `json:"updatedAt"`
	SLA        SLAView        `json:"sla"`
	Escalation EscalationView `json:"escalation"`
}

func slaView(t Ticket, now time.Time) SLAView {
	fr, res := Breaches(t, now)
	return SLAView{FirstResponseDueAt: t.FirstResponseDueAt, ResolutionDueAt: t.ResolutionDueAt,
		FirstRespondedAt: t.FirstRespondedAt, ResolvedAt: t.ResolvedAt, FirstResponseBreached: fr, ResolutionBreached: res}
}

// SummaryOf is t in a customer's list, with breaches as of now.
func SummaryOf(t Ticket, now time.Time) Summary {
	return Summary{TicketID: t.ID, Status: t.Status, Category: t.Category, Subject: t.Subject, Priority: t.Priority,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, SLA: slaView(t, now),
		Escalation: EscalationView{Status: t.EscalationStatus, EscalatedAt: t.EscalatedAt}}
}

// CustomerViewOf renders d for its customer; internal entries are dropped even if d carries them.
func CustomerViewOf(d Detail, now time.Time) CustomerView {
	t := d.Ticket
	v := CustomerView{
		TicketID: t.ID, Status: t.Status, Channel: t.Channel, Category: t.Category, Subject: t.Subject,
		Description: t.Description, OrderID: t.OrderID, StatedUrgency: t.StatedUrgency, Priority: t.Priority,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, SLA: slaView(t, now),
		Escalation: EscalationView{Status: t.EscalationStatus, EscalatedAt: t.EscalatedAt},
		Timeline:   make([]TimelineEntry, 0, len(d.Timeline)),
	}
	for _, e := range d.Timeline {
		if e.Visibility != Public {
			continue
		}
		v.Timeline = append(v.Timeline, TimelineEntry{Type: e.Type, Author: e.Author, Body: e.Body, Status: e.ToStatus, Priority: e.Priority, At: e.At})
	}
	return v
}

// OpsEscalationView is the escalation with its routing.
type OpsEscalationView struct {
	Status            EscalationStatus `json:"status"`
	EscalatedPriority Priority         `json:"escalatedPriority,omitempty"`
	DedupKey          string           `json:"dedupKey,omitempty"`
	Team              escalation.Team  `json:"team,omitempty"`
	EscalatedAt       *time.Time       `json:"escalatedAt,omitempty"`
}

// OpsEntry is any timeline entry, with who did it.
type OpsEntry struct {
	Type       EventType       `json:"type"`
	Visibility Visibility      `json:"visibility"`
	Author     string          `json:"author"`
	Actor      string          `json:"actor,omitempty"`
	Body       string          `json:"body,omitempty"`
	FromStatus Status          `json:"fromStatus,omitempty"`
	ToStatus   Status          `json:"toStatus,omitempty"`
	Priority   Priority        `json:"priority,omitempty"`
	Team       escalation.Team `json:"team,omitempty"`
	Agent      string          `json:"agent,omitempty"`
	At         time.Time       `json:"at"`
}

// OpsView is the whole ticket for ops.
type OpsView struct {
	TicketID        string            `json:"ticketId"`
	CustomerID      string            `json:"customerId"`
	Status          Status            `json:"status"`
	Channel         Channel           `json:"channel"`
	Category        Category          `json:"category"`
	Subject         string            `json:"subject"`
	Description     string            `json:"description"`
	OrderID         string            `json:"orderId,omitempty"`
	OrderTotal      *money.Money      `json:"orderTotal,omitempty"`
	StatedUrgency   Priority          `json:"urgency,omitempty"`
	Priority        Priority          `json:"priority"`
	PriorityReasons []string          `json:"priorityReasons"`
	Team            escalation.Team   `json:"team"`
	AssignedAgent   string            `json:"assignedAgent,omitempty"`
	CreatedAt       time.Time         `json:"createdAt"`
	UpdatedAt       time.Time         `json:"updatedAt"`
	FirstResolvedAt *time.Time        `json:"firstResolvedAt,omitempty"`
	ClosedAt        *time.Time        `json:"closedAt,omitempty"`
	SLA             SLAView           `json:"sla"`
	Escalation      OpsEscalationView `json:"escalation"`
	Version         int64             `json:"version"`
	Timeline        []OpsEntry        `json:"timeline"`
}

// OpsViewOf renders d for ops.
func OpsViewOf(d Detail, now time.Time) OpsView {
	t := d.Ticket
	v := OpsView{
		TicketID: t.ID, CustomerID: t.CustomerID, Status: t.Status, Channel: t.Channel, Category: t.Category,
		Subject: t.Subject, Description: t.Description, OrderID: t.OrderID, StatedUrgency: t.StatedUrgency,
		Priority: t.Priority, PriorityReasons: t.PriorityReasons, Team: t.Team, AssignedAgent: t.AssignedAgent,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, FirstResolvedAt: t.FirstResolvedAt, ClosedAt: t.ClosedAt,
		SLA: slaView(t, now), Version: t.Version,
		Escalation: OpsEscalationView{Status: t.EscalationStatus, EscalatedPriority: t.EscalatedPriority,
			DedupKey: t.EscalationDedupKey, Team: t.EscalationTeam, EscalatedAt: t.EscalatedAt},
		Timeline: make([]OpsEntry, 0, len(d.Timeline)),
	}
	if v.PriorityReasons == nil {
		v.PriorityReasons = []string{}
	}
	if t.OrderID != "" {
		m := money.New(t.OrderTotal, t.OrderCurrency)
		v.OrderTotal = &m
	}
	for _, e := range d.Timeline {
		v.Timeline = append(v.Timeline, OpsEntry(e))
	}
	return v
}
