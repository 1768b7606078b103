package returns

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// The pure rules of returns: validating requests, applying the policy, computing refunds and moving through
// the state machine. Nothing here does I/O, so every rule is unit-tested on its own.

// LineRequest asks to return quantity units of an order line.
type LineRequest struct {
	LineID    string
	Quantity  int
	Reason    returnpolicy.Reason
	Condition returnpolicy.Condition
}

// Request is a customer's return request.
type Request struct {
	OrderID    string
	CustomerID string
	Lines      []LineRequest
	Resolution Resolution
	Comment    string
	// RefundDestination is a bank account or e-wallet for the refund; required when the order was paid on
	// delivery (COD) and the resolution is a refund, allowed for any refund.
	RefundDestination *RefundDestination
	// Language is the customer's, from the request: notifications about the return use it.
	Language i18n.Lang
}

// Field error codes for line-level refusals (besides the policy's own: final_sale, not_delivered,
// return_period_ended).
const (
	CodeUnknownLine       = "unknown_line"
	CodeExceedsReturnable = "exceeds_returnable"
	CodeAllLinesRequired  = "all_lines_required"
	CodeDestinationForCOD = "destination_required_for_cod"
	CodeRefundOnly        = "destination_refund_only"
)

func linePath(i int, field string) string { return "lines[" + strconv.Itoa(i) + "]." + field }

// oneOf is the field error for a value outside an enumeration; the message lists the accepted values.
func oneOf[T ~string](field string, values []T) failure.FieldError {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return failure.FieldError{Field: field, Code: "oneof", Param: strings.Join(s, " ")}
}

// Validate checks the request's shape: the HTTP layer decodes, the domain decides what is valid.
func (req Request) Validate() error {
	// Too many lines is the one error: checking each would make the answer grow with the body.
	if len(req.Lines) > MaxLines {
		return failure.Invalid(failure.FieldError{Field: "lines", Code: "max", Param: strconv.Itoa(MaxLines)})
	}
	var fields []failure.FieldError
	if len(req.Lines) == 0 {
		fields = append(fields, failure.FieldError{Field: "lines", Code: "required"})
	}
	seen := map[string]bool{}
	for i, l := range req.Lines {
		switch {
		case l.LineID == "":
			fields = append(fields, failure.FieldError{Field: linePath(i, "lineId"), Code: "required"})
		case len(l.LineID) > maxLineIDSize:
			fields = append(fields, failure.FieldError{Field: linePath(i, "lineId"), Code: "max", Param: strconv.Itoa(maxLineIDSize)})
		case seen[l.LineID]:
			fields = append(fields, failure.FieldError{Field: linePath(i, "lineId"), Code: "unique"})
		}
		seen[l.LineID] = true
		if l.Quantity < 1 {
			fields = append(fields, failure.FieldError{Field: linePath(i, "quantity"), Code: "gte", Param: "1"})
		} else if l.Quantity > MaxLineQty {
			fields = append(fields, failure.FieldError{Field: linePath(i, "quantity"), Code: "lte", Param: strconv.Itoa(MaxLineQty)})
		}
		if !l.Reason.Valid() {
			fields = append(fields, oneOf(linePath(i, "reason"), returnpolicy.Reasons))
		}
		if !l.Condition.Valid() {
			fields = append(fields, oneOf(linePath(i, "condition"), returnpolicy.Conditions))
		}
	}
	if !slices.Contains(Resolutions, req.Resolution) {
		fields = append(fields, oneOf("resolution", Resolutions))
	}
	if d := req.RefundDestination; d != nil {
		if req.Resolution != ResolutionRefund {
			fields = append(fields, failure.FieldError{Field: "refundDestination", Code: CodeRefundOnly})
		} else {
			fields = append(fields, NormalizeDestination(*d).validate("refundDestination")...)
		}
	}
	if len([]rune(req.Comment)) > MaxComment {
		fields = append(fields, failure.FieldError{Field: "comment", Code: "max_length", Param: strconv.Itoa(MaxComment)})
	}
	if len(fields) > 0 {
		return failure.Invalid(fields...)
	}
	return nil
}

