// Package returns is returns and refunds: a customer asks to return lines of a delivered order, the shop's
// return policy decides what is allowed and what it costs, ops move the return through its life, and the
// refund (original payment, store credit or an exchange) is recorded exactly once.
//
// Life of a return (Transitions is the table the code enforces):
//
//	requested → approved → received → refunded
//	requested, approved           → cancelled  (the customer, until the items are received)
//	requested, approved, received → rejected   (ops, with a reason code)
//
// Requesting reserves the quantities on the order lines; cancelling or rejecting gives them back.
package returns

import (
	"context"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// Status of a return.
type Status string

const (
	StatusRequested Status = "requested"
	StatusApproved  Status = "approved"
	StatusRejected  Status = "rejected"
	StatusReceived  Status = "received"
	StatusRefunded  Status = "refunded"
	StatusCancelled Status = "cancelled"
)

// Releases reports whether entering s gives the reserved quantities back to the order.
func (s Status) Releases() bool { return s == StatusCancelled || s == StatusRejected }

// AwaitsOps reports whether a return in s waits on the shop: a decision, the parcel, the refund.
func (s Status) AwaitsOps() bool {
	return s == StatusRequested || s == StatusApproved || s == StatusReceived
}

// Resolution is what the customer wants instead of the items.
type Resolution string

const (
	ResolutionRefund      Resolution = "refund"
	ResolutionExchange    Resolution = "exchange"
	ResolutionStoreCredit Resolution = "store_credit"
)

// Resolutions lists every accepted resolution.
var Resolutions = []Resolution{ResolutionRefund, ResolutionExchange, ResolutionStoreCredit}

// Method is how the money (or goods) reach the customer.
type Method string

const (
	MethodOriginalPayment Method = "original_payment"
	MethodBankTransfer    Method = "bank_transfer" // to the RefundDestination's bank account
	MethodEwallet         Method = "ewallet"       // to the RefundDestination's e-wallet
	MethodStoreCredit     Method = "store_credit"
	MethodExchange        Method = "exchange"
)

// PaymentCOD is the order payment method with nothing to refund to: its refunds need a RefundDestination.
const PaymentCOD = "cod"

// PayoutMethod returns how r is paid out: a refund goes to the destination the customer gave, if any, and
// otherwise back to the original payment.
func (r Return) PayoutMethod() Method {
	switch r.Resolution {
	case ResolutionStoreCredit:
		return MethodStoreCredit
	case ResolutionExchange:
		return MethodExchange
	}
	if d := r.RefundDestination; d != nil {
		if d.Kind == DestinationEwallet {
			return MethodEwallet
		}
		return MethodBankTransfer
	}
	return MethodOriginalPayment
}

// RejectReason is why ops refused a return.
type RejectReason string

const (
	RejectFinalSale         RejectReason = "final_sale"
	RejectReturnPeriodEnded RejectReason = "return_period_ended"
	RejectCondition         RejectReason = "condition"
	RejectOther             RejectReason = "other"
)

// RejectReasons lists every accepted reject reason.
var RejectReasons = []RejectReason{RejectFinalSale, RejectReturnPeriodEnded, RejectCondition, RejectOther}

// Refund line codes: the reason code each decision records per line.
const (
	CodeFullRefund    = "full_refund"    // refunded in full
	CodeRestockingFee = "restocking_fee" // the condition incurs the policy's restocking fee
	CodeExchange      = "exchange"       // replaced, nothing paid out
)

// Limits on one request.
const (
	MaxLines      = 50
	MaxComment    = 1000
	MaxNote       = 1000
	MaxLineQty    = 999
	MaxListLimit  = 50
	maxLineIDSize = 64
)

// Line is one order line being returned, with the price the customer paid per unit.
type Line struct {
	LineID    string
	SKU       string
	Name      string
	Quantity  int
	UnitPrice int64
	Reason    returnpolicy.Reason
	// Condition is as the customer described it; ReceivedCondition as the warehouse found it ("" until then).
	Condition         returnpolicy.Condition
	ReceivedCondition returnpolicy.Condition
}

// RefundLine is one line's share of a refund, in minor units.
type RefundLine struct {
	LineID        string
	Quantity      int
	Condition     returnpolicy.Condition
	Subtotal      int64 // unit price × quantity
	RestockingFee int64
	Amount        int64 // what is paid out for the line
	Code          string
}

// Refund is a decision on what goes back to the customer: the estimate when a return is requested, the
// final figure when the items are received. It records the policy version it was decided under.
type Refund struct {
	Method        Method
	Currency      string
	PolicyVersion string
	Lines         []RefundLine
	ItemsSubtotal int64
	RestockingFee int64
	Shipping      int64
	Total         int64
}

// Actor is who performed a step.
type Actor struct {
	Kind string // "customer" or "operator"
	ID   string // customer id, or the operator's IAM ARN
}

// Actor kinds.
const (
	ActorCustomer = "customer"
	ActorOperator = "operator"
)

// AuditEntry is one transition in a return's trail.
type AuditEntry struct {
	At            time.Time
	From          Status // "" for the request itself
	To            Status
	Actor         Actor
	PolicyVersion string       // set on steps that apply the policy (request, receipt)
	Reason        RejectReason // set on rejection
	Note          string
}

// Rejection is why ops refused the return.
type Rejection struct {
	Reason RejectReason
	Note   string
}

// Return as stored.
type Return struct {
	ID            string
	OrderID       string
	CustomerID    string
	Status        Status
	Resolution    Resolution
	Comment       string
	Language      i18n.Lang // the customer's language at request (empty on returns requested before it was recorded)
	Currency      string
	PaymentMethod string // the order's, so the payment integration knows where the money goes back to
	// RefundDestination is where a refund is transferred instead of the original payment (required for COD).
	RefundDestination *RefundDestination
	// Policy is the terms the return was requested under; the receipt recomputes the refund with them,
	// so a policy change never alters a return already in flight.
	Policy returnpolicy.Policy
	// ShippingRefund is the order's shipping fee when this return holds the order's one shipping refund.
	ShippingRefund int64
	Lines          []Line
	Estimate       Refund
	Final          *Refund // set on receipt
	Rejection      *Rejection
	Audit          []AuditEntry
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Version increases with every change; writes are conditional on it.
	Version int
}

// Units is the number of items being returned.
func (r Return) Units() int {
	n := 0
	for _, l := range r.Lines {
		n += l.Quantity
	}
	return n
}

// OrderRecord is an order as the returns domain needs it: lines with their remaining quantities, and which
// return, if any, holds the order's shipping refund.
type OrderRecord struct {
	order.Order
	ShippingRefundHolder string
}

// Page is a page of returns, newest first.
type Page struct {
	Returns    []Return
	NextCursor string
}

// Store is the port to return storage.
type Store interface {
	// Order reads the order with strongly consistent remaining quantities, or fails with order.ErrNotFound.
	Order(ctx context.Context, orderID string) (OrderRecord, error)
	// Create stores r and, in the same transaction, reserves its quantities on the order lines (never
	// below zero), takes the order's shipping refund when r.ShippingRefund > 0, and counts it. When any
	// of those conditions no longer holds it fails with a ErrContention failure and changes nothing.
	Create(ctx context.Context, r Return) error
	// Get reads a return (strongly consistent), or fails with ErrNotFound.
	Get(ctx context.Context, id string) (Return, error)
	// ListByOrder pages the order's returns, newest first.
	ListByOrder(ctx context.Context, orderID string, limit int, cursor string) (Page, error)
	// Transition replaces prev by next if prev is still what is stored (same status and version), and in
	// the same transaction applies what entering next.Status implies: releasing the quantities and the
	// shipping refund (cancelled, rejected), or writing the refund record and the payment event (refunded).
	// When prev is no longer current it fails with ErrContention and changes nothing.
	Transition(ctx context.Context, prev, next Return) error
}

// Failures.
var (
	ErrNotFound = failure.NotFound("return_not_found")
	// ErrNotAllowed refuses lines the policy does not allow; the field errors say which and why.
	ErrNotAllowed = failure.Rejected("return_not_allowed")
	// ErrQuantityUnavailable: the quantity is held or already returned by other returns of the order.
	ErrQuantityUnavailable = failure.Conflict("return_quantity_unavailable")
	// ErrStatusConflict: the return's status does not allow the step (or another step just won the race).
	ErrStatusConflict = failure.Conflict("return_status_conflict")
	// ErrNotCancellable: the customer may cancel only until the items are received.
	ErrNotCancellable = failure.Conflict("return_not_cancellable")
	// ErrContention: a conditional write lost to a concurrent one; the service re-reads and decides again.
	ErrContention = failure.Conflict("return_write_contention")
)

// IsContention reports whether err is (a wrapped) ErrContention.
func IsContention(err error) bool {
	fe, ok := failure.As(err)
	return ok && fe.Code == ErrContention.Code
}
