package customerevent

import (
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/ticket"
)

// FromTicketChange is the events a ticket change tells its customer about: an agent's public reply, the
// ticket waiting on the customer (a reply asking for information is both), resolved, or reopened by ops (a
// customer reopening their own ticket needs no notice).
func FromTicketChange(c ticket.Change) []Event {
	t := c.After
	var out []Event
	add := func(typ Type, at time.Time, message string) {
		out = append(out, New(typ, at, t.CustomerID, SubjectTicket, t.ID, SequenceOf(t.Version, len(out)), i18n.Lang(t.Language),
			Data{TicketID: t.ID, Status: string(t.Status), Message: message}))
	}
	reply := ""
	for _, e := range c.Events {
		switch {
		case e.Visibility != ticket.Public:
		case e.Type == ticket.EventAgentReply:
			reply = e.Body
			add(TicketReplied, e.At, e.Body)
		case e.Type == ticket.EventResolved:
			add(TicketResolved, e.At, e.Body)
		case e.Type == ticket.EventReopened && e.Author == ticket.AuthorAgent:
			add(TicketReopened, e.At, e.Body)
		}
	}
	if t.Status == ticket.StatusWaitingOnCustomer && c.Before.Status != ticket.StatusWaitingOnCustomer && c.Before.Version != 0 {
		add(TicketWaitingOnCustomer, c.At, reply) // the reply says what the customer should answer
	}
	return out
}

// FromReturnTransition is the events of a return moving from prev to next: its new status and, for a
// refund, the refund issued to the payment integration with its amount.
func FromReturnTransition(prev, next returns.Return) []Event {
	var typ Type
	switch next.Status {
	case returns.StatusApproved:
		typ = ReturnApproved
	case returns.StatusRejected:
		typ = ReturnRejected
	case returns.StatusReceived:
		typ = ReturnReceived
	case returns.StatusRefunded:
		typ = ReturnRefunded
	case returns.StatusCancelled:
		typ = ReturnCancelled
	default:
		return nil
	}
	if prev.Status == next.Status {
		return nil
	}
	v := int64(next.Version)
	d := Data{ReturnID: next.ID, OrderID: next.OrderID, Status: string(next.Status)}
	if next.Rejection != nil {
		d.RejectionReason = string(next.Rejection.Reason)
	}
	var refund *Data
	if typ == ReturnRefunded && next.Final != nil {
		amount := next.Final.Total
		d.Amount, d.Currency, d.Method = &amount, next.Final.Currency, string(next.Final.Method)
		r := d
		r.PaymentMethod = next.PaymentMethod
		refund = &r
	}
	out := []Event{New(typ, next.UpdatedAt, next.CustomerID, SubjectReturn, next.ID, SequenceOf(v, 0), next.Language, d)}
	if refund != nil {
		out = append(out, New(RefundIssued, next.UpdatedAt, next.CustomerID, SubjectReturn, next.ID, SequenceOf(v, 1), next.Language, *refund))
	}
	return out
}

// FromOrderUpsert is order.delivered when an upsert moves the order to delivered (or first stores it so), in
// the order's language (Indonesian when the order system gave none). Orders have no version: the order
// system's update time (ms) orders their events.
func FromOrderUpsert(before *order.Order, after order.Order, at time.Time) []Event {
	if after.Status != order.StatusDelivered || (before != nil && before.Status == order.StatusDelivered) {
		return nil
	}
	return []Event{New(OrderDelivered, at, after.CustomerID, SubjectOrder, after.ID, SequenceOf(after.UpdatedAt.UnixMilli(), 0),
		after.Language, Data{OrderID: after.ID, Status: string(after.Status)})} // New: "" is Indonesian
}
