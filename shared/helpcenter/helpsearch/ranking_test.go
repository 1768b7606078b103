package helpsearch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/platform/indotext"
)

// bm25 is one word's BM25 score in one document, written out from the textbook formula: tf and length are
// weighted counts (title ×3, tags ×2, body ×1), n the documents holding the word, docs the (article,
// language) documents and avg their mean length.
func bm25(tf, length, n, docs, avg float64) float64 {
	idf := math.Log(1 + (docs-n+0.5)/(n+0.5))
	return idf * tf * (1.2 + 1) / (tf + 1.2*(1-0.75+0.75*length/avg))
}

// scoreIndex has three documents whose weighted lengths and counts are worked out by hand:
//
//	a (id): title "Refund paket" (2 × 3), tag "kurir" (2), body "refund kurir" (2): length 10;
//	        refund 4, paket 3, kurir 3
//	b (id): title "Saldo" (3), body "saldo kurir paket" (3): length 6; saldo 4, kurir 1, paket 1
//	c (en): title "Shipping" (3), body "shipping refunds" (2): length 5; ship 4, refund 1
//
// so there are 3 documents of mean length 7.
func scoreIndex(t *testing.T) *Index {
	return index(t,
		Article{Slug: "a", Category: "returns", Tags: []string{"kurir"}, Texts: map[string]Text{"id": {Title: "Refund paket", Body: "refund kurir"}}},
		art("b", "id", "Saldo", "saldo kurir paket"),
		art("c", "en", "Shipping", "shipping refunds"),
	)
}

func TestScoresAreBM25(t *testing.T) {
	ix := scoreIndex(t)
	type hit struct {
		slug  string
		score float64
	}
	cases := []struct {
		q    string
		want []hit
	}{
		{"refund", []hit{{"a", bm25(4, 10, 2, 3, 7)}, {"c", bm25(1, 5, 2, 3, 7)}}},
		{"saldo", []hit{{"b", bm25(4, 6, 1, 3, 7)}}},
		{"shipping", []hit{{"c", bm25(4, 5, 1, 3, 7)}}},
		// a document matching one of two words counts three quarters
		{"refund kurir", []hit{{"a", bm25(4, 10, 2, 3, 7) + bm25(3, 10, 2, 3, 7)}, {"c", 0.75 * bm25(1, 5, 2, 3, 7)}, {"b", 0.75 * bm25(1, 6, 2, 3, 7)}}},
		{"kurir saldo paket", []hit{{"b", bm25(1, 6, 2, 3, 7) + bm25(4, 6, 1, 3, 7) + bm25(1, 6, 2, 3, 7)}, {"a", (0.5 + 0.5*2/3) * (bm25(3, 10, 2, 3, 7) + bm25(3, 10, 2, 3, 7))}}},
		// a word matched through a typo counts 0.7
		{"pakett", []hit{{"a", 0.7 * bm25(3, 10, 2, 3, 7)}, {"b", 0.7 * bm25(1, 6, 2, 3, 7)}}},
		// a typo of an English word reaches its English stem
		{"shipbing", []hit{{"c", 0.7 * bm25(4, 5, 1, 3, 7)}}},
		{"pakett saldo", []hit{{"b", 0.7*bm25(1, 6, 2, 3, 7) + bm25(4, 6, 1, 3, 7)}, {"a", 0.75 * 0.7 * bm25(3, 10, 2, 3, 7)}}},
	}
	for _, c := range cases {
		hits := ix.Search(c.q, "id", 10)
		var got []hit
		for _, h := range hits {
			got = append(got, hit{h.Slug, h.Score})
		}
		ok := len(got) == len(c.want)
		for i := 0; ok && i < len(got); i++ {
			ok = got[i].slug == c.want[i].slug && math.Abs(got[i].score-math.Round(c.want[i].score*1000)/1000) < 1e-9
		}
		if !ok {
			t.Errorf("%q: got %v\nwant %v", c.q, got, c.want)
		}
	}
}

// The same counts in a longer document weigh less: BM25's length normalisation against the mean length.
func TestLongerDocumentsWeighLess(t *testing.T) {
	ix := index(t, art("long", "id", "Saldo", "saldo kurir paket resi alamat"), art("short", "id", "Saldo", "saldo"))
	hits := ix.Search("saldo", "id", 5)
	if len(hits) != 2 || hits[0].Slug != "short" || !(hits[0].Score > hits[1].Score) {
		t.Fatalf("hits %+v", hits)
	}
	// mean length (8 + 4) / 2 = 6
	if want := bm25(4, 4, 2, 2, 6); math.Abs(hits[0].Score-want) > 0.0006 {
		t.Errorf("short: %v, want %.3f", hits[0].Score, want)
	}
}