func withFields(e *failure.Error, fields []failure.FieldError) *failure.Error {
	c := *e
	c.Fields = fields
	return &c
}

// Decide applies policy p at now to a valid request for order o. It returns the return to store (without
// id and times), or why not:
//   - someone else's order: order.ErrNotFound, exactly like a missing order;
//   - lines the policy refuses (unknown, final sale, not delivered, window over, more than bought):
//     ErrNotAllowed with one field error per refused line;
//   - quantities other returns hold or have returned: ErrQuantityUnavailable, with field errors. This is
//     the same answer a request gets when it loses the race for the last units inside the transaction.
func Decide(p returnpolicy.Policy, o OrderRecord, req Request, now time.Time) (Return, error) {
	if o.CustomerID != req.CustomerID {
		return Return{}, order.ErrNotFound
	}
	// Cash on delivery leaves no payment to refund to: the customer names an account, or picks store credit.
	if o.PaymentMethod == PaymentCOD && req.Resolution == ResolutionRefund && req.RefundDestination == nil {
		return Return{}, failure.Invalid(failure.FieldError{Field: "refundDestination", Code: CodeDestinationForCOD})
	}
	var refused, unavailable []failure.FieldError
	r := Return{
		OrderID: o.ID, CustomerID: o.CustomerID, Status: StatusRequested, Resolution: req.Resolution, Comment: req.Comment,
		Currency: o.Currency, PaymentMethod: o.PaymentMethod, Policy: p, Lines: make([]Line, 0, len(req.Lines)),
	}
	if d := req.RefundDestination; d != nil && req.Resolution == ResolutionRefund {
		n := NormalizeDestination(*d)
		r.RefundDestination = &n
	}
	refundsShipping := false
	for i, rl := range req.Lines {
		ol, ok := o.Line(rl.LineID)
		if !ok {
			refused = append(refused, failure.FieldError{Field: linePath(i, "lineId"), Code: CodeUnknownLine})
			continue
		}
		// Eligibility on the bought quantity: what other returns hold is answered below, as a conflict.
		if ok, why := p.LineEligibility(ol.FinalSale, o.Shipment.DeliveredAt, ol.Quantity, now); !ok {
			refused = append(refused, failure.FieldError{Field: linePath(i, "lineId"), Code: why})
			continue
		}
		remaining := max(ol.Remaining, 0)
		tooMany := failure.FieldError{Field: linePath(i, "quantity"), Code: CodeExceedsReturnable, Param: strconv.Itoa(remaining)}
		switch {
		case rl.Quantity > ol.Quantity:
			refused = append(refused, tooMany)
			continue
		case rl.Quantity > remaining:
			unavailable = append(unavailable, tooMany)
			continue
		}
		r.Lines = append(r.Lines, Line{LineID: ol.ID, SKU: ol.SKU, Name: ol.Name, Quantity: rl.Quantity, UnitPrice: ol.UnitPrice,
			Reason: rl.Reason, Condition: rl.Condition})
		refundsShipping = refundsShipping || p.RefundsShipping(rl.Reason)
	}
	if len(refused) > 0 {
		return Return{}, withFields(ErrNotAllowed, refused)
	}
	if len(unavailable) > 0 {
		return Return{}, withFields(ErrQuantityUnavailable, unavailable)
	}
	// Shipping goes back once per order: to the first live return that qualifies and is paid out.
	if refundsShipping && req.Resolution != ResolutionExchange && o.ShippingFee > 0 && o.ShippingRefundHolder == "" {
		r.ShippingRefund = o.ShippingFee
	}
	r.Estimate = ComputeRefund(r, false)
	return r, nil
}

