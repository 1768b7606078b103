package order

import (
	"time"

	"github.com/tanggap/tanggap/shared/money"
)

// View is an order as API clients see it.
type View struct {
	OrderID       string       `json:"orderId"`
	Status        Status       `json:"status"`
	PlacedAt      time.Time    `json:"placedAt"`
	PaymentMethod string       `json:"paymentMethod"`
	Shipment      ShipmentView `json:"shipment"`
	Lines         []LineView   `json:"lines"`
	Subtotal      money.Money  `json:"subtotal"`
	ShippingFee   money.Money  `json:"shippingFee"`
	Total         money.Money  `json:"total"`
	ReturnPolicy  PolicyView   `json:"returnPolicy"`
}

// ShipmentView is the delivery status.
type ShipmentView struct {
	Status         ShipmentStatus `json:"status"`
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
	UnitPrice          money.Money `json:"unitPrice"`
	LineTotal          money.Money `json:"lineTotal"`
	FinalSale          bool        `json:"finalSale"`
	ReturnedOrPending  int         `json:"returnedOrPendingQuantity"`
	ReturnableQuantity int         `json:"returnableQuantity"`
	ReturnDeadline     *time.Time  `json:"returnDeadline,omitempty"`
	// NotReturnableReason says why ReturnableQuantity is 0: final_sale, not_delivered,
	// return_period_ended or fully_returned.
	NotReturnableReason string `json:"notReturnableReason,omitempty"`
}

// PolicyView names the policy the figures were computed with.
type PolicyView struct {
	Version    string `json:"version"`
	WindowDays int    `json:"windowDays"`
}

// Summary is an order in a list.
type Summary struct {
	OrderID        string         `json:"orderId"`
	Status         Status         `json:"status"`
	PlacedAt       time.Time      `json:"placedAt"`
	ShipmentStatus ShipmentStatus `json:"shipmentStatus"`
	Total          money.Money    `json:"total"`
	ItemCount      int            `json:"itemCount"`
}

// SummaryOf is the list form of o; stores keep its figures on the order header.
func SummaryOf(o Order) Summary {
	return Summary{OrderID: o.ID, Status: o.Status, PlacedAt: o.PlacedAt, ShipmentStatus: o.Shipment.Status,
		Total: o.Total(), ItemCount: o.Units()}
}

func (s *Service) view(o Order) View {
	now := s.now()
	v := View{
		OrderID: o.ID, Status: o.Status, PlacedAt: o.PlacedAt, PaymentMethod: o.PaymentMethod,
		Shipment: ShipmentView{Status: o.Shipment.Status, Carrier: o.Shipment.Carrier, TrackingNumber: o.Shipment.TrackingNumber,
			ShippedAt: o.Shipment.ShippedAt, DeliveredAt: o.Shipment.DeliveredAt},
		Subtotal: o.Subtotal(), ShippingFee: money.New(o.ShippingFee, o.Currency), Total: o.Total(),
		ReturnPolicy: PolicyView{Version: s.policy.Version, WindowDays: s.policy.WindowDays},
		Lines:        make([]LineView, 0, len(o.Lines)),
	}
	var deadline *time.Time
	if d := o.Shipment.DeliveredAt; d != nil {
		t := s.policy.Deadline(*d)
		deadline = &t
	}
	for _, l := range o.Lines {
		lv := LineView{
			LineID: l.ID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, FinalSale: l.FinalSale,
			UnitPrice: money.New(l.UnitPrice, o.Currency), LineTotal: money.New(l.UnitPrice, o.Currency).Times(int64(l.Quantity)),
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
	return v
}