func TestLimitAndTies(t *testing.T) {
	ix := index(t, art("d", "id", "Saldo", "x"), art("b", "id", "Saldo", "x"), art("c", "id", "Saldo", "x"), art("a", "id", "Saldo kurir", "x"))
	slugs := func(hits []Hit) string {
		var s []string
		for _, h := range hits {
			s = append(s, h.Slug)
		}
		return strings.Join(s, ",")
	}
	// b, c and d score the same: ties go by slug; a scores less (a longer title).
	for limit, want := range map[int]string{1: "b", 2: "b,c", 3: "b,c,d", 4: "b,c,d,a", 10: "b,c,d,a"} {
		if got := slugs(ix.Search("saldo", "id", limit)); got != want {
			t.Errorf("limit %d: %s, want %s", limit, got, want)
		}
	}
	if got := ix.Search("saldo", "id", 0); got != nil {
		t.Errorf("limit 0: %v", got)
	}
	if got := ix.Search("saldo", "id", -1); got != nil {
		t.Errorf("limit -1: %v", got)
	}
	var none *Index
	if got := none.Search("saldo", "id", 3); got != nil {
		t.Errorf("nil index: %v", got)
	}
	if got := index(t).Search("saldo", "id", 3); got != nil || index(t).Len() != 0 {
		t.Errorf("empty index: %v", got)
	}
	if got := ix.Search("dan yang", "id", 3); got != nil {
		t.Errorf("only stop words: %v", got)
	}
}

// A query is ranked on its first 16 distinct words; words after them are not looked at.
func TestQueryWordsAreBounded(t *testing.T) {
	ix := index(t, art("a", "id", "Saldo", "saldo"))
	var filler []string
	for i := range 15 {
		filler = append(filler, fmt.Sprintf("zq%dx", i))
	}
	if hits := ix.Search(strings.Join(filler, " ")+" saldo", "id", 3); len(hits) != 1 {
		t.Errorf("saldo as the 16th word: %v", hits)
	}
	if hits := ix.Search(strings.Join(filler, " ")+" zq99x saldo", "id", 3); len(hits) != 0 {
		t.Errorf("saldo as the 17th word: %v", hits)
	}
	// repeated words count once towards the bound
	if hits := ix.Search(strings.Join(filler, " ")+" zq1x zq2x saldo", "id", 3); len(hits) != 1 {
		t.Errorf("saldo after repeats: %v", hits)
	}
}

// A misspelt word stands for at most four vocabulary words: the first ones by length, then alphabetically.
func TestTypoCandidatesAreBounded(t *testing.T) {
	var arts []Article
	for _, w := range []string{"basta", "kasta", "lasta", "masta", "pasta"} {
		arts = append(arts, art(w, "id", "Judul", w))
	}
	ix := index(t, arts...)
	got := map[string]bool{}
	for _, h := range ix.Search("xasta", "id", 10) {
		got[h.Slug] = true
	}
	if len(got) != 4 || got["pasta"] {
		t.Errorf("xasta found %v, want basta, kasta, lasta and masta", got)
	}
	// shorter words come first: "pasta" one letter shorter than "pastaa" is a candidate, "pastab" too.
	ix = index(t, art("a", "id", "Judul", "pastab"), art("b", "id", "Judul", "pastac"), art("c", "id", "Judul", "pastad"),
		art("d", "id", "Judul", "pastae"), art("e", "id", "Judul", "pasta"))
	got = map[string]bool{}
	for _, h := range ix.Search("pastax", "id", 10) {
		got[h.Slug] = true
	}
	if len(got) != 4 || !got["e"] || got["d"] {
		t.Errorf("pastax found %v, want e (pasta), a, b and c", got)
	}
	// a word one letter longer is one edit away too
	if hits := index(t, art("a", "id", "Judul", "kurirnya")).Search("kurirnyaa", "id", 3); len(hits) != 1 {
		t.Errorf("a letter more: %v", hits)
	}
	// and one two letters shorter is not
	if hits := index(t, art("a", "id", "Judul", "pastaga")).Search("pastagaxy", "id", 3); len(hits) != 0 {
		t.Errorf("two letters more: %v", hits)
	}
}

