package returnpolicy

import (
	"fmt"
	"testing"
	"time"
)

func TestLineEligibility(t *testing.T) {
	p := Default()
	delivered := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		finalSale bool
		delivered *time.Time
		remaining int
		now       time.Time
		ok        bool
		code      string
	}{
		{"within window", false, &delivered, 2, delivered.AddDate(0, 0, 10), true, ""},
		{"last instant of window", false, &delivered, 1, delivered.AddDate(0, 0, 30), true, ""},
		{"after window", false, &delivered, 1, delivered.AddDate(0, 0, 30).Add(time.Second), false, ReturnPeriodEnded},
		{"final sale", true, &delivered, 1, delivered, false, FinalSale},
		{"not delivered", false, nil, 1, delivered, false, NotDelivered},
		{"all returned", false, &delivered, 0, delivered, false, NothingReturnable},
	}
	for _, c := range cases {
		ok, code := p.LineEligibility(c.finalSale, c.delivered, c.remaining, c.now)
		if ok != c.ok || code != c.code {
			t.Errorf("%s: got (%v, %q), want (%v, %q)", c.name, ok, code, c.ok, c.code)
		}
	}
}

func TestRulesAndValidation(t *testing.T) {
	p := Default()
	if !p.RefundsShipping(ReasonWrongItem) || p.RefundsShipping(ReasonChangedMind) {
		t.Fatal("shipping refund reasons wrong")
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
}

// Honest buyers of a faulty item pay no fee, however they describe its condition; buyers who changed their
// mind pay it on an opened or used item; damage through use the warehouse finds is charged whatever the reason.
func TestRestockingFeeByReasonAndCondition(t *testing.T) {
	p := Default()
	feeFree := map[Reason]bool{ReasonDefective: true, ReasonWrongItem: true, ReasonDamagedInTransit: true, ReasonNotAsDescribed: true}
	charged := map[Condition]bool{ConditionOpened: true, ConditionDamagedByCustomer: true}
	for _, r := range Reasons {
		for _, c := range Conditions {
			for _, received := range []bool{false, true} {
				want := charged[c] && (!feeFree[r] || (received && c == ConditionDamagedByCustomer))
				if got := p.ChargesRestocking(r, c, received); got != want {
					t.Errorf("reason %s, condition %s, received %v: charged %v, want %v", r, c, received, got, want)
				}
			}
		}
	}
	p.RestockingFeeBps = 0
	if p.ChargesRestocking(ReasonChangedMind, ConditionOpened, true) {
		t.Error("a policy without a fee charges one")
	}
}

// Validate refuses each out-of-range setting at its boundary and accepts the boundary itself.
func TestValidateBoundaries(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Policy)
		ok   bool
	}{
		{"window -1 days", func(p *Policy) { p.WindowDays = -1 }, false},
		{"window 0 days", func(p *Policy) { p.WindowDays = 0 }, true},
		{"window 1 day", func(p *Policy) { p.WindowDays = 1 }, true},
		{"window 365 days", func(p *Policy) { p.WindowDays = 365 }, true},
		{"window 366 days", func(p *Policy) { p.WindowDays = 366 }, false},
		{"fee -1 bp", func(p *Policy) { p.RestockingFeeBps = -1 }, false},
		{"fee 0 bp", func(p *Policy) { p.RestockingFeeBps = 0 }, true},
		{"fee 1 bp", func(p *Policy) { p.RestockingFeeBps = 1 }, true},
		{"fee 10000 bp", func(p *Policy) { p.RestockingFeeBps = 10000 }, true},
		{"fee 10001 bp", func(p *Policy) { p.RestockingFeeBps = 10001 }, false},
		{"no version", func(p *Policy) { p.Version = "" }, false},
		{"unknown fee-free reason", func(p *Policy) { p.FeeFreeReasons = []Reason{"late"} }, false},
	}
	for _, c := range cases {
		p := Default()
		c.edit(&p)
		if err := p.Validate(); (err == nil) != c.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

// The accepted codes are an API contract (openapi.yaml, clients' pickers, stored returns): compare them with
// the literal list, not with the slices Valid() itself reads.
func TestEnumsAndUnknownValuesInConfiguration(t *testing.T) {
	wantReasons := []string{"defective", "wrong_item", "damaged_in_transit", "not_as_described", "size_or_fit", "changed_mind", "other"}
	wantConditions := []string{"unopened", "opened", "defective", "damaged_by_customer"}
	if got := fmt.Sprint(Reasons); got != fmt.Sprint(wantReasons) {
		t.Errorf("Reasons = %v, want %v", got, wantReasons)
	}
	if got := fmt.Sprint(Conditions); got != fmt.Sprint(wantConditions) {
		t.Errorf("Conditions = %v, want %v", got, wantConditions)
	}
	for _, r := range wantReasons {
		if !Reason(r).Valid() {
			t.Errorf("reason %q not valid", r)
		}
	}
	for _, c := range wantConditions {
		if !Condition(c).Valid() {
			t.Errorf("condition %q not valid", c)
		}
	}
	if Reason("broken").Valid() || Condition("used").Valid() || Reason("").Valid() || Condition("").Valid() {
		t.Fatal("unknown values accepted")
	}
	p := Default()
	p.RestockingConditions = append(p.RestockingConditions, "used")
	if p.Validate() == nil {
		t.Fatal("unknown restocking condition accepted")
	}
	p = Default()
	p.ShippingRefundReasons = []Reason{"late"}
	if p.Validate() == nil {
		t.Fatal("unknown shipping refund reason accepted")
	}
}

// The default terms, as the README documents them in both languages; changing them needs a new Version.
func TestDefaultTerms(t *testing.T) {
	p := Default()
	got := fmt.Sprintf("%s %d %d %v %v %v", p.Version, p.WindowDays, p.RestockingFeeBps, p.RestockingConditions, p.FeeFreeReasons, p.ShippingRefundReasons)
	want := "2026-12-01 30 1000 [opened damaged_by_customer] [defective wrong_item damaged_in_transit not_as_described] [defective wrong_item damaged_in_transit]"
	if got != want {
		t.Errorf("default policy %q, want %q", got, want)
	}
}
