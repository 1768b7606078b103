// Package orderapi serves order lookup over HTTP: customers' own orders, guest lookup by order
// number plus email, and the ops upsert the shop's order system pushes orders through.
package orderapi

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/identity"
)

// Routes are the order routes; template.yaml must declare the same set (checked by a test).
func Routes(svc *order.Service) []httpapi.Route {
	h := handlers{svc: svc}
	return []httpapi.Route{
		{Method: "GET", Path: "/orders", Access: httpapi.Customer, Handle: h.listMine},
		{Method: "GET", Path: "/orders/{orderId}", Access: httpapi.Customer, Handle: h.getMine},
		{Method: "POST", Path: "/orders/lookup", Access: httpapi.Public, Handle: h.guestLookup},
		{Method: "GET", Path: "/ops/orders/{orderId}", Access: httpapi.Operator, Handle: h.opsGet},
		{Method: "PUT", Path: "/ops/orders/{orderId}", Access: httpapi.Operator, Idempotent: true, Handle: h.opsUpsert},
	}
}

// OrderIDPattern keeps ids safe inside storage keys and URLs.
var OrderIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

type handlers struct{ svc *order.Service }

func lang(r *http.Request) i18n.Lang { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

// ListResponse is a page of orders.
type ListResponse struct {
	Items      []order.Summary `json:"items"`
	NextCursor string          `json:"nextCursor,omitempty"`
}

func (h handlers) listMine(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	items, next, err := h.svc.ListMine(r.Context(), me.ID, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	l := lang(r)
	for i := range items {
		items[i] = items[i].In(l)
	}
	httpapi.WriteJSON(w, http.StatusOK, ListResponse{Items: items, NextCursor: next})
	return nil
}

func (h handlers) getMine(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	id := httpapi.PathParam(r, "orderId")
	if !OrderIDPattern.MatchString(id) {
		return order.ErrNotFound
	}
	v, err := h.svc.GetMine(r.Context(), me.ID, id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, v.In(lang(r)))
	return nil
}

// GuestLookupRequest finds one order without signing in.
type GuestLookupRequest struct {
	OrderID string `json:"orderId" validate:"required,max=64"`
	Email   string `json:"email" validate:"required,email,max=254"`
}

func (h handlers) guestLookup(w http.ResponseWriter, r *http.Request) error {
	var req GuestLookupRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	if !OrderIDPattern.MatchString(req.OrderID) {
		return order.ErrNotFound
	}
	v, err := h.svc.GuestLookup(r.Context(), req.OrderID, req.Email)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, v.In(lang(r)))
	return nil
}

func (h handlers) opsGet(w http.ResponseWriter, r *http.Request) error {
	id := httpapi.PathParam(r, "orderId")
	if !OrderIDPattern.MatchString(id) {
		return order.ErrNotFound
	}
	v, err := h.svc.Get(r.Context(), id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, v.In(lang(r)))
	return nil
}

// UpsertRequest is an order as the shop's order system sends it. Amounts are integer minor units.
type UpsertRequest struct {
	CustomerID    string          `json:"customerId" validate:"required,max=128"`
	Email         string          `json:"email" validate:"required,email,max=254"`
	Status        string          `json:"status" validate:"required,oneof=placed paid shipped delivered cancelled"`
	PlacedAt      time.Time       `json:"placedAt" validate:"required"`
	UpdatedAt     time.Time       `json:"updatedAt" validate:"required"`
	Currency      string          `json:"currency" validate:"omitempty,iso4217"`
	PaymentMethod string          `json:"paymentMethod" validate:"required,oneof=bank_transfer virtual_account ewallet qris card cod paylater"`
	ShippingFee   int64           `json:"shippingFee" validate:"gte=0"`
	Shipment      ShipmentRequest `json:"shipment"`
	Lines         []LineRequest   `json:"lines" validate:"required,min=1,max=50,dive"`
	// Customer is who bought it, for the ops view of the customer; optional.
	Customer *CustomerRequest `json:"customer"`
	// Language is the customer's (id or en) for notifications about the order; optional: id when never given,
	// and an update without it keeps the stored one.
	Language string `json:"language" validate:"omitempty,oneof=id en"`
}

// CustomerRequest is the buyer's name and phone as the shop knows them.
type CustomerRequest struct {
	Name  string `json:"name" validate:"max=200"`
	Phone string `json:"phone" validate:"omitempty,max=32"`
}

// ShipmentRequest is the delivery state.
type ShipmentRequest struct {
	Status         string     `json:"status" validate:"required,oneof=pending packed in_transit delivered failed_delivery"`
	Carrier        string     `json:"carrier" validate:"max=64"`
	TrackingNumber string     `json:"trackingNumber" validate:"max=64"`
	ShippedAt      *time.Time `json:"shippedAt"`
	DeliveredAt    *time.Time `json:"deliveredAt" validate:"required_if=Status delivered"`
}

// LineRequest is one product line.
type LineRequest struct {
	LineID    string `json:"lineId" validate:"required,max=64"`
	SKU       string `json:"sku" validate:"required,max=64"`
	Name      string `json:"name" validate:"required,max=200"`
	Quantity  int    `json:"quantity" validate:"gte=1,lte=999"`
	UnitPrice int64  `json:"unitPrice" validate:"gte=0,lte=100000000000000"`
	FinalSale bool   `json:"finalSale"`
}

var lineIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

func (h handlers) opsUpsert(w http.ResponseWriter, r *http.Request) error {
	id := httpapi.PathParam(r, "orderId")
	if !OrderIDPattern.MatchString(id) {
		return failure.Invalid(failure.FieldError{Field: "orderId", Code: "invalid"})
	}
	var req UpsertRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	seen := map[string]bool{}
	var fields []failure.FieldError
	for i, l := range req.Lines {
		field := "lines[" + strconv.Itoa(i) + "].lineId"
		switch {
		case !lineIDPattern.MatchString(l.LineID):
			fields = append(fields, failure.FieldError{Field: field, Code: "invalid"})
		case seen[l.LineID]:
			fields = append(fields, failure.FieldError{Field: field, Code: "unique"})
		}
		seen[l.LineID] = true
	}
	if len(fields) > 0 {
		return failure.Invalid(fields...)
	}
	o := order.Order{
		ID: id, CustomerID: req.CustomerID, Email: req.Email, Status: order.Status(req.Status),
		PlacedAt: req.PlacedAt.UTC(), UpdatedAt: req.UpdatedAt.UTC(), Currency: req.Currency,
		PaymentMethod: req.PaymentMethod, ShippingFee: req.ShippingFee,
		CustomerName: customerName(req.Customer), CustomerPhone: customerPhone(req.Customer), Language: i18n.Lang(req.Language),
		Shipment: order.Shipment{Status: order.ShipmentStatus(req.Shipment.Status), Carrier: req.Shipment.Carrier,
			TrackingNumber: req.Shipment.TrackingNumber, ShippedAt: req.Shipment.ShippedAt, DeliveredAt: req.Shipment.DeliveredAt},
	}
	for _, l := range req.Lines {
		o.Lines = append(o.Lines, order.Line{ID: l.LineID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice, FinalSale: l.FinalSale})
	}
	v, created, err := h.svc.Upsert(r.Context(), o)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", "/ops/orders/"+id)
	}
	httpapi.WriteJSON(w, status, v.In(lang(r)))
	return nil
}

func customerName(c *CustomerRequest) string {
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Name)
}

func customerPhone(c *CustomerRequest) string {
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Phone)
}
