// Package customerevent tells customers, and the shop's own systems, about the changes they care about: a
// write that changes a ticket, a return or an order stores its events in its own transaction (an outbox, as
// escalations do); a relay publishes them to CustomerEventsTopic; the customer's inbox shows them.
package customerevent

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/platform/outbox"
	"github.com/tanggap/tanggap/shared/platform/randomid"
)

// Type names an event. Subscribers filter on it (message attribute "type").
type Type string

const (
	TicketReplied           Type = "ticket.replied"
	TicketWaitingOnCustomer Type = "ticket.waiting_on_customer"
	TicketResolved          Type = "ticket.resolved"
	TicketReopened          Type = "ticket.reopened"
	ReturnApproved          Type = "return.approved"
	ReturnRejected          Type = "return.rejected"
	ReturnReceived          Type = "return.received"
	ReturnRefunded          Type = "return.refunded"
	ReturnCancelled         Type = "return.cancelled"
	RefundIssued            Type = "refund.issued"
	OrderDelivered          Type = "order.delivered"
	SurveyInvited           Type = "survey.invited"
)

// Types lists every event type, in a stable order.
var Types = []Type{TicketReplied, TicketWaitingOnCustomer, TicketResolved, TicketReopened, ReturnApproved, ReturnRejected,
	ReturnReceived, ReturnRefunded, ReturnCancelled, RefundIssued, OrderDelivered, SurveyInvited}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	for _, k := range Types {
		if t == k {
			return true
		}
	}
	return false
}

// InInbox reports whether the customer's inbox shows events of type t. A refund issued is for the shop's
// payment integration; the customer hears about it as the return refunded.
func (t Type) InInbox() bool { return t != RefundIssued }

// InvitesSurvey reports whether an event of type t invites the customer to rate its subject.
func (t Type) InvitesSurvey() bool {
	switch t {
	case TicketResolved, ReturnRefunded, ReturnRejected, OrderDelivered:
		return true
	}
	return false
}

// SubjectType is the kind of thing an event is about (message attribute "subjectType"). The values are the
// survey subject types, so a survey invitation names what to rate.
type SubjectType string

const (
	SubjectTicket SubjectType = "ticket"
	SubjectReturn SubjectType = "return"
	SubjectOrder  SubjectType = "order"
)

// SubjectTypes lists every subject type, in a stable order.
var SubjectTypes = []SubjectType{SubjectTicket, SubjectReturn, SubjectOrder}

// Valid reports whether s is a known subject type.
func (s SubjectType) Valid() bool {
	return s == SubjectTicket || s == SubjectReturn || s == SubjectOrder
}

// Data is what a sender needs beyond the text: ids to link to, the new status, and money for refunds.
type Data struct {
	TicketID string `json:"ticketId,omitempty" dynamodbav:"ticketId,omitempty"`
	ReturnID string `json:"returnId,omitempty" dynamodbav:"returnId,omitempty"`
	OrderID  string `json:"orderId,omitempty" dynamodbav:"orderId,omitempty"`
	// Status is the subject's status after the change.
	Status string `json:"status,omitempty" dynamodbav:"status,omitempty"`
	// Message is an agent's public reply (ticket.replied, ticket.resolved, ticket.waiting_on_customer).
	Message string `json:"message,omitempty" dynamodbav:"message,omitempty"`
	// Amount and Currency (ISO 4217, minor units) of a refund; Method is how it is paid.
	Amount   *int64 `json:"amount,omitempty" dynamodbav:"amount,omitempty"`
	Currency string `json:"currency,omitempty" dynamodbav:"currency,omitempty"`
	Method   string `json:"refundMethod,omitempty" dynamodbav:"refundMethod,omitempty"`
	// PaymentMethod is the order's, so a payment integration knows where the money goes back to.
	PaymentMethod string `json:"paymentMethod,omitempty" dynamodbav:"paymentMethod,omitempty"`
	// RejectionReason is the code of a rejected return's reason.
	RejectionReason string `json:"rejectionReason,omitempty" dynamodbav:"rejectionReason,omitempty"`
	// InvitedBy is the event type that earned a survey invitation.
	InvitedBy Type `json:"invitedBy,omitempty" dynamodbav:"invitedBy,omitempty"`
}

// Event is one change a customer cares about. ID is unique; Sequence increases with every event of the
// same subject (not by one: gaps are normal), so a subscriber can order what it receives.
type Event struct {
	ID          string
	Type        Type
	At          time.Time
	CustomerID  string
	SubjectType SubjectType
	SubjectID   string
	Sequence    int64
	Language    i18n.Lang
	Title       string
	Text        string
	Data        Data
	// LastFailedAt is outbox bookkeeping, not part of the message: when publishing it last failed (zero:
	// never). The sweep tries such events after the others.
	LastFailedAt time.Time
}

// Sequence numbers: a change of version v of its subject numbers its events v*SequenceStep + index, and the
// survey invitation that follows one of them takes v*SequenceStep + InvitationOffset, which no change uses
// (a change writes at most InvitationOffset events for one subject).
const (
	SequenceStep     = 10
	InvitationOffset = SequenceStep - 1
)

// SequenceOf is the sequence number of the index-th event written at version of its subject.
func SequenceOf(version int64, index int) int64 { return version*SequenceStep + int64(index) }

var ids = newIDKind()

