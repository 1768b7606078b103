// Package escalation carries urgent work to the right ops team: a write that escalates (a high or urgent
// ticket, a service-recovery survey) stores an outbox item in its own transaction; the relay sends pending
// items to the escalation queue; the consumer records each escalation once and notifies the team.
package escalation

import (
	"errors"
	"fmt"
	"github.com/tanggap/tanggap/shared/platform/outbox"
	"strings"
	"time"
)

// Team is the ops team that owns an escalation. SNS subscribers filter on it.
type Team string

const (
	TeamPayments     Team = "payments"
	TeamLogistics    Team = "logistics"
	TeamTechnical    Team = "technical"
	TeamQuality      Team = "quality"
	TeamLegal        Team = "legal"
	TeamCustomerCare Team = "customer_care"
)

// Teams lists every team, in a stable order.
var Teams = []Team{TeamPayments, TeamLogistics, TeamTechnical, TeamQuality, TeamLegal, TeamCustomerCare}

// Valid reports whether t is a known team.
func (t Team) Valid() bool {
	for _, k := range Teams {
		if t == k {
			return true
		}
	}
	return false
}

// Reason says why something escalated.
type Reason string

const (
	ReasonPriorityHigh    Reason = "priority_high"    // a ticket was filed or raised to high priority
	ReasonPriorityUrgent  Reason = "priority_urgent"  // a ticket was filed or raised to urgent priority
	ReasonServiceRecovery Reason = "service_recovery" // a poor survey answer asks for service recovery
	ReasonSLABreach       Reason = "sla_breach"       // the SLA monitor found a ticket's target passed unmet
)

// Reasons lists every reason, in a stable order.
var Reasons = []Reason{ReasonPriorityHigh, ReasonPriorityUrgent, ReasonServiceRecovery, ReasonSLABreach}

// Valid reports whether r is a known reason.
func (r Reason) Valid() bool {
	for _, k := range Reasons {
		if r == k {
			return true
		}
	}
	return false
}

// Priority mirrors the ticket priorities; a service recovery names the priority ops should give it.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	switch p {
	case PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent:
		return true
	}
	return false
}

// SubjectType is the kind of thing that escalated.
type SubjectType string

const (
	SubjectTicket SubjectType = "ticket"
	SubjectSurvey SubjectType = "survey"
	SubjectReturn SubjectType = "return"
	SubjectOrder  SubjectType = "order"
)

// Valid reports whether s is a known subject type.
func (s SubjectType) Valid() bool {
	switch s {
	case SubjectTicket, SubjectSurvey, SubjectReturn, SubjectOrder:
		return true
	}
	return false
}

// Escalation is one request for a team's attention. DedupKey identifies it across the outbox, the queue
// and the consumer: the same key is queued once and recorded once, however often it is delivered.
type Escalation struct {
	DedupKey    string
	Reason      Reason
	Team        Team
	Priority    Priority
	SubjectType SubjectType
	SubjectID   string
	TicketID    string // the ticket to mark escalated; equals SubjectID for ticket subjects, optional otherwise
	CustomerID  string
	CreatedAt   time.Time
	// LastFailedAt is outbox bookkeeping, not part of the message: when sending it last failed (zero: never).
	// The sweep tries such escalations after the others.
	LastFailedAt time.Time
}

// DedupKey builds the key for an escalation of subject for reason. One subject escalates at most once
// per reason; callers that may escalate the same subject again for the same reason add a discriminator
// (e.g. the time of the priority change) as extra.
func DedupKey(subject SubjectType, subjectID string, reason Reason, extra ...string) string {
	parts := append([]string{string(subject), subjectID, string(reason)}, extra...)
	return strings.Join(parts, ":")
}

// MaxKeyLength bounds ids and dedup keys (see outbox.CheckKey).
const MaxKeyLength = outbox.MaxKeyLength

// ErrInvalid is wrapped by every validation failure.
var ErrInvalid = errors.New("invalid escalation")

// Validate checks that e can be stored, sent and recorded.
func (e Escalation) Validate() error {
	var problems []string
	if msg := outbox.CheckKey(e.DedupKey); msg != "" {
		problems = append(problems, "dedupKey "+msg)
	}
	if !e.Reason.Valid() {
		problems = append(problems, fmt.Sprintf("unknown reason %q", e.Reason))
	}
	if !e.Team.Valid() {
		problems = append(problems, fmt.Sprintf("unknown team %q", e.Team))
	}
	if !e.Priority.Valid() {
		problems = append(problems, fmt.Sprintf("unknown priority %q", e.Priority))
	}
	if !e.SubjectType.Valid() {
		problems = append(problems, fmt.Sprintf("unknown subjectType %q", e.SubjectType))
	}
	if msg := outbox.CheckKey(e.SubjectID); msg != "" {
		problems = append(problems, "subjectId "+msg)
	}
	if e.SubjectType == SubjectTicket && e.TicketID != e.SubjectID {
		problems = append(problems, "ticketId must equal subjectId for a ticket subject")
	}
	if e.TicketID != "" {
		if msg := outbox.CheckKey(e.TicketID); msg != "" {
			problems = append(problems, "ticketId "+msg)
		}
	}
	if msg := outbox.CheckKey(e.CustomerID); msg != "" {
		problems = append(problems, "customerId "+msg)
	}
	if e.CreatedAt.IsZero() {
		problems = append(problems, "createdAt is required")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}
