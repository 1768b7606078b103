package returnpolicy

import (
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
	if !p.ChargesRestocking(ConditionOpened) || !p.ChargesRestocking(ConditionDamagedByCustomer) || p.ChargesRestocking(ConditionUnopened) {
		t.Fatal("restocking conditions wrong")
	}
	if !p.RefundsShipping(ReasonWrongItem) || p.RefundsShipping(ReasonChangedMind) {
		t.Fatal("shipping refund reasons wrong")
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := p
	bad.RestockingFeeBps = 20000
	if bad.Validate() == nil {
		t.Fatal("200% restocking fee accepted")
	}
}

func TestEnumsAndUnknownValuesInConfiguration(t *testing.T) {
	for _, r := range Reasons {
		if !r.Valid() {
			t.Errorf("reason %q not valid", r)
		}
	}
	for _, c := range Conditions {
		if !c.Valid() {
			t.Errorf("condition %q not valid", c)
		}
	}
	if Reason("broken").Valid() || Condition("used").Valid() || Reason("").Valid() {
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