// Only words of four letters or more are typo candidates, and a word the index holds is never a typo.
func TestTypoVocabulary(t *testing.T) {
	ix := index(t, art("a", "id", "Judul", "abcd"), art("b", "id", "Judul", "abc"))
	if hits := ix.Search("abcdx", "id", 3); len(hits) != 1 || hits[0].Slug != "a" {
		t.Errorf("abcdx: %v", hits)
	}
}

func TestEntries(t *testing.T) {
	ix := index(t, Article{Slug: "b", Category: "c1", Texts: map[string]Text{"en": {Title: "English only", Body: "x"}}},
		Article{Slug: "a", Category: "c2", Texts: map[string]Text{"id": {Title: "Hanya Indonesia", Body: "x"}, "en": {Title: "   ", Body: "y"}}},
		Article{Slug: "c", Category: "c3", Texts: map[string]Text{"id": {Title: "Dua", Body: "x"}, "en": {Title: "Two", Body: "y"}}})
	want := map[string][]Entry{
		"id": {{"a", "c2", "id", "Hanya Indonesia"}, {"b", "c1", "en", "English only"}, {"c", "c3", "id", "Dua"}},
		"en": {{"a", "c2", "id", "Hanya Indonesia"}, {"b", "c1", "en", "English only"}, {"c", "c3", "en", "Two"}},
		"fr": {{"a", "c2", "id", "Hanya Indonesia"}, {"b", "c1", "en", "English only"}, {"c", "c3", "id", "Dua"}},
	}
	for lang, w := range want {
		got := ix.Entries(lang)
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("Entries(%s) = %v, want %v", lang, got, w)
		}
	}
	if ix.Len() != 3 {
		t.Errorf("Len = %d", ix.Len())
	}
	// a language with a blank title is not indexed: "y" finds nothing in a
	if hits := ix.Search("two", "en", 5); len(hits) != 1 || hits[0].Slug != "c" {
		t.Errorf("two: %v", hits)
	}
}

func TestDecodeRefusesBadPostings(t *testing.T) {
	for _, raw := range []string{
		`{"f":1,"d":[{"s":"a"}],"t":{"x":[2,1]}}`,  // document 1 of 1
		`{"f":1,"d":[{"s":"a"}],"t":{"x":[-2,1]}}`, // document -1
		`{"f":1,"d":[{"s":"a"}],"t":{"x":[0]}}`,    // a posting without its count
		`{"f":0,"d":[]}`,
		`{"f":2,"d":[]}`,
	} {
		if _, err := Decode(gz(t, raw)); err == nil {
			t.Errorf("Decode(%s) accepted", raw)
		}
	}
	ix, err := Decode(gz(t, `{"f":1,"d":[{"s":"a","t":["Judul",""],"l":[3,0]}],"t":{"judul":[0,3]}}`))
	if err != nil || ix.Len() != 1 {
		t.Fatalf("a hand-written index: %v", err)
	}
	if hits := ix.Search("judul", "id", 3); len(hits) != 1 || hits[0].Title != "Judul" {
		t.Errorf("hand-written index search: %v", hits)
	}
}

