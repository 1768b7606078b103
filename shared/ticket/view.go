package ticket

import (
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
)

// SLAView is what was promised and whether it was kept; breaches are judged at read time. Due times
// follow the business calendar for targets counted in business hours. While the ticket waits on the
// customer the resolution clock is paused: resolutionDueAt moves by the paused time when it resumes.
type SLAView struct {
	FirstResponseDueAt    time.Time  `json:"firstResponseDueAt"`
	ResolutionDueAt       time.Time  `json:"resolutionDueAt"`
	FirstRespondedAt      *time.Time `json:"firstRespondedAt,omitempty"`
	ResolvedAt            *time.Time `json:"resolvedAt,omitempty"`
	FirstResponseBreached bool       `json:"firstResponseBreached"`
	ResolutionBreached    bool       `json:"resolutionBreached"`
	ResolutionPaused      bool       `json:"resolutionPaused"`
	PausedAt              *time.Time `json:"pausedAt,omitempty"`
	AutoResolveAt         *time.Time `json:"autoResolveAt,omitempty"`
}

// EscalationView is the customer's view of the escalation: whether and when, not to whom.
type EscalationView struct {
	Status      EscalationStatus `json:"status"`
	StatusLabel string           `json:"statusLabel"`
	EscalatedAt *time.Time       `json:"escalatedAt,omitempty"`
}

// TimelineEntry is a public timeline entry as the customer sees it: agents are anonymous.
type TimelineEntry struct {
	Type          EventType `json:"type"`
	Author        string    `json:"author"`
	Body          string    `json:"body,omitempty"`
	Status        Status    `json:"status,omitempty"`
	StatusLabel   string    `json:"statusLabel,omitempty"`
	Priority      Priority  `json:"priority,omitempty"`
	PriorityLabel string    `json:"priorityLabel,omitempty"`
	Target        string    `json:"target,omitempty"`
	TargetLabel   string    `json:"targetLabel,omitempty"`
	At            time.Time `json:"at"`
}

// Labels of a ticket's codes in one language: each view carries "<field>Label" next to the code.
type labels struct{ lang i18n.Lang }

func (l labels) status(s Status) string     { return i18n.Label(l.lang, "ticket_status", string(s)) }
func (l labels) channel(c Channel) string   { return i18n.Label(l.lang, "ticket_channel", string(c)) }
func (l labels) category(c Category) string { return i18n.Label(l.lang, "ticket_category", string(c)) }
func (l labels) priority(p Priority) string { return i18n.Label(l.lang, "ticket_priority", string(p)) }
func (l labels) escalation(e EscalationStatus) string {
	return i18n.Label(l.lang, "escalation_status", string(e))
}
func (l labels) team(t escalation.Team) string { return i18n.Label(l.lang, "team", string(t)) }
func (l labels) target(t string) string        { return i18n.Label(l.lang, "sla_target", t) }

// CustomerView is a ticket as its customer sees it: no internal notes, routing, reasons or agents.
type CustomerView struct {
	TicketID           string          `json:"ticketId"`
	Status             Status          `json:"status"`
	StatusLabel        string          `json:"statusLabel"`
	Channel            Channel         `json:"channel"`
	ChannelLabel       string          `json:"channelLabel"`
	Category           Category        `json:"category"`
	CategoryLabel      string          `json:"categoryLabel"`
	Subject            string          `json:"subject"`
	Description        string          `json:"description"`
	OrderID            string          `json:"orderId,omitempty"`
	StatedUrgency      Priority        `json:"urgency,omitempty"`
	StatedUrgencyLabel string          `json:"urgencyLabel,omitempty"`
	Priority           Priority        `json:"priority"`
	PriorityLabel      string          `json:"priorityLabel"`
	CreatedAt          time.Time       `json:"createdAt"`
	UpdatedAt          time.Time       `json:"updatedAt"`
	SLA                SLAView         `json:"sla"`
	Escalation         EscalationView  `json:"escalation"`
	Timeline           []TimelineEntry `json:"timeline"`
}

// Summary is a ticket in the customer's list.
type Summary struct {
	TicketID      string         `json:"ticketId"`
	Status        Status         `json:"status"`
	StatusLabel   string         `json:"statusLabel"`
	Category      Category       `json:"category"`
	CategoryLabel string         `json:"categoryLabel"`
	Subject       string         `json:"subject"`
	Priority      Priority       `json:"priority"`
	PriorityLabel string         `json:"priorityLabel"`
	CreatedAt     time.Time      `json:"createdAt"`
	UpdatedAt     time.Time      `json:"updatedAt"`
	SLA           SLAView        `json:"sla"`
	Escalation    EscalationView `json:"escalation"`
}