// ComputeRefund is what r pays out under its own policy terms, from the conditions the customer described
// or, with received, those the warehouse recorded. Integer minor units throughout: per line, unit price ×
// quantity minus the restocking fee when the policy charges one; plus the shipping refund this return holds.
// An exchange pays out nothing. Everything paid out is whole cash units (whole rupiah for IDR), rounded in
// the customer's favour: the fee down, each payout up (which only matters for prices with sen).
func ComputeRefund(r Return, received bool) Refund {
	method := r.PayoutMethod()
	out := Refund{Method: method, Currency: r.Currency, PolicyVersion: r.Policy.Version, Lines: make([]RefundLine, 0, len(r.Lines))}
	for _, l := range r.Lines {
		cond, found := l.Condition, false
		if received && l.ReceivedCondition != "" {
			cond, found = l.ReceivedCondition, true
		}
		subtotal := money.New(l.UnitPrice, r.Currency).Times(int64(l.Quantity))
		rl := RefundLine{LineID: l.LineID, Quantity: l.Quantity, Condition: cond, Subtotal: subtotal.Amount, Code: CodeFullRefund}
		switch {
		case method == MethodExchange:
			rl.Code = CodeExchange
		case r.Policy.ChargesRestocking(l.Reason, cond, found):
			rl.RestockingFee = subtotal.FeeBasisPoints(r.Policy.RestockingFeeBps).Amount
			rl.Code = CodeRestockingFee
		}
		if method != MethodExchange {
			rl.Amount = subtotal.Sub(money.New(rl.RestockingFee, r.Currency)).CashUp().Amount
		}
		out.Lines = append(out.Lines, rl)
		out.ItemsSubtotal += rl.Subtotal
		out.RestockingFee += rl.RestockingFee
		out.Total += rl.Amount
	}
	if method != MethodExchange {
		out.Shipping = money.New(r.ShippingRefund, r.Currency).CashUp().Amount
		out.Total += out.Shipping
	}
	return out
}

// Transitions is the state machine: the statuses each status may move to.
var Transitions = map[Status][]Status{
	StatusRequested: {StatusApproved, StatusRejected, StatusCancelled},
	StatusApproved:  {StatusReceived, StatusRejected, StatusCancelled},
	StatusReceived:  {StatusRefunded, StatusRejected},
}

// CanTransition reports whether from → to is allowed.
func CanTransition(from, to Status) bool { return slices.Contains(Transitions[from], to) }

// advance returns a copy of r in status to, with entry appended to the audit trail. r is not modified.
func (r Return) advance(to Status, entry AuditEntry, now time.Time) Return {
	next := r
	entry.At, entry.From, entry.To = now, r.Status, to
	next.Audit = append(slices.Clone(r.Audit), entry)
	next.Status, next.UpdatedAt, next.Version = to, now, r.Version+1
	return next
}

func operatorStep(r Return, to Status, entry AuditEntry, now time.Time) (Return, error) {
	if !CanTransition(r.Status, to) {
		return Return{}, ErrStatusConflict
	}
	return r.advance(to, entry, now), nil
}

func noteField(note string) error {
	if len([]rune(note)) > MaxNote {
		return failure.Invalid(failure.FieldError{Field: "note", Code: "max_length", Param: strconv.Itoa(MaxNote)})
	}
	return nil
}

// Cancel is the customer withdrawing the return; allowed until the items are received.
func Cancel(r Return, customer Actor, now time.Time) (Return, error) {
	if !CanTransition(r.Status, StatusCancelled) {
		return Return{}, ErrNotCancellable
	}
	return r.advance(StatusCancelled, AuditEntry{Actor: customer}, now), nil
}

// Approve is ops accepting the request; the customer may now send the items.
func Approve(r Return, op Actor, note string, now time.Time) (Return, error) {
	if err := noteField(note); err != nil {
		return Return{}, err
	}
	return operatorStep(r, StatusApproved, AuditEntry{Actor: op, Note: note}, now)
}