// The body kept for snippets: lines as lines, blanks collapsed, at most MaxSnippetSource bytes cut at a
// word (or, in one long word, at a letter).
func TestSnippetSource(t *testing.T) {
	cases := []struct{ in, want string }{
		{"  Baris   satu \n\n\t dua  ", "Baris satu\ndua"},
		{"", ""},
		{strings.Repeat("kata ", 399) + "akhir", strings.Repeat("kata ", 399) + "akhir"},             // 2000 bytes: kept
		{strings.Repeat("kata ", 400) + "akhir", strings.TrimSpace(strings.Repeat("kata ", 400))},    // 2005: cut before akhir
		{strings.Repeat("kata ", 399) + "akhirx", strings.TrimSpace(strings.Repeat("kata ", 399))},   // 2001: cut before akhirx
		{strings.Repeat("x", 2500), strings.Repeat("x", 2000)},                                       // one word: cut at the limit
		{"x" + strings.Repeat("é", 1500), "x" + strings.Repeat("é", 999)},                            // not inside a letter
		{strings.Repeat("kata\n", 399) + "akhirx", strings.TrimSpace(strings.Repeat("kata\n", 399))}, // a line break is a boundary
		{" " + strings.Repeat("x", 2500), strings.Repeat("x", 2000)},                                 // leading blank dropped first
		{"ab " + strings.Repeat("x", 2500), "ab"},
		{"a " + strings.Repeat("x", 2500), "a"},                                                        // a boundary early on
		{strings.Repeat("é", 999) + "xx" + strings.Repeat("é", 10), strings.Repeat("é", 999) + "xx"},   // 2000 bytes exactly at a boundary
		{strings.Repeat("é", 999) + "x" + strings.Repeat("é", 10), strings.Repeat("é", 999) + "x"},     // 1999 + a letter across the limit
		{strings.Repeat("é", 999) + " " + strings.Repeat("é", 10), strings.Repeat("é", 999)},           // the space at byte 1998
		{strings.Repeat("x", 1999) + " " + strings.Repeat("é", 10), strings.Repeat("x", 1999)},         // the space at byte 1999
		{strings.Repeat("x", 2000) + " " + strings.Repeat("é", 10), strings.Repeat("x", 2000)},         // the space just past the limit
		{strings.Repeat("x", 1998) + "é" + strings.Repeat("é", 10), strings.Repeat("x", 1998) + "é"},   // a letter ending at the limit
		{strings.Repeat("x", 1999) + "é" + strings.Repeat("é", 10), strings.Repeat("x", 1999)},         // a letter across the limit
		{strings.Repeat("x", 1998) + "€" + strings.Repeat("é", 10), strings.Repeat("x", 1998)},         // three bytes across the limit
		{strings.Repeat("x", 1997) + "€" + strings.Repeat("é", 10), strings.Repeat("x", 1997) + "€"},   // three bytes ending at the limit
		{strings.Repeat("x", 1996) + "€x" + strings.Repeat("é", 10), strings.Repeat("x", 1996) + "€x"}, // three bytes ending before it
	}
	for _, c := range cases {
		got := snippetSource(c.in)
		if got != c.want {
			t.Errorf("snippetSource(%d bytes %.12q…) = %d bytes %.12q…%q, want %d bytes", len(c.in), c.in, len(got), got, tail(got), len(c.want))
		}
		if !utf8.ValidString(got) || len(got) > MaxSnippetSource {
			t.Errorf("snippetSource: %d bytes, valid %v", len(got), utf8.ValidString(got))
		}
	}
	// What is cut off is not in the snippet.
	ix := index(t, art("a", "id", "Refund", strings.Repeat("kata ", 420)+"refund"))
	if h := ix.Search("refund", "id", 1); len(h) != 1 || strings.Contains(h[0].SnippetHTML, "<mark>") {
		t.Errorf("a word past the kept source was marked: %v", h)
	}
}

func tail(s string) string {
	if len(s) > 8 {
		return s[len(s)-8:]
	}
	return s
}

