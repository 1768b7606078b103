package ordertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// Sample returns a delivered two-line order for customer, placed at placed.
func Sample(id, customer string, placed time.Time) order.Order {
	delivered := placed.Add(72 * time.Hour)
	return order.Order{
		ID: id, CustomerID: customer, Email: customer + "@example.co.id", Status: order.StatusDelivered,
		PlacedAt: placed, UpdatedAt: delivered, Currency: "IDR", PaymentMethod: "ewallet", ShippingFee: 1500000,
		Shipment: order.Shipment{Status: order.ShipmentDelivered, Carrier: "JNE", TrackingNumber: "JNE" + id, DeliveredAt: &delivered},
		Lines: []order.Line{
			{ID: "L1", SKU: "BATIK-M", Name: "Kemeja Batik", Quantity: 2, UnitPrice: 25000000},
			{ID: "L2", SKU: "SAMBAL-1", Name: "Sambal Roa", Quantity: 3, UnitPrice: 4500000, FinalSale: true},
		},
	}
}

// Run checks store against the order.Store contract. Ids are made unique per run.
func Run(t *testing.T, store order.Store) {
	ctx := context.Background()
	run := fmt.Sprintf("%d", time.Now().UnixNano())
	base := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	cust := "cust-" + run

	t.Run("missing order is not found", func(t *testing.T) {
		if _, err := store.Get(ctx, "NOPE-"+run); !failure.IsKind(err, failure.KindNotFound) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("create then read back lines in order with everything returnable", func(t *testing.T) {
		o := Sample("A-"+run, cust, base)
		stored, created, err := store.Upsert(ctx, o)
		if err != nil || !created || stored.ID != o.ID || len(stored.Lines) != 2 {
			t.Fatalf("created=%v err=%v stored=%+v", created, err, stored)
		}
		got, err := store.Get(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Lines) != 2 || got.Lines[0].ID != "L1" || got.Lines[1].ID != "L2" {
			t.Fatalf("lines %+v", got.Lines)
		}
		if got.Lines[0].Remaining != 2 || got.Lines[1].Remaining != 3 || !got.Lines[1].FinalSale {
			t.Fatalf("remaining/final sale %+v", got.Lines)
		}
		if got.Total().Amount != 2*25000000+3*4500000+1500000 || got.Email != o.Email || !got.PlacedAt.Equal(base) {
			t.Fatalf("header %+v", got)
		}
		if got.Shipment.DeliveredAt == nil || !got.Shipment.DeliveredAt.Equal(*o.Shipment.DeliveredAt) {
			t.Fatalf("delivered at %v", got.Shipment.DeliveredAt)
		}
	})

	t.Run("update changes the header only", func(t *testing.T) {
		o := Sample("B-"+run, cust, base)
		o.Status, o.Shipment = order.StatusShipped, order.Shipment{Status: order.ShipmentInTransit, Carrier: "SiCepat"}
		if _, _, err := store.Upsert(ctx, o); err != nil {
			t.Fatal(err)
		}
		upd := Sample("B-"+run, cust, base)
		upd.UpdatedAt = upd.UpdatedAt.Add(time.Hour)
		stored, created, err := store.Upsert(ctx, upd)
		if err != nil || created {
			t.Fatalf("created=%v err=%v", created, err)
		}
		// The answer is the new header over the stored lines, read before the write.
		if stored.Status != order.StatusDelivered || !stored.UpdatedAt.Equal(upd.UpdatedAt) || len(stored.Lines) != 2 || stored.Lines[1].Remaining != 3 {
			t.Fatalf("stored %+v", stored)
		}
		got, _ := store.Get(ctx, o.ID)
		if got.Status != order.StatusDelivered || got.Shipment.Status != order.ShipmentDelivered || got.Shipment.Carrier != "JNE" {
			t.Fatalf("not updated: %+v", got)
		}
		// Re-sending the same update is harmless.
		if _, _, err := store.Upsert(ctx, upd); err != nil {
			t.Fatalf("same update again: %v", err)
		}
	})

	t.Run("the customer's language stays until a push names another", func(t *testing.T) {
		o := Sample("E-"+run, cust, base)
		o.Language = i18n.English
		if _, _, err := store.Upsert(ctx, o); err != nil {
			t.Fatal(err)
		}
		silent := Sample("E-"+run, cust, base)
		silent.UpdatedAt = silent.UpdatedAt.Add(time.Hour)
		if stored, _, err := store.Upsert(ctx, silent); err != nil || stored.Language != i18n.English {
			t.Fatalf("push without a language: %v %q", err, stored.Language)
		}
		if got, _ := store.Get(ctx, o.ID); got.Language != i18n.English {
			t.Fatalf("after a push without a language: %q", got.Language)
		}
		named := Sample("E-"+run, cust, base)
		named.UpdatedAt, named.Language = silent.UpdatedAt.Add(time.Hour), i18n.Indonesian
		if _, _, err := store.Upsert(ctx, named); err != nil {
			t.Fatal(err)
		}
		if got, _ := store.Get(ctx, o.ID); got.Language != i18n.Indonesian {
			t.Fatalf("after a push naming id: %q", got.Language)
		}
	})

	t.Run("lines, owner and time only move forward", func(t *testing.T) {
		o := Sample("C-"+run, cust, base)
		if _, _, err := store.Upsert(ctx, o); err != nil {
			t.Fatal(err)
		}
		changed := Sample("C-"+run, cust, base)
		changed.Lines[0].Quantity = 5
		if _, _, err := store.Upsert(ctx, changed); err != order.ErrLinesChanged {
			t.Errorf("changed lines: %v", err)
		}
		other := Sample("C-"+run, "someone-else-"+run, base)
		if _, _, err := store.Upsert(ctx, other); err != order.ErrOwnerChanged {
			t.Errorf("changed owner: %v", err)
		}
		stale := Sample("C-"+run, cust, base)
		stale.UpdatedAt = stale.UpdatedAt.Add(-time.Hour)
		if _, _, err := store.Upsert(ctx, stale); err != order.ErrStaleUpdate {
			t.Errorf("stale update: %v", err)
		}
	})

	t.Run("list is the customer's own, newest first, paged", func(t *testing.T) {
		me := "list-" + run
		for i := 0; i < 5; i++ {
			if _, _, err := store.Upsert(ctx, Sample(fmt.Sprintf("L%d-%s", i, run), me, base.Add(time.Duration(i)*24*time.Hour))); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := store.Upsert(ctx, Sample("X-"+run, "other-"+run, base.Add(100*time.Hour))); err != nil {
			t.Fatal(err)
		}
		var ids []string
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			page, err := store.ListByCustomer(ctx, me, 2, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range page.Orders {
				ids = append(ids, s.OrderID)
				if s.ItemCount != 5 || s.Total.Amount != 2*25000000+3*4500000+1500000 || s.Total.Currency != "IDR" {
					t.Fatalf("summary %+v", s)
				}
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		want := []string{"L4-" + run, "L3-" + run, "L2-" + run, "L1-" + run, "L0-" + run}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Fatalf("got %v, want %v", ids, want)
		}
		if _, err := store.ListByCustomer(ctx, me, 2, "not a cursor!"); !failure.IsKind(err, failure.KindInvalid) {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}
