package returns

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

var (
	delivered = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	now       = delivered.Add(5 * 24 * time.Hour)
)

// sampleOrder: L1 2 × 189.000,00 (remaining 2), L2 final sale, L3 3 × 3.333 minor units with 1 still
// remaining; shipping 15.000,00.
func sampleOrder() OrderRecord {
	d := delivered
	return OrderRecord{Order: order.Order{
		ID: "TGP-1", CustomerID: "budi", Currency: "IDR", PaymentMethod: "ewallet", ShippingFee: 1500000, Status: order.StatusDelivered,
		Shipment: order.Shipment{Status: order.ShipmentDelivered, DeliveredAt: &d},
		Lines: []order.Line{
			{ID: "L1", SKU: "BTK", Name: "Batik", Quantity: 2, UnitPrice: 18900000, Remaining: 2},
			{ID: "L2", SKU: "SMB", Name: "Sambal", Quantity: 1, UnitPrice: 4500000, FinalSale: true, Remaining: 1},
			{ID: "L3", SKU: "KOP", Name: "Kopi", Quantity: 3, UnitPrice: 3333, Remaining: 1},
		},
	}}
}

func req(lines ...LineRequest) Request {
	return Request{OrderID: "TGP-1", CustomerID: "budi", Resolution: ResolutionRefund, Lines: lines}
}

func line(id string, qty int, reason returnpolicy.Reason, cond returnpolicy.Condition) LineRequest {
	return LineRequest{LineID: id, Quantity: qty, Reason: reason, Condition: cond}
}

// fieldCodes renders a failure's field errors as "field=code(param)" for compact assertions.
func fieldCodes(t *testing.T, err error) (string, string) {
	t.Helper()
	fe, ok := failure.As(err)
	if !ok {
		t.Fatalf("not a failure: %v", err)
	}
	var parts []string
	for _, f := range fe.Fields {
		s := f.Field + "=" + f.Code
		if f.Param != "" {
			s += "(" + f.Param + ")"
		}
		parts = append(parts, s)
	}
	return fe.Code, strings.Join(parts, " ")
}