// idKind makes event ids that sort by time: EVT-<unix ms, 13 digits>-<random>. The inbox keys items by
// id, so "newest first" is a key order and "read everything up to a time" a key range.
type idKind struct{ random randomid.Kind }

func newIDKind() idKind { return idKind{random: randomid.NewKind("")} }

// NewID returns a fresh event id for an event at t.
func NewID(at time.Time) string {
	return fmt.Sprintf("EVT-%013d-%s", at.UnixMilli(), ids.random.New())
}

// IDBound is the greatest id an event at or before t can have, for key ranges.
func IDBound(t time.Time) string { return fmt.Sprintf("EVT-%013d-~", t.UnixMilli()) }

// Retimed is id with its time part set to t: it sorts among the ids of events at t, and stays at or below
// IDBound(t). The outbox files a failed event under it. An id without an event id's shape is returned as is.
func Retimed(id string, t time.Time) string {
	if !ValidID(id) {
		return id
	}
	return fmt.Sprintf("EVT-%013d-%s", t.UnixMilli(), id[len("EVT-")+13+1:])
}

// ValidID reports whether s has the shape of an event id.
func ValidID(s string) bool {
	rest, ok := strings.CutPrefix(s, "EVT-")
	if !ok || len(rest) != 13+1+16 || rest[13] != '-' {
		return false
	}
	if _, err := strconv.ParseUint(rest[:13], 10, 64); err != nil {
		return false
	}
	return ids.random.Valid(rest[14:])
}

// New builds an event with a fresh id and its title and text rendered in lang.
func New(t Type, at time.Time, customerID string, subject SubjectType, subjectID string, seq int64, lang i18n.Lang, d Data) Event {
	if lang != i18n.English {
		lang = i18n.Indonesian
	}
	e := Event{ID: NewID(at), Type: t, At: at.UTC(), CustomerID: customerID, SubjectType: subject, SubjectID: subjectID,
		Sequence: seq, Language: lang, Data: d}
	e.Title, e.Text = render(e)
	return e
}

// render writes the short title and text of e in its language.
func render(e Event) (title, text string) {
	params := map[string]string{"ticketId": e.Data.TicketID, "returnId": e.Data.ReturnID, "orderId": e.Data.OrderID}
	if e.Data.Amount != nil {
		params["amount"] = money.New(*e.Data.Amount, e.Data.Currency).Display(e.Language)
	}
	code := "notification." + string(e.Type)
	if e.Type == SurveyInvited {
		code += "." + string(e.SubjectType)
	}
	return i18n.Message(e.Language, code+".title", params), i18n.Message(e.Language, code+".text", params)
}

// ErrInvalid is wrapped by every validation failure.
var ErrInvalid = errors.New("invalid customer event")

// MaxKeyLength bounds ids and dedup keys (see outbox.CheckKey).
const MaxKeyLength = outbox.MaxKeyLength

// Validate checks that e can be stored and published.
func (e Event) Validate() error {
	var problems []string
	if !ValidID(e.ID) {
		problems = append(problems, fmt.Sprintf("bad id %q", e.ID))
	}
	if !e.Type.Valid() {
		problems = append(problems, fmt.Sprintf("unknown type %q", e.Type))
	}
	if !e.SubjectType.Valid() {
		problems = append(problems, fmt.Sprintf("unknown subjectType %q", e.SubjectType))
	}
	if msg := outbox.CheckKey(e.SubjectID); msg != "" {
		problems = append(problems, "subjectId "+msg)
	}
	if msg := outbox.CheckKey(e.CustomerID); msg != "" {
		problems = append(problems, "customerId "+msg)
	}
	if e.At.IsZero() {
		problems = append(problems, "at is required")
	}
	if e.Sequence <= 0 {
		problems = append(problems, "sequence must be positive")
	}
	if e.Language != i18n.Indonesian && e.Language != i18n.English {
		problems = append(problems, fmt.Sprintf("unknown language %q", e.Language))
	}
	if e.Title == "" || e.Text == "" {
		problems = append(problems, "title and text are required")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// Invitation is the survey.invited event that follows trigger, once per subject.
func Invitation(trigger Event) Event {
	d := Data{TicketID: trigger.Data.TicketID, ReturnID: trigger.Data.ReturnID, OrderID: trigger.Data.OrderID, InvitedBy: trigger.Type}
	return New(SurveyInvited, trigger.At, trigger.CustomerID, trigger.SubjectType, trigger.SubjectID,
		trigger.Sequence/SequenceStep*SequenceStep+InvitationOffset, trigger.Language, d)
}

// InboxRetentionDays is how long the inbox keeps an event: from its UTC day, 90 whole days more (DynamoDB
// TTL then deletes it; reads leave out anything past its expiry before TTL gets to it).
const InboxRetentionDays = 90

const day = 24 * time.Hour

// InboxExpiry is when an event at t leaves the inbox: the start of the 91st UTC day after t's day. Every
// event of one day expires at the same instant, so the unread counter of that day expires with them.
func InboxExpiry(t time.Time) time.Time {
	return t.UTC().Truncate(day).Add((InboxRetentionDays + 1) * day)
}

// InboxVisibleSince is the earliest event time the inbox still shows at now.
func InboxVisibleSince(now time.Time) time.Time {
	return now.UTC().Truncate(day).Add(-InboxRetentionDays * day)
}
