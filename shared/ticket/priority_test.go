package ticket

import (
	"reflect"
	"testing"

	"github.com/tanggap/tanggap/shared/escalation"
)

func TestAssess(t *testing.T) {
	rules := DefaultRules()
	cases := []struct {
		name    string
		in      Signals
		want    Priority
		team    escalation.Team
		reasons []string
	}{
		{"plain delivery complaint", Signals{Category: CategoryDelivery, Text: "Paket belum sampai"},
			PriorityNormal, escalation.TeamLogistics, nil},
		{"other starts low", Signals{Category: CategoryOther, Text: "Saran untuk aplikasi"},
			PriorityLow, escalation.TeamCustomerCare, []string{"category:other"}},
		{"fraud category is high", Signals{Category: CategoryFraud, Text: "Ada transaksi aneh"},
			PriorityHigh, escalation.TeamPayments, []string{"category:fraud", "keyword:transaksi aneh", "rule:fraud"}},
		{"refund goes to payments", Signals{Category: CategoryRefund, Text: "Dana belum kembali"},
			PriorityNormal, escalation.TeamPayments, []string{"keyword:dana belum kembali", "rule:payment_problem"}},
		{"quality goes to quality", Signals{Category: CategoryProductQuality, Text: "Jahitan lepas"},
			PriorityNormal, escalation.TeamQuality, nil},
		{"account goes to technical", Signals{Category: CategoryAccount, Text: "Tidak bisa masuk"},
			PriorityNormal, escalation.TeamTechnical, nil},
		{"Indonesian fraud keyword", Signals{Category: CategoryPayment, Text: "Saya korban PENIPUAN kurir palsu"},
			PriorityHigh, escalation.TeamPayments, []string{"keyword:penipuan", "rule:fraud"}},
		{"English scam keyword", Signals{Category: CategoryOrderIssue, Text: "This is a scam!"},
			PriorityHigh, escalation.TeamPayments, []string{"keyword:scam", "rule:fraud"}},
		{"injury is urgent and goes to quality", Signals{Category: CategoryProductQuality, Text: "Anak saya cedera karena mainan ini"},
			PriorityUrgent, escalation.TeamQuality, []string{"keyword:cedera", "rule:product_safety"}},
		{"English injury", Signals{Category: CategoryOther, Text: "My son was injured by the heater"},
			PriorityUrgent, escalation.TeamQuality, []string{"category:other", "keyword:injured", "rule:product_safety"}},
		{"legal keyword wins the team", Signals{Category: CategoryRefund, Text: "Saya akan lapor ke pengacara saya, ini penipuan"},
			PriorityHigh, escalation.TeamLegal, []string{"keyword:pengacara", "rule:legal_threat", "keyword:penipuan", "rule:fraud"}},
		{"legal in English", Signals{Category: CategoryDelivery, Text: "I will contact my lawyer"},
			PriorityHigh, escalation.TeamLegal, []string{"keyword:lawyer", "rule:legal_threat"}},
		{"two-word data leak phrase", Signals{Category: CategoryOther, Text: "Sepertinya data bocor ke pihak lain"},
			PriorityHigh, escalation.TeamTechnical, []string{"category:other", "keyword:data bocor", "rule:account_takeover", "keyword:bocor", "rule:quality_problem"}},
		{"data leak in English", Signals{Category: CategoryAccount, Text: "Possible data leak of my address"},
			PriorityHigh, escalation.TeamTechnical, []string{"keyword:data leak", "rule:account_takeover"}},
		{"words match whole, not inside other words", Signals{Category: CategoryOther, Text: "Legalisir dokumen? Illegality? Polisiwan, hukuman, scampi"},
			PriorityLow, escalation.TeamCustomerCare, []string{"category:other"}},
		{"punctuation is a word boundary", Signals{Category: CategoryOther, Text: "fraud... (penipu)"},
			PriorityHigh, escalation.TeamPayments, []string{"category:other", "keyword:penipu", "rule:fraud"}},
		{"stated high raises", Signals{Category: CategoryDelivery, Text: "Paket", StatedUrgency: PriorityHigh},
			PriorityHigh, escalation.TeamLogistics, []string{"stated_urgency:high"}},
		{"stated urgent counts only as high", Signals{Category: CategoryDelivery, Text: "Paket", StatedUrgency: PriorityUrgent},
			PriorityHigh, escalation.TeamLogistics, []string{"stated_urgency:urgent"}},
		{"stated low never lowers", Signals{Category: CategoryFraud, Text: "x", StatedUrgency: PriorityLow},
			PriorityHigh, escalation.TeamPayments, []string{"category:fraud"}},
		{"high-value order raises one level", Signals{Category: CategoryDelivery, Text: "Paket", HasOrder: true, OrderTotal: 500_000_000, OrderCurrency: "IDR"},
			PriorityHigh, escalation.TeamLogistics, []string{"order_value>=500000000"}},
		{"just below the threshold", Signals{Category: CategoryDelivery, Text: "Paket", HasOrder: true, OrderTotal: 499_999_999, OrderCurrency: "IDR"},
			PriorityNormal, escalation.TeamLogistics, nil},
		{"threshold is per currency", Signals{Category: CategoryDelivery, Text: "Paket", HasOrder: true, OrderTotal: 900_000_000, OrderCurrency: "USD"},
			PriorityNormal, escalation.TeamLogistics, nil},
		{"two earlier tickets raise one level", Signals{Category: CategoryDelivery, Text: "Paket", EarlierTickets: 2},
			PriorityHigh, escalation.TeamLogistics, []string{"repeat_complaints:2"}},
		{"one earlier ticket does not", Signals{Category: CategoryDelivery, Text: "Paket", EarlierTickets: 1},
			PriorityNormal, escalation.TeamLogistics, nil},
		{"stated urgency plus another rule reaches urgent", Signals{Category: CategoryDelivery, Text: "Paket", StatedUrgency: PriorityUrgent, EarlierTickets: 3},
			PriorityUrgent, escalation.TeamLogistics, []string{"stated_urgency:urgent", "repeat_complaints:3"}},
		{"bumps stop at urgent", Signals{Category: CategoryProductQuality, Text: "luka bakar", HasOrder: true, OrderTotal: 600_000_000, OrderCurrency: "IDR", EarlierTickets: 5},
			PriorityUrgent, escalation.TeamQuality, []string{"keyword:luka", "rule:product_safety", "order_value>=500000000", "repeat_complaints:5"}},
		{"both bumps from low", Signals{Category: CategoryOther, Text: "Halo", HasOrder: true, OrderTotal: 500_000_000, OrderCurrency: "IDR", EarlierTickets: 2},
			PriorityHigh, escalation.TeamCustomerCare, []string{"category:other", "order_value>=500000000", "repeat_complaints:2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rules.Assess(c.in)
			if got.Priority != c.want || got.Team != c.team || !reflect.DeepEqual(got.Reasons, c.reasons) {
				t.Fatalf("got %s/%s %q, want %s/%s %q", got.Priority, got.Team, got.Reasons, c.want, c.team, c.reasons)
			}
		})
	}
}

