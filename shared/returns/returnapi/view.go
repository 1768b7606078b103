package returnapi

import (
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/returns"
)

// ReturnView is a return as API clients see it. Labels are in the request's language.
type ReturnView struct {
	ReturnID        string `json:"returnId"`
	OrderID         string `json:"orderId"`
	CustomerID      string `json:"customerId,omitempty"` // ops only
	Status          string `json:"status"`
	StatusLabel     string `json:"statusLabel"`
	Resolution      string `json:"resolution"`
	ResolutionLabel string `json:"resolutionLabel"`
	Comment         string `json:"comment,omitempty"`
	// RefundDestination is masked for customers and in full for ops, who transfer the refund.
	RefundDestination *DestinationView `json:"refundDestination,omitempty"`
	PolicyVersion     string           `json:"policyVersion"`
	Lines             []LineView       `json:"lines"`
	RefundEstimate    RefundView       `json:"refundEstimate"`
	Refund            *RefundView      `json:"refund,omitempty"` // the final figure, once the items are received
	Rejection         *RejectionView   `json:"rejection,omitempty"`
	History           []HistoryView    `json:"history"`
	CreatedAt         time.Time        `json:"createdAt"`
	UpdatedAt         time.Time        `json:"updatedAt"`
}

// LineView is one returned line.
type LineView struct {
	LineID                 string      `json:"lineId"`
	SKU                    string      `json:"sku"`
	Name                   string      `json:"name"`
	Quantity               int         `json:"quantity"`
	UnitPrice              money.Shown `json:"unitPrice"`
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
	MethodLabel   string             `json:"methodLabel"`
	PolicyVersion string             `json:"policyVersion"`
	ItemsSubtotal money.Shown        `json:"itemsSubtotal"`
	RestockingFee money.Shown        `json:"restockingFee"`
	Shipping      money.Shown        `json:"shippingRefund"`
	Total         money.Shown        `json:"total"`
	Lines         []RefundLineView   `json:"lines"`
	ExchangeItems []ExchangeItemView `json:"exchangeItems,omitempty"`
}

// RefundLineView is one line's share; Code is the decision's reason code for the line.
type RefundLineView struct {
	LineID         string      `json:"lineId"`
	Quantity       int         `json:"quantity"`
	Condition      string      `json:"condition"`
	ConditionLabel string      `json:"conditionLabel"`
	Subtotal       money.Shown `json:"subtotal"`
	RestockingFee  money.Shown `json:"restockingFee"`
	Amount         money.Shown `json:"amount"`
	Code           string      `json:"code"`
	CodeLabel      string      `json:"codeLabel"`
}

// DestinationView is where a refund is transferred: a bank account or an e-wallet.
type DestinationView struct {
	Type          string `json:"type"`
	TypeLabel     string `json:"typeLabel"`
	Bank          string `json:"bank,omitempty"`
	BankLabel     string `json:"bankLabel,omitempty"`
	AccountNumber string `json:"accountNumber,omitempty"`
	HolderName    string `json:"holderName,omitempty"`
	Provider      string `json:"provider,omitempty"`
	ProviderLabel string `json:"providerLabel,omitempty"`
	Number        string `json:"number,omitempty"`
}

