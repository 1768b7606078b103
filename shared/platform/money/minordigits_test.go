package money

import "testing"

// ISO 4217 minor units: the currencies without a minor unit, those with three digits, and the usual two.
func TestMinorDigitsFollowISO4217(t *testing.T) {
	for cur, want := range map[string]int{"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0,
		"BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IDR": 2, "USD": 2, "SGD": 2} {
		if got := MinorDigits(cur); got != want {
			t.Errorf("MinorDigits(%s) = %d, want %d", cur, got, want)
		}
	}
}
