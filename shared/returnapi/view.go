package returnapi

import (
	"time"

	"github.com/tanggap/tanggap/shared/i18n"
	"github.com/tanggap/tanggap/shared/money"
	"github.com/tanggap/tanggap/shared/returns"
)

// ReturnView is a return as API clients see it. Labels are in the request's language.
type ReturnView struct {
	ReturnID        string         `json:"returnId"`
	OrderID         string         `json:"orderId"`
	CustomerID      string         `json:"customerId,omitempty"` // ops only
	Status          string         `json:"status"`
	Resolution      string         `json:"resolution"`
	ResolutionLabel string         `json:"resolutionLabel"`
	Comment         string         `json:"comment,omitempty"`
	PolicyVersion   string         `json:"policyVersion"`
	Lines           []LineView     `json:"lines"`
	RefundEstimate  RefundView     `json:"refundEstimate"`
	Refund          *RefundView    `json:"refund,omitempty"` // the final figure, once the items are received
	Rejection       *RejectionView `json:"rejection,omitempty"`
	History         []HistoryView  `json:"history"`
	CreatedAt       time.Time      `json:"createdAt"`
	UpdatedAt       time.Time      `json:"updatedAt"`
}

// LineView is one returned line.
type LineView struct {
	LineID                 string      `json:"lineId"`
	SKU                    string      `json:"sku"`
	Name                   string      `json:"name"`
	Quantity               int         `json:"quantity"`
	UnitPrice              money.Money `json:"unitPrice"`
	Reason                 string      `json:"reason"`
	ReasonLabel            string      `json:"reasonLabel"`
	Condition              string      `json:"condition"`
	ConditionLabel         string      `json:"conditionLabel"`
	ReceivedCondition      string      `json:"receivedCondition,omitempty"`
	ReceivedConditionLabel string      `json:"receivedConditionLabel,omitempty"`
}

// RefundView is a refund decision: how it is paid out, per line and in total, under which policy version.
// An exchange pays out nothing and lists the items to send instead.
type RefundView struct {
	Method        string             `json:"method"`
	PolicyVersion string             `json:"policyVersion"`
	ItemsSubtotal money.Money        `json:"itemsSubtotal"`
	RestockingFee money.Money        `json:"restockingFee"`
	Shipping      money.Money        `json:"shippingRefund"`
	Total         money.Money        `json:"total"`
	Lines         []RefundLineView   `json:"lines"`
	ExchangeItems []ExchangeItemView `json:"exchangeItems,omitempty"`
}

// RefundLineView is one line's share; Code is the decision's reason code for the line.
type RefundLineView struct {
	LineID        string      `json:"lineId"`
	Quantity      int         `json:"quantity"`
	Condition     string      `json:"condition"`
	Subtotal      money.Money `json:"subtotal"`
	RestockingFee money.Money `json:"restockingFee"`
	Amount        money.Money `json:"amount"`
	Code          string      `json:"code"`
}

// ExchangeItemView is an item to send the customer in exchange.
type ExchangeItemView struct {
	LineID   string `json:"lineId"`
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// RejectionView says why ops refused the return; the note is written for the customer.
type RejectionView struct {
	Reason      string `json:"reason"`
	ReasonLabel string `json:"reasonLabel"`
	Note        string `json:"note"`
}

// HistoryView is one step of the audit trail. Customers see who acted by kind only; ops also see the
// operator's identity and internal notes.
type HistoryView struct {
	At            time.Time `json:"at"`
	From          string    `json:"from,omitempty"`
	To            string    `json:"to"`
	Actor         string    `json:"actor"`
	ActorID       string    `json:"actorId,omitempty"`
	PolicyVersion string    `json:"policyVersion,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	Note          string    `json:"note,omitempty"`
}

// audience decides what a view shows.
type audience int

const (
	customerView audience = iota + 1
	opsView
)

func label(lang i18n.Lang, kind, code string) string {
	if code == "" {
		return ""
	}
	return i18n.Message(lang, kind+"."+code, nil)
}

func viewOf(r returns.Return, lang i18n.Lang, who audience) ReturnView {
	v := ReturnView{
		ReturnID: r.ID, OrderID: r.OrderID, Status: string(r.Status), Resolution: string(r.Resolution),
		ResolutionLabel: label(lang, "return_resolution", string(r.Resolution)), Comment: r.Comment,
		PolicyVersion: r.Policy.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Lines: make([]LineView, 0, len(r.Lines)), History: make([]HistoryView, 0, len(r.Audit)),
		RefundEstimate: refundView(r, r.Estimate),
	}
	if who == opsView {
		v.CustomerID = r.CustomerID
	}
	for _, l := range r.Lines {
		v.Lines = append(v.Lines, LineView{
			LineID: l.LineID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: money.New(l.UnitPrice, r.Currency),
			Reason: string(l.Reason), ReasonLabel: label(lang, "return_reason", string(l.Reason)),
			Condition: string(l.Condition), ConditionLabel: label(lang, "return_condition", string(l.Condition)),
			ReceivedCondition: string(l.ReceivedCondition), ReceivedConditionLabel: label(lang, "return_condition", string(l.ReceivedCondition)),
		})
	}
	if r.Final != nil {
		f := refundView(r, *r.Final)
		v.Refund = &f
	}
	if r.Rejection != nil {
		v.Rejection = &RejectionView{Reason: string(r.Rejection.Reason), ReasonLabel: label(lang, "return_reject", string(r.Rejection.Reason)),
			Note: r.Rejection.Note}
	}
	for _, a := range r.Audit {
		h := HistoryView{At: a.At, From: string(a.From), To: string(a.To), Actor: a.Actor.Kind, PolicyVersion: a.PolicyVersion, Reason: string(a.Reason)}
		if who == opsView {
			h.ActorID, h.Note = a.Actor.ID, a.Note
		}
		v.History = append(v.History, h)
	}
	return v
}

func refundView(r returns.Return, f returns.Refund) RefundView {
	m := func(amount int64) money.Money { return money.New(amount, f.Currency) }
	v := RefundView{Method: string(f.Method), PolicyVersion: f.PolicyVersion, ItemsSubtotal: m(f.ItemsSubtotal),
		RestockingFee: m(f.RestockingFee), Shipping: m(f.Shipping), Total: m(f.Total), Lines: make([]RefundLineView, 0, len(f.Lines))}
	for _, l := range f.Lines {
		v.Lines = append(v.Lines, RefundLineView{LineID: l.LineID, Quantity: l.Quantity, Condition: string(l.Condition),
			Subtotal: m(l.Subtotal), RestockingFee: m(l.RestockingFee), Amount: m(l.Amount), Code: l.Code})
	}
	if f.Method == returns.MethodExchange {
		for _, l := range r.Lines {
			v.ExchangeItems = append(v.ExchangeItems, ExchangeItemView{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity})
		}
	}
	return v
}
