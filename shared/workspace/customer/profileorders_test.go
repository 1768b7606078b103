package customer

import (
	"testing"
	"time"
)

// The profile's first and last orders go by placed time, whatever order the orders arrive in: an older
// order arriving later is neither the last order nor leaves the first one in place.
func TestFirstAndLastOrderGoByPlacedTime(t *testing.T) {
	var p Profile
	mustOrder(t, &p, nil, OrderFact{ID: "TGP-2", PlacedAt: dayN(10), UpdatedAt: dayN(10), Units: 1}, nil)
	mustOrder(t, &p, nil, OrderFact{ID: "TGP-1", PlacedAt: dayN(2), UpdatedAt: dayN(11), Units: 1}, []OrderFact{
		{ID: "TGP-2", PlacedAt: dayN(10), UpdatedAt: dayN(10), Units: 1}, {ID: "TGP-1", PlacedAt: dayN(2), UpdatedAt: dayN(11), Units: 1}})
	if p.LastOrderID != "TGP-2" || !p.LastOrderAt.Equal(dayN(10)) || p.FirstOrderID != "TGP-1" || !p.FirstOrderAt.Equal(dayN(2)) {
		t.Fatalf("first %s %v, last %s %v; want TGP-1 first, TGP-2 last", p.FirstOrderID, p.FirstOrderAt, p.LastOrderID, p.LastOrderAt)
	}
}

// Orders placed at the same instant are ordered by id, so the cohort's first order does not depend on
// the order a map is read in.
func TestFirstOrderTieGoesToTheSmallestID(t *testing.T) {
	at := dayN(3)
	for range 20 {
		r := Retention{Early: map[string]time.Time{"TGP-3": at, "TGP-1": at, "TGP-2": at, "TGP-9": dayN(5)}}
		id, first, second, ok := r.first()
		if id != "TGP-1" || !first.Equal(at) || !ok || !second.Equal(at) {
			t.Fatalf("first %s at %v, next %v (%v); want TGP-1, then another order at the same time", id, first, second, ok)
		}
	}
}
