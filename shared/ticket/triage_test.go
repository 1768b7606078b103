package ticket

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/config"
)

func firedRules(t *Triage, cat Category, text string) []string {
	var out []string
	for _, h := range t.Match(cat, text) {
		out = append(out, h.Rule)
	}
	return out
}

// How customers write: slang, reduplication, emphasis, affixes, split prefixes, both languages. And
// what must stay quiet: product names, negation, bare words that are not threats.
func TestTriageReadsCustomerText(t *testing.T) {
	tr := DefaultTriage()
	cases := []struct {
		text string
		want string // the first rule expected to fire; "" for none
	}{
		{"sy gak tau knp akun sy di hack", "account_takeover"},
		{"akun ku DIBOBOL", "account_takeover"},
		{"Akun saya diretassss", "account_takeover"},
		{"tolooong saya ketipuuu", "fraud"},
		{"penjualnya menipu", "fraud"},
		{"ada yg ngaku2 kurir minta tf", "fraud"},
		{"barang2 saya tdk sampai2 padahal sdh bayar, sy lapor ke polisi", "legal_threat"},
		{"saya laporkan kalian ke polisi", "legal_threat"},
		{"sudah saya adukan ke YLKI", "legal_threat"},
		{"I will sue you", "legal_threat"},
		{"kompornya MELEDAKKK", "product_safety"},
		{"tangan anak sy terluka", "product_safety"},
		{"charger nya ter bakar", "product_safety"},
		{"my son was injured", "product_safety"},
		{"refund blm masuk2", "payment_problem"},
		{"kena charge 2x", "payment_problem"},
		{"I was charged twice", "payment_problem"},
		// decoys
		{"mainan mobil polisi warna biru ada?", ""},
		{"buku ilmu hukum edisi 3", ""},
		{"plester luka nya kurang lengket", ""},
		{"HP legal atau BM?", ""},
		{"ada razia polisi di jalan", ""},
		{"ikan bakar nya enak", ""},
		{"tidak ada yang terluka", ""},
		{"no one was hurt", ""},
		{"emosi saya meledak", ""},
		{"paketnya kayak ditelan bumi", ""},
		{"otp tidak masuk2, sudah minta kirim ulang otp", ""},
		{"saya mau ganti password", ""},
		{"saya menuntut penggantian barang", ""},
	}
	for _, c := range cases {
		got := firedRules(tr, CategoryPayment, c.text) // payment: the routing-only rules for "other" stay off
		first := ""
		if len(got) > 0 {
			first = got[0]
		}
		if first != c.want {
			t.Errorf("%q fired %q, want first %q", c.text, got, c.want)
		}
	}
}

func TestTriageRoutingRulesOnlyForTheirCategories(t *testing.T) {
	tr := DefaultTriage()
	if got := firedRules(tr, CategoryOther, "paket belum sampai"); !reflect.DeepEqual(got, []string{"delivery_problem"}) {
		t.Fatalf("other: %q", got)
	}
	if got := firedRules(tr, CategoryPayment, "paket belum sampai"); got != nil {
		t.Fatalf("a payment complaint keeps its team: %q", got)
	}
}

func TestTriageReasonsNameTheCustomersWords(t *testing.T) {
	a := DefaultRules().Assess(Signals{Category: CategoryAccount, Text: "Tolong!! Akun saya DI HACK orang"})
	if a.Priority != PriorityHigh || a.Team != escalation.TeamTechnical ||
		!reflect.DeepEqual(a.Reasons, []string{"keyword:dihack", "rule:account_takeover"}) {
		t.Fatalf("got %+v", a)
	}
}

func TestDefaultTriageRules(t *testing.T) {
	tr := DefaultTriage()
	if tr.Version == "" || len(tr.rules) < 8 {
		t.Fatalf("version %q, %d rules", tr.Version, len(tr.rules))
	}
	for _, r := range tr.rules {
		if r.About == "" {
			t.Errorf("rule %s has no description for ops", r.ID)
		}
	}
}

func TestTriageOverride(t *testing.T) {
	override := `{"version": "shop-7", "rules": [
		{"id": "fraud", "disabled": true},
		{"id": "product_safety", "priority": "high", "team": "quality", "phrases": ["meledak"]},
		{"id": "counterfeit_claim", "about": "shop-specific", "priority": "high", "team": "legal", "phrases": ["hak merek|trademark"]}
	]}`
	tr, err := CompileTriage(defaultTriageRules, []byte(override))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(tr.Version, "+shop-7") {
		t.Fatalf("version %q", tr.Version)
	}
	if got := firedRules(tr, CategoryPayment, "saya ditipu"); got != nil {
		t.Fatalf("a disabled rule fired: %q", got)
	}
	if h := tr.Match(CategoryPayment, "kompor meledak"); len(h) != 1 || h[0].Priority != PriorityHigh {
		t.Fatalf("the replaced rule: %+v", h)
	}
	if got := firedRules(tr, CategoryPayment, "tangan saya terluka"); got != nil {
		t.Fatalf("the replaced rule kept old phrases: %q", got)
	}
	if got := firedRules(tr, CategoryPayment, "ini melanggar hak merek kami"); !reflect.DeepEqual(got, []string{"counterfeit_claim"}) {
		t.Fatalf("the added rule: %q", got)
	}
}

