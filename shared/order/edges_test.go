package order_test

import (
	"context"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// A shipping fee with sen alone is refused, with the field error that says which unit it must be in.
func TestUpsertRefusesAShippingFeeWithSen(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	svc, _ := newService(t, placed)
	o := ordertest.Sample("O-FEE", "budi", placed)
	o.ShippingFee = 1500050
	_, _, err := svc.Upsert(context.Background(), o)
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) != 1 || fe.Fields[0] != (failure.FieldError{Field: "shippingFee", Code: "whole_currency_unit", Param: "100"}) {
		t.Fatalf("got %v %+v", err, fe)
	}
}

// A new order's lines are all still returnable: what the shop pushes is stored with every unit remaining.
func TestANewOrderHasEveryUnitRemaining(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	svc, store := newService(t, placed)
	o := ordertest.Sample("O-NEW", "budi", placed)
	for i := range o.Lines {
		o.Lines[i].Remaining = 0 // whatever the shop sends, the store's bookkeeping starts full
	}
	if _, _, err := svc.Upsert(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	stored, err := store.Get(context.Background(), "O-NEW")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range stored.Lines {
		if l.Remaining != l.Quantity {
			t.Errorf("line %s stored with %d of %d remaining", l.ID, l.Remaining, l.Quantity)
		}
	}
}

// Deadlines are shown in the shop's zone, and every line's prices in the reader's language.
func TestViewInTheShopsZoneAndLanguage(t *testing.T) {
	placed := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	delivered := placed.Add(72 * time.Hour)
	policy := returnpolicy.Default()
	policy.TimeZone = "WIT"
	store := ordertest.NewMemoryStore()
	svc := order.NewService(store, policy, func() time.Time { return delivered.Add(24 * time.Hour) })
	if _, _, err := svc.Upsert(context.Background(), ordertest.Sample("O-WIT", "budi", placed)); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Get(context.Background(), "O-WIT")
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Lines[0].ReturnDeadlineDisplay; got != "3 November 2026, 23.59 WIT" {
		t.Errorf("deadline shown as %q, want the end of the day in WIT", got)
	}
	en := v.In(i18n.English)
	if en.Lines[0].UnitPrice.Display != "IDR 250,000" || en.Lines[0].LineTotal.Display != "IDR 500,000" || v.Lines[0].UnitPrice.Display != "Rp250.000" {
		t.Errorf("line prices %q / %q in English, %q in Indonesian", en.Lines[0].UnitPrice.Display, en.Lines[0].LineTotal.Display, v.Lines[0].UnitPrice.Display)
	}
}
