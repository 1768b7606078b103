package returns

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// The request limits accept their own value: 50 lines, a 64-byte line id, 999 units.
func TestRequestLimitsAcceptTheirOwnValue(t *testing.T) {
	lines := make([]LineRequest, MaxLines)
	for i := range lines {
		lines[i] = line("L"+strconv.Itoa(i), 1, "defective", "unopened")
	}
	if err := req(lines...).Validate(); err != nil {
		t.Errorf("%d lines: %v", MaxLines, err)
	}
	if err := req(line(strings.Repeat("L", 64), MaxLineQty, "defective", "unopened")).Validate(); err != nil {
		t.Errorf("64-byte line id and %d units: %v", MaxLineQty, err)
	}
}

// Every line is judged: a line asking for more than was bought does not hide the lines after it.
func TestEveryOverboughtLineIsReported(t *testing.T) {
	_, err := Decide(returnpolicy.Default(), sampleOrder(), req(line("L1", 3, "defective", "unopened"), line("L3", 4, "defective", "unopened")), now)
	if code, fields := fieldCodes(t, err); code != ErrNotAllowed.Code ||
		fields != "lines[0].quantity=exceeds_returnable(2) lines[1].quantity=exceeds_returnable(1)" {
		t.Fatalf("got %s [%s]", code, fields)
	}
}

// The return keeps, per line, what the customer asked for and what the order says was bought.
func TestDecidedLinesCarryTheOrderLineAndTheRequest(t *testing.T) {
	r, err := Decide(returnpolicy.Default(), sampleOrder(), req(line("L1", 1, "size_or_fit", "opened")), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{{LineID: "L1", SKU: "BTK", Name: "Batik", Quantity: 1, UnitPrice: 18900000, Reason: "size_or_fit", Condition: "opened"}}
	if !reflect.DeepEqual(r.Lines, want) {
		t.Fatalf("lines\n got %+v\nwant %+v", r.Lines, want)
	}
	wantRefund := []RefundLine{{LineID: "L1", Quantity: 1, Condition: "opened", Subtotal: 18900000, RestockingFee: 1890000, Amount: 17010000, Code: CodeRestockingFee}}
	if !reflect.DeepEqual(r.Estimate.Lines, wantRefund) {
		t.Fatalf("refund lines\n got %+v\nwant %+v", r.Estimate.Lines, wantRefund)
	}
}

// Any shipping fee, however small, goes back with a qualifying return, rounded up to a whole rupiah.
func TestSmallestShippingFeeIsRefunded(t *testing.T) {
	o := sampleOrder()
	o.ShippingFee = 1
	r, err := Decide(returnpolicy.Default(), o, req(line("L1", 1, "defective", "unopened")), now)
	if err != nil || r.ShippingRefund != 1 || r.Estimate.Shipping != 100 {
		t.Fatalf("shipping refund %d estimate %+v (%v)", r.ShippingRefund, r.Estimate, err)
	}
}

// The smallest restocking fee (1 basis point) is charged; a line's condition is the customer's until the
// warehouse records one, and the warehouse's only once received.
func TestRefundConditionsAndSmallestFee(t *testing.T) {
	p := returnpolicy.Default()
	p.RestockingFeeBps = 1
	r := Return{Resolution: ResolutionRefund, Currency: "IDR", Policy: p, Lines: []Line{
		{LineID: "A", Quantity: 1, UnitPrice: 1000000, Condition: "opened"},
		{LineID: "B", Quantity: 1, UnitPrice: 1000000, Condition: "unopened", ReceivedCondition: "opened"},
	}}
	estimate := ComputeRefund(r, false)
	if estimate.Lines[0].RestockingFee != 100 || estimate.Lines[1].Condition != "unopened" || estimate.Lines[1].RestockingFee != 0 {
		t.Fatalf("estimate %+v", estimate.Lines)
	}
	final := ComputeRefund(r, true)
	if final.Lines[0].Condition != "opened" || final.Lines[1].Condition != "opened" || final.RestockingFee != 200 {
		t.Fatalf("received %+v", final.Lines)
	}
}

// Every step a person takes is in the audit trail with who did it and the note they wrote; a rejection
// keeps its note for the customer.
func TestAuditTrailNamesWhoAndWhy(t *testing.T) {
	at := now.Add(time.Hour)
	r := requested(t)

	cancelled, err := Cancel(r, customer, at)
	if err != nil {
		t.Fatal(err)
	}
	checkLast(t, "cancel", cancelled, AuditEntry{At: at, From: StatusRequested, To: StatusCancelled, Actor: customer})

	approved, err := Approve(r, ops, "ok, kirim", at)
	if err != nil {
		t.Fatal(err)
	}
	checkLast(t, "approve", approved, AuditEntry{At: at, From: StatusRequested, To: StatusApproved, Actor: ops, Note: "ok, kirim"})

	rejected, err := Reject(r, ops, RejectCondition, "tergores", at)
	if err != nil {
		t.Fatal(err)
	}
	checkLast(t, "reject", rejected, AuditEntry{At: at, From: StatusRequested, To: StatusRejected, Actor: ops, Reason: RejectCondition, Note: "tergores"})
	if rejected.Rejection == nil || *rejected.Rejection != (Rejection{Reason: RejectCondition, Note: "tergores"}) {
		t.Fatalf("rejection %+v", rejected.Rejection)
	}

	received, err := Receive(approved, ops, []ReceivedLine{{"L1", "unopened"}, {"L3", "unopened"}}, "lengkap", at)
	if err != nil {
		t.Fatal(err)
	}
	checkLast(t, "receive", received, AuditEntry{At: at, From: StatusApproved, To: StatusReceived, Actor: ops, Note: "lengkap", PolicyVersion: r.Policy.Version})

	refunded, err := Refunded(received, ops, "transfer 123", at)
	if err != nil {
		t.Fatal(err)
	}
	checkLast(t, "refund", refunded, AuditEntry{At: at, From: StatusReceived, To: StatusRefunded, Actor: ops, Note: "transfer 123"})
}

func checkLast(t *testing.T, step string, r Return, want AuditEntry) {
	t.Helper()
	if got := r.Audit[len(r.Audit)-1]; got != want {
		t.Errorf("%s: audit entry\n got %+v\nwant %+v", step, got, want)
	}
}

// Notes are bounded on every step that takes one: MaxNote characters are fine, one more is a field error.
func TestEveryNoteIsBounded(t *testing.T) {
	long, max := strings.Repeat("é", MaxNote+1), strings.Repeat("é", MaxNote)
	approved, _ := Approve(requested(t), ops, "", now)
	received, err := Receive(approved, ops, []ReceivedLine{{"L1", "unopened"}, {"L3", "unopened"}}, "", now)
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string]func(note string) error{
		"approve": func(n string) error { _, err := Approve(requested(t), ops, n, now); return err },
		"reject":  func(n string) error { _, err := Reject(requested(t), ops, RejectOther, n, now); return err },
		"receive": func(n string) error {
			_, err := Receive(approved, ops, []ReceivedLine{{"L1", "unopened"}, {"L3", "unopened"}}, n, now)
			return err
		},
		"refund": func(n string) error { _, err := Refunded(received, ops, n, now); return err },
	}
	for name, step := range steps {
		if err := step(max); err != nil {
			t.Errorf("%s: a note of %d characters refused: %v", name, MaxNote, err)
		}
		err := step(long)
		if err == nil {
			t.Errorf("%s: a note of %d characters accepted", name, MaxNote+1)
			continue
		}
		if code, fields := fieldCodes(t, err); code != "validation_failed" || fields != "note=max_length("+strconv.Itoa(MaxNote)+")" {
			t.Errorf("%s: %s [%s]", name, code, fields)
		}
	}
}

