package order_test

import (
	"context"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

func TestMemoryStoreMeetsContract(t *testing.T) {
	ordertest.Run(t, ordertest.NewMemoryStore())
}

func newService(t *testing.T, now time.Time) (*order.Service, *ordertest.MemoryStore) {
	t.Helper()
	store := ordertest.NewMemoryStore()
	return order.NewService(store, returnpolicy.Default(), func() time.Time { return now }), store
}

func TestViewShowsReturnableQuantityAndDeadline(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	delivered := placed.Add(72 * time.Hour)
	svc, store := newService(t, delivered.Add(10*24*time.Hour))
	ctx := context.Background()
	if _, _, err := svc.Upsert(ctx, ordertest.Sample("O-1", "budi", placed)); err != nil {
		t.Fatal(err)
	}
	store.SetRemaining("O-1", "L1", 1) // one unit already on a return

	v, err := svc.GetMine(ctx, "budi", "O-1")
	if err != nil {
		t.Fatal(err)
	}
	l1, l2 := v.Lines[0], v.Lines[1]
	if l1.ReturnableQuantity != 1 || l1.ReturnedOrPending != 1 || l1.ReturnDeadline == nil || !l1.ReturnDeadline.Equal(returnpolicy.Default().Deadline(delivered)) {
		t.Fatalf("line 1: %+v", l1)
	}
	if l2.ReturnableQuantity != 0 || l2.NotReturnableReason != returnpolicy.FinalSale || l2.ReturnDeadline != nil {
		t.Fatalf("final-sale line: %+v", l2)
	}
	if v.Total.Amount != 2*25000000+3*4500000+1500000 || v.Total.Currency != "IDR" || v.ReturnPolicy.WindowDays != 30 {
		t.Fatalf("totals: %+v", v)
	}
}

func TestWindowEndedAndNotDelivered(t *testing.T) {
	placed := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	svc, _ := newService(t, placed.AddDate(0, 2, 0))
	ctx := context.Background()
	if _, _, err := svc.Upsert(ctx, ordertest.Sample("OLD", "budi", placed)); err != nil {
		t.Fatal(err)
	}
	transit := ordertest.Sample("NEW", "budi", placed)
	transit.Status, transit.Shipment = order.StatusShipped, order.Shipment{Status: order.ShipmentInTransit}
	if _, _, err := svc.Upsert(ctx, transit); err != nil {
		t.Fatal(err)
	}
	old, _ := svc.GetMine(ctx, "budi", "OLD")
	if old.Lines[0].ReturnableQuantity != 0 || old.Lines[0].NotReturnableReason != returnpolicy.ReturnPeriodEnded {
		t.Fatalf("old: %+v", old.Lines[0])
	}
	inTransit, _ := svc.GetMine(ctx, "budi", "NEW")
	if inTransit.Lines[0].ReturnableQuantity != 0 || inTransit.Lines[0].NotReturnableReason != returnpolicy.NotDelivered || inTransit.Lines[0].ReturnDeadline != nil {
		t.Fatalf("in transit: %+v", inTransit.Lines[0])
	}
}

func TestOnlyTheOwnerOrTheRightEmailSeesAnOrder(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	svc, _ := newService(t, placed)
	ctx := context.Background()
	if _, _, err := svc.Upsert(ctx, ordertest.Sample("O-1", "budi", placed)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.GetMine(ctx, "siti", "O-1"); err != order.ErrNotFound {
		t.Fatalf("another customer: %v", err)
	}
	if _, err := svc.GuestLookup(ctx, "O-1", "  BUDI@Example.co.id "); err != nil {
		t.Fatalf("right email in another case: %v", err)
	}
	for _, c := range [][2]string{{"O-1", "siti@example.co.id"}, {"O-404", "budi@example.co.id"}} {
		if _, err := svc.GuestLookup(ctx, c[0], c[1]); err != order.ErrNotFound {
			t.Fatalf("%v: %v", c, err)
		}
	}
}

// countingStore counts reads, to show what an upsert costs.
type countingStore struct {
	order.Store
	gets int
}

func (c *countingStore) Get(ctx context.Context, id string) (order.Order, error) {
	c.gets++
	return c.Store.Get(ctx, id)
}

// Upsert answers from what the store reports it wrote, never by reading its own write back (inside an
// idempotent request the write is only planned until the answer commits with it). An update answers with
// the stored lines, whose quantities returns already hold.
func TestUpsertNeverReadsItsWriteBack(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	store := &countingStore{Store: ordertest.NewMemoryStore()}
	svc := order.NewService(store, returnpolicy.Default(), func() time.Time { return placed.Add(96 * time.Hour) })
	ctx := context.Background()

	v, created, err := svc.Upsert(ctx, ordertest.Sample("O-1", "budi", placed))
	if err != nil || !created || store.gets != 0 {
		t.Fatalf("create: created=%v err=%v reads=%d", created, err, store.gets)
	}
	if v.Lines[0].ReturnableQuantity != 2 || v.Lines[1].NotReturnableReason != returnpolicy.FinalSale || v.Total.Amount != 2*25000000+3*4500000+1500000 {
		t.Fatalf("create view: %+v", v)
	}

	store.Store.(*ordertest.MemoryStore).SetRemaining("O-1", "L1", 1)
	upd := ordertest.Sample("O-1", "budi", placed)
	upd.UpdatedAt = upd.UpdatedAt.Add(time.Hour)
	v, created, err = svc.Upsert(ctx, upd)
	if err != nil || created || store.gets != 0 || v.Lines[0].ReturnableQuantity != 1 || v.Status != order.StatusDelivered {
		t.Fatalf("update: created=%v err=%v reads=%d view %+v", created, err, store.gets, v.Lines)
	}
}

// What a customer pays is whole rupiah: an order whose price or shipping fee has sen is refused, field by
// field, and nothing is stored.
func TestUpsertRefusesSen(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	svc, store := newService(t, placed)
	ctx := context.Background()
	o := ordertest.Sample("O-SEN", "budi", placed)
	o.Lines[1].UnitPrice += 50
	o.ShippingFee = 1500001
	_, _, err := svc.Upsert(ctx, o)
	fe, ok := failure.As(err)
	if !ok || fe.Code != "validation_failed" || len(fe.Fields) != 2 ||
		fe.Fields[0] != (failure.FieldError{Field: "lines[1].unitPrice", Code: "whole_currency_unit", Param: "100"}) ||
		fe.Fields[1].Field != "shippingFee" {
		t.Fatalf("got %v %+v", err, fe)
	}
	if _, err := store.Get(ctx, "O-SEN"); !failure.IsKind(err, failure.KindNotFound) {
		t.Fatalf("an order with sen was stored: %v", err)
	}
	// Currencies without a larger cash unit take any minor unit.
	usd := ordertest.Sample("O-USD", "budi", placed)
	usd.Currency, usd.Lines[0].UnitPrice = "USD", 1999
	if _, _, err := svc.Upsert(ctx, usd); err != nil {
		t.Fatalf("USD 19.99 refused: %v", err)
	}
}

// Lines are immutable once an order exists: any change to what was bought, including the price paid or the
// final-sale flag, makes the lines different; the remaining quantity (the store's bookkeeping) does not.
func TestSameLines(t *testing.T) {
	base := ordertest.Sample("O-S", "budi", time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC))
	clone := func(edit func(*order.Order)) order.Order {
		o := base
		o.Lines = append([]order.Line(nil), base.Lines...)
		edit(&o)
		return o
	}
	if !base.SameLines(clone(func(o *order.Order) { o.Lines[0].Remaining = 0; o.Status = order.StatusCancelled })) {
		t.Fatal("remaining quantity or header changes count as different lines")
	}
	for name, edit := range map[string]func(*order.Order){
		"unit price":      func(o *order.Order) { o.Lines[1].UnitPrice += 100 },
		"final sale flag": func(o *order.Order) { o.Lines[0].FinalSale = !o.Lines[0].FinalSale },
		"quantity":        func(o *order.Order) { o.Lines[0].Quantity++ },
		"sku":             func(o *order.Order) { o.Lines[1].SKU = "OTHER" },
		"line id":         func(o *order.Order) { o.Lines[0].ID = "L9" },
		"currency":        func(o *order.Order) { o.Currency = "USD" },
		"a line fewer":    func(o *order.Order) { o.Lines = o.Lines[:1] },
	} {
		changed := clone(edit)
		if base.SameLines(changed) || changed.SameLines(base) {
			t.Errorf("a changed %s counts as the same lines", name)
		}
	}
}
