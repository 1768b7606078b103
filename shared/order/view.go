package order

import (
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// View is an order as API clients see it. Every code has a "<field>Label" next to it and every amount a
// display string, in the language In was given.
type View struct {
	OrderID            string       `json:"orderId"`
	Status             Status       `json:"status"`
	StatusLabel        string       `json:"statusLabel"`
	PlacedAt           time.Time    `json:"placedAt"`
	PaymentMethod      string       `json:"paymentMethod"`
	PaymentMethodLabel string       `json:"paymentMethodLabel"`
	Shipment           ShipmentView `json:"shipment"`
	Lines              []LineView   `json:"lines"`
	Subtotal           money.Shown  `json:"subtotal"`
	ShippingFee        money.Shown  `json:"shippingFee"`
	Total              money.Shown  `json:"total"`
	ReturnPolicy       PolicyView   `json:"returnPolicy"`
}

func (v View) deadlineZone(t time.Time) time.Time {
	return t.In(returnpolicy.Policy{TimeZone: v.ReturnPolicy.TimeZone}.Zone().Location())
}

// ShipmentView is the delivery status.
type ShipmentView struct {
	Status         ShipmentStatus `json:"status"`
	StatusLabel    string         `json:"statusLabel"`
	Carrier        string         `json:"carrier,omitempty"`
	TrackingNumber string         `json:"trackingNumber,omitempty"`
	ShippedAt      *time.Time     `json:"shippedAt,omitempty"`
	DeliveredAt    *time.Time     `json:"deliveredAt,omitempty"`
}

// LineView is a line with what can still be returned.
type LineView struct {
	LineID             string      `json:"lineId"`
	SKU                string      `json:"sku"`
	Name               string      `json:"name"`
	Quantity           int         `json:"quantity"`
	UnitPrice          money.Shown `json:"unitPrice"`
	LineTotal          money.Shown `json:"lineTotal"`
	FinalSale          bool        `json:"finalSale"`
	ReturnedOrPending  int         `json:"returnedOrPendingQuantity"`
	ReturnableQuantity int         `json:"returnableQuantity"`
	// ReturnDeadline is the last minute a return can be requested (23.59 in the shop's zone, as UTC);
	// ReturnDeadlineDisplay says it the way people read it, with the zone: "31 Oktober 2026, 23.59 WIB".
	ReturnDeadline        *time.Time `json:"returnDeadline,omitempty"`
	ReturnDeadlineDisplay string     `json:"returnDeadlineDisplay,omitempty"`
	// NotReturnableReason says why ReturnableQuantity is 0: final_sale, not_delivered,
	// return_period_ended or fully_returned.
	NotReturnableReason      string `json:"notReturnableReason,omitempty"`
	NotReturnableReasonLabel string `json:"notReturnableReasonLabel,omitempty"`
}

// PolicyView names the policy the figures were computed with.
type PolicyView struct {
	Version    string `json:"version"`
	WindowDays int    `json:"windowDays"`
	TimeZone   string `json:"timeZone"` // the zone whose days the window counts: WIB, WITA or WIT
}

// Summary is an order in a list.
type Summary struct {
	OrderID             string         `json:"orderId"`
	Status              Status         `json:"status"`
	StatusLabel         string         `json:"statusLabel"`
	PlacedAt            time.Time      `json:"placedAt"`
	ShipmentStatus      ShipmentStatus `json:"shipmentStatus"`
	ShipmentStatusLabel string         `json:"shipmentStatusLabel"`
	Total               money.Shown    `json:"total"`
	ItemCount           int            `json:"itemCount"`
}

// SummaryOf is the list form of o; stores keep its figures on the order header.
func SummaryOf(o Order) Summary {
	return Summary{OrderID: o.ID, Status: o.Status, PlacedAt: o.PlacedAt, ShipmentStatus: o.Shipment.Status,
		Total: o.Total().In(i18n.Default), ItemCount: o.Units()}
}

// In is s with labels and amounts for a reader of lang.
func (s Summary) In(lang i18n.Lang) Summary {
	s.StatusLabel = i18n.Label(lang, "order_status", string(s.Status))
	s.ShipmentStatusLabel = i18n.Label(lang, "shipment_status", string(s.ShipmentStatus))
	s.Total = shownIn(s.Total, lang)
	return s
}

// In is v with labels and amounts for a reader of lang.
func (v View) In(lang i18n.Lang) View {
	v.StatusLabel = i18n.Label(lang, "order_status", string(v.Status))
	v.PaymentMethodLabel = i18n.Label(lang, "payment_method", v.PaymentMethod)
	v.Shipment.StatusLabel = i18n.Label(lang, "shipment_status", string(v.Shipment.Status))
	v.Subtotal, v.ShippingFee, v.Total = shownIn(v.Subtotal, lang), shownIn(v.ShippingFee, lang), shownIn(v.Total, lang)
	lines := make([]LineView, len(v.Lines))
	for i, l := range v.Lines {
		l.UnitPrice, l.LineTotal = shownIn(l.UnitPrice, lang), shownIn(l.LineTotal, lang)
		l.NotReturnableReasonLabel = i18n.Label(lang, "not_returnable", l.NotReturnableReason)
		if l.ReturnDeadline != nil {
			l.ReturnDeadlineDisplay = i18n.FormatDateTime(lang, v.deadlineZone(*l.ReturnDeadline))
		}
		lines[i] = l
	}
	v.Lines = lines
	return v
}

func shownIn(s money.Shown, lang i18n.Lang) money.Shown {
	return money.New(s.Amount, s.Currency).In(lang)
}

func (s *Service) view(o Order) View {
	now := s.now()
	v := View{
		OrderID: o.ID, Status: o.Status, PlacedAt: o.PlacedAt, PaymentMethod: o.PaymentMethod,
		Shipment: ShipmentView{Status: o.Shipment.Status, Carrier: o.Shipment.Carrier, TrackingNumber: o.Shipment.TrackingNumber,
			ShippedAt: o.Shipment.ShippedAt, DeliveredAt: o.Shipment.DeliveredAt},
		Subtotal: o.Subtotal().In(i18n.Default), ShippingFee: money.New(o.ShippingFee, o.Currency).In(i18n.Default), Total: o.Total().In(i18n.Default),
		ReturnPolicy: PolicyView{Version: s.policy.Version, WindowDays: s.policy.WindowDays, TimeZone: s.policy.Zone().Abbr},
		Lines:        make([]LineView, 0, len(o.Lines)),
	}
	var deadline *time.Time
	if d := o.Shipment.DeliveredAt; d != nil {
		t := s.policy.Deadline(*d).UTC()
		deadline = &t
	}
	for _, l := range o.Lines {
		lv := LineView{
			LineID: l.ID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, FinalSale: l.FinalSale,
			UnitPrice: money.New(l.UnitPrice, o.Currency).In(i18n.Default), LineTotal: money.New(l.UnitPrice, o.Currency).Times(int64(l.Quantity)).In(i18n.Default),
			ReturnedOrPending: l.Quantity - l.Remaining,
		}
		if ok, why := s.policy.LineEligibility(l.FinalSale, o.Shipment.DeliveredAt, l.Remaining, now); ok {
			lv.ReturnableQuantity = l.Remaining
		} else {
			lv.NotReturnableReason = why
		}
		if !l.FinalSale {
			lv.ReturnDeadline = deadline
		}
		v.Lines = append(v.Lines, lv)
	}
	return v.In(i18n.Default)
}