// A rejection with a known reason but no note is refused: the customer is owed an explanation.
func TestRejectWithReasonButNoNote(t *testing.T) {
	_, err := Reject(requested(t), ops, RejectOther, "  ", now)
	if err == nil {
		t.Fatal("rejected without a note")
	}
	if code, fields := fieldCodes(t, err); code != "validation_failed" || fields != "note=required" {
		t.Fatalf("got %s [%s]", code, fields)
	}
}

// outageStore fails reads of orders or returns.
type outageStore struct {
	racingStore
	orderErr, getErr error
}

func (s *outageStore) Order(ctx context.Context, id string) (OrderRecord, error) {
	if s.orderErr != nil {
		return OrderRecord{}, s.orderErr
	}
	return s.racingStore.Order(ctx, id)
}

func (s *outageStore) Get(ctx context.Context, id string) (Return, error) {
	if s.getErr != nil {
		return Return{}, s.getErr
	}
	return s.racingStore.Get(ctx, id)
}

// A store that cannot answer is a failure, never a "not found" or a step applied to an empty return.
func TestStoreOutagesAreFailures(t *testing.T) {
	outage := errors.New("dynamodb: throttled")
	store := &outageStore{racingStore: racingStore{order: sampleOrder()}, orderErr: outage}
	if _, err := newTestService(store).Request(context.Background(), req(line("L1", 1, "defective", "unopened"))); err != outage {
		t.Errorf("order read fails: %v", err)
	}
	store = &outageStore{racingStore: racingStore{ret: requested(t)}, getErr: outage}
	if _, err := newTestService(store).Approve(context.Background(), ops, "RTN-AAAAAAAAAAAAAAAA", ""); err != outage || store.transitions != 0 {
		t.Errorf("return read fails: %v, %d written", err, store.transitions)
	}
}

// A request's audit trail starts with the customer's request under the policy version it was decided by.
func TestRequestStartsTheAuditTrail(t *testing.T) {
	store := &racingStore{order: sampleOrder()}
	r, err := newTestService(store).Request(context.Background(), req(line("L1", 1, "defective", "unopened")))
	if err != nil {
		t.Fatal(err)
	}
	want := []AuditEntry{{At: now, To: StatusRequested, Actor: Actor{Kind: ActorCustomer, ID: "budi"}, PolicyVersion: returnpolicy.Default().Version}}
	if !reflect.DeepEqual(r.Audit, want) {
		t.Fatalf("audit %+v, want %+v", r.Audit, want)
	}
}

// As wired for production, the service retries a lost write after a short pause, and gives up after 8.
func TestProductionRetryDefaults(t *testing.T) {
	store := &racingStore{order: sampleOrder(), lose: 1}
	svc := NewService(store, returnpolicy.Default(), func() time.Time { return now })
	if _, err := svc.Request(context.Background(), req(line("L1", 1, "defective", "unopened"))); err != nil || store.writes != 2 {
		t.Fatalf("one lost write: %v after %d writes", err, store.writes)
	}
	store = &racingStore{order: sampleOrder(), lose: 100}
	svc = NewService(store, returnpolicy.Default(), func() time.Time { return now })
	svc.Backoff = func(int) time.Duration { return 0 }
	if _, err := svc.Request(context.Background(), req(line("L1", 1, "defective", "unopened"))); !IsContention(err) || store.writes != 8 {
		t.Fatalf("always losing: %v after %d writes, want 8", err, store.writes)
	}
}
