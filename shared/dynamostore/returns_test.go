package dynamostore_test

import (
	"context"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// rtFixture is a support table with one delivered order (ordertest.Sample: L1 2 × 250.000,00, L2 final
// sale, shipping 15.000,00) for customer budi.
type rtFixture struct {
	env    *testenv.DynamoEnv
	store  *dynamostore.Returns
	orders *dynamostore.Orders
	order  order.Order
	now    time.Time
}

func newRTFixture(t *testing.T) *rtFixture {
	t.Helper()
	env := testenv.DynamoDB(t)
	f := &rtFixture{env: env, store: dynamostore.NewReturns(env.Client, env.SupportTable), orders: dynamostore.NewOrders(env.Client, env.SupportTable)}
	f.order = ordertest.Sample("TGP-R1", "budi", time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC))
	f.now = f.order.Shipment.DeliveredAt.Add(48 * time.Hour)
	if _, _, err := f.orders.Upsert(context.Background(), f.order); err != nil {
		t.Fatal(err)
	}
	return f
}

// decide builds a return for the fixture's order through the domain, as the service would.
func (f *rtFixture) decide(t *testing.T, qty int, reason returnpolicy.Reason, id string) returns.Return {
	t.Helper()
	rec, err := f.store.Order(context.Background(), f.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := returns.Decide(returnpolicy.Default(), rec, returns.Request{OrderID: f.order.ID, CustomerID: "budi", Resolution: returns.ResolutionRefund,
		Lines: []returns.LineRequest{{LineID: "L1", Quantity: qty, Reason: reason, Condition: returnpolicy.ConditionUnopened}}}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	r.ID, r.CreatedAt, r.UpdatedAt, r.Version = id, f.now, f.now, 1
	r.Audit = []returns.AuditEntry{{At: f.now, To: returns.StatusRequested, Actor: returns.Actor{Kind: returns.ActorCustomer, ID: "budi"}, PolicyVersion: r.Policy.Version}}
	return r
}

func (f *rtFixture) remaining(t *testing.T, lineID string) int {
	t.Helper()
	o, err := f.orders.Get(context.Background(), f.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := o.Line(lineID)
	return l.Remaining
}

func (f *rtFixture) shippingHolder(t *testing.T) string {
	t.Helper()
	rec, err := f.store.Order(context.Background(), f.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	return rec.ShippingRefundHolder
}

// counter sums a daily counter over its shards.
func (f *rtFixture) counter(t *testing.T, name string) int64 {
	t.Helper()
	var sum int64
	for shard := 0; shard < metrics.Shards; shard++ {
		out, err := f.env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(f.env.SupportTable), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{
				"PK": &types.AttributeValueMemberS{Value: "METRICS#" + metrics.Day(f.now) + "#" + strconv.Itoa(shard)},
				"SK": &types.AttributeValueMemberS{Value: "#COUNTERS"},
			}})
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := out.Item[name].(*types.AttributeValueMemberN); ok {
			v, err := strconv.ParseInt(n.Value, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			sum += v
		}
	}
	return sum
}

func (f *rtFixture) item(t *testing.T, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := f.env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(f.env.SupportTable), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: pk}, "SK": &types.AttributeValueMemberS{Value: sk}}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func TestReturnsCreateReservesHoldsShippingAndCounts(t *testing.T) {
	f := newRTFixture(t)
	ctx := context.Background()
	r := f.decide(t, 1, returnpolicy.ReasonDefective, "RTN-STORE0000000001")
	if r.ShippingRefund != 1500000 {
		t.Fatalf("decision should hold shipping: %+v", r)
	}
	if err := f.store.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.Get(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("round trip changed the return:\n got %+v\nwant %+v", got, r)
	}
	if n := f.remaining(t, "L1"); n != 1 {
		t.Fatalf("remaining after reserving 1 of 2: %d", n)
	}
	if h := f.shippingHolder(t); h != r.ID {
		t.Fatalf("shipping holder %q", h)
	}
	if f.counter(t, metrics.ReturnsRequested) != 1 || f.counter(t, metrics.UnitsReturned) != 1 {
		t.Fatalf("counters %d/%d", f.counter(t, metrics.ReturnsRequested), f.counter(t, metrics.UnitsReturned))
	}
	if _, err := f.store.Get(ctx, "RTN-NOPE"); !failure.IsKind(err, failure.KindNotFound) {
		t.Fatalf("missing return: %v", err)
	}
}

// The reservation condition is the last word: a return decided on a stale read cannot over-reserve, and
// nothing of it is stored.
func TestReturnsCreateNeverTakesMoreThanRemains(t *testing.T) {
	f := newRTFixture(t)
	ctx := context.Background()
	stale := f.decide(t, 2, returnpolicy.ReasonChangedMind, "RTN-STORE0000000002")
	first := f.decide(t, 1, returnpolicy.ReasonChangedMind, "RTN-STORE0000000003")
	if err := f.store.Create(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Create(ctx, stale); !returns.IsContention(err) {
		t.Fatalf("over-reservation: %v", err)
	}
	if _, err := f.store.Get(ctx, stale.ID); !failure.IsKind(err, failure.KindNotFound) {
		t.Fatalf("refused return was stored: %v", err)
	}
	if n := f.remaining(t, "L1"); n != 1 {
		t.Fatalf("remaining %d, want 1", n)
	}
	if f.counter(t, metrics.ReturnsRequested) != 1 {
		t.Fatal("refused return was counted")
	}
}

// One shipping refund per order: a second return decided before the first one committed cannot take it;
// cancelling the holder gives it back.
func TestReturnsShippingRefundIsHeldOnce(t *testing.T) {
	f := newRTFixture(t)
	ctx := context.Background()
	a := f.decide(t, 1, returnpolicy.ReasonDefective, "RTN-STORE00000000A1")
	b := f.decide(t, 1, returnpolicy.ReasonWrongItem, "RTN-STORE00000000B1") // decided on the same read
	if err := f.store.Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Create(ctx, b); !returns.IsContention(err) {
		t.Fatalf("second shipping refund: %v", err)
	}
	if n := f.remaining(t, "L1"); n != 1 {
		t.Fatalf("failed create left a reservation: remaining %d", n)
	}
	cancelled, err := returns.Cancel(a, returns.Actor{Kind: returns.ActorCustomer, ID: "budi"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Transition(ctx, a, cancelled); err != nil {
		t.Fatal(err)
	}
	if h := f.shippingHolder(t); h != "" {
		t.Fatalf("cancelled return still holds shipping: %q", h)
	}
	if n := f.remaining(t, "L1"); n != 2 {
		t.Fatalf("cancel did not release: remaining %d", n)
	}
	if f.counter(t, metrics.UnitsReturned) != 0 {
		t.Fatalf("units_returned %d after cancel", f.counter(t, metrics.UnitsReturned))
	}
	again := f.decide(t, 2, returnpolicy.ReasonDefective, "RTN-STORE00000000C1")
	if again.ShippingRefund != 1500000 {
		t.Fatal("shipping not available again after cancel")
	}
	if err := f.store.Create(ctx, again); err != nil {
		t.Fatal(err)
	}
}

// Two transitions from the same state: exactly one is stored.
func TestReturnsTransitionsAreConditional(t *testing.T) {
	f := newRTFixture(t)
	ctx := context.Background()
	r := f.decide(t, 2, returnpolicy.ReasonSizeOrFit, "RTN-STORE00000000D1")
	if err := f.store.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	ops := returns.Actor{Kind: returns.ActorOperator, ID: "arn:aws:iam::123456789012:user/dewi"}
	approved, _ := returns.Approve(r, ops, "", f.now)
	rejected, _ := returns.Reject(r, ops, returns.RejectOther, "duplicate request", f.now)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, next := range []returns.Return{approved, rejected} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f.store.Transition(ctx, r, next) }()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !returns.IsContention(err):
			t.Fatalf("loser got %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d transitions won: %v", wins, errs)
	}
	got, _ := f.store.Get(ctx, r.ID)
	want := map[returns.Status]int{returns.StatusApproved: 0, returns.StatusRejected: 2}[got.Status] // rejected released both units
	if n := f.remaining(t, "L1"); n != want || got.Version != 2 || len(got.Audit) != 2 {
		t.Fatalf("status %s remaining %d version %d audit %d", got.Status, n, got.Version, len(got.Audit))
	}
	// A stale step (from version 1) is refused whatever it is.
	if err := f.store.Transition(ctx, r, approved); !returns.IsContention(err) {
		t.Fatalf("stale transition: %v", err)
	}
}

func TestReturnsRefundRecordAndEventAreWrittenOnce(t *testing.T) {
	f := newRTFixture(t)
	ctx := context.Background()
	ops := returns.Actor{Kind: returns.ActorOperator, ID: "arn:aws:iam::123456789012:user/dewi"}
	r := f.decide(t, 1, returnpolicy.ReasonDefective, "RTN-STORE00000000E1")
	if err := f.store.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	step := func(prev returns.Return, move func(returns.Return) (returns.Return, error)) returns.Return {
		t.Helper()
		next, err := move(prev)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.Transition(ctx, prev, next); err != nil {
			t.Fatal(err)
		}
		return next
	}
	approved := step(r, func(r returns.Return) (returns.Return, error) { return returns.Approve(r, ops, "", f.now) })
	received := step(approved, func(r returns.Return) (returns.Return, error) {
		return returns.Receive(r, ops, []returns.ReceivedLine{{LineID: "L1", Condition: returnpolicy.ConditionDamagedByCustomer}}, "", f.now)
	})
	refunded, err := returns.Refunded(received, ops, "", f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Transition(ctx, received, refunded); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Transition(ctx, received, refunded); !returns.IsContention(err) {
		t.Fatalf("second refund: %v", err)
	}
	type record struct {
		Entity, Method, Currency, PaymentMethod, OrderID, ReturnID, GSI1PK, PolicyVersion string
		Amount                                                                            int64
	}
	read := func(sk string) record {
		var rec struct {
			Entity        string `dynamodbav:"entity"`
			Method        string `dynamodbav:"method"`
			Currency      string `dynamodbav:"currency"`
			PaymentMethod string `dynamodbav:"paymentMethod"`
			OrderID       string `dynamodbav:"orderId"`
			ReturnID      string `dynamodbav:"returnId"`
			GSI1PK        string `dynamodbav:"GSI1PK"`
			PolicyVersion string `dynamodbav:"policyVersion"`
			Amount        int64  `dynamodbav:"amount"`
		}
		if err := attributevalue.UnmarshalMap(f.item(t, "RETURN#"+r.ID, sk), &rec); err != nil {
			t.Fatal(err)
		}
		return record(rec)
	}
	// 250.000,00 found damaged through use on receipt: 10% restocking fee; defective reason: shipping back.
	wantAmount := int64(25000000 - 2500000 + 1500000)
	common := record{Method: "original_payment", Currency: "IDR", PaymentMethod: "ewallet", OrderID: f.order.ID, ReturnID: r.ID,
		PolicyVersion: returnpolicy.Default().Version, Amount: wantAmount}
	want := common
	want.Entity = "refund"
	if got := read("REFUND"); got != want {
		t.Fatalf("refund record %+v, want %+v", got, want)
	}
	want = common
	want.Entity, want.GSI1PK = "refund_event", "REFUND_EVENT#PENDING"
	if got := read("REFUND_EVENT"); got != want {
		t.Fatalf("refund event %+v, want %+v", got, want)
	}
	if f.counter(t, metrics.ReturnsRefunded) != 1 || f.counter(t, metrics.UnitsReturned) != 1 {
		t.Fatalf("returns_refunded %d units_returned %d", f.counter(t, metrics.ReturnsRefunded), f.counter(t, metrics.UnitsReturned))
	}
	if n := f.remaining(t, "L1"); n != 1 {
		t.Fatalf("refunded units must stay returned: remaining %d", n)
	}
}

func TestReturnsListByOrderPages(t *testing.T) {
	f := newRTFixture(t)
	ctx := context.Background()
	ids := []string{"RTN-STORE00000000F1", "RTN-STORE00000000F2", "RTN-STORE00000000F3"}
	for i, id := range ids {
		r := f.decide(t, 1, returnpolicy.ReasonChangedMind, id)
		r.CreatedAt = f.now.Add(time.Duration(i) * time.Minute)
		if err := f.store.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		if i == 1 { // two units bought: give them back to make room for the third
			c, _ := returns.Cancel(r, returns.Actor{Kind: returns.ActorCustomer, ID: "budi"}, f.now)
			if err := f.store.Transition(ctx, r, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	var seen []string
	cursor := ""
	for range 3 {
		page, err := f.store.ListByOrder(ctx, f.order.ID, 2, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Returns {
			seen = append(seen, r.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if !reflect.DeepEqual(seen, []string{ids[2], ids[1], ids[0]}) {
		t.Fatalf("pages %v", seen)
	}
	if _, err := f.store.ListByOrder(ctx, f.order.ID, 2, "bm90LWpzb24"); !failure.IsKind(err, failure.KindInvalid) {
		t.Fatalf("bad cursor: %v", err)
	}
	other, err := f.store.ListByOrder(ctx, "TGP-OTHER", 10, "")
	if err != nil || len(other.Returns) != 0 {
		t.Fatalf("other order: %v %+v", err, other)
	}
}

// A COD return refunded to a bank account: the destination is stored with the return, read back whole, and
// the refund record and the payment integration's event carry it.
func TestReturnsCODRefundCarriesTheDestination(t *testing.T) {
	f := newRTFixture(t)
	ctx := context.Background()
	ops := returns.Actor{Kind: returns.ActorOperator, ID: "arn:aws:iam::123456789012:user/dewi"}
	cod := f.order
	cod.ID, cod.PaymentMethod = "TGP-COD1", returns.PaymentCOD
	if _, _, err := f.orders.Upsert(ctx, cod); err != nil {
		t.Fatal(err)
	}
	rec, err := f.store.Order(ctx, cod.ID)
	if err != nil {
		t.Fatal(err)
	}
	dest := &returns.RefundDestination{Kind: returns.DestinationBankAccount, Bank: "mandiri", AccountNumber: "1230004567890", HolderName: "Budi Santoso"}
	r, err := returns.Decide(returnpolicy.Default(), rec, returns.Request{OrderID: cod.ID, CustomerID: "budi", Resolution: returns.ResolutionRefund,
		Lines:             []returns.LineRequest{{LineID: "L1", Quantity: 1, Reason: returnpolicy.ReasonDefective, Condition: returnpolicy.ConditionOpened}},
		RefundDestination: dest}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	r.ID, r.CreatedAt, r.UpdatedAt, r.Version = "RTN-STORE0000000C0D", f.now, f.now, 1
	if err := f.store.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.Get(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.RefundDestination == nil || *got.RefundDestination != *dest || got.Estimate.Method != returns.MethodBankTransfer {
		t.Fatalf("stored destination %+v, method %s", got.RefundDestination, got.Estimate.Method)
	}
	next := got
	for _, move := range []func(returns.Return) (returns.Return, error){
		func(r returns.Return) (returns.Return, error) { return returns.Approve(r, ops, "", f.now) },
		func(r returns.Return) (returns.Return, error) {
			return returns.Receive(r, ops, []returns.ReceivedLine{{LineID: "L1", Condition: returnpolicy.ConditionDefective}}, "", f.now)
		},
		func(r returns.Return) (returns.Return, error) { return returns.Refunded(r, ops, "", f.now) },
	} {
		prev := next
		if next, err = move(prev); err != nil {
			t.Fatal(err)
		}
		if err := f.store.Transition(ctx, prev, next); err != nil {
			t.Fatal(err)
		}
	}
	for _, sk := range []string{"REFUND", "REFUND_EVENT"} {
		var item struct {
			Method      string `dynamodbav:"method"`
			Amount      int64  `dynamodbav:"amount"`
			Destination struct {
				Kind          string `dynamodbav:"kind"`
				Bank          string `dynamodbav:"bank"`
				AccountNumber string `dynamodbav:"accountNumber"`
				HolderName    string `dynamodbav:"holderName"`
			} `dynamodbav:"destination"`
		}
		if err := attributevalue.UnmarshalMap(f.item(t, "RETURN#"+r.ID, sk), &item); err != nil {
			t.Fatal(err)
		}
		d := item.Destination
		if item.Method != "bank_transfer" || item.Amount%100 != 0 || item.Amount != next.Final.Total ||
			d.Kind != "bank_account" || d.Bank != "mandiri" || d.AccountNumber != "1230004567890" || d.HolderName != "Budi Santoso" {
			t.Fatalf("%s: %+v", sk, item)
		}
	}
}