func TestTriageOverrideErrors(t *testing.T) {
	cases := map[string]string{
		`{"rules": []}`:                 "version is required",
		`{"version": "x", "rulez": []}`: "unknown field",
		`{"version": "x", "rules": [{"id": "a", "priority": "asap", "team": "legal", "phrases": ["x"]}]}`:                         "unknown priority",
		`{"version": "x", "rules": [{"id": "a", "priority": "high", "team": "ops", "phrases": ["x"]}]}`:                           "unknown team",
		`{"version": "x", "rules": [{"id": "a", "priority": "high", "team": "legal"}]}`:                                           "no phrases",
		`{"version": "x", "rules": [{"id": "a", "priority": "high", "team": "legal", "phrases": ["!!"]}]}`:                        "has no word",
		`{"version": "x", "rules": [{"id": "a", "priority": "high", "team": "legal", "phrases": ["x ..."]}]}`:                     "must stand between",
		`{"version": "x", "rules": [{"id": "a", "priority": "high", "team": "legal", "phrases": ["x"], "categories": ["food"]}]}`: "unknown category",
		`{"version": "x", "rules": [{"id": "", "priority": "high", "team": "legal", "phrases": ["x"]}]}`:                          "id is required",
		`{"version": "x", "maxGap": 9, "rules": []}`:                                                                              "maxGap 9",
		`{"version": "x", "rules": []} {}`: "trailing data",
	}
	for override, want := range cases {
		_, err := CompileTriage(defaultTriageRules, []byte(override))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", override, err, want)
		}
	}
	dup := `{"version": "x", "rules": [{"id": "a", "priority": "high", "team": "legal", "phrases": ["x"]}, {"id": "a", "priority": "high", "team": "legal", "phrases": ["y"]}]}`
	if _, err := CompileTriage([]byte(dup), nil); err == nil || !strings.Contains(err.Error(), "duplicate id") {
		t.Errorf("duplicate ids: %v", err)
	}
}

func TestLoadRulesFromEnvironment(t *testing.T) {
	env := config.FromMap(map[string]string{"PRIORITY_ORDER_VALUE_THRESHOLD": "100000",
		"TRIAGE_RULES": `{"version": "v2", "rules": [{"id": "vip", "priority": "high", "team": "customer_care", "phrases": ["vip"]}]}`})
	r, err := LoadRules(env, "IDR")
	if err != nil || env.Err() != nil {
		t.Fatal(err, env.Err())
	}
	if r.HighValueOrder != 100000 || r.HighValueCurrency != "IDR" || !strings.HasSuffix(r.Triage.Version, "+v2") {
		t.Fatalf("got %+v", r)
	}
	if a := r.Assess(Signals{Category: CategoryOther, Text: "pelanggan VIP"}); a.Priority != PriorityHigh {
		t.Fatalf("the shop's rule did not apply: %+v", a)
	}
	if _, err := LoadRules(config.FromMap(map[string]string{"TRIAGE_RULES": "{"}), "IDR"); err == nil || !strings.Contains(err.Error(), "TRIAGE_RULES") {
		t.Fatalf("a broken override must fail the cold start: %v", err)
	}
	if r, err := LoadRules(config.FromMap(nil), "IDR"); err != nil || r.Triage != DefaultTriage() {
		t.Fatalf("no override: %v", err)
	}
	if r, err := LoadRules(config.FromMap(nil), "USD"); err != nil || r.HighValueCurrency != "USD" {
		t.Fatalf("a shop in USD: the order value threshold is in %q (%v)", r.HighValueCurrency, err)
	}
}

// A rule configured off (0) stays off, and the smallest positive setting is on.
func TestPriorityRulesSwitchedOffByZero(t *testing.T) {
	r := DefaultRules()
	r.HighValueOrder, r.RepeatAfter = 0, 0
	a := r.Assess(Signals{Category: CategoryDelivery, Text: "Paket", HasOrder: true, OrderTotal: 900_000_000, OrderCurrency: "IDR", EarlierTickets: 0})
	if a.Priority != PriorityNormal || a.Reasons != nil {
		t.Fatalf("rules configured off fired: %+v", a)
	}
	a = r.Assess(Signals{Category: CategoryDelivery, Text: "Paket", EarlierTickets: 9})
	if a.Priority != PriorityNormal {
		t.Fatalf("repeat rule configured off fired: %+v", a)
	}
	r.HighValueOrder, r.RepeatAfter = 1, 1
	a = r.Assess(Signals{Category: CategoryDelivery, Text: "Paket", HasOrder: true, OrderTotal: 1, OrderCurrency: "IDR", EarlierTickets: 1})
	if a.Priority != PriorityUrgent || !reflect.DeepEqual(a.Reasons, []string{"order_value>=1", "repeat_complaints:1"}) {
		t.Fatalf("threshold 1: %+v", a)
	}
}

// FuzzTriageMatch: complaint text is untrusted; matching must not panic and must name real rules.
func FuzzTriageMatch(f *testing.F) {
	for _, s := range []string{"akun di hack", "lapor ... polisi", "tidak tidak tidak luka", "ter", "di", "2x 2 2"} {
		f.Add(s)
	}
	tr := DefaultTriage()
	ids := map[string]bool{}
	for _, r := range tr.rules {
		ids[r.ID] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, h := range tr.Match(CategoryOther, s) {
			if !ids[h.Rule] || h.Words == "" || !h.Priority.Valid() || !h.Team.Valid() {
				t.Fatalf("bad hit %+v", h)
			}
		}
	})
}
