// Package returnpolicy holds the shop's return rules. Order lookup uses them to show what is still
// returnable; the returns domain uses them to decide requests. Every decision records Policy.Version.
package returnpolicy

import (
	"fmt"
	"slices"
	"time"
)

// Reason a customer gives for returning a line.
type Reason string

const (
	ReasonDefective        Reason = "defective"
	ReasonWrongItem        Reason = "wrong_item"
	ReasonDamagedInTransit Reason = "damaged_in_transit"
	ReasonNotAsDescribed   Reason = "not_as_described"
	ReasonSizeOrFit        Reason = "size_or_fit"
	ReasonChangedMind      Reason = "changed_mind"
	ReasonOther            Reason = "other"
)

// Reasons lists every accepted reason.
var Reasons = []Reason{ReasonDefective, ReasonWrongItem, ReasonDamagedInTransit, ReasonNotAsDescribed, ReasonSizeOrFit, ReasonChangedMind, ReasonOther}

// Condition of the item as the customer (or, on receipt, the warehouse) describes it. The labels say which
// one applies (messages_labels.go): a faulty item had to be opened to find the fault, so it is "defective",
// not "opened"; "damaged_by_customer" is damage through use.
type Condition string

const (
	ConditionUnopened          Condition = "unopened"
	ConditionOpened            Condition = "opened"
	ConditionDefective         Condition = "defective"
	ConditionDamagedByCustomer Condition = "damaged_by_customer"
)

// Conditions lists every accepted condition.
var Conditions = []Condition{ConditionUnopened, ConditionOpened, ConditionDefective, ConditionDamagedByCustomer}

// Ineligibility codes: why a line cannot be returned now. They double as reason codes on decisions.
const (
	NotDelivered      = "not_delivered"
	FinalSale         = "final_sale"
	ReturnPeriodEnded = "return_period_ended"
	NothingReturnable = "fully_returned"
)

// Policy is one version of the shop's return rules.
type Policy struct {
	Version              string
	WindowDays           int
	RestockingFeeBps     int64       // charged on lines in RestockingConditions, unless the reason is fee-free
	RestockingConditions []Condition // default: opened, damaged_by_customer
	// FeeFreeReasons never pay the restocking fee: the shop's fault, not the buyer's choice (default:
	// defective, wrong_item, damaged_in_transit, not_as_described). Only damage through use that the
	// warehouse finds on receipt still pays it.
	FeeFreeReasons        []Reason
	ShippingRefundReasons []Reason // default: defective, wrong_item, damaged_in_transit
	// TimeZone is the shop's zone (a key of Zones, default Asia/Jakarta): the window ends at the end of its
	// last day there, the way a shopper reads "until 4 January".
	TimeZone string
}

// Zone is one of Indonesia's time zones. They have no daylight saving, so a fixed offset is exact and the
// bootstraps need no tzdata.
type Zone struct {
	Abbr   string // WIB, WITA, WIT
	Offset int    // seconds east of UTC
}

// Location is z as a time.Location.
func (z Zone) Location() *time.Location { return time.FixedZone(z.Abbr, z.Offset) }

var (
	wib  = Zone{"WIB", 7 * 3600}
	wita = Zone{"WITA", 8 * 3600}
	wit  = Zone{"WIT", 9 * 3600}
)

// Zones are the accepted TimeZone values: the IANA names of Indonesia's zones and their abbreviations.
var Zones = map[string]Zone{
	"Asia/Jakarta": wib, "Asia/Pontianak": wib, "WIB": wib,
	"Asia/Makassar": wita, "WITA": wita,
	"Asia/Jayapura": wit, "WIT": wit,
}

// DefaultTimeZone is the shop's zone unless configured.
const DefaultTimeZone = "Asia/Jakarta"

// Zone is the shop's zone (WIB when unset, for returns stored before the zone was part of the terms).
func (p Policy) Zone() Zone {
	if z, ok := Zones[p.TimeZone]; ok {
		return z
	}
	return wib
}

