// Package money represents amounts as integer minor units of an ISO 4217 currency. There is no float
// anywhere on a money path: rates are basis points and rounding is explicit.
package money

import "fmt"

// DefaultCurrency is used when a shop does not name one.
const DefaultCurrency = "IDR"

// Money is an amount in minor units (for IDR, ISO 4217 gives 2 decimals: Rp 150.000 is 15000000).
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

func (m Money) mustMatch(o Money) {
	if m.Currency != o.Currency {
		panic(fmt.Sprintf("money: currency mismatch %s vs %s", m.Currency, o.Currency))
	}
}

func (m Money) String() string { return fmt.Sprintf("%d %s", m.Amount, m.Currency) }
