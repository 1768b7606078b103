package returnpolicy

import (
	"fmt"
	"testing"
	"time"
)

func TestLineEligibility(t *testing.T) {
	p := Default()
	delivered := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC) // 16.00 WIB on 1 October
	// The window's last day is 31 October in WIB; it ends at 23.59.59 WIB = 16.59.59 UTC.
	lastMinute := time.Date(2026, 10, 31, 16, 59, 0, 0, time.UTC)
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
		{"30×24 h after delivery: still that day", false, &delivered, 1, delivered.AddDate(0, 0, 30), true, ""},
		{"23.58 WIB on the last day", false, &delivered, 1, lastMinute.Add(-time.Minute), true, ""},
		{"23.59 WIB on the last day", false, &delivered, 1, lastMinute, true, ""},
		{"23.59.59 WIB on the last day", false, &delivered, 1, lastMinute.Add(59*time.Second + 999*time.Millisecond), true, ""},
		{"00.00 WIB the next day", false, &delivered, 1, lastMinute.Add(time.Minute), false, ReturnPeriodEnded},
		{"00.01 WIB the next day", false, &delivered, 1, lastMinute.Add(2 * time.Minute), false, ReturnPeriodEnded},
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

// The delivery day is the day in the shop's zone: a parcel delivered at 01.00 WIB on 2 October (18.00 UTC
// on 1 October) has until the end of 1 November; in WITA and WIT the day ends an hour or two earlier in UTC.
func TestDeadlineIsTheEndOfTheLastDayInTheShopsZone(t *testing.T) {
	cases := []struct {
		zone      string
		delivered time.Time
		want      string
	}{
		{"Asia/Jakarta", time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), "2026-10-31T23:59:00+07:00 WIB"},
		{"Asia/Jakarta", time.Date(2026, 10, 1, 16, 59, 0, 0, time.UTC), "2026-10-31T23:59:00+07:00 WIB"}, // 23.59 WIB on 1 Oct
		{"Asia/Jakarta", time.Date(2026, 10, 1, 17, 0, 0, 0, time.UTC), "2026-11-01T23:59:00+07:00 WIB"},  // 00.00 WIB on 2 Oct
		{"WIB", time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC), "2027-01-05T23:59:00+07:00 WIB"},
		{"Asia/Makassar", time.Date(2026, 10, 1, 16, 30, 0, 0, time.UTC), "2026-11-01T23:59:00+08:00 WITA"},
		{"Asia/Jayapura", time.Date(2026, 10, 1, 14, 59, 0, 0, time.UTC), "2026-10-31T23:59:00+09:00 WIT"},
		{"WIT", time.Date(2026, 10, 1, 15, 0, 0, 0, time.UTC), "2026-11-01T23:59:00+09:00 WIT"},
	}
	for _, c := range cases {
		p := Default()
		p.TimeZone = c.zone
		d := p.Deadline(c.delivered)
		if got := d.Format(time.RFC3339) + " " + d.Format("MST"); got != c.want {
			t.Errorf("%s, delivered %s: deadline %s, want %s", c.zone, c.delivered.Format(time.RFC3339), got, c.want)
		}
		end := d.Add(time.Minute)
		if !p.Open(c.delivered, end.Add(-time.Nanosecond)) || p.Open(c.delivered, end) {
			t.Errorf("%s: the window does not close exactly at the end of %s", c.zone, d)
		}
	}
	p := Default()
	p.TimeZone = "Europe/Berlin"
	if p.Validate() == nil {
		t.Error("a zone outside Indonesia accepted")
	}
	p.TimeZone = ""
	if p.Validate() == nil || p.Zone().Abbr != "WIB" {
		t.Error("an empty zone: must be refused in configuration, and read as WIB on stored returns")
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
	got := fmt.Sprintf("%s %d %d %v %v %v %s", p.Version, p.WindowDays, p.RestockingFeeBps, p.RestockingConditions, p.FeeFreeReasons,
		p.ShippingRefundReasons, p.TimeZone)
	want := "2026-12-01 30 1000 [opened damaged_by_customer] [defective wrong_item damaged_in_transit not_as_described] [defective wrong_item damaged_in_transit] Asia/Jakarta"
	if got != want {
		t.Errorf("default policy %q, want %q", got, want)
	}
}
