package ticket

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/indotext"
)

// The triage rules read a complaint's text for what its category cannot say: a threat to go to the
// police, a scam, a hacked account, an injury. They are data (triage_rules.json, documented there),
// so ops can read them and a shop can extend them without a code change (TRIAGE_RULES).

//go:embed triage_rules.json
var defaultTriageRules []byte

// RuleSetDoc is the JSON form of a triage rule set.
type RuleSetDoc struct {
	Version string `json:"version"`
	// MaxGap is how many other words may stand between two words of a phrase ("lapor ke polisi",
	// "laporkan kalian ke polisi" both match "lapor polisi" with a gap of 2).
	MaxGap *int `json:"maxGap,omitempty"`
	// Negations are words that, just before a phrase (with only filler words between), cancel it:
	// "tidak ada yang terluka".
	Negations []string `json:"negations,omitempty"`
	// Fillers may stand between a negation and the phrase it cancels ("belum ada yang luka").
	Fillers []string  `json:"fillers,omitempty"`
	Rules   []RuleDoc `json:"rules"`
}

// RuleDoc is one triage rule. Phrase syntax: words separated by spaces, each matched on its root
// (ditipu, penipuan and ketipu all match "tipu") or its light English stem (charged: charge); "a|b"
// accepts either word; "=word" matches only that form (=terbakar, not "ikan bakar"); "..." between
// two words lets up to 6 other words stand between them instead of maxGap. Phrases are
// analysed like customer text, so slang and split prefixes are read the same way on both sides.
type RuleDoc struct {
	ID       string          `json:"id"`
	About    string          `json:"about,omitempty"`
	Priority Priority        `json:"priority"`
	Team     escalation.Team `json:"team"`
	// Categories limits the rule to complaints filed under these categories; empty means all.
	Categories []Category `json:"categories,omitempty"`
	Phrases    []string   `json:"phrases"`
	// Unless: a phrase match inside one of these (mainan mobil polisi, plester luka) does not count.
	Unless []string `json:"unless,omitempty"`
	// Disabled switches a default rule off from an override.
	Disabled bool `json:"disabled,omitempty"`
}

// Triage is a compiled rule set.
type Triage struct {
	Version   string
	rules     []compiledRule
	maxGap    int
	negations map[string]bool
	fillers   map[string]bool
	analyzer  *indotext.Analyzer
}

type compiledRule struct {
	RuleDoc
	phrases []phrase
	unless  []phrase
	cats    map[Category]bool
}

// phrase is a sequence of terms; a term is one of several alternatives; an alternative is a run of
// adjacent token matchers (one word can normalise to several: ongkir: ongkos kirim).
type phrase struct {
	terms [][][]matcher
	wide  []bool // wide[i]: term i may stand up to wideGap words after term i-1 ("...")
}

// wideGap is how far "..." in a phrase lets two words stand apart ("nomor HP di akun saya berubah").
const wideGap = 6

type matcher struct {
	text, stem, enStem string
	exact              bool
}

func (m matcher) matches(t indotext.Token) bool {
	if m.exact {
		return t.Text == m.text
	}
	return t.Text == m.text || t.Stem == m.stem || (len(m.enStem) >= 3 && t.EnStem == m.enStem)
}

// DefaultTriage is the built-in rule set.
var DefaultTriage = sync.OnceValue(func() *Triage {
	t, err := CompileTriage(defaultTriageRules, nil)
	if err != nil {
		panic("ticket: built-in triage rules: " + err.Error()) // a build defect; TestDefaultTriageRules catches it
	}
	return t
})

// CompileTriage compiles the default document base with override merged in: an override rule with a
// default rule's id replaces it (or, with "disabled", removes it); other override rules are added
// after the defaults. override may be empty. The version is the base's, "+" the override's.
func CompileTriage(base, override []byte) (*Triage, error) {
	var doc RuleSetDoc
	if err := strictJSON(base, &doc); err != nil {
		return nil, fmt.Errorf("triage rules: %w", err)
	}
	if len(strings.TrimSpace(string(override))) > 0 {
		var over RuleSetDoc
		if err := strictJSON(override, &over); err != nil {
			return nil, fmt.Errorf("triage rule override: %w", err)
		}
		if over.Version == "" {
			return nil, errors.New("triage rule override: version is required")
		}
		doc = merge(doc, over)
	}
	return compile(doc)
}

func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the rule set")
	}
	return nil
}

func merge(doc, over RuleSetDoc) RuleSetDoc {
	doc.Version += "+" + over.Version
	if over.MaxGap != nil {
		doc.MaxGap = over.MaxGap
	}
	doc.Negations = append(doc.Negations, over.Negations...)
	doc.Fillers = append(doc.Fillers, over.Fillers...)
	rules := append([]RuleDoc(nil), doc.Rules...)
	for _, o := range over.Rules {
		replaced := false
		for i := range rules {
			if rules[i].ID == o.ID {
				rules[i], replaced = o, true
			}
		}
		if !replaced {
			rules = append(rules, o)
		}
	}
	doc.Rules = rules
	return doc
}

