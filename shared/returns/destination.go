package returns

import (
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// DestinationKind is where a refund is transferred when it does not go back to the original payment:
// a cash-on-delivery order has no payment to reverse, and any customer may ask for a transfer instead.
type DestinationKind string

const (
	DestinationBankAccount DestinationKind = "bank_account"
	DestinationEwallet     DestinationKind = "ewallet"
)

// DestinationKinds lists every accepted kind.
var DestinationKinds = []DestinationKind{DestinationBankAccount, DestinationEwallet}

// Banks is the fixed list of banks a refund can be transferred to (codes; labels in i18n "bank").
var Banks = []string{"bca", "bri", "bni", "mandiri", "bsi", "cimb_niaga", "permata", "danamon", "btn", "ocbc", "bank_jago", "seabank"}

// EwalletProviders is the fixed list of e-wallets a refund can be sent to (labels in i18n "ewallet_provider").
var EwalletProviders = []string{"gopay", "ovo", "dana", "shopeepay", "linkaja"}

// RefundDestination is a bank account (Bank, AccountNumber, HolderName) or an e-wallet (Provider, Number).
// It is personal data: views mask it for customers, and logs see only the masked form (LogValue).
type RefundDestination struct {
	Kind          DestinationKind
	Bank          string
	AccountNumber string // digits only
	HolderName    string
	Provider      string
	Number        string // the e-wallet's phone number, 08…
}

// Limits on a destination.
const (
	minAccountDigits = 6
	maxAccountDigits = 20
	MaxHolderName    = 100
)

var (
	holderNamePattern = regexp.MustCompile(`^[\p{L}][\p{L} .,'\-]*$`)
	ewalletPattern    = regexp.MustCompile(`^08[1-9][0-9]{7,10}$`)
)

// NormalizeDestination returns d as stored: account and phone numbers without the spaces, dashes or dots
// people type, +62/62 written as 0, names with single spaces.
func NormalizeDestination(d RefundDestination) RefundDestination {
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '.' {
				return -1
			}
			return r
		}, strings.TrimSpace(s))
	}
	d.AccountNumber = digits(d.AccountNumber)
	d.Number = digits(d.Number)
	switch {
	case strings.HasPrefix(d.Number, "+62"):
		d.Number = "0" + d.Number[3:]
	case strings.HasPrefix(d.Number, "62"):
		d.Number = "0" + d.Number[2:]
	}
	d.HolderName = strings.Join(strings.Fields(d.HolderName), " ")
	return d
}

// validate reports the destination's field errors under path (e.g. "refundDestination").
func (d RefundDestination) validate(path string) []failure.FieldError {
	var fields []failure.FieldError
	add := func(field, code, param string) {
		fields = append(fields, failure.FieldError{Field: path + "." + field, Code: code, Param: param})
	}
	switch d.Kind {
	case DestinationBankAccount:
		if !slices.Contains(Banks, d.Bank) {
			fields = append(fields, oneOf(path+".bank", Banks))
		}
		if n := len(d.AccountNumber); n == 0 {
			add("accountNumber", "required", "")
		} else if n < minAccountDigits || n > maxAccountDigits || strings.IndexFunc(d.AccountNumber, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			add("accountNumber", "account_number", "")
		}
		if d.HolderName == "" {
			add("holderName", "required", "")
		} else if len([]rune(d.HolderName)) > MaxHolderName {
			add("holderName", "max_length", "100")
		} else if !holderNamePattern.MatchString(d.HolderName) {
			add("holderName", "holder_name", "")
		}
		if d.Provider != "" || d.Number != "" {
			add("provider", "not_for_bank_account", "")
		}
	case DestinationEwallet:
		if !slices.Contains(EwalletProviders, d.Provider) {
			fields = append(fields, oneOf(path+".provider", EwalletProviders))
		}
		if d.Number == "" {
			add("number", "required", "")
		} else if !ewalletPattern.MatchString(d.Number) {
			add("number", "ewallet_number", "")
		}
		if d.Bank != "" || d.AccountNumber != "" || d.HolderName != "" {
			add("bank", "not_for_ewallet", "")
		}
	default:
		fields = append(fields, oneOf(path+".type", DestinationKinds))
	}
	return fields
}

// Masked is d as a customer view shows it: the last 4 digits of the account or phone number, and the
// holder's initials.
func (d RefundDestination) Masked() RefundDestination {
	d.AccountNumber = maskDigits(d.AccountNumber)
	d.Number = maskDigits(d.Number)
	d.HolderName = maskName(d.HolderName)
	return d
}

func maskDigits(s string) string {
	if s == "" {
		return ""
	}
	keep := min(4, len(s)/2)
	return strings.Repeat("•", len(s)-keep) + s[len(s)-keep:]
}

func maskName(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		words[i] = string(unicode.ToUpper(r[0])) + strings.Repeat("•", len(r)-1)
	}
	return strings.Join(words, " ")
}

// LogValue keeps the full destination out of every log line, whatever logs it.
func (d RefundDestination) LogValue() slog.Value {
	m := d.Masked()
	return slog.GroupValue(slog.String("kind", string(m.Kind)), slog.String("bank", m.Bank), slog.String("provider", m.Provider),
		slog.String("accountNumber", m.AccountNumber), slog.String("number", m.Number))
}

// String is the masked form too, so fmt and %v never print the account.
func (d RefundDestination) String() string {
	m := d.Masked()
	return string(m.Kind) + ":" + m.Bank + m.Provider + ":" + m.AccountNumber + m.Number
}
