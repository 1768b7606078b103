package helpsearch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Article is a published article as the index needs it.
type Article struct {
	Slug     string
	Category string
	Tags     []string
	// Texts by language ("id", "en"); a language the article is not written in is absent.
	Texts map[string]Text
}

// Text is an article's title and body in one language; Body is plain text (Markdown already removed).
type Text struct {
	Title string
	Body  string
}

// Field weights: a word in the title says more about the article than one in the body.
const (
	titleWeight = 3
	tagWeight   = 2
	bodyWeight  = 1
)

// MaxSnippetSource bounds the body text kept per article and language for snippets, so the stored index
// grows with the article count, not with article length.
const MaxSnippetSource = 2000

// formatVersion changes whenever the encoding does; an index of another format is rebuilt, not read.
const formatVersion = 1

// Index is the searchable form of the published articles. It is immutable and safe for concurrent use.
type Index struct {
	docs     []doc
	postings map[string][]posting // key → postings, in doc order
	docLangs int                  // number of (article, language) documents
	avgLen   float64              // mean weighted length of those documents
	byLen    map[int][]string     // surface vocabulary by rune length, for typo matching
	an       analyzer
}

type doc struct {
	slug, category string
	tags           []string
	titles         [2]string
	bodies         [2]string // snippet source
	length         [2]int    // weighted word count; 0 when the language is absent
}

func (d doc) has(lang int) bool { return d.titles[lang] != "" }

// posting says how often (weighted) a key occurs in one document.
type posting struct {
	doc  int32
	lang int8
	tf   int32
}

// stored is the encoded index: what Build writes and Decode reads.
type stored struct {
	Format int                `json:"f"`
	Docs   []storedDoc        `json:"d"`
	Terms  map[string][]int32 `json:"t"` // key → flat [doc<<1|lang, tf, ...]
	Words  []string           `json:"w"` // surface vocabulary
}

type storedDoc struct {
	Slug     string    `json:"s"`
	Category string    `json:"c"`
	Tags     []string  `json:"g,omitempty"`
	Titles   [2]string `json:"t"`
	Bodies   [2]string `json:"b"`
	Length   [2]int    `json:"l"`
}

// Build indexes articles and returns the encoded index (gzip-compressed JSON) to store.
func Build(articles []Article) ([]byte, error) {
	an := newAnalyzer()
	st := stored{Format: formatVersion, Terms: map[string][]int32{}}
	sorted := append([]Article(nil), articles...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Slug < sorted[j].Slug })
	words := map[string]bool{}
	for i, a := range sorted {
		sd := storedDoc{Slug: a.Slug, Category: a.Category, Tags: a.Tags}
		for li, lang := range Languages {
			t, ok := a.Texts[lang]
			if !ok || strings.TrimSpace(t.Title) == "" {
				continue
			}
			sd.Titles[li], sd.Bodies[li] = t.Title, snippetSource(t.Body)
			tf := map[string]int32{}
			count := func(text string, weight int32) {
				for _, w := range an.words(text) {
					tf[w.key(li)] += weight
					sd.Length[li] += int(weight)
					if utf8.RuneCountInString(w.surface) >= 4 {
						words[w.surface] = true
					}
				}
			}
			count(t.Title, titleWeight)
			count(strings.Join(a.Tags, " "), tagWeight)
			count(t.Body, bodyWeight)
			for k, n := range tf {
				st.Terms[k] = append(st.Terms[k], int32(i)<<1|int32(li), n)
			}
		}
		st.Docs = append(st.Docs, sd)
	}
	for w := range words {
		st.Words = append(st.Words, w)
	}
	sort.Strings(st.Words)
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(zw).Encode(st); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// snippetSource keeps the first MaxSnippetSource bytes of body, cut at a word boundary; lines stay lines
// (a line is a sentence boundary for snippets).
func snippetSource(body string) string {
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	body = strings.Join(lines, "\n")
	if len(body) <= MaxSnippetSource {
		return body
	}
	cut := strings.LastIndexAny(body[:MaxSnippetSource], " \n")
	if cut <= 0 {
		cut = MaxSnippetSource
		for !utf8.RuneStart(body[cut]) {
			cut--
		}
	}
	return body[:cut]
}

// ErrFormat reports an encoded index this code cannot read (another format version or corrupt bytes).
var ErrFormat = errors.New("helpsearch: unreadable index")

// maxDecoded bounds what Decode inflates, against a corrupt or hostile blob.
const maxDecoded = 256 << 20

// Decode reads an encoded index (from Build).
func Decode(blob []byte) (*Index, error) {
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	var st stored
	if err := json.NewDecoder(io.LimitReader(zr, maxDecoded)).Decode(&st); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if st.Format != formatVersion {
		return nil, fmt.Errorf("%w: format %d", ErrFormat, st.Format)
	}
	ix := &Index{postings: make(map[string][]posting, len(st.Terms)), byLen: map[int][]string{}, an: newAnalyzer()}
	total := 0
	for _, sd := range st.Docs {
		d := doc{slug: sd.Slug, category: sd.Category, tags: sd.Tags, titles: sd.Titles, bodies: sd.Bodies, length: sd.Length}
		for li := range Languages {
			if d.has(li) {
				ix.docLangs++
				total += d.length[li]
			}
		}
		ix.docs = append(ix.docs, d)
	}
	for k, flat := range st.Terms {
		if len(flat)%2 != 0 {
			return nil, fmt.Errorf("%w: postings of %q", ErrFormat, k)
		}
		ps := make([]posting, 0, len(flat)/2)
		for i := 0; i < len(flat); i += 2 {
			d := int(flat[i] >> 1)
			if d < 0 || d >= len(ix.docs) {
				return nil, fmt.Errorf("%w: postings of %q name document %d", ErrFormat, k, d)
			}
			ps = append(ps, posting{doc: int32(d), lang: int8(flat[i] & 1), tf: flat[i+1]})
		}
		ix.postings[k] = ps
	}
	for _, w := range st.Words {
		n := utf8.RuneCountInString(w)
		ix.byLen[n] = append(ix.byLen[n], w)
	}
	if ix.docLangs > 0 {
		ix.avgLen = float64(total) / float64(ix.docLangs)
	}
	return ix, nil
}

// Len is the number of articles in the index.
func (ix *Index) Len() int { return len(ix.docs) }

// Entry is one article as listed by category.
type Entry struct {
	Slug, Category string
	// Lang is the language of Title: the preferred one when the article has it.
	Lang  string
	Title string
}

// Entries lists every indexed article, titles in lang where written (the other language otherwise),
// in slug order.
func (ix *Index) Entries(lang string) []Entry {
	out := make([]Entry, 0, len(ix.docs))
	for _, d := range ix.docs {
		li := d.pick(langIndex(lang))
		out = append(out, Entry{Slug: d.slug, Category: d.category, Lang: Languages[li], Title: d.titles[li]})
	}
	return out
}

// pick returns want when the document is written in it, otherwise the other language.
func (d doc) pick(want int) int {
	if d.has(want) {
		return want
	}
	return 1 - want
}