func compile(doc RuleSetDoc) (*Triage, error) {
	var errs []error
	if strings.TrimSpace(doc.Version) == "" {
		errs = append(errs, errors.New("version is required"))
	}
	gap := 2
	if doc.MaxGap != nil {
		gap = *doc.MaxGap
	}
	if gap < 0 || gap > 5 {
		errs = append(errs, fmt.Errorf("maxGap %d is outside 0..5", gap))
	}
	// A rule word the dictionary cannot stem (a loan word: hack, scam, ylki) becomes a root, so that
	// "dihack" and "haaack" reach it in customer text too. Words it can stem are left alone: making
	// "penipuan" a root would stop it meeting "ditipu".
	var vocab []string
	for _, r := range doc.Rules {
		for _, p := range append(append([]string(nil), r.Phrases...), r.Unless...) {
			for _, w := range strings.Fields(strings.NewReplacer("|", " ", "=", " ", "...", " ").Replace(strings.ToLower(p))) {
				if indotext.Default().Stem(w) == w {
					vocab = append(vocab, w)
				}
			}
		}
	}
	an := indotext.New(vocab...)
	t := &Triage{Version: doc.Version, maxGap: gap, negations: set(an, doc.Negations), fillers: set(an, doc.Fillers), analyzer: an}
	seen := map[string]bool{}
	for i, r := range doc.Rules {
		where := fmt.Sprintf("rules[%d] %q", i, r.ID)
		switch {
		case r.ID == "":
			errs = append(errs, fmt.Errorf("rules[%d]: id is required", i))
		case seen[r.ID]:
			errs = append(errs, fmt.Errorf("%s: duplicate id", where))
		}
		seen[r.ID] = true
		if r.Disabled {
			continue
		}
		if !r.Priority.Valid() {
			errs = append(errs, fmt.Errorf("%s: unknown priority %q", where, r.Priority))
		}
		if !r.Team.Valid() {
			errs = append(errs, fmt.Errorf("%s: unknown team %q", where, r.Team))
		}
		if len(r.Phrases) == 0 {
			errs = append(errs, fmt.Errorf("%s: no phrases", where))
		}
		c := compiledRule{RuleDoc: r, cats: map[Category]bool{}}
		for _, cat := range r.Categories {
			if !cat.Valid() {
				errs = append(errs, fmt.Errorf("%s: unknown category %q", where, cat))
			}
			c.cats[cat] = true
		}
		for _, src := range r.Phrases {
			p, err := compilePhrase(an, src)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", where, err))
			}
			c.phrases = append(c.phrases, p)
		}
		for _, src := range r.Unless {
			p, err := compilePhrase(an, src)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: unless: %w", where, err))
			}
			c.unless = append(c.unless, p)
		}
		t.rules = append(t.rules, c)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("triage rules: %w", err)
	}
	return t, nil
}

func set(an *indotext.Analyzer, ws []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		for _, t := range an.Analyze(w) {
			m[t.Text] = true
		}
	}
	return m
}

func compilePhrase(an *indotext.Analyzer, src string) (phrase, error) {
	var p phrase
	// Analyse the whole phrase first so split prefixes join the way they do in customer text
	// ("akun di hack"); alternatives and exact forms are then read word by word.
	wide := false
	for _, word := range strings.Fields(joinSplitPrefixes(an, src)) {
		if word == "..." {
			if len(p.terms) == 0 || wide {
				return p, fmt.Errorf("phrase %q: \"...\" must stand between two words", src)
			}
			wide = true
			continue
		}
		var alts [][]matcher
		for _, alt := range strings.Split(word, "|") {
			exact := strings.HasPrefix(alt, "=")
			var seq []matcher
			for _, tk := range an.Analyze(strings.TrimPrefix(alt, "=")) {
				seq = append(seq, matcher{text: tk.Text, stem: tk.Stem, enStem: tk.EnStem, exact: exact})
			}
			if len(seq) == 0 {
				return p, fmt.Errorf("phrase %q: %q has no word", src, alt)
			}
			alts = append(alts, seq)
		}
		p.terms = append(p.terms, alts)
		p.wide = append(p.wide, wide)
		wide = false
	}
	if wide {
		return p, fmt.Errorf("phrase %q: \"...\" must stand between two words", src)
	}
	if len(p.terms) == 0 {
		return p, fmt.Errorf("phrase %q is empty", src)
	}
	return p, nil
}

// joinSplitPrefixes writes "di hack" in a phrase as "dihack", as the analyser reads it in text.
func joinSplitPrefixes(an *indotext.Analyzer, src string) string {
	fs := strings.Fields(src)
	var out []string
	for i := 0; i < len(fs); i++ {
		if i+1 < len(fs) && !strings.ContainsAny(fs[i]+fs[i+1], "|=.") {
			if ts := an.Analyze(fs[i] + " " + fs[i+1]); len(ts) == 1 {
				out = append(out, ts[0].Text)
				i++
				continue
			}
		}
		out = append(out, fs[i])
	}
	return strings.Join(out, " ")
}

