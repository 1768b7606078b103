package returns

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// The last validation edges of a refund destination: a letter in the first place of an account number,
// a holder name of exactly 100 letters, and any one bank field on an e-wallet.
func TestDestinationEdges(t *testing.T) {
	for _, c := range []struct {
		name string
		d    RefundDestination
		want string
	}{
		{"account number starting with a letter", RefundDestination{Kind: DestinationBankAccount, Bank: "bri", AccountNumber: "A234567890", HolderName: "Budi"},
			"refundDestination.accountNumber=account_number"},
		{"holder name of 100 letters", RefundDestination{Kind: DestinationBankAccount, Bank: "bni", AccountNumber: "1234567890", HolderName: strings.Repeat("a", 100)}, ""},
		{"e-wallet with an account number", RefundDestination{Kind: DestinationEwallet, Provider: "dana", Number: "081234567890", AccountNumber: "1234567890"},
			"refundDestination.bank=not_for_ewallet"},
		{"e-wallet with a holder name", RefundDestination{Kind: DestinationEwallet, Provider: "dana", Number: "081234567890", HolderName: "Budi"},
			"refundDestination.bank=not_for_ewallet"},
	} {
		d := c.d
		rq := req(line("L1", 1, "defective", "opened"))
		rq.RefundDestination = &d
		got := ""
		if err := rq.Validate(); err != nil {
			_, got = fieldCodes(t, err)
		}
		if got != c.want {
			t.Errorf("%s: got [%s], want [%s]", c.name, got, c.want)
		}
	}
}

// A short number keeps at most half its digits visible.
func TestShortNumbersAreMaskedToHalf(t *testing.T) {
	for in, want := range map[string]string{"123456": "•••456", "1234": "••34", "": ""} {
		if got := (RefundDestination{AccountNumber: in}).Masked().AccountNumber; got != want {
			t.Errorf("%q masked as %q, want %q", in, got, want)
		}
	}
}

// Receiving takes at most MaxLines lines: one more is refused as such, MaxLines is judged line by line.
func TestReceiveLineLimit(t *testing.T) {
	r, err := Decide(returnpolicy.Default(), sampleOrder(), req(line("L1", 1, "defective", "opened")), now)
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]ReceivedLine, MaxLines+1)
	for i := range lines {
		lines[i] = ReceivedLine{LineID: "L1", Condition: "opened"}
	}
	if _, err := Receive(r, Actor{}, lines, "", now); err == nil {
		t.Fatalf("%d lines accepted", len(lines))
	} else if _, f := fieldCodes(t, err); f != "lines=max(50)" {
		t.Errorf("%d lines refused with [%s], want lines=max(50)", len(lines), f)
	}
	if _, err := Receive(r, Actor{}, lines[:MaxLines], "", now); err == nil {
		t.Fatal("50 copies of one line accepted")
	} else if _, f := fieldCodes(t, err); strings.Contains(f, "lines=max") {
		t.Errorf("%d lines refused as too many: [%s]", MaxLines, f)
	}
}

// The return records the language the customer asked in, for the notifications about it.
func TestRequestRecordsTheCustomersLanguage(t *testing.T) {
	store := &racingStore{order: sampleOrder()}
	rq := req(line("L1", 1, "defective", "unopened"))
	rq.Language = i18n.English
	r, err := newTestService(store).Request(context.Background(), rq)
	if err != nil {
		t.Fatal(err)
	}
	if r.Language != i18n.English || store.ret.Language != i18n.English {
		t.Errorf("language %q (stored %q), want en", r.Language, store.ret.Language)
	}
}

// A retry after a lost race waits between half and all of a ceiling that doubles from 10 ms per attempt up
// to 200 ms, spread over that whole range so racing requests do not meet again in lock step.
func TestBackoffSpreadsUnderADoublingCeiling(t *testing.T) {
	for attempt, ceiling := range map[int]time.Duration{1: 10 * time.Millisecond, 2: 20 * time.Millisecond, 5: 160 * time.Millisecond,
		6: 200 * time.Millisecond, 8: 200 * time.Millisecond} {
		lo, hi := ceiling, time.Duration(0)
		for range 4000 {
			d := jitteredBackoff(attempt)
			if d < ceiling/2 || d >= ceiling {
				t.Fatalf("attempt %d: waited %v, want within [%v, %v)", attempt, d, ceiling/2, ceiling)
			}
			lo, hi = min(lo, d), max(hi, d)
		}
		if lo > ceiling*55/100 || hi < ceiling*95/100 {
			t.Errorf("attempt %d: waits spread only over [%v, %v] of [%v, %v)", attempt, lo, hi, ceiling/2, ceiling)
		}
	}
}