func destinationView(d *returns.RefundDestination, lang i18n.Lang, who audience) *DestinationView {
	if d == nil {
		return nil
	}
	shown := *d
	if who != opsView {
		shown = d.Masked()
	}
	return &DestinationView{Type: string(shown.Kind), TypeLabel: i18n.Label(lang, "refund_destination", string(shown.Kind)),
		Bank: shown.Bank, BankLabel: i18n.Label(lang, "bank", shown.Bank), AccountNumber: shown.AccountNumber,
		HolderName: shown.HolderName, Provider: shown.Provider, ProviderLabel: i18n.Label(lang, "ewallet_provider", shown.Provider),
		Number: shown.Number}
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
	FromLabel     string    `json:"fromLabel,omitempty"`
	To            string    `json:"to"`
	ToLabel       string    `json:"toLabel"`
	Actor         string    `json:"actor"`
	ActorID       string    `json:"actorId,omitempty"`
	PolicyVersion string    `json:"policyVersion,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	ReasonLabel   string    `json:"reasonLabel,omitempty"`
	Note          string    `json:"note,omitempty"`
}

// audience decides what a view shows.
type audience int

const (
	customerView audience = iota + 1
	opsView
)

func viewOf(r returns.Return, lang i18n.Lang, who audience) ReturnView {
	v := ReturnView{
		ReturnID: r.ID, OrderID: r.OrderID, Status: string(r.Status), StatusLabel: i18n.Label(lang, "return_status", string(r.Status)),
		Resolution: string(r.Resolution), ResolutionLabel: i18n.Label(lang, "return_resolution", string(r.Resolution)), Comment: r.Comment,
		RefundDestination: destinationView(r.RefundDestination, lang, who),
		PolicyVersion:     r.Policy.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Lines: make([]LineView, 0, len(r.Lines)), History: make([]HistoryView, 0, len(r.Audit)),
		RefundEstimate: refundView(r, r.Estimate, lang),
	}
	if who == opsView {
		v.CustomerID = r.CustomerID
	}
	for _, l := range r.Lines {
		v.Lines = append(v.Lines, LineView{
			LineID: l.LineID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: money.New(l.UnitPrice, r.Currency).In(lang),
			Reason: string(l.Reason), ReasonLabel: i18n.Label(lang, "return_reason", string(l.Reason)),
			Condition: string(l.Condition), ConditionLabel: i18n.Label(lang, "return_condition", string(l.Condition)),
			ReceivedCondition: string(l.ReceivedCondition), ReceivedConditionLabel: i18n.Label(lang, "return_condition", string(l.ReceivedCondition)),
		})
	}
	if r.Final != nil {
		f := refundView(r, *r.Final, lang)
		v.Refund = &f
	}
	if r.Rejection != nil {
		v.Rejection = &RejectionView{Reason: string(r.Rejection.Reason), ReasonLabel: i18n.Label(lang, "return_reject", string(r.Rejection.Reason)),
			Note: r.Rejection.Note}
	}
	for _, a := range r.Audit {
		h := HistoryView{At: a.At, From: string(a.From), FromLabel: i18n.Label(lang, "return_status", string(a.From)),
			To: string(a.To), ToLabel: i18n.Label(lang, "return_status", string(a.To)), Actor: a.Actor.Kind,
			PolicyVersion: a.PolicyVersion, Reason: string(a.Reason), ReasonLabel: i18n.Label(lang, "return_reject", string(a.Reason))}
		if who == opsView {
			h.ActorID, h.Note = a.Actor.ID, a.Note
		}
		v.History = append(v.History, h)
	}
	return v
}

func refundView(r returns.Return, f returns.Refund, lang i18n.Lang) RefundView {
	m := func(amount int64) money.Shown { return money.New(amount, f.Currency).In(lang) }
	v := RefundView{Method: string(f.Method), MethodLabel: i18n.Label(lang, "refund_method", string(f.Method)),
		PolicyVersion: f.PolicyVersion, ItemsSubtotal: m(f.ItemsSubtotal),
		RestockingFee: m(f.RestockingFee), Shipping: m(f.Shipping), Total: m(f.Total), Lines: make([]RefundLineView, 0, len(f.Lines))}
	for _, l := range f.Lines {
		v.Lines = append(v.Lines, RefundLineView{LineID: l.LineID, Quantity: l.Quantity, Condition: string(l.Condition),
			ConditionLabel: i18n.Label(lang, "return_condition", string(l.Condition)),
			Subtotal:       m(l.Subtotal), RestockingFee: m(l.RestockingFee), Amount: m(l.Amount), Code: l.Code,
			CodeLabel: i18n.Label(lang, "refund_line", l.Code)})
	}
	if f.Method == returns.MethodExchange {
		for _, l := range r.Lines {
			v.ExchangeItems = append(v.ExchangeItems, ExchangeItemView{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity})
		}
	}
	return v
}