// Reject is ops refusing the return, before or after receipt; the quantities become returnable again.
func Reject(r Return, op Actor, reason RejectReason, note string, now time.Time) (Return, error) {
	var fields []failure.FieldError
	if !slices.Contains(RejectReasons, reason) {
		fields = append(fields, oneOf("reason", RejectReasons))
	}
	if strings.TrimSpace(note) == "" {
		fields = append(fields, failure.FieldError{Field: "note", Code: "required"})
	}
	if len(fields) > 0 {
		return Return{}, failure.Invalid(fields...)
	}
	if err := noteField(note); err != nil {
		return Return{}, err
	}
	next, err := operatorStep(r, StatusRejected, AuditEntry{Actor: op, Reason: reason, Note: note}, now)
	if err != nil {
		return Return{}, err
	}
	next.Rejection = &Rejection{Reason: reason, Note: note}
	return next, nil
}

// ReceivedLine is the condition the warehouse found a line in.
type ReceivedLine struct {
	LineID    string
	Condition returnpolicy.Condition
}

// Receive records the condition of every line and recomputes the refund from it under the return's terms:
// an item found opened pays the restocking fee even if the customer said unopened.
func Receive(r Return, op Actor, lines []ReceivedLine, note string, now time.Time) (Return, error) {
	if err := validateReceived(r, lines); err != nil {
		return Return{}, err
	}
	if err := noteField(note); err != nil {
		return Return{}, err
	}
	next, err := operatorStep(r, StatusReceived, AuditEntry{Actor: op, Note: note, PolicyVersion: r.Policy.Version}, now)
	if err != nil {
		return Return{}, err
	}
	found := map[string]returnpolicy.Condition{}
	for _, l := range lines {
		found[l.LineID] = l.Condition
	}
	next.Lines = slices.Clone(r.Lines)
	for i := range next.Lines {
		next.Lines[i].ReceivedCondition = found[next.Lines[i].LineID]
	}
	final := ComputeRefund(next, true)
	next.Final = &final
	return next, nil
}

func validateReceived(r Return, lines []ReceivedLine) error {
	if len(lines) > MaxLines {
		return failure.Invalid(failure.FieldError{Field: "lines", Code: "max", Param: strconv.Itoa(MaxLines)})
	}
	var fields []failure.FieldError
	seen := map[string]bool{}
	for i, l := range lines {
		switch {
		case !slices.ContainsFunc(r.Lines, func(x Line) bool { return x.LineID == l.LineID }):
			fields = append(fields, failure.FieldError{Field: linePath(i, "lineId"), Code: CodeUnknownLine})
		case seen[l.LineID]:
			fields = append(fields, failure.FieldError{Field: linePath(i, "lineId"), Code: "unique"})
		}
		seen[l.LineID] = true
		if !l.Condition.Valid() {
			fields = append(fields, oneOf(linePath(i, "condition"), returnpolicy.Conditions))
		}
	}
	if len(fields) == 0 {
		for _, l := range r.Lines {
			if !seen[l.LineID] {
				fields = append(fields, failure.FieldError{Field: "lines", Code: CodeAllLinesRequired})
				break
			}
		}
	}
	if len(fields) > 0 {
		return failure.Invalid(fields...)
	}
	return nil
}

// Refunded marks the final refund as issued. The store writes the refund record and the payment event in
// the same transaction, conditional on the return still being received, so it happens exactly once.
func Refunded(r Return, op Actor, note string, now time.Time) (Return, error) {
	if err := noteField(note); err != nil {
		return Return{}, err
	}
	next, err := operatorStep(r, StatusRefunded, AuditEntry{Actor: op, Note: note}, now)
	if err != nil {
		return Return{}, err
	}
	if next.Final == nil {
		return Return{}, errors.New("returns: received return without a final refund")
	}
	return next, nil
}