func TestValidateRequestShape(t *testing.T) {
	ok := line("L1", 1, returnpolicy.ReasonDefective, returnpolicy.ConditionUnopened)
	many := make([]LineRequest, MaxLines+1)
	for i := range many {
		many[i] = ok
		many[i].LineID = "X" + strings.Repeat("1", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	cases := []struct {
		name string
		req  Request
		want string
	}{
		{"no lines", Request{Resolution: ResolutionRefund}, "lines=required"},
		{"too many lines", Request{Resolution: ResolutionRefund, Lines: many}, "lines=max(50)"},
		{"too many empty lines: one error, not one per line", Request{Lines: make([]LineRequest, 15000)}, "lines=max(50)"},
		{"line twice", req(ok, ok), "lines[1].lineId=unique"},
		{"zero quantity", req(line("L1", 0, "defective", "opened")), "lines[0].quantity=gte(1)"},
		{"huge quantity", req(line("L1", 1000, "defective", "opened")), "lines[0].quantity=lte(999)"},
		{"unknown reason", req(line("L1", 1, "broken", "opened")), "lines[0].reason=oneof(defective wrong_item damaged_in_transit not_as_described size_or_fit changed_mind other)"},
		{"unknown condition", req(line("L1", 1, "defective", "used")), "lines[0].condition=oneof(unopened opened defective damaged_by_customer)"},
		{"missing line id", req(line("", 1, "defective", "opened")), "lines[0].lineId=required"},
		{"unknown resolution", Request{Resolution: "cash", Lines: []LineRequest{ok}}, "resolution=oneof(refund exchange store_credit)"},
		{"long comment", Request{Resolution: ResolutionRefund, Lines: []LineRequest{ok}, Comment: strings.Repeat("é", MaxComment+1)}, "comment=max_length(1000)"},
	}
	for _, c := range cases {
		err := c.req.Validate()
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		code, fields := fieldCodes(t, err)
		if code != "validation_failed" || fields != c.want {
			t.Errorf("%s: %s %s, want %s", c.name, code, fields, c.want)
		}
	}
	if err := req(ok).Validate(); err != nil {
		t.Fatalf("valid request refused: %v", err)
	}
	if err := (Request{Resolution: ResolutionRefund, Lines: []LineRequest{ok}, Comment: strings.Repeat("é", MaxComment)}).Validate(); err != nil {
		t.Fatalf("comment of exactly %d characters refused: %v", MaxComment, err)
	}
}

func TestDecidePolicyRules(t *testing.T) {
	p := returnpolicy.Default()
	notDelivered := sampleOrder()
	notDelivered.Shipment.DeliveredAt = nil
	cases := []struct {
		name   string
		o      OrderRecord
		req    Request
		at     time.Time
		code   string
		fields string
	}{
		{"someone else's order", sampleOrder(), Request{OrderID: "TGP-1", CustomerID: "siti", Resolution: ResolutionRefund,
			Lines: []LineRequest{line("L1", 1, "defective", "opened")}}, now, "order_not_found", ""},
		{"not delivered", notDelivered, req(line("L1", 1, "defective", "opened")), now, "return_not_allowed", "lines[0].lineId=not_delivered"},
		{"window over: the minute after 23.59 on the last day", sampleOrder(), req(line("L1", 1, "defective", "opened")), p.Deadline(delivered).Add(time.Minute),
			"return_not_allowed", "lines[0].lineId=return_period_ended"},
		{"final sale", sampleOrder(), req(line("L2", 1, "changed_mind", "unopened")), now, "return_not_allowed", "lines[0].lineId=final_sale"},
		{"line not on the order", sampleOrder(), req(line("L9", 1, "other", "unopened")), now, "return_not_allowed", "lines[0].lineId=unknown_line"},
		{"more than bought", sampleOrder(), req(line("L1", 3, "other", "unopened")), now, "return_not_allowed", "lines[0].quantity=exceeds_returnable(2)"},
		{"more than remaining: held by other returns", sampleOrder(), req(line("L3", 2, "other", "unopened")), now,
			"return_quantity_unavailable", "lines[0].quantity=exceeds_returnable(1)"},
		{"policy refusals win over unavailable quantities", sampleOrder(),
			req(line("L3", 2, "other", "unopened"), line("L2", 1, "other", "unopened")), now, "return_not_allowed", "lines[1].lineId=final_sale"},
		{"every refused line is reported", sampleOrder(),
			req(line("L2", 1, "other", "unopened"), line("L1", 1, "other", "unopened"), line("L1x", 1, "other", "unopened")), now,
			"return_not_allowed", "lines[0].lineId=final_sale lines[2].lineId=unknown_line"},
		{"an unknown line does not stop the lines after it being judged", sampleOrder(),
			req(line("L9", 1, "other", "unopened"), line("L2", 1, "other", "unopened"), line("L1", 3, "other", "unopened")), now,
			"return_not_allowed", "lines[0].lineId=unknown_line lines[1].lineId=final_sale lines[2].quantity=exceeds_returnable(2)"},
		{"every unavailable line is reported", func() OrderRecord { o := sampleOrder(); o.Lines[0].Remaining = 1; return o }(),
			req(line("L3", 2, "other", "unopened"), line("L1", 2, "other", "unopened")), now,
			"return_quantity_unavailable", "lines[0].quantity=exceeds_returnable(1) lines[1].quantity=exceeds_returnable(1)"},
	}
	for _, c := range cases {
		_, err := Decide(p, c.o, c.req, c.at)
		if err == nil {
			t.Errorf("%s: allowed", c.name)
			continue
		}
		code, fields := fieldCodes(t, err)
		if code != c.code || fields != c.fields {
			t.Errorf("%s: got %s [%s], want %s [%s]", c.name, code, fields, c.code, c.fields)
		}
	}
	// The last instant of the window is still inside it, and remaining quantities are usable to the last unit.
	allowed := req(line("L1", 2, "size_or_fit", "unopened"), line("L3", 1, "other", "unopened"))
	allowed.Comment = "Warna tidak sesuai foto."
	r, err := Decide(p, sampleOrder(), allowed, p.Deadline(delivered))
	if err != nil {
		t.Fatalf("allowed request refused: %v", err)
	}
	// What the refund and the payment integration need comes from the order, not from the request.
	if r.OrderID != "TGP-1" || r.CustomerID != "budi" || r.PaymentMethod != "ewallet" || r.Currency != "IDR" ||
		r.Resolution != ResolutionRefund || r.Comment != allowed.Comment {
		t.Fatalf("decided return header %+v", r)
	}
	if l := r.Lines[1]; l.LineID != "L3" || l.Name != "Kopi" || l.Quantity != 1 || l.Reason != "other" || l.Condition != "unopened" {
		t.Fatalf("decided line %+v", l)
	}
	if r.Status != StatusRequested || len(r.Lines) != 2 || r.Lines[0].UnitPrice != 18900000 || r.Lines[0].SKU != "BTK" || r.Units() != 3 {
		t.Fatalf("decided return %+v", r)
	}
	if r.Policy.Version != p.Version || r.Estimate.PolicyVersion != p.Version {
		t.Fatalf("decision does not record the policy version: %q / %q", r.Policy.Version, r.Estimate.PolicyVersion)
	}
}

func TestDecideWindowIsConfigurable(t *testing.T) {
	p := returnpolicy.Default()
	p.WindowDays, p.Version = 7, "short-window"
	o := sampleOrder()
	if _, err := Decide(p, o, req(line("L1", 1, "defective", "opened")), delivered.Add(6*24*time.Hour)); err != nil {
		t.Fatalf("inside a 7-day window: %v", err)
	}
	_, err := Decide(p, o, req(line("L1", 1, "defective", "opened")), delivered.Add(8*24*time.Hour))
	if _, fields := fieldCodes(t, err); fields != "lines[0].lineId=return_period_ended" {
		t.Fatalf("day 8 of a 7-day window: %v", err)
	}
}

func TestRefundArithmetic(t *testing.T) {
	p := returnpolicy.Default() // 10% restocking on opened / damaged_by_customer
	type want struct {
		items, fee, shipping, total int64
		codes                       string
	}
	codes := func(r Refund) string {
		var s []string
		for _, l := range r.Lines {
			s = append(s, l.Code)
		}
		return strings.Join(s, ",")
	}
	cases := []struct {
		name  string
		o     func() OrderRecord
		req   Request
		want  want
		check func(t *testing.T, r Return)
	}{
		{"unopened, changed mind: items only, no shipping", sampleOrder,
			req(line("L1", 2, "changed_mind", "unopened")),
			want{37800000, 0, 0, 37800000, "full_refund"}, nil},
		{"opened: 10% restocking fee of the line total", sampleOrder,
			req(line("L1", 1, "size_or_fit", "opened")),
			want{18900000, 1890000, 0, 17010000, "restocking_fee"}, nil},
		{"damaged by customer pays the fee, defective condition does not", sampleOrder,
			req(line("L1", 1, "changed_mind", "damaged_by_customer"), line("L3", 1, "not_as_described", "defective")),
			want{18903333, 1890000, 0, 17013400, "restocking_fee,full_refund"}, nil}, // Rp33,33 pays out Rp34
		{"a price with sen: the fee rounds down to whole rupiah, the payout up", sampleOrder,
			req(line("L3", 1, "changed_mind", "opened")), // 10% of Rp33,33 = Rp3,333 → Rp3; Rp30,33 → Rp31
			want{3333, 300, 0, 3100, "restocking_fee"}, nil},
		{"the review's case: a Rp99.999 line opened after a change of mind pays Rp9.999, never sen",
			func() OrderRecord { o := sampleOrder(); o.Lines[0].UnitPrice = 9999900; return o },
			req(line("L1", 1, "changed_mind", "opened")),
			want{9999900, 999900, 0, 9000000, "restocking_fee"}, nil},
		{"defective and opened (it had to be opened to find the fault): no fee, shipping refunded once", sampleOrder,
			req(line("L1", 1, "defective", "opened"), line("L3", 1, "wrong_item", "unopened")),
			want{18903333, 0, 1500000, 20403400, "full_refund,full_refund"}, nil},
		{"not as described and opened: no fee, no shipping", sampleOrder,
			req(line("L1", 1, "not_as_described", "opened")),
			want{18900000, 0, 0, 18900000, "full_refund"}, nil},
		{"damaged in transit, described as used: no fee on the customer's own description", sampleOrder,
			req(line("L1", 1, "damaged_in_transit", "damaged_by_customer")),
			want{18900000, 0, 1500000, 20400000, "full_refund"}, nil},
		{"damaged in transit refunds shipping", sampleOrder,
			req(line("L1", 1, "damaged_in_transit", "unopened")),
			want{18900000, 0, 1500000, 20400000, "full_refund"}, nil},
		{"shipping already held by another return", func() OrderRecord { o := sampleOrder(); o.ShippingRefundHolder = "RTN-OTHER"; return o },
			req(line("L1", 1, "defective", "unopened")),
			want{18900000, 0, 0, 18900000, "full_refund"}, nil},
		{"store credit: same amount, credit method", sampleOrder,
			Request{OrderID: "TGP-1", CustomerID: "budi", Resolution: ResolutionStoreCredit, Lines: []LineRequest{line("L1", 1, "size_or_fit", "opened"), line("L3", 1, "wrong_item", "opened")}},
			want{18903333, 1890000, 1500000, 18513400, "restocking_fee,full_refund"},
			func(t *testing.T, r Return) {
				if r.Estimate.Method != MethodStoreCredit {
					t.Errorf("method %s", r.Estimate.Method)
				}
			}},
		{"exchange: nothing paid out, no shipping taken", sampleOrder,
			Request{OrderID: "TGP-1", CustomerID: "budi", Resolution: ResolutionExchange, Lines: []LineRequest{line("L1", 1, "defective", "opened")}},
			want{18900000, 0, 0, 0, "exchange"},
			func(t *testing.T, r Return) {
				if r.Estimate.Method != MethodExchange || r.ShippingRefund != 0 || r.Estimate.Lines[0].Amount != 0 {
					t.Errorf("exchange estimate %+v, shipping %d", r.Estimate, r.ShippingRefund)
				}
			}},
	}
	for _, c := range cases {
		r, err := Decide(p, c.o(), c.req, now)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		e := r.Estimate
		got := want{e.ItemsSubtotal, e.RestockingFee, e.Shipping, e.Total, codes(e)}
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
		if e.Currency != "IDR" || e.PolicyVersion != p.Version {
			t.Errorf("%s: currency/policy %s/%s", c.name, e.Currency, e.PolicyVersion)
		}
		if c.check != nil {
			c.check(t, r)
		}
	}
}

func TestRestockingFeeIsConfigurable(t *testing.T) {
	p := returnpolicy.Default()
	p.RestockingFeeBps = 2500
	r, err := Decide(p, sampleOrder(), req(line("L1", 2, "size_or_fit", "opened")), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Estimate.RestockingFee != 9450000 || r.Estimate.Total != 37800000-9450000 {
		t.Fatalf("25%% fee: %+v", r.Estimate)
	}
	p.RestockingFeeBps = 0
	r, _ = Decide(p, sampleOrder(), req(line("L1", 2, "size_or_fit", "opened")), now)
	if r.Estimate.RestockingFee != 0 || r.Estimate.Lines[0].Code != CodeFullRefund {
		t.Fatalf("no fee configured: %+v", r.Estimate)
	}
}

var (
	customer = Actor{Kind: ActorCustomer, ID: "budi"}
	ops      = Actor{Kind: ActorOperator, ID: "arn:aws:iam::123456789012:user/dewi"}
)

func requested(t *testing.T) Return {
	t.Helper()
	r, err := Decide(returnpolicy.Default(), sampleOrder(), req(line("L1", 1, "changed_mind", "unopened"), line("L3", 1, "defective", "unopened")), now)
	if err != nil {
		t.Fatal(err)
	}
	r.ID, r.Version = "RTN-AAAAAAAAAAAAAAAA", 1
	r.Audit = []AuditEntry{{At: now, To: StatusRequested, Actor: customer, PolicyVersion: r.Policy.Version}}
	return r
}

func TestReceiveRecomputesFromReceivedConditions(t *testing.T) {
	r := requested(t)
	r, _ = Approve(r, ops, "", now)
	before := r
	// Customer said unopened; the warehouse finds L1 opened: it pays the restocking fee after all.
	got, err := Receive(r, ops, []ReceivedLine{{"L3", "unopened"}, {"L1", "opened"}}, "box torn", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got.Final == nil || got.Final.RestockingFee != 1890000 || got.Final.Shipping != 1500000 || got.Final.Total != 18900000-1890000+3400+1500000 {
		t.Fatalf("final refund %+v", got.Final)
	}
	if got.Final.Lines[0].Code != CodeRestockingFee || got.Final.Lines[0].Condition != "opened" || got.Final.Lines[1].Code != CodeFullRefund {
		t.Fatalf("final line codes %+v", got.Final.Lines)
	}
	if got.Estimate.RestockingFee != 0 || got.Lines[0].ReceivedCondition != "opened" || got.Lines[0].Condition != "unopened" {
		t.Fatalf("estimate or declared condition changed: %+v %+v", got.Estimate, got.Lines)
	}
	if before.Lines[0].ReceivedCondition != "" || len(before.Audit) != 2 {
		t.Fatal("Receive modified the return it was given")
	}
	last := got.Audit[len(got.Audit)-1]
	if last.PolicyVersion != r.Policy.Version || last.From != StatusApproved || last.To != StatusReceived || last.Note != "box torn" {
		t.Fatalf("audit entry %+v", last)
	}
	// The return's own terms apply on receipt, not whatever the shop configures later.
	r.Policy.RestockingFeeBps = 5000
	got, _ = Receive(r, ops, []ReceivedLine{{"L1", "opened"}, {"L3", "unopened"}}, "", now)
	if got.Final.RestockingFee != 9450000 {
		t.Fatalf("receipt ignored the return's terms: %+v", got.Final)
	}
}

func TestReceiveValidation(t *testing.T) {
	r, _ := Approve(requested(t), ops, "", now)
	cases := map[string]struct {
		lines []ReceivedLine
		want  string
	}{
		"a line missing":      {[]ReceivedLine{{"L1", "opened"}}, "lines=all_lines_required"},
		"a line twice":        {[]ReceivedLine{{"L1", "opened"}, {"L1", "opened"}, {"L3", "opened"}}, "lines[1].lineId=unique"},
		"not in the return":   {[]ReceivedLine{{"L1", "opened"}, {"L2", "opened"}, {"L3", "opened"}}, "lines[1].lineId=unknown_line"},
		"unknown condition":   {[]ReceivedLine{{"L1", "mint"}, {"L3", "opened"}}, "lines[0].condition=oneof(unopened opened defective damaged_by_customer)"},
		"nothing at all":      {nil, "lines=all_lines_required"},
		"empty line id given": {[]ReceivedLine{{"", "opened"}, {"L3", "opened"}}, "lines[0].lineId=unknown_line"},
	}
	for name, c := range cases {
		_, err := Receive(r, ops, c.lines, "", now)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if code, fields := fieldCodes(t, err); code != "validation_failed" || fields != c.want {
			t.Errorf("%s: %s [%s], want [%s]", name, code, fields, c.want)
		}
	}
}

// Every status × action pair: the allowed ones move, the others are refused with the right failure.
func TestStateMachine(t *testing.T) {
	type action struct {
		name string
		to   Status
		do   func(Return) (Return, error)
	}
	received := []ReceivedLine{{"L1", "unopened"}, {"L3", "unopened"}}
	actions := []action{
		{"approve", StatusApproved, func(r Return) (Return, error) { return Approve(r, ops, "", now) }},
		{"reject", StatusRejected, func(r Return) (Return, error) { return Reject(r, ops, RejectCondition, "scratched", now) }},
		{"receive", StatusReceived, func(r Return) (Return, error) { return Receive(r, ops, received, "", now) }},
		{"refund", StatusRefunded, func(r Return) (Return, error) { return Refunded(r, ops, "", now) }},
		{"cancel", StatusCancelled, func(r Return) (Return, error) { return Cancel(r, customer, now) }},
	}
	allowed := map[Status]string{
		StatusRequested: "approve reject cancel",
		StatusApproved:  "receive reject cancel",
		StatusReceived:  "refund reject",
		StatusRefunded:  "",
		StatusRejected:  "",
		StatusCancelled: "",
	}
	for from, ok := range allowed {
		for _, a := range actions {
			r := requested(t)
			r.Status = from
			if from == StatusReceived || from == StatusRefunded {
				f := ComputeRefund(r, true)
				r.Final = &f
			}
			next, err := a.do(r)
			want := strings.Contains(" "+ok+" ", " "+a.name+" ")
			switch {
			case want && err != nil:
				t.Errorf("%s from %s refused: %v", a.name, from, err)
			case want && (next.Status != a.to || next.Version != r.Version+1 || len(next.Audit) != len(r.Audit)+1):
				t.Errorf("%s from %s: status %s version %d audit %d", a.name, from, next.Status, next.Version, len(next.Audit))
			case want && (next.Audit[len(next.Audit)-1].From != from || next.Audit[len(next.Audit)-1].To != a.to):
				t.Errorf("%s from %s: audit %+v", a.name, from, next.Audit[len(next.Audit)-1])
			case !want && err == nil:
				t.Errorf("%s from %s allowed", a.name, from)
			case !want && a.name == "cancel":
				if fe, _ := failure.As(err); fe == nil || fe.Code != "return_not_cancellable" {
					t.Errorf("cancel from %s: %v", from, err)
				}
			case !want:
				if fe, _ := failure.As(err); fe == nil || fe.Code != "return_status_conflict" || fe.Kind != failure.KindConflict {
					t.Errorf("%s from %s: %v", a.name, from, err)
				}
			}
		}
	}
}

func TestRejectNeedsReasonCodeAndNote(t *testing.T) {
	r := requested(t)
	_, err := Reject(r, ops, "too_late", "", now)
	if code, fields := fieldCodes(t, err); code != "validation_failed" ||
		fields != "reason=oneof(final_sale return_period_ended condition other) note=required" {
		t.Fatalf("got %s [%s]", code, fields)
	}
	got, err := Reject(r, ops, RejectReturnPeriodEnded, "Diterima 40 hari setelah pengiriman", now)
	if err != nil {
		t.Fatal(err)
	}
	last := got.Audit[len(got.Audit)-1]
	if got.Rejection == nil || got.Rejection.Reason != RejectReturnPeriodEnded || last.Reason != RejectReturnPeriodEnded || last.Actor != ops {
		t.Fatalf("rejection %+v audit %+v", got.Rejection, last)
	}
	if _, err := Approve(r, ops, strings.Repeat("x", MaxNote+1), now); err == nil {
		t.Fatal("overlong note accepted")
	}
}

// Return ids are their own kind: a ticket id is not a return id.
func TestReturnIDs(t *testing.T) {
	if id := IDs.New(); !IDs.Valid(id) || !strings.HasPrefix(id, "RTN-") {
		t.Fatalf("id %q", id)
	}
	for _, bad := range []string{"TKT-AAAAAAAAAAAAAAAA", "RTN-AAAAAAAAAAAAAAAA/../x", ""} {
		if IDs.Valid(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The warehouse's finding decides: damage through use found on receipt pays the fee even on a defect claim;
// an honest defect found as described pays nothing.
func TestReceiveChargesDamageThroughUseWhateverTheReason(t *testing.T) {
	r, err := Decide(returnpolicy.Default(), sampleOrder(), req(line("L1", 2, "defective", "opened")), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Estimate.RestockingFee != 0 {
		t.Fatalf("estimate charges a defective item: %+v", r.Estimate)
	}
	r, _ = Approve(r, ops, "", now)
	asDescribed, err := Receive(r, ops, []ReceivedLine{{"L1", "defective"}}, "", now)
	if err != nil || asDescribed.Final.RestockingFee != 0 || asDescribed.Final.Total != 37800000+1500000 {
		t.Fatalf("defect confirmed: %+v, %v", asDescribed.Final, err)
	}
	used, err := Receive(r, ops, []ReceivedLine{{"L1", "damaged_by_customer"}}, "", now)
	if err != nil || used.Final.RestockingFee != 3780000 || used.Final.Lines[0].Code != CodeRestockingFee {
		t.Fatalf("damage through use: %+v, %v", used.Final, err)
	}
}

// Property: whatever the prices (with or without sen), quantities, reasons and conditions, everything a
// refund pays out is whole rupiah, the fee is whole rupiah and never above the exact percentage, and the
// payout is never below the line total minus the exact fee.
func TestRefundsAreWholeRupiahInTheCustomersFavour(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	for i := range 5000 {
		o := sampleOrder()
		o.Lines[0].UnitPrice = rng.Int64N(50_000_000_00)
		o.Lines[2].UnitPrice = rng.Int64N(2_000_000_00) * 100 // whole rupiah
		o.Lines[2].Remaining = 3
		o.ShippingFee = rng.Int64N(5_000_000)
		p := returnpolicy.Default()
		p.RestockingFeeBps = rng.Int64N(10001)
		reason := returnpolicy.Reasons[rng.IntN(len(returnpolicy.Reasons))]
		cond := returnpolicy.Conditions[rng.IntN(len(returnpolicy.Conditions))]
		rq := req(line("L1", 1+rng.IntN(2), reason, cond), line("L3", 1+rng.IntN(3), returnpolicy.ReasonChangedMind, returnpolicy.ConditionOpened))
		r, err := Decide(p, o, rq, now)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		e := r.Estimate
		for _, l := range e.Lines {
			exact := l.Subtotal * p.RestockingFeeBps // fee × 10000
			if l.Amount%100 != 0 || l.RestockingFee%100 != 0 || l.RestockingFee*10000 > exact ||
				(l.RestockingFee > 0 && exact-l.RestockingFee*10000 >= 100*10000) || l.Amount*10000 < l.Subtotal*10000-exact ||
				l.Amount > l.Subtotal+99 {
				t.Fatalf("case %d: line %+v at %d bp", i, l, p.RestockingFeeBps)
			}
		}
		if e.Total%100 != 0 || e.Shipping%100 != 0 || e.RestockingFee%100 != 0 || e.Shipping < r.ShippingRefund {
			t.Fatalf("case %d: refund %+v", i, e)
		}
	}
}
