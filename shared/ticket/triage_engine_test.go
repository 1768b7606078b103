package ticket

import (
	"strings"
	"testing"
)

// engine compiles a small rule set of its own, so each test shows one rule of the phrase engine.
func engine(t *testing.T, rules string) *Triage {
	t.Helper()
	tr, err := CompileTriage([]byte(`{"version": "t1", "maxGap": 1, "negations": ["tidak"], "fillers": ["ada", "yang", "sih"],
		"rules": [`+rules+`]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func words(hits []Hit) string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Rule+":"+h.Words)
	}
	return strings.Join(out, " ")
}

func TestTriageEngine(t *testing.T) {
	police := engine(t, `{"id": "police", "priority": "urgent", "team": "legal", "phrases": ["lapor polisi|satpam"], "unless": ["mainan polisi"]},
		{"id": "guard", "priority": "high", "team": "legal", "phrases": ["satpam|polisi"], "unless": ["mainan polisi"]},
		{"id": "fee", "priority": "high", "team": "payments", "phrases": ["protes ongkir|biaya"]}`)
	for _, c := range []struct{ name, text, want string }{
		{"the first occurrence is the one reported", "saya lapor polisi dan lapor satpam", "police:lapor polisi guard:polisi"},
		{"an anchor whose next word is too far does not hide a later one", "lapor dulu ke kantor lalu lapor satpam",
			"police:lapor satpam guard:satpam"},
		{"every occurrence inside an unless phrase is blocked", "beli mainan polisi lalu mainan polisi lagi", ""},
		{"a blocked occurrence does not hide a later one", "beli mainan polisi lalu panggil polisi", "guard:polisi"},
		{"a negated occurrence does not hide a later one", "tidak polisi tapi satpam datang", "guard:satpam"},
		{"a negation right before the phrase", "tidak satpam", ""},
		{"a negation with three fillers between", "tidak ada yang sih satpam", ""},
		{"a negation four words back is too far", "tidak ada yang sih sih satpam", "guard:satpam"},
		{"a word that normalises to two matches as two tokens", "saya protes ongkos kirim", "fee:protes ongkos kirim"},
		{"an alternative too long for the words left is skipped, not the next one", "saya protes biaya", "fee:protes biaya"},
		{"the two-token alternative at the very end", "protes ongkos", ""},
	} {
		if got := words(police.Match(CategoryOther, c.text)); got != c.want {
			t.Errorf("%s: %q gave %q, want %q", c.name, c.text, got, c.want)
		}
	}
}

// Split prefixes in a rule phrase are joined as in customer text, and the words after them still count.
func TestTriagePhraseWithASplitPrefix(t *testing.T) {
	hack := engine(t, `{"id": "hack", "priority": "urgent", "team": "technical", "phrases": ["di hack akun"]}`)
	for text, want := range map[string]string{
		"saya di hack":       "",
		"di hack akun saya":  "hack:dihack akun",
		"dihack akunnya":     "hack:dihack akunnya",
		"akun saya aman kok": "",
	} {
		if got := words(hack.Match(CategoryOther, text)); got != want {
			t.Errorf("%q gave %q, want %q", text, got, want)
		}
	}
}

// "..." stands only between two words; an empty phrase is refused.
func TestTriagePhraseSyntaxErrors(t *testing.T) {
	for _, phrase := range []string{"... polisi", "lapor ... ... polisi", "lapor ...", " "} {
		_, err := CompileTriage([]byte(`{"version": "t1", "rules": [{"id": "x", "priority": "high", "team": "legal", "phrases": [`+
			`"`+phrase+`"]}]}`), nil)
		if err == nil {
			t.Errorf("phrase %q compiled", phrase)
		}
	}
}

// An override adds its negations and fillers to the built-in ones and names its version after the base's.
func TestTriageOverrideAddsNegationsAndFillers(t *testing.T) {
	base := []byte(`{"version": "t1", "negations": ["tidak"], "fillers": ["ada"],
		"rules": [{"id": "guard", "priority": "high", "team": "legal", "phrases": ["satpam"]}]}`)
	tr, err := CompileTriage(base, []byte(`{"version": "o1", "negations": ["tanpa"], "fillers": ["sih"], "rules": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Version != "t1+o1" {
		t.Errorf("version %q", tr.Version)
	}
	for text, want := range map[string]string{"tanpa satpam": "", "tidak ada satpam": "", "tidak sih satpam": "", "tanpa sih satpam": "",
		"satpam": "guard:satpam"} {
		if got := words(tr.Match(CategoryOther, text)); got != want {
			t.Errorf("%q gave %q, want %q", text, got, want)
		}
	}
}

// Text with no words (only punctuation or emoji) fires no rule.
func TestTriageOfTextWithoutWords(t *testing.T) {
	for _, text := range []string{"", "?!?!", "🙏🙏"} {
		if hits := DefaultTriage().Match(CategoryOther, text); len(hits) != 0 {
			t.Errorf("%q fired %v", text, hits)
		}
	}
}
