package workqueue

import (
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/ticket"
)

// CustomerRef is who filed a ticket, as a queue shows it: the contact is masked.
type CustomerRef struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// TicketItem is a ticket in a queue. Breaches are judged at read time.
type TicketItem struct {
	TicketID      string         `json:"ticketId"`
	Subject       string         `json:"subject"`
	Customer      CustomerRef    `json:"customer"`
	Priority      string         `json:"priority"`
	PriorityLabel string         `json:"priorityLabel"`
	Team          string         `json:"team"`
	TeamLabel     string         `json:"teamLabel"`
	Assignee      string         `json:"assignee,omitempty"` // the agent's IAM ARN
	Status        string         `json:"status"`
	StatusLabel   string         `json:"statusLabel"`
	Channel       string         `json:"channel"`
	ChannelLabel  string         `json:"channelLabel"`
	Category      string         `json:"category"`
	CategoryLabel string         `json:"categoryLabel"`
	CreatedAt     time.Time      `json:"createdAt"`
	AgeSeconds    int64          `json:"ageSeconds"`
	NextDueAt     time.Time      `json:"nextDueAt"`
	SLA           ticket.SLAView `json:"sla"`
}

// TicketItemOf is t as a queue shows it at now.
func TicketItemOf(t ticket.Ticket, now time.Time, lang i18n.Lang) TicketItem {
	return TicketItem{
		TicketID: t.ID, Subject: t.Subject,
		Customer: CustomerRef{ID: t.CustomerID, Name: t.CustomerName, Contact: t.CustomerContact},
		Priority: string(t.Priority), PriorityLabel: i18n.Label(lang, "ticket_priority", string(t.Priority)),
		Team: string(t.Team), TeamLabel: i18n.Label(lang, "team", string(t.Team)), Assignee: t.AssignedAgent,
		Status: string(t.Status), StatusLabel: i18n.Label(lang, "ticket_status", string(t.Status)),
		Channel: string(t.Channel), ChannelLabel: i18n.Label(lang, "ticket_channel", string(t.Channel)),
		Category: string(t.Category), CategoryLabel: i18n.Label(lang, "ticket_category", string(t.Category)),
		CreatedAt: t.CreatedAt, AgeSeconds: age(t.CreatedAt, now), NextDueAt: t.NextDue(),
		SLA: ticket.SLAViewOf(t, now),
	}
}

func age(since, now time.Time) int64 { return max(int64(now.Sub(since)/time.Second), 0) }

// ReturnLine is one returned line in a queue.
type ReturnLine struct {
	LineID         string `json:"lineId"`
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	Quantity       int    `json:"quantity"`
	Reason         string `json:"reason"`
	ReasonLabel    string `json:"reasonLabel"`
	Condition      string `json:"condition"`
	ConditionLabel string `json:"conditionLabel"`
}

// ReturnItem is a return in a queue. Refund is the computed refund: the final figure once the items were
// received and checked, the estimate before.
type ReturnItem struct {
	ReturnID          string       `json:"returnId"`
	OrderID           string       `json:"orderId"`
	CustomerID        string       `json:"customerId"`
	Status            string       `json:"status"`
	StatusLabel       string       `json:"statusLabel"`
	Resolution        string       `json:"resolution"`
	ResolutionLabel   string       `json:"resolutionLabel"`
	CreatedAt         time.Time    `json:"createdAt"`
	AgeSeconds        int64        `json:"ageSeconds"`
	Lines             []ReturnLine `json:"lines"`
	Refund            money.Shown  `json:"refund"`
	RefundMethod      string       `json:"refundMethod"`
	RefundMethodLabel string       `json:"refundMethodLabel"`
	RefundIsFinal     bool         `json:"refundIsFinal"`
}

// ReturnItemOf is r as a queue shows it at now.
func ReturnItemOf(r returns.Return, now time.Time, lang i18n.Lang) ReturnItem {
	refund, final := r.Estimate, false
	if r.Final != nil {
		refund, final = *r.Final, true
	}
	it := ReturnItem{
		ReturnID: r.ID, OrderID: r.OrderID, CustomerID: r.CustomerID,
		Status: string(r.Status), StatusLabel: i18n.Label(lang, "return_status", string(r.Status)),
		Resolution: string(r.Resolution), ResolutionLabel: i18n.Label(lang, "return_resolution", string(r.Resolution)),
		CreatedAt: r.CreatedAt, AgeSeconds: age(r.CreatedAt, now), Lines: make([]ReturnLine, 0, len(r.Lines)),
		Refund: money.New(refund.Total, refund.Currency).In(lang), RefundMethod: string(refund.Method),
		RefundMethodLabel: i18n.Label(lang, "refund_method", string(refund.Method)), RefundIsFinal: final,
	}
	for _, l := range r.Lines {
		it.Lines = append(it.Lines, ReturnLine{LineID: l.LineID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity,
			Reason: string(l.Reason), ReasonLabel: i18n.Label(lang, "return_reason", string(l.Reason)),
			Condition: string(l.Condition), ConditionLabel: i18n.Label(lang, "return_condition", string(l.Condition))})
	}
	return it
}

// TicketCountView is one team and priority's queue sizes.
type TicketCountView struct {
	Team          string `json:"team"`
	TeamLabel     string `json:"teamLabel"`
	Priority      string `json:"priority"`
	PriorityLabel string `json:"priorityLabel"`
	Open          int64  `json:"open"`
	Unanswered    int64  `json:"unanswered"`
	Breached      int64  `json:"breached"`
	DueWithinHour int64  `json:"dueWithinHour"`
}

// TicketTotals sums the ticket queues.
type TicketTotals struct {
	Open          int64 `json:"open"`
	Unanswered    int64 `json:"unanswered"`
	Breached      int64 `json:"breached"`
	DueWithinHour int64 `json:"dueWithinHour"`
}

// ReturnCountView is one return queue's size.
type ReturnCountView struct {
	Status      string `json:"status"`
	StatusLabel string `json:"statusLabel"`
	Count       int64  `json:"count"`
}

// CountsView is GET /ops/queues.
type CountsView struct {
	AsOf         time.Time         `json:"asOf"`
	Tickets      []TicketCountView `json:"tickets"`
	TicketTotals TicketTotals      `json:"ticketTotals"`
	Returns      []ReturnCountView `json:"returns"`
}

// CountsViewOf is c in lang.
func CountsViewOf(c Counts, lang i18n.Lang) CountsView {
	v := CountsView{AsOf: c.AsOf, Tickets: make([]TicketCountView, 0, len(c.Tickets)), Returns: make([]ReturnCountView, 0, len(c.Returns))}
	for _, t := range c.Tickets {
		v.Tickets = append(v.Tickets, TicketCountView{Team: string(t.Team), TeamLabel: i18n.Label(lang, "team", string(t.Team)),
			Priority: string(t.Priority), PriorityLabel: i18n.Label(lang, "ticket_priority", string(t.Priority)),
			Open: t.Open, Unanswered: t.Unanswered, Breached: t.Breached, DueWithinHour: t.DueSoon})
		v.TicketTotals.Open += t.Open
		v.TicketTotals.Unanswered += t.Unanswered
		v.TicketTotals.Breached += t.Breached
		v.TicketTotals.DueWithinHour += t.DueSoon
	}
	for _, r := range c.Returns {
		v.Returns = append(v.Returns, ReturnCountView{Status: string(r.Status), StatusLabel: i18n.Label(lang, "return_status", string(r.Status)), Count: r.Open})
	}
	return v
}
