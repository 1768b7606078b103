// Package indotext reads text the way Indonesian customers write it, for complaint triage and for
// help-center search: it splits words, folds case and Unicode forms (fold.go), squeezes letters repeated for
// emphasis (tolooong), expands reduplication written with a 2 (barang2), replaces common slang and
// abbreviations (gak, tdk, sdh, yg), joins prefixes split by a space (di hack) and stems Indonesian
// words to their root against a dictionary (penipuan, ditipu, ketipu: tipu). English words get a
// light stem of their own, since customers mix both languages.
//
// Every token keeps the byte span of the original text it came from, so a caller can highlight it.
// A search index and its queries go through the same Terms (stems without stop words); WithinOneEdit
// forgives a typo. Complaint triage (shared/ticket) matches its rule phrases on Analyze's tokens.
package indotext

import (
	"bufio"
	"embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed roots.txt slang.txt stopwords.txt places.txt
var data embed.FS

// Token is one word of analysed text.
type Token struct {
	// Text is the normalised word: case-folded, accents removed, emphasis squeezed, slang replaced.
	Text string
	// Stem is the Indonesian root of Text (Text itself when the dictionary knows no root for it).
	Stem string
	// EnStem is a light English stem of Text (see EnglishStem).
	EnStem string
	// Start and End are the byte span in the analysed text that produced this token. Tokens expanded
	// from one word (ongkir: ongkos kirim) share the span.
	Start, End int
	// Stop marks a word too common to help a search (see IsStopword).
	Stop bool
	// Redup marks a reduplicated word (barang2, barang-barang), written once as its base.
	Redup bool
}

// Analyzer holds the dictionaries. Its methods are safe for concurrent use.
type Analyzer struct {
	roots  map[string]bool
	slang  map[string][]string
	stop   map[string]bool
	places map[string]bool
}

var defaultAnalyzer = sync.OnceValue(func() *Analyzer { return New() })

// Default is the analyser with the built-in dictionaries, built once.
func Default() *Analyzer { return defaultAnalyzer() }

// New builds an analyser with the built-in dictionaries plus extra roots: words (lower case) the
// caller knows as whole words, such as loan words its rules use ("hack", "refund"), so that "dihack"
// stems to "hack" and "haaack" squeezes to it.
func New(extraRoots ...string) *Analyzer {
	a := &Analyzer{roots: map[string]bool{}, slang: map[string][]string{}, stop: map[string]bool{}, places: map[string]bool{}}
	for _, w := range words("roots.txt") {
		a.roots[w] = true
	}
	for _, w := range extraRoots {
		for _, f := range strings.Fields(strings.ToLower(w)) {
			a.roots[f] = true
		}
	}
	for _, w := range words("stopwords.txt") {
		a.stop[w] = true
	}
	for _, w := range words("places.txt") {
		a.places[w] = true
	}
	for _, line := range lines("slang.txt") {
		from, to, ok := strings.Cut(line, "=")
		if from, repl := strings.TrimSpace(from), strings.Fields(to); ok && from != "" && len(repl) > 0 {
			a.slang[from] = repl
		}
	}
	return a
}

func lines(name string) []string {
	f, err := data.Open(name)
	if err != nil {
		panic("indotext: embedded " + name + " missing") // a build defect, caught by every test
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func words(name string) []string {
	var out []string
	for _, l := range lines(name) {
		out = append(out, strings.Fields(l)...)
	}
	return out
}

func (a *Analyzer) isRoot(w string) bool { return a.roots[w] }

// IsStopword reports whether w (a normalised token text) is too common to help a search.
func (a *Analyzer) IsStopword(w string) bool { return a.stop[w] }

// Analyze splits text into normalised, stemmed tokens.
func (a *Analyzer) Analyze(text string) []Token {
	var out []Token
	start := -1
	for i := 0; i <= len(text); {
		r, size := rune(-1), 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		inWord := isWordRune(r) || (start >= 0 && isJoiner(r) && i+size < len(text) && isWordRune(firstRune(text[i+size:])))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = a.appendWord(out, text[start:i], start, i)
			start = -1
		}
		i += size
	}
	out = a.joinPrefixes(text, out)
	for i := range out {
		t := &out[i]
		t.Stem, t.EnStem = t.Text, t.Text
		if isLetters(t.Text) {
			t.Stem = a.Stem(t.Text)
			t.EnStem = EnglishStem(t.Text)
		}
		t.Stop = a.stop[t.Text]
	}
	return out
}

// Normalize returns the normalised words of text separated by single spaces, with reduplication
// written out (barang2: barang barang). It is for reading and debugging; match on Analyze's tokens.
func (a *Analyzer) Normalize(text string) string {
	var b strings.Builder
	for _, t := range a.Analyze(text) {
		n := 1
		if t.Redup {
			n = 2
		}
		for range n {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// Terms returns the stems of text's words that are not stop words, for a search index or query.
func (a *Analyzer) Terms(text string) []string {
	var out []string
	for _, t := range a.Analyze(text) {
		if !t.Stop {
			out = append(out, t.Stem)
		}
	}
	return out
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }

func isWordRune(r rune) bool {
	return r >= 0 && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))
}

// isJoiner: hyphens (reduplication, e-wallet) and apostrophes (don't) inside a word.
func isJoiner(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\'', '\u2019':
		return true
	}
	return false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// appendWord normalises one raw word (letters, digits, joiners) spanning [start, end).
func (a *Analyzer) appendWord(out []Token, raw string, start, end int) []Token {
	w := fold(raw)
	w = apostrophes.Replace(w)
	parts := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	// Reduplication with a hyphen: barang-barang, dipukul-pukul (the base once); a trailing particle
	// after a hyphen (HP-nya) is dropped.
	if len(parts) == 2 && (parts[0] == parts[1] || (len(parts[1]) >= 3 && strings.HasSuffix(parts[0], parts[1]))) {
		return a.appendPart(out, parts[0], start, end, true)
	}
	if len(parts) == 2 && isParticle(parts[1]) {
		parts = parts[:1]
	}
	// A one-letter head is part of the word (e-wallet, e-mail), and so is a prefix written with a
	// hyphen before a loan word (di-hack, ter-logout, nge-hang).
	if len(parts) == 2 && isLetters(parts[0]) && (utf8.RuneCountInString(parts[0]) == 1 || isHyphenPrefix(parts[0])) {
		parts = []string{parts[0] + parts[1]}
	}
	for _, p := range parts {
		out = a.appendPart(out, p, start, end, false)
	}
	return out
}

// apostrophes are dropped inside a word (don't: dont); built once, it is on every word's path.
var apostrophes = strings.NewReplacer("'", "", "\u2019", "")

func isHyphenPrefix(s string) bool {
	switch s {
	case "di", "ter", "ke", "nge", "me", "ber":
		return true
	}
	return false
}

func isParticle(s string) bool {
	switch s {
	case "nya", "lah", "kah", "pun", "ku", "mu":
		return true
	}
	return false
}

func (a *Analyzer) appendPart(out []Token, p string, start, end int, redup bool) []Token {
	if base, suffix, ok := digitReduplication(p); ok {
		redup = true
		p = base
		if suffix != "" && !isParticle(suffix) {
			p = base + suffix // mobil2an: mobilan
		}
	}
	p = a.squeeze(p)
	if repl, ok := a.slang[p]; ok {
		for _, r := range repl {
			out = append(out, Token{Text: r, Start: start, End: end, Redup: redup})
		}
		return out
	}
	return append(out, Token{Text: p, Start: start, End: end, Redup: redup})
}

// digitReduplication reads "barang2", "hati2nya", "main2an": at least three letters, a 2, and
// optionally letters after it.
func digitReduplication(p string) (base, suffix string, ok bool) {
	i := strings.IndexByte(p, '2')
	if i < 3 || !isLetters(p[:i]) || (i+1 < len(p) && !isLetters(p[i+1:])) {
		return "", "", false
	}
	return p[:i], p[i+1:], true
}

const maxSqueezeRuns = 4

// squeeze shortens letters repeated three or more times (tolooong, maaaaf, pleeease). Each such run
// becomes one or two letters: the first combination the dictionaries know wins (tolong, maaf, please);
// if none is known, every run becomes one letter.
func (a *Analyzer) squeeze(w string) string {
	rs := []rune(w)
	type run struct{ at, n int }
	var runs []run
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		if j-i >= 3 && unicode.IsLetter(rs[i]) {
			runs = append(runs, run{i, j - i})
		}
		i = j
	}
	if len(runs) == 0 {
		return w
	}
	build := func(mask int) string {
		var b strings.Builder
		last := 0
		for k, r := range runs {
			b.WriteString(string(rs[last:r.at]))
			keep := 1
			if k < maxSqueezeRuns && mask&(1<<k) != 0 {
				keep = 2
			}
			b.WriteString(strings.Repeat(string(rs[r.at]), keep))
			last = r.at + r.n
		}
		b.WriteString(string(rs[last:]))
		return b.String()
	}
	n := min(len(runs), maxSqueezeRuns)
	for mask := 0; mask < 1<<n; mask++ {
		if c := build(mask); a.known(c) {
			return c
		}
	}
	return build(0)
}

// known: a word some dictionary lists, or one that stems to a listed root.
func (a *Analyzer) known(w string) bool {
	if a.roots[w] || a.stop[w] || a.places[w] {
		return true
	}
	if _, ok := a.slang[w]; ok {
		return true
	}
	s := a.Stem(w)
	return s != w && a.roots[s]
}

// kePassive lists the roots that take the colloquial passive ke- (ketipu, kebobol, kesetrum), so "ke
// tipu" joins while "ke toko" stays a preposition.
var kePassive = map[string]bool{
	"tipu": true, "bobol": true, "hack": true, "retas": true, "curi": true, "setrum": true, "sengat": true,
	"bakar": true, "tabrak": true, "injak": true, "gores": true, "sayat": true, "tusuk": true, "potong": true,
	"siram": true, "tumpah": true, "blokir": true, "tagih": true, "ambil": true, "jebak": true, "rampok": true,
}

// joinPrefixes reads a prefix written apart from its word as one word: "di hack", "di tipu", "ter
// bakar", "ke tipu". "di" and "ke" stay prepositions before places (di rumah, ke toko) and before words
// the dictionary does not know as roots.
func (a *Analyzer) joinPrefixes(text string, ts []Token) []Token {
	out := ts[:0]
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if i+1 < len(ts) && t.End <= ts[i+1].Start && strings.TrimSpace(text[t.End:ts[i+1].Start]) == "" {
			next := ts[i+1]
			join := false
			switch t.Text {
			case "di":
				join = a.roots[next.Text] && !a.places[next.Text] && !a.stop[next.Text]
			case "ter":
				join = isLetters(next.Text) && len(next.Text) >= 3
			case "ke":
				join = kePassive[next.Text]
			}
			if join {
				out = append(out, Token{Text: t.Text + next.Text, Start: t.Start, End: next.End})
				i++
				continue
			}
		}
		out = append(out, t)
	}
	return out
}
