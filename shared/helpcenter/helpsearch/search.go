package helpsearch

import (
	"html"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/platform/indotext"
)

// BM25 parameters (the usual defaults).
const (
	k1 = 1.2
	b  = 0.75
)

// typoWeight discounts a query word matched only through a one-edit typo.
const typoWeight = 0.7

// MinTypoRunes: only words this long forgive a typo; in shorter ones a different word is one edit away.
const MinTypoRunes = 5

// maxQueryWords bounds the words a query is ranked on.
const maxQueryWords = 16

// maxTypoCandidates bounds the vocabulary words one misspelt query word may stand for.
const maxTypoCandidates = 4

// Hit is one ranked article.
type Hit struct {
	Slug     string
	Category string
	// Lang is the language of Title and the snippet.
	Lang  string
	Title string
	// Snippet is plain text around the best match; SnippetHTML is the same text HTML-escaped with the
	// matched words wrapped in <mark>…</mark> (the only markup it ever contains).
	Snippet     string
	SnippetHTML string
	Score       float64
}

// queryWord is one word of a query with the index keys that stand for it.
type queryWord struct {
	keys   []string // exact keys, in either language
	typo   []string // keys of vocabulary words one edit away (when no exact key is indexed)
	typoOf []string // those vocabulary words (surface forms), for highlighting
}

