package returnpolicy

import "testing"

// The default policy is what a shop promises until it configures its own: a 30-day
// window, a 10 % restocking fee on opened or customer-damaged items only, never for the shop's fault
// (defective, wrong item, damaged in transit, not as described), and shipping refunded for defective, wrong
// or transit-damaged items only.
func TestDefaultPolicyTerms(t *testing.T) {
	p := Default()
	if p.WindowDays != 30 || p.RestockingFeeBps != 1000 || p.Version == "" {
		t.Fatalf("default %+v", p)
	}
	for c, charged := range map[Condition]bool{"opened": true, "damaged_by_customer": true, "unopened": false, "defective": false} {
		if p.ChargesRestocking(ReasonChangedMind, c, false) != charged {
			t.Errorf("restocking on %s: %v, want %v", c, !charged, charged)
		}
		if p.ChargesRestocking(ReasonDefective, c, false) {
			t.Errorf("restocking on a defective item described as %s", c)
		}
	}
	for r, refunded := range map[Reason]bool{
		"defective": true, "wrong_item": true, "damaged_in_transit": true,
		"not_as_described": false, "size_or_fit": false, "changed_mind": false, "other": false,
	} {
		if p.RefundsShipping(r) != refunded {
			t.Errorf("shipping refund for %s: %v, want %v", r, !refunded, refunded)
		}
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("the default does not validate: %v", err)
	}
}
