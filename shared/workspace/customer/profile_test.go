package customer

import (
	"errors"
	"testing"
)

// Each contact detail an order carries is taken on its own, tidied (name spaces, email case, phone
// spaces); details the order lacks keep their values; an order as recent as the last one still counts.
func TestContactDetailsAreTakenOneByOne(t *testing.T) {
	p := &Profile{ID: "k"}
	order := func(n int, c Contact) {
		t.Helper()
		at := dayN(n)
		if _, err := p.OrderChange(nil, OrderFact{ID: "K" + at.Format("0102"), PlacedAt: at, UpdatedAt: at}, c, nil); err != nil {
			t.Fatal(err)
		}
	}
	order(1, Contact{Name: "  Rina \t Wijaya "})
	if p.Name != "Rina Wijaya" || p.Email != "" || p.Phone != "" || !p.ContactAt.Equal(dayN(1)) {
		t.Fatalf("name only: %+v", p)
	}
	order(2, Contact{Email: " Rina@Example.COM "})
	if p.Name != "Rina Wijaya" || p.Email != "rina@example.com" || !p.ContactAt.Equal(dayN(2)) {
		t.Fatalf("email only: %+v", p)
	}
	order(3, Contact{Phone: " +62 812 3456 "})
	if p.Name != "Rina Wijaya" || p.Email != "rina@example.com" || p.Phone != "+62 812 3456" || !p.ContactAt.Equal(dayN(3)) {
		t.Fatalf("phone only: %+v", p)
	}
	// A contact-less order, however new, does not move the contact's time: an older order with details
	// that arrives after it still counts.
	order(9, Contact{Email: "   "})
	if !p.ContactAt.Equal(dayN(3)) {
		t.Fatalf("a blank contact moved the contact time to %v", p.ContactAt)
	}
	order(3, Contact{Name: "Rina W."})
	order(2, Contact{Name: "Rina Lama"})
	if p.Name != "Rina W." {
		t.Fatalf("name %q, want the one from the order as recent as the last", p.Name)
	}
}

// Totals count what the shop sent: each new order once with its units; an update of an order counts
// nothing again.
func TestTotalsCountEachOrderOnce(t *testing.T) {
	p := &Profile{ID: "u"}
	a := OrderFact{ID: "U1", PlacedAt: dayN(0), UpdatedAt: dayN(0), Units: 2}
	b := OrderFact{ID: "U2", PlacedAt: dayN(5), UpdatedAt: dayN(5), Units: 3}
	mustOrder(t, p, nil, a, nil)
	mustOrder(t, p, nil, b, nil)
	updated := b
	updated.UpdatedAt, updated.Units = dayN(6), 4
	mustOrder(t, p, &b, updated, nil)
	if p.Orders != 2 || p.Units != 5 {
		t.Fatalf("orders %d units %d, want 2 and 5", p.Orders, p.Units)
	}
}

// The first and last orders move with their own placed time when it changes, and a new order placed
// between them is neither.
func TestFirstAndLastOrderMoveWithTheirOwnPlacedTime(t *testing.T) {
	p := &Profile{ID: "m"}
	first := OrderFact{ID: "M1", PlacedAt: dayN(10), UpdatedAt: dayN(10)}
	last := OrderFact{ID: "M2", PlacedAt: dayN(20), UpdatedAt: dayN(20)}
	mustOrder(t, p, nil, first, nil)
	mustOrder(t, p, nil, last, nil)
	mustOrder(t, p, nil, OrderFact{ID: "M3", PlacedAt: dayN(15), UpdatedAt: dayN(21)}, nil)
	if p.FirstOrderID != "M1" || p.LastOrderID != "M2" {
		t.Fatalf("first %s last %s, want M1 and M2", p.FirstOrderID, p.LastOrderID)
	}
	movedLast := last
	movedLast.PlacedAt = dayN(18)
	mustOrder(t, p, &last, movedLast, nil)
	movedFirst := first
	movedFirst.PlacedAt = dayN(12)
	mustOrder(t, p, &first, movedFirst, []OrderFact{movedFirst, movedLast, {ID: "M3", PlacedAt: dayN(15)}})
	if p.LastOrderID != "M2" || !p.LastOrderAt.Equal(dayN(18)) || p.FirstOrderID != "M1" || !p.FirstOrderAt.Equal(dayN(12)) {
		t.Fatalf("first %s %v, last %s %v", p.FirstOrderID, p.FirstOrderAt, p.LastOrderID, p.LastOrderAt)
	}
}

// When the customer's orders cannot be read, the change fails rather than count a wrong cohort.
func TestOrderChangeFailsWhenTheOrdersCannotBeRead(t *testing.T) {
	p := &Profile{ID: "f"}
	f1 := OrderFact{ID: "F1", PlacedAt: dayN(0)}
	f2 := OrderFact{ID: "F2", PlacedAt: dayN(100)}
	mustOrder(t, p, nil, f1, nil)
	mustOrder(t, p, nil, f2, nil)
	cancelled := f1
	cancelled.Cancelled = true
	down := errors.New("dynamodb: throttled")
	if _, err := p.OrderChange(&f1, cancelled, Contact{}, func() ([]OrderFact, error) { return nil, down }); !errors.Is(err, down) {
		t.Fatalf("err %v", err)
	}
}