func TestSnippetPicksTheBestSentence(t *testing.T) {
	cases := []struct{ body, q, plain, marked string }{
		// the first sentence with the most query words
		{"Saldo masuk. Refund masuk! Refund dan saldo masuk? Saldo dan refund lagi.", "refund saldo",
			"Refund dan saldo masuk?", "<mark>Refund</mark> dan <mark>saldo</mark> masuk?"},
		{"Tidak ada. Refund di sini. Refund juga di sini.", "refund saldo", "Refund di sini.", "<mark>Refund</mark> di sini."},
		// a line is a sentence
		{"Judul bagian\nRefund masuk\nlain", "refund", "Refund masuk", "<mark>Refund</mark> masuk"},
		// a dot inside a word does not end the sentence
		{"Lihat toko.example refund. Lain.", "refund", "Lihat toko.example refund.", "Lihat toko.example <mark>refund</mark>."},
		// no match in the body (the title matched): the first sentence, unmarked
		{"Kalimat pertama. Kalimat kedua.", "judul", "Kalimat pertama.", "Kalimat pertama."},
		{"Kalimat pertama.", "judul", "Kalimat pertama.", "Kalimat pertama."},
		// the same word twice counts once, and both are marked
		{"Refund refund. Refund saldo.", "refund saldo", "Refund saldo.", "<mark>Refund</mark> <mark>saldo</mark>."},
		{"Refund, refund.", "refund", "Refund, refund.", "<mark>Refund</mark>, <mark>refund</mark>."},
		// the first sentence with every query word ends the search, even if a later one holds more of its forms
		{"Refund masuk. Refund dan refunds.", "refunds", "Refund masuk.", "<mark>Refund</mark> masuk."},
		// a sentence that only looks like it matches (the letters, not the word) is no match
		{"Kalimat pertama. Makan dudulan enak.", "judul", "Kalimat pertama.", "Kalimat pertama."},
		// a sentence that ends the body's first line, or a line of one word
		{"Refund masuk\nx", "refund", "Refund masuk", "<mark>Refund</mark> masuk"},
		{"! Kalimat. Lagi.", "judul", "!", "!"},
		// capitals are found and marked
		{"Tidak ada. Ada IZIN dan SALDO.", "izin saldo", "Ada IZIN dan SALDO.", "Ada <mark>IZIN</mark> dan <mark>SALDO</mark>."},
		{"Tidak ada. Ada SALDO.", "saldo", "Ada SALDO.", "Ada <mark>SALDO</mark>."},
		{"Tidak ada. Ada IZIN.", "izin", "Ada IZIN.", "Ada <mark>IZIN</mark>."},
		// a typo marks the word it stands for
		{"Cek saldo Anda.", "saldoo", "Cek saldo Anda.", "Cek <mark>saldo</mark> Anda."},
	}
	for _, c := range cases {
		ix := index(t, art("a", "id", "Judul", c.body))
		h := ix.Search(c.q, "id", 1)
		if len(h) != 1 || h[0].Snippet != c.plain || h[0].SnippetHTML != c.marked {
			t.Errorf("%q in %q:\n got %+v\nwant %q / %q", c.q, c.body, h, c.plain, c.marked)
		}
	}
}

