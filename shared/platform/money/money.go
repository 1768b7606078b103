// Package money represents amounts as integer minor units of an ISO 4217 currency. There is no float
// anywhere on a money path: rates are basis points and rounding is explicit.
//
// Cash rounding: what a customer pays or receives is a whole number of the currency's smallest unit in
// circulation, its cash unit. For IDR that is the whole rupiah (100 minor units: ISO 4217 keeps 2 decimals,
// but sen have not circulated for decades and Indonesian payment gateways take whole rupiah). Fees round
// down and payouts up to a cash unit, so rounding never costs the customer.
package money

import (
	"fmt"

	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// DefaultCurrency is used when a shop does not name one.
const DefaultCurrency = "IDR"

// Money is an amount in minor units (for IDR, ISO 4217 gives 2 decimals: Rp189.000 is 18900000).
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// New returns amount minor units of currency.
func New(amount int64, currency string) Money { return Money{Amount: amount, Currency: currency} }

// Zero is zero in currency.
func Zero(currency string) Money { return Money{Currency: currency} }

// Add returns m+o. Adding different currencies is a programming error the caller must have prevented.
func (m Money) Add(o Money) Money {
	m.mustMatch(o)
	return Money{Amount: m.Amount + o.Amount, Currency: m.Currency}
}

// Sub returns m-o.
func (m Money) Sub(o Money) Money {
	m.mustMatch(o)
	return Money{Amount: m.Amount - o.Amount, Currency: m.Currency}
}

// Times returns m*n.
func (m Money) Times(n int64) Money { return Money{Amount: m.Amount * n, Currency: m.Currency} }

// BasisPoints returns m*bps/10000 rounded half away from zero (1 bp = 0.01%).
func (m Money) BasisPoints(bps int64) Money {
	p := m.Amount * bps
	q, r := p/10000, p%10000
	if r >= 5000 {
		q++
	} else if r <= -5000 {
		q--
	}
	return Money{Amount: q, Currency: m.Currency}
}

// FeeBasisPoints is a fee of bps on a non-negative m, charged to the customer: m*bps/10000 rounded down
// to a whole cash unit, so the customer never pays a fraction of one nor a rounding-up.
func (m Money) FeeBasisPoints(bps int64) Money {
	exact := Money{Amount: m.Amount * bps / 10000, Currency: m.Currency} // truncation is flooring for m, bps >= 0
	return exact.CashDown()
}

// CashDown rounds m down (towards minus infinity) to a whole cash unit.
func (m Money) CashDown() Money {
	u := CashUnit(m.Currency)
	q := m.Amount / u
	if m.Amount%u < 0 {
		q--
	}
	return Money{Amount: q * u, Currency: m.Currency}
}

// CashUp rounds m up (towards plus infinity) to a whole cash unit.
func (m Money) CashUp() Money {
	d := m.CashDown()
	if d.Amount != m.Amount {
		d.Amount += CashUnit(m.Currency)
	}
	return d
}

// IsCash reports whether m is a whole number of cash units.
func (m Money) IsCash() bool { return m.Amount%CashUnit(m.Currency) == 0 }

// cashUnits are the currencies whose smallest unit in use is larger than their ISO 4217 minor unit.
var cashUnits = map[string]int64{"IDR": 100}

// CashUnit is the smallest amount in minor units that changes hands in currency: 100 for IDR, 1 otherwise.
func CashUnit(currency string) int64 {
	if u, ok := cashUnits[currency]; ok {
		return u
	}
	return 1
}

// minorDigits are ISO 4217 minor units that differ from the usual 2.
var minorDigits = map[string]int{"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3}

// MinorDigits is the number of decimals of currency in ISO 4217 (2 unless listed otherwise).
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// Display writes m for people reading lang: Rp189.000 in Indonesian and IDR 189,000 in English, with a
// leading minus for deductions (-Rp18.900). Decimals appear only when the amount has a part below one
// whole currency unit (Rp99.999,50; IDR 99,999.50), which cash rounding keeps out of payouts.
func (m Money) Display(lang i18n.Lang) string {
	digits := MinorDigits(m.Currency)
	var scale int64 = 1
	for range digits {
		scale *= 10
	}
	abs := m.Amount
	sign := ""
	if abs < 0 {
		sign, abs = "-", -abs
	}
	whole, frac := abs/scale, abs%scale
	decimal := ","
	prefix := "Rp"
	if lang == i18n.English {
		decimal = "."
		prefix = m.Currency + " "
	} else if m.Currency != "IDR" {
		prefix = m.Currency + " "
	}
	s := i18n.FormatInt(lang, whole)
	if frac != 0 {
		s += decimal + fmt.Sprintf("%0*d", digits, frac)
	}
	return sign + prefix + s
}

// Shown is an amount as a response shows it: the exact minor units for programs and, in Display, the
// text for people in the request's language.
type Shown struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Display  string `json:"display"`
}

// In is m as shown to a reader of lang.
func (m Money) In(lang i18n.Lang) Shown {
	return Shown{Amount: m.Amount, Currency: m.Currency, Display: m.Display(lang)}
}

func (m Money) mustMatch(o Money) {
	if m.Currency != o.Currency {
		panic(fmt.Sprintf("money: currency mismatch %s vs %s", m.Currency, o.Currency))
	}
}

func (m Money) String() string { return fmt.Sprintf("%d %s", m.Amount, m.Currency) }
