package customer

import (
	"context"
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
)

// TicketContext is what an agent sees of the customer beside a ticket: who they are, their last few
// orders, their returns still open and their earlier tickets.
type TicketContext struct {
	Profile        *Profile // nil when nothing was recorded for the customer
	RecentOrders   []OrderRef
	OpenReturns    []ReturnRef
	EarlierTickets []TicketRef
}

// OrderRef is one order in a context.
type OrderRef struct {
	ID       string
	PlacedAt time.Time
	Status   string
	Total    money.Money
	Units    int
}

// ReturnRef is one open return in a context.
type ReturnRef struct {
	ID          string
	OrderID     string
	Status      string
	RequestedAt time.Time
	Refund      money.Money
}

// TicketRef is one earlier ticket in a context.
type TicketRef struct {
	ID        string
	Subject   string
	Status    string
	Priority  string
	CreatedAt time.Time
}

// How much a ticket's context shows.
const (
	ContextOrders  = 3
	ContextTickets = 5
	// ContextReturnScan is how many of the newest timeline entries are searched for open returns: a return
	// stays open for weeks, far fewer entries than this on any customer's timeline.
	ContextReturnScan = 100
)

// ContextStore reads a ticket's customer context.
type ContextStore interface {
	// TicketContext reads the customer's context, leaving ticketID out of the earlier tickets.
	TicketContext(ctx context.Context, customerID, ticketID string) (TicketContext, error)
}

// ContextView is the customer block of the ops ticket view.
type ContextView struct {
	CustomerID     string            `json:"customerId"`
	Name           string            `json:"name,omitempty"`
	Email          string            `json:"email,omitempty"`
	Phone          string            `json:"phone,omitempty"`
	History        string            `json:"history"`
	Orders         int               `json:"orders"`
	Returns        int               `json:"returns"`
	Tickets        int               `json:"tickets"`
	LatestCSAT     *int              `json:"latestCsat"`
	RecentOrders   []ContextOrder    `json:"recentOrders"`
	OpenReturns    []ContextReturn   `json:"openReturns"`
	EarlierTickets []ContextTicketed `json:"earlierTickets"`
}

// ContextOrder is an order in the view.
type ContextOrder struct {
	OrderID     string      `json:"orderId"`
	PlacedAt    time.Time   `json:"placedAt"`
	Status      string      `json:"status"`
	StatusLabel string      `json:"statusLabel"`
	Total       money.Shown `json:"total"`
	Units       int         `json:"units"`
}

// ContextReturn is an open return in the view.
type ContextReturn struct {
	ReturnID    string      `json:"returnId"`
	OrderID     string      `json:"orderId"`
	Status      string      `json:"status"`
	StatusLabel string      `json:"statusLabel"`
	RequestedAt time.Time   `json:"requestedAt"`
	Refund      money.Shown `json:"refund"`
}

// ContextTicketed is an earlier ticket in the view.
type ContextTicketed struct {
	TicketID      string    `json:"ticketId"`
	Subject       string    `json:"subject"`
	Status        string    `json:"status"`
	StatusLabel   string    `json:"statusLabel"`
	Priority      string    `json:"priority"`
	PriorityLabel string    `json:"priorityLabel"`
	CreatedAt     time.Time `json:"createdAt"`
}

// ContextViewOf renders c for ops in lang.
func ContextViewOf(customerID string, c TicketContext, lang i18n.Lang) ContextView {
	v := ContextView{CustomerID: customerID, History: "/ops/customers/" + customerID,
		RecentOrders: []ContextOrder{}, OpenReturns: []ContextReturn{}, EarlierTickets: []ContextTicketed{}}
	if p := c.Profile; p != nil {
		v.Name, v.Email, v.Phone, v.Orders, v.Returns, v.Tickets = p.Name, p.Email, p.Phone, p.Orders, p.Returns, p.Tickets
		if p.LatestCSAT > 0 {
			score := p.LatestCSAT
			v.LatestCSAT = &score
		}
	}
	for _, o := range c.RecentOrders {
		v.RecentOrders = append(v.RecentOrders, ContextOrder{OrderID: o.ID, PlacedAt: o.PlacedAt, Status: o.Status,
			StatusLabel: i18n.Label(lang, "order_status", o.Status), Total: o.Total.In(lang), Units: o.Units})
	}
	for _, r := range c.OpenReturns {
		v.OpenReturns = append(v.OpenReturns, ContextReturn{ReturnID: r.ID, OrderID: r.OrderID, Status: r.Status,
			StatusLabel: i18n.Label(lang, "return_status", r.Status), RequestedAt: r.RequestedAt, Refund: r.Refund.In(lang)})
	}
	for _, t := range c.EarlierTickets {
		v.EarlierTickets = append(v.EarlierTickets, ContextTicketed{TicketID: t.ID, Subject: t.Subject, Status: t.Status,
			StatusLabel: i18n.Label(lang, "ticket_status", t.Status), Priority: t.Priority,
			PriorityLabel: i18n.Label(lang, "ticket_priority", t.Priority), CreatedAt: t.CreatedAt})
	}
	return v
}
