package order_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// Everything a customer sees of an order, field by field: header, shipment, each line with its prices and
// what can still be returned, totals and the policy the figures come from.
func TestViewShowsTheWholeOrder(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	shipped := placed.Add(24 * time.Hour)
	delivered := placed.Add(72 * time.Hour)
	o := ordertest.Sample("O-7", "budi", placed)
	o.Shipment.ShippedAt = &shipped
	svc, store := newService(t, delivered.Add(24*time.Hour))
	ctx := context.Background()
	if _, _, err := svc.Upsert(ctx, o); err != nil {
		t.Fatal(err)
	}
	store.SetRemaining("O-7", "L1", 1)

	got, err := svc.Get(ctx, "O-7")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(2026, 11, 3, 16, 59, 0, 0, time.UTC) // delivered 4 October 15.00 WIB: until 3 November 23.59 WIB
	idr := func(amount int64) money.Shown { return money.New(amount, "IDR").In(i18n.Indonesian) }
	want := order.View{
		OrderID: "O-7", Status: order.StatusDelivered, StatusLabel: "Diterima", PlacedAt: placed, PaymentMethod: "ewallet",
		PaymentMethodLabel: "Dompet digital",
		Shipment: order.ShipmentView{Status: order.ShipmentDelivered, StatusLabel: "Terkirim", Carrier: "JNE", TrackingNumber: "JNEO-7",
			ShippedAt: &shipped, DeliveredAt: &delivered},
		Lines: []order.LineView{
			{LineID: "L1", SKU: "BATIK-M", Name: "Kemeja Batik", Quantity: 2, UnitPrice: idr(25000000), LineTotal: idr(50000000),
				ReturnedOrPending: 1, ReturnableQuantity: 1, ReturnDeadline: &deadline, ReturnDeadlineDisplay: "3 November 2026, 23.59 WIB"},
			{LineID: "L2", SKU: "SAMBAL-1", Name: "Sambal Roa", Quantity: 3, UnitPrice: idr(4500000), LineTotal: idr(13500000),
				FinalSale: true, NotReturnableReason: returnpolicy.FinalSale, NotReturnableReasonLabel: "Final sale (tidak dapat dikembalikan)"},
		},
		Subtotal: idr(63500000), ShippingFee: idr(1500000), Total: idr(65000000),
		ReturnPolicy: order.PolicyView{Version: returnpolicy.Default().Version, WindowDays: 30, TimeZone: "WIB"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("view\n got %+v\nwant %+v", got, want)
	}
	if en := got.In(i18n.English); en.Total.Display != "IDR 650,000" || en.StatusLabel != "Delivered" || en.Lines[1].NotReturnableReasonLabel != "Final sale (cannot be returned)" ||
		en.Lines[0].ReturnDeadlineDisplay != "3 November 2026, 23:59 WIB" ||
		got.Total.Display != "Rp650.000" {
		t.Fatalf("english view %+v", en)
	}
}

// The list form carries the header figures the order list shows.
func TestSummaryOf(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	got := order.SummaryOf(ordertest.Sample("O-8", "budi", placed))
	want := order.Summary{OrderID: "O-8", Status: order.StatusDelivered, PlacedAt: placed, ShipmentStatus: order.ShipmentDelivered,
		Total: money.New(65000000, "IDR").In(i18n.Indonesian), ItemCount: 5}
	if got != want {
		t.Fatalf("summary\n got %+v\nwant %+v", got, want)
	}
}

// An upserted order is stored with a normalised email (so a guest finds it whatever the case) and IDR when
// the shop's system sends no currency.
func TestUpsertNormalisesEmailAndDefaultsCurrency(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	svc, store := newService(t, placed)
	ctx := context.Background()
	o := ordertest.Sample("O-9", "budi", placed)
	o.Email, o.Currency = "  Budi.Santoso@Example.CO.ID ", ""
	v, _, err := svc.Upsert(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if v.Total.Currency != money.DefaultCurrency || v.Lines[0].UnitPrice.Currency != money.DefaultCurrency {
		t.Fatalf("view currency %q / %q, want %s", v.Total.Currency, v.Lines[0].UnitPrice.Currency, money.DefaultCurrency)
	}
	stored, err := store.Get(ctx, "O-9")
	if err != nil || stored.Email != "budi.santoso@example.co.id" || stored.Currency != money.DefaultCurrency {
		t.Fatalf("stored email %q currency %q (%v)", stored.Email, stored.Currency, err)
	}

	usd := ordertest.Sample("O-10", "budi", placed)
	usd.Currency = "USD"
	if v, _, err := svc.Upsert(ctx, usd); err != nil || v.Total.Currency != "USD" {
		t.Fatalf("a given currency is kept: %+v %v", v.Total, err)
	}
}

// failingStore answers Get and Upsert with the errors it is given.
type failingStore struct {
	order.Store
	getErr, upsertErr error
}

func (f failingStore) Get(ctx context.Context, id string) (order.Order, error) {
	if f.getErr != nil {
		return order.Order{}, f.getErr
	}
	return f.Store.Get(ctx, id)
}

func (f failingStore) Upsert(ctx context.Context, o order.Order) (order.Order, bool, error) {
	if f.upsertErr != nil {
		return order.Order{}, false, f.upsertErr
	}
	return f.Store.Upsert(ctx, o)
}

// A guest sees the same "not found" for any missing order, whatever not-found failure the store uses; a
// store that fails is a failure, not a "not found" that would hide an outage.
func TestGuestLookupWhenTheStoreCannotAnswer(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	outage := errors.New("dynamodb: throttled")
	for _, c := range []struct {
		name   string
		getErr error
		want   error
	}{
		{"another not-found failure", failure.NotFound("no_such_item"), order.ErrNotFound},
		{"an outage", outage, outage},
	} {
		svc := order.NewService(failingStore{Store: ordertest.NewMemoryStore(), getErr: c.getErr}, returnpolicy.Default(),
			func() time.Time { return placed })
		if _, err := svc.GuestLookup(context.Background(), "O-1", "budi@example.co.id"); err != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// An upsert whose write fails reports the failure instead of a view.
func TestUpsertReportsStoreFailures(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	outage := errors.New("dynamodb: throttled")
	svc := order.NewService(failingStore{Store: ordertest.NewMemoryStore(), upsertErr: outage}, returnpolicy.Default(), func() time.Time { return placed })
	if _, _, err := svc.Upsert(context.Background(), ordertest.Sample("O-1", "budi", placed)); err != outage {
		t.Fatalf("failed write: %v", err)
	}
}