// Default is the policy a shop gets until it configures its own.
func Default() Policy {
	return Policy{
		Version:               "2026-12-01",
		WindowDays:            30,
		RestockingFeeBps:      1000,
		RestockingConditions:  []Condition{ConditionOpened, ConditionDamagedByCustomer},
		FeeFreeReasons:        []Reason{ReasonDefective, ReasonWrongItem, ReasonDamagedInTransit, ReasonNotAsDescribed},
		ShippingRefundReasons: []Reason{ReasonDefective, ReasonWrongItem, ReasonDamagedInTransit},
		TimeZone:              DefaultTimeZone,
	}
}

// Validate rejects a nonsensical configuration at start-up rather than on a customer's request.
func (p Policy) Validate() error {
	switch {
	case p.Version == "":
		return fmt.Errorf("return policy: version is required")
	case p.WindowDays < 0 || p.WindowDays > 365:
		return fmt.Errorf("return policy: window %d days out of range 0..365", p.WindowDays)
	case p.RestockingFeeBps < 0 || p.RestockingFeeBps > 10000:
		return fmt.Errorf("return policy: restocking fee %d bp out of range 0..10000", p.RestockingFeeBps)
	}
	if _, ok := Zones[p.TimeZone]; !ok {
		return fmt.Errorf("return policy: time zone %q is not one of Indonesia's (Asia/Jakarta, Asia/Makassar, Asia/Jayapura, WIB, WITA, WIT)", p.TimeZone)
	}
	for _, c := range p.RestockingConditions {
		if !c.Valid() {
			return fmt.Errorf("return policy: unknown restocking condition %q", c)
		}
	}
	for _, r := range p.ShippingRefundReasons {
		if !r.Valid() {
			return fmt.Errorf("return policy: unknown shipping refund reason %q", r)
		}
	}
	for _, r := range p.FeeFreeReasons {
		if !r.Valid() {
			return fmt.Errorf("return policy: unknown fee-free reason %q", r)
		}
	}
	return nil
}

// Deadline is the last minute a return may be requested for goods delivered at deliveredAt: 23.59 in the
// shop's zone on the day WindowDays after the delivery day there. Requests are accepted until the end of
// that minute (see Open).
func (p Policy) Deadline(deliveredAt time.Time) time.Time {
	d := deliveredAt.In(p.Zone().Location())
	return time.Date(d.Year(), d.Month(), d.Day()+p.WindowDays, 23, 59, 0, 0, d.Location())
}

// Open reports whether the return window of goods delivered at deliveredAt is still open at now: until the
// end of the deadline's day in the shop's zone.
func (p Policy) Open(deliveredAt, now time.Time) bool {
	return now.Before(p.Deadline(deliveredAt).Add(time.Minute))
}

// LineEligibility says whether a line may be returned at now, and if not, why (one of the codes above).
func (p Policy) LineEligibility(finalSale bool, deliveredAt *time.Time, remaining int, now time.Time) (bool, string) {
	switch {
	case finalSale:
		return false, FinalSale
	case deliveredAt == nil:
		return false, NotDelivered
	case !p.Open(*deliveredAt, now):
		return false, ReturnPeriodEnded
	case remaining <= 0:
		return false, NothingReturnable
	}
	return true, ""
}

// ChargesRestocking reports whether a line returned for reason r in condition c pays the restocking fee.
// received says c is what the warehouse found: damage through use found there is charged whatever the
// reason, while a customer who names a fee-free reason is never charged on their own description.
func (p Policy) ChargesRestocking(r Reason, c Condition, received bool) bool {
	if p.RestockingFeeBps == 0 || !slices.Contains(p.RestockingConditions, c) {
		return false
	}
	if slices.Contains(p.FeeFreeReasons, r) {
		return received && c == ConditionDamagedByCustomer
	}
	return true
}

// RefundsShipping reports whether reason entitles the customer to the shipping fee back.
func (p Policy) RefundsShipping(r Reason) bool { return slices.Contains(p.ShippingRefundReasons, r) }

// Valid reports whether r is one of Reasons.
func (r Reason) Valid() bool { return slices.Contains(Reasons, r) }

// Valid reports whether c is one of Conditions.
func (c Condition) Valid() bool { return slices.Contains(Conditions, c) }