// SLAViewOf is t's SLA as of now: due times, breaches, and the paused resolution clock while it waits on the customer.
func SLAViewOf(t Ticket, now time.Time) SLAView {
	fr, res := Breaches(t, now)
	return SLAView{FirstResponseDueAt: t.FirstResponseDueAt, ResolutionDueAt: t.ResolutionDueAt,
		FirstRespondedAt: t.FirstRespondedAt, ResolvedAt: t.ResolvedAt, FirstResponseBreached: fr, ResolutionBreached: res,
		ResolutionPaused: t.WaitingSince != nil, PausedAt: t.WaitingSince, AutoResolveAt: t.AutoResolveAt}
}

// SummaryOf is t in a customer's list, with breaches as of now and labels in lang.
func SummaryOf(t Ticket, now time.Time, lang i18n.Lang) Summary {
	l := labels{lang}
	return Summary{TicketID: t.ID, Status: t.Status, StatusLabel: l.status(t.Status), Category: t.Category,
		CategoryLabel: l.category(t.Category), Subject: t.Subject, Priority: t.Priority, PriorityLabel: l.priority(t.Priority),
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, SLA: SLAViewOf(t, now),
		Escalation: EscalationView{Status: t.EscalationStatus, StatusLabel: l.escalation(t.EscalationStatus), EscalatedAt: t.EscalatedAt}}
}

// CustomerViewOf renders d for its customer, labels in lang; internal entries are dropped even if d carries them.
func CustomerViewOf(d Detail, now time.Time, lang i18n.Lang) CustomerView {
	t := d.Ticket
	l := labels{lang}
	v := CustomerView{
		TicketID: t.ID, Status: t.Status, StatusLabel: l.status(t.Status), Channel: t.Channel, ChannelLabel: l.channel(t.Channel),
		Category: t.Category, CategoryLabel: l.category(t.Category), Subject: t.Subject,
		Description: t.Description, OrderID: t.OrderID, StatedUrgency: t.StatedUrgency, StatedUrgencyLabel: l.priority(t.StatedUrgency),
		Priority: t.Priority, PriorityLabel: l.priority(t.Priority),
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, SLA: SLAViewOf(t, now),
		Escalation: EscalationView{Status: t.EscalationStatus, StatusLabel: l.escalation(t.EscalationStatus), EscalatedAt: t.EscalatedAt},
		Timeline:   make([]TimelineEntry, 0, len(d.Timeline)),
	}
	for _, e := range d.Timeline {
		if e.Visibility != Public {
			continue
		}
		v.Timeline = append(v.Timeline, TimelineEntry{Type: e.Type, Author: e.Author, Body: e.Body, Status: e.ToStatus,
			StatusLabel: l.status(e.ToStatus), Priority: e.Priority, PriorityLabel: l.priority(e.Priority),
			Target: e.Target, TargetLabel: l.target(e.Target), At: e.At})
	}
	return v
}

// OpsEscalationView is the escalation with its routing.
type OpsEscalationView struct {
	Status                 EscalationStatus `json:"status"`
	StatusLabel            string           `json:"statusLabel"`
	EscalatedPriority      Priority         `json:"escalatedPriority,omitempty"`
	EscalatedPriorityLabel string           `json:"escalatedPriorityLabel,omitempty"`
	DedupKey               string           `json:"dedupKey,omitempty"`
	Team                   escalation.Team  `json:"team,omitempty"`
	TeamLabel              string           `json:"teamLabel,omitempty"`
	EscalatedAt            *time.Time       `json:"escalatedAt,omitempty"`
}

// OpsEntry is any timeline entry, with who did it.
type OpsEntry struct {
	Type            EventType       `json:"type"`
	Visibility      Visibility      `json:"visibility"`
	Author          string          `json:"author"`
	Actor           string          `json:"actor,omitempty"`
	Body            string          `json:"body,omitempty"`
	FromStatus      Status          `json:"fromStatus,omitempty"`
	FromStatusLabel string          `json:"fromStatusLabel,omitempty"`
	ToStatus        Status          `json:"toStatus,omitempty"`
	ToStatusLabel   string          `json:"toStatusLabel,omitempty"`
	Priority        Priority        `json:"priority,omitempty"`
	PriorityLabel   string          `json:"priorityLabel,omitempty"`
	Team            escalation.Team `json:"team,omitempty"`
	TeamLabel       string          `json:"teamLabel,omitempty"`
	Agent           string          `json:"agent,omitempty"`
	Target          string          `json:"target,omitempty"`
	TargetLabel     string          `json:"targetLabel,omitempty"`
	At              time.Time       `json:"at"`
}