// Hit is one rule that fired, with the customer's words that fired it.
type Hit struct {
	Rule     string
	Priority Priority
	Team     escalation.Team
	Words    string
}

// Match runs the rules over text for a complaint filed under category, in rule order.
func (t *Triage) Match(category Category, text string) []Hit {
	toks := t.analyzer.Analyze(text)
	// Every key a token offers; a phrase with a term none of them can meet is skipped without a walk.
	keys := make(map[string]bool, 3*len(toks))
	for _, tk := range toks {
		keys[tk.Text], keys[tk.Stem], keys["en:"+tk.EnStem] = true, true, true
	}
	var hits []Hit
	for _, r := range t.rules {
		if len(r.cats) > 0 && !r.cats[category] {
			continue
		}
		var blocked []bool
		for _, p := range r.phrases {
			if !p.possible(keys) {
				continue
			}
			if blocked == nil {
				blocked = make([]bool, len(toks))
				for _, u := range r.unless {
					t.each(u, toks, func(from, to int, _ []int) bool {
						for k := from; k <= to; k++ {
							blocked[k] = true
						}
						return false
					})
				}
			}
			var words string
			t.each(p, toks, func(_, _ int, at []int) bool {
				for _, k := range at {
					if blocked[k] {
						return false
					}
				}
				if t.negated(toks, at[0]) {
					return false
				}
				parts := make([]string, len(at))
				for i, k := range at {
					parts[i] = toks[k].Text
				}
				words = strings.Join(parts, " ")
				return true
			})
			if words != "" {
				hits = append(hits, Hit{Rule: r.ID, Priority: r.Priority, Team: r.Team, Words: words})
				break
			}
		}
	}
	return hits
}

// possible reports whether every term of p has an alternative whose first word some token offers.
func (p phrase) possible(keys map[string]bool) bool {
	for _, alts := range p.terms {
		ok := false
		for _, alt := range alts {
			m := alt[0]
			if keys[m.text] || (!m.exact && (keys[m.stem] || (len(m.enStem) >= 3 && keys["en:"+m.enStem]))) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// each calls found for every occurrence of p in toks (first to last token index, and the index of
// every matched token) until found returns true.
func (t *Triage) each(p phrase, toks []indotext.Token, found func(from, to int, at []int) bool) {
	at := make([]int, 0, 8)
	var walk func(term, pos int) bool
	walk = func(term, pos int) bool {
		if term == len(p.terms) {
			return found(at[0], at[len(at)-1], at)
		}
		limit := pos + t.maxGap
		if p.wide[term] {
			limit = pos + wideGap
		}
		if term == 0 {
			limit = pos // the first term anchors the occurrence
		}
		for start := pos; start <= limit && start < len(toks); start++ {
			for _, alt := range p.terms[term] {
				if start+len(alt) > len(toks) {
					continue
				}
				ok := true
				for k, m := range alt {
					if !m.matches(toks[start+k]) {
						ok = false
						break
					}
				}
				if !ok {
					continue
				}
				n := len(at)
				for k := range alt {
					at = append(at, start+k)
				}
				if walk(term+1, start+len(alt)) {
					return true
				}
				at = at[:n]
			}
		}
		return false
	}
	for i := range toks {
		if walk(0, i) {
			return
		}
	}
}

// negated: a negation word right before the phrase, or before it with only fillers between.
func (t *Triage) negated(toks []indotext.Token, first int) bool {
	for k := first - 1; k >= 0 && k >= first-4; k-- {
		switch {
		case t.negations[toks[k].Text]:
			return true
		case !t.fillers[toks[k].Text]:
			return false
		}
	}
	return false
}

// Settings is what LoadRules reads configuration through (config.Env).
type Settings interface {
	Int(name string, def int64) int64
	Optional(name, def string) string
}

// LoadRules reads the priority settings: PRIORITY_ORDER_VALUE_THRESHOLD (minor units of currency) and
// TRIAGE_RULES, a JSON rule set merged over the built-in triage_rules.json (rules with a built-in id
// replace or, with "disabled", switch it off; new ids are added after the built-in ones).
func LoadRules(env Settings, currency string) (Rules, error) {
	r := DefaultRules()
	r.HighValueOrder = env.Int("PRIORITY_ORDER_VALUE_THRESHOLD", r.HighValueOrder)
	r.HighValueCurrency = currency
	r.Triage = DefaultTriage() // compiled at cold start, not on the first complaint
	if override := env.Optional("TRIAGE_RULES", ""); override != "" {
		t, err := CompileTriage(defaultTriageRules, []byte(override))
		if err != nil {
			return r, fmt.Errorf("TRIAGE_RULES: %w", err)
		}
		r.Triage = t
	}
	return r, nil
}
