package money

import "testing"

func TestArithmetic(t *testing.T) {
	a := New(15000000, "IDR")
	if got := a.Add(New(500, "IDR")).Sub(New(100, "IDR")).Times(2); got != New(30000800, "IDR") {
		t.Fatalf("got %v", got)
	}
}

func TestBasisPointsRoundsHalfAwayFromZero(t *testing.T) {
	cases := []struct{ amount, bps, want int64 }{
		{10000, 1000, 1000}, // 10% of 100.00
		{15, 1000, 2},       // 1.5 -> 2
		{14, 1000, 1},       // 1.4 -> 1
		{-15, 1000, -2},
		{33333, 3333, 11110}, // 11109.8889 -> 11110
		{0, 1500, 0},
	}
	for _, c := range cases {
		if got := New(c.amount, "IDR").BasisPoints(c.bps).Amount; got != c.want {
			t.Errorf("%d * %d bp = %d, want %d", c.amount, c.bps, got, c.want)
		}
	}
}

func TestCurrencyMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("adding IDR to USD did not panic")
		}
	}()
	New(1, "IDR").Add(New(1, "USD"))
}