// A long sentence is cut to about 180 letters: from 40 letters before its first match (at a word) to
// the word that crosses 180.
func TestSnippetCutsLongSentences(t *testing.T) {
	cases := []struct{ body, want string }{
		{strings.Repeat("kata ", 60) + "refund " + strings.Repeat("lain ", 60),
			"…" + strings.Repeat("kata ", 8) + "refund " + strings.Repeat("lain ", 26) + "lain…"},
		// 40 letters back lands on a space: the snippet starts at the word before it
		{strings.Repeat("kata ", 60) + "abc refund " + strings.Repeat("lain ", 60),
			"…" + strings.Repeat("kata ", 8) + "abc refund " + strings.Repeat("lain ", 25) + "lain…"},
		// a match near the start: no lead
		{"kata refund " + strings.Repeat("lain ", 60),
			"kata refund " + strings.Repeat("lain ", 33) + "lain…"},
		// a match near the end: no tail
		{strings.Repeat("kata ", 60) + "refund lain",
			"…" + strings.Repeat("kata ", 8) + "refund lain"},
		// 40 letters back lands inside a word: the snippet starts at that word
		{strings.Repeat("kata ", 60) + "xy refund " + strings.Repeat("lain ", 60),
			"…kata " + strings.Repeat("kata ", 7) + "xy refund " + strings.Repeat("lain ", 26) + "lain…"},
		// letters, not bytes
		{strings.Repeat("kéta ", 60) + "refund " + strings.Repeat("láin ", 60),
			"…" + strings.Repeat("kéta ", 8) + "refund " + strings.Repeat("láin ", 26) + "láin…"},
		// a match near the start of a long sentence that is not the first: the cut counts from the sentence's start
		{"Awal. x refund " + strings.Repeat("ab ", 80), "x refund " + strings.Repeat("ab ", 57) + "ab…"},
		// the long sentence is not the first
		{"Awal. " + strings.Repeat("kata ", 60) + "refund " + strings.Repeat("lain ", 60) + ". Akhir.",
			"…" + strings.Repeat("kata ", 8) + "refund " + strings.Repeat("lain ", 26) + "lain…"},
		// a match near the end of a long sentence that another follows: the snippet stops at its end
		{strings.Repeat("kata ", 60) + "refund lain. Berikutnya di sini.",
			"…" + strings.Repeat("kata ", 8) + "refund lain."},
		{strings.Repeat("kata ", 60) + "refund lain.\nBerikutnya di sini.",
			"…" + strings.Repeat("kata ", 8) + "refund lain."},
		// a sentence of exactly 180 letters is not cut, wherever its match
		{strings.Repeat("lain ", 30) + "refund " + strings.Repeat("lain ", 4) + "x. Lagi.", strings.Repeat("lain ", 30) + "refund " + strings.Repeat("lain ", 4) + "x."},
		// a cut that falls on a space ends there
		{"refund " + strings.Repeat("lain ", 34) + "xyz abc def", "refund " + strings.Repeat("lain ", 34) + "xyz…"},
		// one letter more is
		{strings.Repeat("lain ", 30) + "refund " + strings.Repeat("lain ", 4) + "xy. Lagi.", "…" + strings.Repeat("lain ", 8) + "refund " + strings.Repeat("lain ", 4) + "xy."},
		// exactly 180 letters is not cut
		{"refund " + strings.Repeat("lain ", 34) + "x", "refund " + strings.Repeat("lain ", 34) + "x"},
		{"refund " + strings.Repeat("lain ", 34) + "xy", "refund " + strings.Repeat("lain ", 34) + "xy"},
	}
	for _, c := range cases {
		h := index(t, art("a", "id", "Judul", c.body)).Search("refund", "id", 1)
		if len(h) != 1 || h[0].Snippet != c.want {
			t.Errorf("body %.30q…:\n got %q\nwant %q", c.body, h[0].Snippet, c.want)
			continue
		}
		if want := strings.Replace(c.want, "refund", "<mark>refund</mark>", 1); h[0].SnippetHTML != want {
			t.Errorf("marked:\n got %q\nwant %q", h[0].SnippetHTML, want)
		}
	}
	// every match inside the cut is marked, up to one that ends exactly at it; none past it
	body := "refund " + strings.Repeat("lain ", 34) + "refund " + strings.Repeat("lain ", 10) + "refund"
	h := index(t, art("a", "id", "Judul", body)).Search("refund", "id", 1)
	if want := "<mark>refund</mark> " + strings.Repeat("lain ", 34) + "<mark>refund</mark>…"; len(h) != 1 || h[0].SnippetHTML != want {
		t.Errorf("marks up to the cut:\n got %q\nwant %q", h[0].SnippetHTML, want)
	}
	// a long sentence without a match starts at its start
	long := strings.Repeat("kata ", 60)
	h = index(t, art("a", "id", "Refund", long)).Search("refund", "id", 1)
	if len(h) != 1 || h[0].Snippet != strings.Repeat("kata ", 36)+"kata…" {
		t.Errorf("no match in a long sentence: %q", h[0].Snippet)
	}
}

