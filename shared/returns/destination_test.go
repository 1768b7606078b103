package returns

import (
	"bytes"
	"fmt"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"log/slog"
	"strings"
	"testing"
)

func bankDest() *RefundDestination {
	return &RefundDestination{Kind: DestinationBankAccount, Bank: "bca", AccountNumber: "123 456-7890", HolderName: "  Budi   Santoso "}
}

func codOrder() OrderRecord {
	o := sampleOrder()
	o.PaymentMethod = PaymentCOD
	return o
}

// A COD order has nothing to refund to: a refund needs a bank account or e-wallet; store credit and
// exchanges do not.
func TestCODRefundNeedsADestination(t *testing.T) {
	_, err := Decide(returnpolicy.Default(), codOrder(), req(line("L1", 1, "defective", "opened")), now)
	if code, fields := fieldCodes(t, err); code != "validation_failed" || fields != "refundDestination=destination_required_for_cod" {
		t.Fatalf("got %s [%s]", code, fields)
	}
	credit := req(line("L1", 1, "defective", "opened"))
	credit.Resolution = ResolutionStoreCredit
	r, err := Decide(returnpolicy.Default(), codOrder(), credit, now)
	if err != nil || r.Estimate.Method != MethodStoreCredit || r.RefundDestination != nil {
		t.Fatalf("store credit on COD: %+v, %v", r.Estimate, err)
	}
	toBank := req(line("L1", 1, "defective", "opened"))
	toBank.RefundDestination = bankDest()
	r, err = Decide(returnpolicy.Default(), codOrder(), toBank, now)
	if err != nil {
		t.Fatal(err)
	}
	want := RefundDestination{Kind: DestinationBankAccount, Bank: "bca", AccountNumber: "1234567890", HolderName: "Budi Santoso"}
	if r.RefundDestination == nil || *r.RefundDestination != want || r.Estimate.Method != MethodBankTransfer || r.Estimate.Total != 18900000+1500000 {
		t.Fatalf("bank refund: %+v %+v", r.RefundDestination, r.Estimate)
	}
	toWallet := req(line("L1", 1, "defective", "opened"))
	toWallet.RefundDestination = &RefundDestination{Kind: DestinationEwallet, Provider: "gopay", Number: "+62 812-3456-7890"}
	r, err = Decide(returnpolicy.Default(), codOrder(), toWallet, now)
	if err != nil || r.RefundDestination.Number != "081234567890" || r.Estimate.Method != MethodEwallet {
		t.Fatalf("e-wallet refund: %+v %+v %v", r.RefundDestination, r.Estimate, err)
	}
	// Any customer may ask for a transfer instead of the original payment.
	nonCOD := req(line("L1", 1, "defective", "opened"))
	nonCOD.RefundDestination = bankDest()
	if r, err := Decide(returnpolicy.Default(), sampleOrder(), nonCOD, now); err != nil || r.Estimate.Method != MethodBankTransfer {
		t.Fatalf("transfer on a paid order: %+v %v", r.Estimate, err)
	}
}

