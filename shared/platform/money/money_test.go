package money

import (
	"math/rand/v2"
	"testing"
	"testing/quick"

	"github.com/tanggap/tanggap/shared/platform/i18n"
)

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
		got := New(c.amount, "USD").BasisPoints(c.bps)
		if got != New(c.want, "USD") {
			t.Errorf("%d * %d bp = %v, want %d USD", c.amount, c.bps, got, c.want)
		}
	}
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func TestCurrencyMismatchPanics(t *testing.T) {
	mustPanic(t, "adding USD to IDR", func() { New(1, "IDR").Add(New(1, "USD")) })
	mustPanic(t, "subtracting USD from IDR", func() { New(1, "IDR").Sub(New(1, "USD")) })
}

// The review's case: a 10% fee on a Rp99.999 line was Rp9.999,90 with sen. Now it is Rp9.999, and the
// customer gets Rp90.000 back.
func TestFeeIsWholeRupiahRoundedDown(t *testing.T) {
	line := New(9999900, "IDR")
	fee := line.FeeBasisPoints(1000)
	if fee != New(999900, "IDR") {
		t.Fatalf("fee %v, want 999900 IDR (Rp9.999)", fee)
	}
	if refund := line.Sub(fee); refund != New(9000000, "IDR") {
		t.Fatalf("refund %v", refund)
	}
	// Currencies without a larger cash unit round down to the minor unit.
	if got := New(999, "USD").FeeBasisPoints(1000); got != New(99, "USD") {
		t.Fatalf("USD fee %v", got)
	}
}

// Property: for any whole-rupiah price, quantity and rate, the fee is whole rupiah, never more than the
// exact fee, less than one rupiah below it, and fee + payout is the line total.
func TestFeeRoundingProperties(t *testing.T) {
	prop := func(rupiah uint32, qty uint16, bps uint16) bool {
		rate := int64(bps) % 10001
		line := New(int64(rupiah)*100, "IDR").Times(int64(qty%999) + 1)
		fee := line.FeeBasisPoints(rate)
		exactTimes10000 := line.Amount * rate
		payout := line.Sub(fee)
		return fee.Currency == "IDR" && fee.IsCash() && payout.IsCash() &&
			fee.Amount*10000 <= exactTimes10000 && exactTimes10000-fee.Amount*10000 < 100*10000 &&
			fee.Add(payout) == line && fee.Amount >= 0 && payout.Amount >= 0
	}
	cfg := &quick.Config{MaxCount: 20000, Rand: nil}
	if err := quick.Check(prop, cfg); err != nil {
		t.Fatal(err)
	}
	// Prices with sen (legacy orders): the payout rounds up, never down.
	rng := rand.New(rand.NewPCG(15, 2))
	for range 20000 {
		m := New(rng.Int64N(1_000_000_000_00), "IDR")
		up, down := m.CashUp(), m.CashDown()
		if !up.IsCash() || !down.IsCash() || up.Amount < m.Amount || down.Amount > m.Amount ||
			up.Amount-m.Amount >= 100 || m.Amount-down.Amount >= 100 || (m.IsCash() && (up != m || down != m)) {
			t.Fatalf("%v: up %v down %v", m, up, down)
		}
	}
	if got := New(-150, "IDR").CashDown(); got != New(-200, "IDR") {
		t.Fatalf("CashDown(-150) = %v", got)
	}
	if got := New(-200, "IDR").CashDown(); got != New(-200, "IDR") {
		t.Fatalf("CashDown(-200) = %v, want it unchanged: already whole rupiah", got)
	}
	if got := New(-150, "IDR").CashUp(); got != New(-100, "IDR") {
		t.Fatalf("CashUp(-150) = %v", got)
	}
}

func TestDisplay(t *testing.T) {
	cases := []struct {
		m    Money
		lang i18n.Lang
		want string
	}{
		{New(18900000, "IDR"), i18n.Indonesian, "Rp189.000"},
		{New(18900000, "IDR"), i18n.English, "IDR 189,000"},
		{New(0, "IDR"), i18n.Indonesian, "Rp0"},
		{New(-1890000, "IDR"), i18n.Indonesian, "-Rp18.900"},
		{New(-1890000, "IDR"), i18n.English, "-IDR 18,900"},
		{New(9999950, "IDR"), i18n.Indonesian, "Rp99.999,50"},
		{New(9999905, "IDR"), i18n.English, "IDR 99,999.05"},
		{New(123456789, "IDR"), i18n.Indonesian, "Rp1.234.567,89"},
		{New(1999, "USD"), i18n.English, "USD 19.99"},
		{New(1999, "USD"), i18n.Indonesian, "USD 19,99"},
		{New(1500, "JPY"), i18n.English, "JPY 1,500"},
		{New(1500, "KWD"), i18n.English, "KWD 1.500"},
	}
	for _, c := range cases {
		if got := c.m.Display(c.lang); got != c.want {
			t.Errorf("%v in %s = %q, want %q", c.m, c.lang, got, c.want)
		}
	}
	if s := New(18900000, "IDR").In(i18n.English); s != (Shown{Amount: 18900000, Currency: "IDR", Display: "IDR 189,000"}) {
		t.Errorf("In: %+v", s)
	}
}
