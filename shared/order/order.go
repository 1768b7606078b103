// Package order is order lookup: the shop's orders as customers and guests see them, with what is
// still returnable per line. Orders arrive from the shop's order system through an ops upsert.
package order

import (
	"context"
	"crypto/subtle"
	"strconv"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// Status of the order as a whole.
type Status string

const (
	StatusPlaced    Status = "placed"
	StatusPaid      Status = "paid"
	StatusShipped   Status = "shipped"
	StatusDelivered Status = "delivered"
	StatusCancelled Status = "cancelled"
)

// ShipmentStatus follows the parcel.
type ShipmentStatus string

const (
	ShipmentPending   ShipmentStatus = "pending"
	ShipmentPacked    ShipmentStatus = "packed"
	ShipmentInTransit ShipmentStatus = "in_transit"
	ShipmentDelivered ShipmentStatus = "delivered"
	ShipmentFailed    ShipmentStatus = "failed_delivery"
)

// Order as stored. Line prices are what the customer paid per unit after discounts, so refunds never
// need to re-allocate an order-level discount.
type Order struct {
	ID         string
	CustomerID string
	Email      string // lower-cased; the guest lookup key together with ID
	// CustomerName and CustomerPhone are who bought it, as the order system knows them; they go to the
	// customer's profile (ops only), not onto the order.
	CustomerName  string
	CustomerPhone string
	Status        Status
	PlacedAt      time.Time
	UpdatedAt     time.Time // the order system's own timestamp: older pushes are refused
	Currency      string
	PaymentMethod string
	ShippingFee   int64
	Shipment      Shipment
	Lines         []Line
	// Language is the customer's, as the order system knows it: notifications about the order (order.delivered,
	// its survey invitation) use it. Empty: not given (Indonesian; an update without it keeps the stored one).
	Language i18n.Lang
}

// Shipment is the delivery of the whole order.
type Shipment struct {
	Status         ShipmentStatus
	Carrier        string
	TrackingNumber string
	ShippedAt      *time.Time
	DeliveredAt    *time.Time
}

// Line is one product on the order.
type Line struct {
	ID        string
	SKU       string
	Name      string
	Quantity  int
	UnitPrice int64
	FinalSale bool
	// Remaining is the quantity neither returned nor held by a pending return; the store maintains it.
	Remaining int
}

// Subtotal is the sum of line totals.
func (o Order) Subtotal() money.Money {
	sum := money.Zero(o.Currency)
	for _, l := range o.Lines {
		sum = sum.Add(money.New(l.UnitPrice, o.Currency).Times(int64(l.Quantity)))
	}
	return sum
}

// Total is what the customer paid.
func (o Order) Total() money.Money {
	return o.Subtotal().Add(money.New(o.ShippingFee, o.Currency))
}

// Units is the number of items bought.
func (o Order) Units() int {
	n := 0
	for _, l := range o.Lines {
		n += l.Quantity
	}
	return n
}

// Line returns the line with id.
func (o Order) Line(id string) (Line, bool) {
	for _, l := range o.Lines {
		if l.ID == id {
			return l, true
		}
	}
	return Line{}, false
}

// SameLines reports whether o and other bought the same things; lines are immutable once an order exists
// because returns hold quantities against them.
func (o Order) SameLines(other Order) bool {
	if len(o.Lines) != len(other.Lines) || o.Currency != other.Currency {
		return false
	}
	for i, l := range o.Lines {
		m := other.Lines[i]
		if l.ID != m.ID || l.SKU != m.SKU || l.Quantity != m.Quantity || l.UnitPrice != m.UnitPrice || l.FinalSale != m.FinalSale {
			return false
		}
	}
	return true
}

// wholeCashUnits refuses prices and fees with a part below the currency's cash unit (sen, for IDR): what a
// customer pays is whole rupiah, and so is every refund computed from it.
func wholeCashUnits(o Order) error {
	unit := money.CashUnit(o.Currency)
	var fields []failure.FieldError
	for i, l := range o.Lines {
		if !money.New(l.UnitPrice, o.Currency).IsCash() {
			fields = append(fields, failure.FieldError{Field: "lines[" + strconv.Itoa(i) + "].unitPrice", Code: "whole_currency_unit", Param: strconv.FormatInt(unit, 10)})
		}
	}
	if !money.New(o.ShippingFee, o.Currency).IsCash() {
		fields = append(fields, failure.FieldError{Field: "shippingFee", Code: "whole_currency_unit", Param: strconv.FormatInt(unit, 10)})
	}
	if len(fields) > 0 {
		return failure.Invalid(fields...)
	}
	return nil
}

// NormalizeEmail is the form emails are stored and compared in.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// Page of orders for a customer, newest first.
type Page struct {
	Orders     []Summary
	NextCursor string
}

// Store is the port to order storage.
type Store interface {
	// Get returns the order with its lines, or a KindNotFound failure.
	Get(ctx context.Context, id string) (Order, error)
	// ListByCustomer pages a customer's orders, newest first. The cursor is opaque and only ever
	// resumes within that customer's orders.
	ListByCustomer(ctx context.Context, customerID string, limit int, cursor string) (Page, error)
	// Upsert creates the order, or updates its header when lines, customer and currency are unchanged.
	// A created order's lines start with every unit remaining, whatever Remaining o carries. It returns the
	// order as stored (an update keeps the stored lines, whose remaining quantities returns may hold) and
	// whether it was created. It writes once and never reads its own write back, so that
	// the write can commit with an Idempotency-Key's record.
	Upsert(ctx context.Context, o Order) (stored Order, created bool, err error)
}

// Failures.
var (
	ErrNotFound     = failure.NotFound("order_not_found")
	ErrLinesChanged = failure.Conflict("order_lines_immutable")
	ErrStaleUpdate  = failure.Conflict("order_update_stale")
	ErrOwnerChanged = failure.Conflict("order_owner_immutable")
)

// Service answers order questions for customers, guests and ops.
type Service struct {
	store  Store
	policy returnpolicy.Policy
	now    func() time.Time
}

// NewService wires a Service. now is injected so return deadlines are testable.
func NewService(store Store, policy returnpolicy.Policy, now func() time.Time) *Service {
	return &Service{store: store, policy: policy, now: now}
}

// ListMine pages the customer's orders.
func (s *Service) ListMine(ctx context.Context, customerID string, limit int, cursor string) ([]Summary, string, error) {
	page, err := s.store.ListByCustomer(ctx, customerID, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	return page.Orders, page.NextCursor, nil
}

// GetMine returns the order if it belongs to customerID. Someone else's order is "not found", so its
// existence is not revealed.
func (s *Service) GetMine(ctx context.Context, customerID, orderID string) (View, error) {
	o, err := s.store.Get(ctx, orderID)
	if err != nil {
		return View{}, err
	}
	if o.CustomerID != customerID {
		return View{}, ErrNotFound
	}
	return s.view(o), nil
}

// GuestLookup finds an order by number plus email. A wrong pair fails exactly like a missing order.
func (s *Service) GuestLookup(ctx context.Context, orderID, email string) (View, error) {
	o, err := s.store.Get(ctx, orderID)
	if failure.IsKind(err, failure.KindNotFound) {
		return View{}, ErrNotFound
	}
	if err != nil {
		return View{}, err
	}
	if subtle.ConstantTimeCompare([]byte(o.Email), []byte(NormalizeEmail(email))) != 1 {
		return View{}, ErrNotFound
	}
	return s.view(o), nil
}

// Get returns any order, for ops.
func (s *Service) Get(ctx context.Context, orderID string) (View, error) {
	o, err := s.store.Get(ctx, orderID)
	if err != nil {
		return View{}, err
	}
	return s.view(o), nil
}

// Upsert stores an order pushed by the shop's order system.
func (s *Service) Upsert(ctx context.Context, o Order) (View, bool, error) {
	o.Email = NormalizeEmail(o.Email)
	if o.Currency == "" {
		o.Currency = money.DefaultCurrency
	}
	if err := wholeCashUnits(o); err != nil {
		return View{}, false, err
	}
	stored, created, err := s.store.Upsert(ctx, o) // a created order's lines start with every unit remaining
	if err != nil {
		return View{}, false, err
	}
	return s.view(stored), created, nil
}

// Policy is the return policy views are computed with.
func (s *Service) Policy() returnpolicy.Policy { return s.policy }