// oneEdit is indotext.WithinOneEdit, faster for ASCII words.
func TestOneEditAgreesWithIndotext(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []string{"a", "b", "c", "é", "ü"}
	word := func(ascii bool) string {
		var b strings.Builder
		for n := r.IntN(6); n > 0; n-- {
			if ascii {
				b.WriteString(alphabet[r.IntN(3)])
			} else {
				b.WriteString(alphabet[r.IntN(len(alphabet))])
			}
		}
		return b.String()
	}
	for i := 0; i < 20000; i++ {
		a, b := word(i%2 == 0), word(i%3 == 0)
		if r.IntN(3) == 0 { // often one edit apart
			b = a
			if len(b) > 0 {
				k := r.IntN(len(b))
				b = b[:k] + alphabet[r.IntN(2)] + b[k:]
			}
		}
		if got, want := oneEdit(a, b), indotext.WithinOneEdit(a, b); got != want {
			t.Fatalf("oneEdit(%q, %q) = %v, want %v", a, b, got, want)
		}
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{{"abc", "abc", true}, {"abc", "abd", true}, {"abc", "xbc", true}, {"abc", "ab", true}, {"ab", "abc", true}, {"abc", "bc", true},
		{"abc", "abcd", true}, {"abc", "abde", false}, {"ab", "ba", false}, {"abcd", "ab", false}, {"ab", "abcd", false},
		{"abé", "ab", true}, {"abéé", "ab", false}, {"ab", "abéé", false}, {"é", "", true}, {"", "", true}, {"abc", "cba", false}} {
		if got := oneEdit(c.a, c.b); got != c.want {
			t.Errorf("oneEdit(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestEnglishStem(t *testing.T) {
	for w, want := range map[string]string{
		"refunds": "refund", "abandoned": "abandon", "sized": "size", "zones": "zone", "ads": "ad",
		"covid19": "covid19", "café": "café", "covid19s": "covid19s", "cafés": "cafés", "9lives": "9lives",
		"having": "have", "doing": "do", "as": "as", "a": "a", "": "",
	} {
		if got := englishStem(w); got != want {
			t.Errorf("englishStem(%q) = %q, want %q", w, got, want)
		}
	}
}

// The help center's own roots: an affixed form of each reaches it, so an article about vouchers is found
// by "divoucher" as by "voucher".
func TestHelpCenterRoots(t *testing.T) {
	an := newAnalyzer()
	for w, want := range map[string]string{
		"direfund": "refund", "dicod": "cod", "divoucher": "voucher", "diotp": "otp", "diemail": "email",
		"dilink": "link", "diresi": "resi", "disurvei": "survei", "dichat": "chat",
	} {
		ws := an.words(w)
		if len(ws) != 1 || ws[0].id != want {
			t.Errorf("%s: %+v, want the root %s", w, ws, want)
		}
	}
	// an English document is matched on the English stem only, an Indonesian one on the root only
	if ws := an.wordsIn("refunds pengembalian", 1); len(ws) != 2 || ws[0].en != "refund" || ws[0].id != "" || ws[1].en != "pengembalian" {
		t.Errorf("wordsIn English: %+v", ws)
	}
	if ws := an.wordsIn("refunds pengembalian", 0); len(ws) != 2 || ws[1].id != "kembali" || ws[1].en != "" {
		t.Errorf("wordsIn Indonesian: %+v", ws)
	}
}

// The best articles are found whatever order the index meets them in.
func TestTopOfManyArticles(t *testing.T) {
	var arts []Article
	for i := range 30 {
		arts = append(arts, art(fmt.Sprintf("a%02d", i), "id", "Judul", strings.Repeat("saldo ", i+1)+"akhir"))
	}
	ix := index(t, arts...)
	for range 5 {
		hits := ix.Search("saldo", "id", 2)
		if len(hits) != 2 || hits[0].Slug != "a29" || hits[1].Slug != "a28" {
			t.Fatalf("top two: %+v", hits)
		}
	}
}

// A word the index holds is matched as it is: its one-edit neighbours are not searched too.
func TestAnExactWordHasNoTypoNeighbours(t *testing.T) {
	ix := index(t, art("a", "id", "Judul", "kurir"), art("b", "id", "Judul", "kurin"))
	if hits := ix.Search("kurir", "id", 5); len(hits) != 1 || hits[0].Slug != "a" {
		t.Errorf("kurir: %+v", hits)
	}
}

func TestSnippetMarksThroughStemsAndTypos(t *testing.T) {
	// the typo stands for "refund"; the snippet marks another form of it, found through its stem
	ix := index(t, art("a", "en", "Refund", "Nothing here. It was refunded today."))
	if h := ix.Search("refundx", "en", 1); len(h) != 1 || h[0].SnippetHTML != "It was <mark>refunded</mark> today." {
		t.Errorf("typo: %+v", h)
	}
	// a prefix swallowed the root's first letter (mengirim: kirim)
	ix = index(t, art("a", "id", "Judul", "Kalimat pertama. Kami mengirim paket."))
	if h := ix.Search("kirim", "id", 1); len(h) != 1 || h[0].SnippetHTML != "Kami <mark>mengirim</mark> paket." {
		t.Errorf("mengirim: %+v", h)
	}
	// one word read as two (ongkir: ongkos kirim) is marked once, and the words after it still are
	ix = index(t, art("a", "id", "Judul", "Ongkir dan refund."))
	if h := ix.Search("ongkos kirim refund", "id", 1); len(h) != 1 || h[0].SnippetHTML != "<mark>Ongkir</mark> dan <mark>refund</mark>." {
		t.Errorf("ongkir: %+v", h)
	}
}

// A stop word in the body is not a match, even when a query word shares its root (adakan: ada).
func TestSnippetSkipsStopWords(t *testing.T) {
	ix := index(t, art("a", "id", "Adakan acara", "Ada barang. Kami adakan acara."))
	if h := ix.Search("adakan", "id", 1); len(h) != 1 || h[0].SnippetHTML != "Kami <mark>adakan</mark> acara." {
		t.Errorf("adakan: %+v", h)
	}
}