// OpsView is the whole ticket for ops.
type OpsView struct {
	TicketID           string            `json:"ticketId"`
	CustomerID         string            `json:"customerId"`
	Status             Status            `json:"status"`
	StatusLabel        string            `json:"statusLabel"`
	Channel            Channel           `json:"channel"`
	ChannelLabel       string            `json:"channelLabel"`
	Category           Category          `json:"category"`
	CategoryLabel      string            `json:"categoryLabel"`
	Subject            string            `json:"subject"`
	Description        string            `json:"description"`
	OrderID            string            `json:"orderId,omitempty"`
	OrderTotal         *money.Shown      `json:"orderTotal,omitempty"`
	StatedUrgency      Priority          `json:"urgency,omitempty"`
	StatedUrgencyLabel string            `json:"urgencyLabel,omitempty"`
	Priority           Priority          `json:"priority"`
	PriorityLabel      string            `json:"priorityLabel"`
	PriorityReasons    []string          `json:"priorityReasons"`
	Team               escalation.Team   `json:"team"`
	TeamLabel          string            `json:"teamLabel"`
	AssignedAgent      string            `json:"assignedAgent,omitempty"`
	CreatedAt          time.Time         `json:"createdAt"`
	UpdatedAt          time.Time         `json:"updatedAt"`
	FirstResolvedAt    *time.Time        `json:"firstResolvedAt,omitempty"`
	ClosedAt           *time.Time        `json:"closedAt,omitempty"`
	SLA                SLAView           `json:"sla"`
	SLAMarks           []string          `json:"slaMarks"`
	Escalation         OpsEscalationView `json:"escalation"`
	Version            int64             `json:"version"`
	Timeline           []OpsEntry        `json:"timeline"`
}

// OpsViewOf renders d for ops, labels in lang.
func OpsViewOf(d Detail, now time.Time, lang i18n.Lang) OpsView {
	t := d.Ticket
	l := labels{lang}
	v := OpsView{
		TicketID: t.ID, CustomerID: t.CustomerID, Status: t.Status, StatusLabel: l.status(t.Status), Channel: t.Channel,
		ChannelLabel: l.channel(t.Channel), Category: t.Category, CategoryLabel: l.category(t.Category),
		Subject: t.Subject, Description: t.Description, OrderID: t.OrderID, StatedUrgency: t.StatedUrgency,
		StatedUrgencyLabel: l.priority(t.StatedUrgency), Priority: t.Priority, PriorityLabel: l.priority(t.Priority),
		PriorityReasons: t.PriorityReasons, Team: t.Team, TeamLabel: l.team(t.Team), AssignedAgent: t.AssignedAgent,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, FirstResolvedAt: t.FirstResolvedAt, ClosedAt: t.ClosedAt,
		SLA: SLAViewOf(t, now), SLAMarks: nonNilMarks(t.SLAMarks), Version: t.Version,
		Escalation: OpsEscalationView{Status: t.EscalationStatus, StatusLabel: l.escalation(t.EscalationStatus),
			EscalatedPriority: t.EscalatedPriority, EscalatedPriorityLabel: l.priority(t.EscalatedPriority),
			DedupKey: t.EscalationDedupKey, Team: t.EscalationTeam, TeamLabel: l.team(t.EscalationTeam), EscalatedAt: t.EscalatedAt},
		Timeline: make([]OpsEntry, 0, len(d.Timeline)),
	}
	if v.PriorityReasons == nil {
		v.PriorityReasons = []string{}
	}
	if t.OrderID != "" {
		m := money.New(t.OrderTotal, t.OrderCurrency).In(lang)
		v.OrderTotal = &m
	}
	for _, e := range d.Timeline {
		v.Timeline = append(v.Timeline, OpsEntry{Type: e.Type, Visibility: e.Visibility, Author: e.Author, Actor: e.Actor,
			Body: e.Body, FromStatus: e.FromStatus, FromStatusLabel: l.status(e.FromStatus), ToStatus: e.ToStatus,
			ToStatusLabel: l.status(e.ToStatus), Priority: e.Priority, PriorityLabel: l.priority(e.Priority), Team: e.Team,
			TeamLabel: l.team(e.Team), Agent: e.Agent, Target: e.Target, TargetLabel: l.target(e.Target), At: e.At})
	}
	return v
}

func nonNilMarks(m []string) []string {
	if m == nil {
		return []string{}
	}
	return m
}
