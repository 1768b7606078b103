package helpsearch

import (
	"html"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/indotext"
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
	type acc struct {
		score   [2]float64
		matched [2]int
	}
	scores := map[int32]*acc{}
	for _, qw := range qws {
		best := map[int32]*[2]float64{}
		add := func(keys []string, weight float64) {
			for _, k := range keys {
				ps := ix.postings[k]
				if len(ps) == 0 {
					continue
				}
				idf := math.Log(1 + (float64(ix.docLangs)-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
				for _, p := range ps {
					d := ix.docs[p.doc]
					tf := float64(p.tf)
					s := weight * idf * tf * (k1 + 1) / (tf + k1*(1-b+b*float64(d.length[p.lang])/ix.avgLen))
					cur := best[p.doc]
					if cur == nil {
						cur = &[2]float64{}
						best[p.doc] = cur
					}
					cur[p.lang] = max(cur[p.lang], s)
				}
			}
		}
		add(qw.keys, 1)
		add(qw.typo, typoWeight)
		for d, s := range best {
			a := scores[d]
			if a == nil {
				a = &acc{}
				scores[d] = a
			}
			for l := range 2 {
				if s[l] > 0 {
					a.score[l] += s[l]
					a.matched[l]++
				}
			}
		}
	}
	type ranked struct {
		doc   int32
		score float64
	}
	var rs []ranked
	for d, a := range scores {
		best := 0.0
		for l := range 2 {
			// Articles matching more of the query's words come first.
			s := a.score[l] * (0.5 + 0.5*float64(a.matched[l])/float64(len(qws)))
			best = max(best, s)
		}
		rs = append(rs, ranked{d, best})
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].score != rs[j].score {
			return rs[i].score > rs[j].score
		}
		return ix.docs[rs[i].doc].slug < ix.docs[rs[j].doc].slug
	})
	if len(rs) > limit {
		rs = rs[:limit]
	}
	out := make([]Hit, 0, len(rs))
	for _, r := range rs {
		d := ix.docs[r.doc]
		li := d.pick(langIndex(lang))
		plain, marked := ix.snippet(d.bodies[li], qws)
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
func (ix *Index) snippet(body string, qws []queryWord) (plain, marked string) {
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
	type span struct{ start, end int }
	bestStart, bestEnd, bestCount := 0, 0, -1
	var bestSpans []span
	start := 0
	for start < len(body) {
		end := sentenceEnd(body, start)
		sentence := body[start:end]
		var spans []span
		distinct := map[string]bool{}
		for _, w := range ix.an.words(sentence) {
			if keys[w.id] || keys[w.en] || surfaces[w.surface] {
				spans = append(spans, span{start + w.start, start + w.end})
				distinct[w.id] = true
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