func TestAssessWithConfiguredThreshold(t *testing.T) {
	rules := DefaultRules()
	rules.HighValueOrder = 100_000_00
	got := rules.Assess(Signals{Category: CategoryDelivery, Text: "x", HasOrder: true, OrderTotal: 100_000_00, OrderCurrency: "IDR"})
	if got.Priority != PriorityHigh || !reflect.DeepEqual(got.Reasons, []string{"order_value>=10000000"}) {
		t.Fatalf("got %+v", got)
	}
}

func TestFollowUpOnlyRaises(t *testing.T) {
	a, ok := DefaultRules().FollowUp(PriorityNormal, CategoryOther, "Kalau tidak diganti saya lapor polisi")
	if !ok || a.Priority != PriorityHigh || a.Team != escalation.TeamLegal || !reflect.DeepEqual(a.Reasons, []string{"followup_keyword:lapor polisi", "followup_rule:legal_threat"}) {
		t.Fatalf("got %+v %v", a, ok)
	}
	if _, ok := DefaultRules().FollowUp(PriorityHigh, CategoryOther, "ini penipuan"); ok {
		t.Fatal("a same-level keyword must not re-prioritise")
	}
	if _, ok := DefaultRules().FollowUp(PriorityLow, CategoryOther, "terima kasih"); ok {
		t.Fatal("no keyword, no change")
	}
}

func TestPriorityOrder(t *testing.T) {
	if PriorityLow.raised(1) != PriorityNormal || PriorityHigh.raised(5) != PriorityUrgent || !PriorityHigh.Escalates() ||
		PriorityNormal.Escalates() || Priority("").Valid() || Priority("").Escalates() {
		t.Fatal("priority order broken")
	}
}

// A ticket's priority travels in escalation messages by plain conversion, so the two enumerations must
// be the same set: a priority the consumer would reject as malformed would send escalations to the DLQ.
func TestTicketPrioritiesAreEscalationPriorities(t *testing.T) {
	for _, p := range Priorities {
		if !escalation.Priority(p).Valid() {
			t.Errorf("ticket priority %q is not a valid escalation priority", p)
		}
	}
	for _, p := range []escalation.Priority{escalation.PriorityLow, escalation.PriorityNormal, escalation.PriorityHigh, escalation.PriorityUrgent} {
		if !Priority(p).Valid() {
			t.Errorf("escalation priority %q is not a ticket priority", p)
		}
	}
}