// Search ranks the articles for query and returns the best limit, shown in lang where written.
func (ix *Index) Search(query, lang string, limit int) []Hit {
	if ix == nil || len(ix.docs) == 0 || limit <= 0 {
		return nil
	}
	qws := ix.queryWords(query)
	if len(qws) == 0 {
		return nil
	}
	n := len(ix.docs)
	total := make([]float64, 2*n)    // per document and language, summed over query words
	matched := make([]uint8, 2*n)    // query words that matched it
	wordBest := make([]float64, 2*n) // this query word's best key score
	var touched, wordTouched []int32
	for _, qw := range qws {
		wordTouched = wordTouched[:0]
		add := func(keys []string, weight float64) {
			for _, k := range keys {
				ps := ix.postings[k]
				if len(ps) == 0 {
					continue
				}
				idf := math.Log(1 + (float64(ix.docLangs)-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
				for _, p := range ps {
					tf := float64(p.tf)
					s := weight * idf * tf * (k1 + 1) / (tf + k1*(1-b+b*float64(ix.docs[p.doc].length[p.lang])/ix.avgLen))
					slot := int32(p.doc)*2 + int32(p.lang)
					if wordBest[slot] == 0 {
						wordTouched = append(wordTouched, slot)
					}
					wordBest[slot] = max(wordBest[slot], s)
				}
			}
		}
		add(qw.keys, 1)
		add(qw.typo, typoWeight)
		for _, slot := range wordTouched {
			if total[slot] == 0 {
				touched = append(touched, slot)
			}
			total[slot] += wordBest[slot]
			matched[slot]++
			wordBest[slot] = 0
		}
	}
	type ranked struct {
		doc   int32
		score float64
	}
	better := func(a, b ranked) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return ix.docs[a.doc].slug < ix.docs[b.doc].slug
	}
	// Best score per article over its languages; keep the top limit by insertion (limit is small).
	best := map[int32]float64{}
	for _, slot := range touched {
		// Articles matching more of the query's words come first.
		s := total[slot] * (0.5 + 0.5*float64(matched[slot])/float64(len(qws)))
		if d := slot / 2; s > best[d] {
			best[d] = s
		}
	}
	rs := make([]ranked, 0, limit+1)
	for d, s := range best {
		r := ranked{d, s}
		if len(rs) == limit && !better(r, rs[limit-1]) {
			continue
		}
		i := sort.Search(len(rs), func(i int) bool { return better(r, rs[i]) })
		rs = append(rs, ranked{})
		copy(rs[i+1:], rs[i:])
		rs[i] = r
		if len(rs) > limit {
			rs = rs[:limit]
		}
	}
	out := make([]Hit, 0, len(rs))
	for _, r := range rs {
		d := ix.docs[r.doc]
		li := d.pick(langIndex(lang))
		plain, marked := ix.snippet(d.bodies[li], li, qws)
		out = append(out, Hit{Slug: d.slug, Category: d.category, Lang: Languages[li], Title: d.titles[li],
			Snippet: plain, SnippetHTML: marked, Score: math.Round(r.score*1000) / 1000})
	}
	return out
}

// queryWords analyses a query into words with their keys, at most maxQueryWords distinct ones.
func (ix *Index) queryWords(query string) []queryWord {
	var out []queryWord
	seen := map[string]bool{}
	for _, w := range ix.an.words(query) {
		id := w.id + "\x00" + w.en
		if seen[id] {
			continue
		}
		seen[id] = true
		qw := queryWord{keys: uniq(w.id, w.en)}
		if !ix.indexed(qw.keys) && utf8.RuneCountInString(w.surface) >= MinTypoRunes {
			qw.typoOf = ix.oneEditWords(w.surface)
			for _, s := range qw.typoOf {
				for _, k := range uniq(ix.an.ind.Stem(s), englishStem(s)) {
					if !contains(qw.typo, k) {
						qw.typo = append(qw.typo, k)
					}
				}
			}
		}
		out = append(out, qw)
		if len(out) == maxQueryWords {
			break
		}
	}
	return out
}

func (ix *Index) indexed(keys []string) bool {
	for _, k := range keys {
		if len(ix.postings[k]) > 0 {
			return true
		}
	}
	return false
}

// oneEditWords finds vocabulary words one edit from w, looking only at words of a length that can be.
func (ix *Index) oneEditWords(w string) []string {
	n := utf8.RuneCountInString(w)
	var out []string
	for l := n - 1; l <= n+1; l++ {
		for _, v := range ix.byLen[l] {
			if oneEdit(w, v) {
				out = append(out, v)
				if len(out) == maxTypoCandidates {
					return out
				}
			}
		}
	}
	return out
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// snippetRunes bounds a snippet's length.
const snippetRunes = 180

// snippet picks the sentence of body that matches the most query words (the first such), trims it to
// about snippetRunes around its first match, and marks the matched words. Without a match it is the
// start of the body.
func (ix *Index) snippet(body string, li int, qws []queryWord) (plain, marked string) {
	keys := map[string]bool{}
	surfaces := map[string]bool{}
	for _, qw := range qws {
		for _, k := range qw.keys {
			keys[k] = true
		}
		for _, k := range qw.typo {
			keys[k] = true
		}
		for _, s := range qw.typoOf {
			surfaces[s] = true
		}
	}
	// Analysing text is the costly part of a search, so only sentences that contain a probe of some key
	// (its letters after the first: "embali" is in pengembalian and dikembalikan) are analysed.
	var probes []string
	for k := range keys {
		probes = append(probes, probe(k))
	}
	for s := range surfaces {
		probes = append(probes, probe(s))
	}
	lower := asciiLower(body)
	type span struct{ start, end int }
	bestStart, bestEnd, bestCount := 0, 0, -1
	var bestSpans []span
	start := 0
	for start < len(body) {
		end := sentenceEnd(body, start)
		sentence := body[start:end]
		if !containsAny(lower[start:end], probes) {
			start = end
			continue
		}
		var spans []span
		distinct := map[string]bool{}
		for _, w := range ix.an.wordsIn(sentence, li) {
			if k := w.key(li); keys[k] || surfaces[w.surface] {
				spans = append(spans, span{start + w.start, start + w.end})
				distinct[k] = true
			}
		}
		if len(distinct) > bestCount {
			bestStart, bestEnd, bestCount, bestSpans = start, end, len(distinct), spans
			if bestCount >= len(qws) {
				break
			}
		}
		start = end
	}
	if bestCount <= 0 {
		bestSpans = nil
		bestStart, bestEnd = 0, sentenceEnd(body, 0)
	}
	// Trim to about snippetRunes, starting a little before the first match when the sentence is long.
	from, to := bestStart, bestEnd
	if utf8.RuneCountInString(body[from:to]) > snippetRunes {
		if len(bestSpans) > 0 {
			from = backRunes(body, bestSpans[0].start, 40, bestStart)
		}
		to = forwardRunes(body, from, snippetRunes, bestEnd)
	}
	var p, m strings.Builder
	lead := from > bestStart
	if lead {
		p.WriteString("…")
		m.WriteString("…")
	}
	at := from
	for _, s := range bestSpans {
		if s.start < at || s.end > to {
			continue
		}
		p.WriteString(body[at:s.end])
		m.WriteString(html.EscapeString(body[at:s.start]))
		m.WriteString("<mark>" + html.EscapeString(body[s.start:s.end]) + "</mark>")
		at = s.end
	}
	p.WriteString(body[at:to])
	m.WriteString(html.EscapeString(body[at:to]))
	if to < bestEnd {
		p.WriteString("…")
		m.WriteString("…")
	}
	return strings.TrimSpace(p.String()), strings.TrimSpace(m.String())
}

// probe is the part of a key that its inflected forms keep: the letters after the first (a prefix may
// swallow the first: kirim in mengirim, pakai in memakai), at most four.
func probe(k string) string {
	if len(k) < 3 {
		return k
	}
	return k[1:min(len(k), 5)]
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// sentenceEnd returns the end (exclusive) of the sentence starting at start: after ". ", "! ", "? " or
// at the end of body.
func sentenceEnd(body string, start int) int {
	for i := start; i < len(body)-1; i++ {
		if body[i] == '\n' {
			return i + 1
		}
		switch body[i] {
		case '.', '!', '?':
			if body[i+1] == ' ' {
				return i + 2
			}
		}
	}
	return len(body)
}

func backRunes(s string, at, n, floor int) int {
	for ; n > 0 && at > floor; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:at])
		at -= size
	}
	// start at a word
	for at > floor && s[at-1] != ' ' {
		at--
	}
	return at
}

func forwardRunes(s string, at, n, ceil int) int {
	for ; n > 0 && at < ceil; n-- {
		_, size := utf8.DecodeRuneInString(s[at:])
		at += size
	}
	for at < ceil && s[at] != ' ' {
		at++
	}
	return at
}

// oneEdit is indotext.WithinOneEdit without allocating for ASCII words (the hot path of typo matching).
func oneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 {
		if !isASCII(a) || !isASCII(b) {
			return slowOneEdit(a, b)
		}
		return false
	}
	if !isASCII(a) || !isASCII(b) {
		return slowOneEdit(a, b)
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return i == len(a) || a[i+1:] == b[i+1:]
	}
	return a[i+1:] == b[i:]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// slowOneEdit handles words with non-ASCII letters rune by rune.
var slowOneEdit = indotext.WithinOneEdit