func TestDestinationValidation(t *testing.T) {
	cases := []struct {
		name string
		d    RefundDestination
		res  Resolution
		want string
	}{
		{"valid bank account", *bankDest(), ResolutionRefund, ""},
		{"valid e-wallet", RefundDestination{Kind: DestinationEwallet, Provider: "ovo", Number: "0812 3456 789"}, ResolutionRefund, ""},
		{"unknown kind", RefundDestination{Kind: "cash"}, ResolutionRefund, "refundDestination.type=oneof(bank_account ewallet)"},
		{"bank not on the list", RefundDestination{Kind: DestinationBankAccount, Bank: "bank_antah", AccountNumber: "1234567890", HolderName: "Budi"}, ResolutionRefund,
			"refundDestination.bank=oneof(" + strings.Join(Banks, " ") + ")"},
		{"account number missing", RefundDestination{Kind: DestinationBankAccount, Bank: "bri", HolderName: "Budi"}, ResolutionRefund,
			"refundDestination.accountNumber=required"},
		{"account number with letters", RefundDestination{Kind: DestinationBankAccount, Bank: "bri", AccountNumber: "12345A7890", HolderName: "Budi"}, ResolutionRefund,
			"refundDestination.accountNumber=account_number"},
		{"account number 5 digits", RefundDestination{Kind: DestinationBankAccount, Bank: "bri", AccountNumber: "12345", HolderName: "Budi"}, ResolutionRefund,
			"refundDestination.accountNumber=account_number"},
		{"account number 6 digits", RefundDestination{Kind: DestinationBankAccount, Bank: "bri", AccountNumber: "123456", HolderName: "Budi"}, ResolutionRefund, ""},
		{"account number 20 digits", RefundDestination{Kind: DestinationBankAccount, Bank: "bri", AccountNumber: strings.Repeat("1", 20), HolderName: "Budi"}, ResolutionRefund, ""},
		{"account number 21 digits", RefundDestination{Kind: DestinationBankAccount, Bank: "bri", AccountNumber: strings.Repeat("1", 21), HolderName: "Budi"}, ResolutionRefund,
			"refundDestination.accountNumber=account_number"},
		{"holder name missing", RefundDestination{Kind: DestinationBankAccount, Bank: "bni", AccountNumber: "1234567890"}, ResolutionRefund,
			"refundDestination.holderName=required"},
		{"holder name with digits", RefundDestination{Kind: DestinationBankAccount, Bank: "bni", AccountNumber: "1234567890", HolderName: "Budi 123"}, ResolutionRefund,
			"refundDestination.holderName=holder_name"},
		{"holder name too long", RefundDestination{Kind: DestinationBankAccount, Bank: "bni", AccountNumber: "1234567890", HolderName: strings.Repeat("a", 101)}, ResolutionRefund,
			"refundDestination.holderName=max_length(100)"},
		{"e-wallet provider unknown", RefundDestination{Kind: DestinationEwallet, Provider: "paypal", Number: "081234567890"}, ResolutionRefund,
			"refundDestination.provider=oneof(" + strings.Join(EwalletProviders, " ") + ")"},
		{"e-wallet number not a mobile number", RefundDestination{Kind: DestinationEwallet, Provider: "dana", Number: "0211234567"}, ResolutionRefund,
			"refundDestination.number=ewallet_number"},
		{"e-wallet with bank fields", RefundDestination{Kind: DestinationEwallet, Provider: "dana", Number: "081234567890", Bank: "bca"}, ResolutionRefund,
			"refundDestination.bank=not_for_ewallet"},
		{"bank account with e-wallet fields", RefundDestination{Kind: DestinationBankAccount, Bank: "bca", AccountNumber: "1234567890", HolderName: "Budi", Number: "081234567890"}, ResolutionRefund,
			"refundDestination.provider=not_for_bank_account"},
		{"destination on store credit", *bankDest(), ResolutionStoreCredit, "refundDestination=destination_refund_only"},
	}
	for _, c := range cases {
		d := c.d
		rq := req(line("L1", 1, "defective", "opened"))
		rq.Resolution, rq.RefundDestination = c.res, &d
		err := rq.Validate()
		got := ""
		if err != nil {
			_, got = fieldCodes(t, err)
		}
		if got != c.want {
			t.Errorf("%s: got [%s], want [%s]", c.name, got, c.want)
		}
	}
}

// Customers see the last digits and initials only; logs and fmt see the same masked form.
func TestDestinationIsMaskedForCustomersAndLogs(t *testing.T) {
	d := NormalizeDestination(*bankDest())
	m := d.Masked()
	if m.AccountNumber != "••••••7890" || m.HolderName != "B••• S••••••" || m.Bank != "bca" {
		t.Fatalf("masked %+v", m)
	}
	w := NormalizeDestination(RefundDestination{Kind: DestinationEwallet, Provider: "gopay", Number: "081234567890"}).Masked()
	if w.Number != "••••••••7890" {
		t.Fatalf("masked e-wallet %+v", w)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("refund", slog.Any("destination", d), slog.Any("ptr", &d))
	out := buf.String() + fmt.Sprint(d) + fmt.Sprintf("%v %+v", d, &d)
	if strings.Contains(out, "1234567890") || strings.Contains(out, "Santoso") {
		t.Fatalf("the full destination leaked: %s", out)
	}
	if !strings.Contains(buf.String(), "7890") {
		t.Fatalf("masked form not logged: %s", buf.String())
	}
}
