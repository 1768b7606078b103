// Package helpsearch is the help center's search: a compact inverted index of the published articles in
// Bahasa Indonesia and English, built when articles change, stored as bytes and loaded into memory, and
// a BM25 ranking over it with one-edit typo tolerance and highlighted snippets.
//
// Indonesian words go through shared/platform/indotext (normalisation, slang, reduplication and the
// dictionary-confirmed affix stemmer); English words through the Snowball (Porter2) English stemmer
// of github.com/kljensen/snowball. Stop words of both languages are dropped (indotext's list).
package helpsearch

import (
	"github.com/kljensen/snowball/english"

	"github.com/tanggap/tanggap/shared/platform/indotext"
)

// Languages an article is written in.
const (
	Indonesian = "id"
	English    = "en"
)

// Languages lists the article languages in index order.
var Languages = []string{Indonesian, English}

func langIndex(lang string) int {
	if lang == English {
		return 1
	}
	return 0
}

// word is one analysed word of a text: its index key in each language, the surface form (for typo
// matching) and the byte span it came from (for highlighting).
type word struct {
	id, en     string // index keys: the Indonesian root and the English stem
	surface    string
	start, end int
}

// analyzer turns text into index words. The zero value is not usable; use newAnalyzer.
type analyzer struct{ ind *indotext.Analyzer }

// extraRoots are loan words and help-center vocabulary that articles and customers use as Indonesian
// roots, so that affixed forms (direfund, pengembaliannya) reach them.
var extraRoots = []string{"refund", "cod", "voucher", "otp", "email", "link", "resi", "survei", "chat"}

func newAnalyzer() analyzer { return analyzer{ind: indotext.New(extraRoots...)} }

// words analyses text; stop words are left out.
func (a analyzer) words(text string) []word {
	toks := a.ind.Analyze(text)
	out := make([]word, 0, len(toks))
	for _, t := range toks {
		if t.Stop {
			continue
		}
		out = append(out, word{id: t.Stem, en: englishStem(t.Text), surface: t.Text, start: t.Start, end: t.End})
	}
	return out
}

// wordsIn analyses text for matching against documents in one language (index li): only that
// language's key is computed.
func (a analyzer) wordsIn(text string, li int) []word {
	toks := a.ind.Analyze(text)
	out := make([]word, 0, len(toks))
	for _, t := range toks {
		if t.Stop {
			continue
		}
		w := word{surface: t.Text, start: t.Start, end: t.End}
		if li == 1 {
			w.en = englishStem(t.Text)
		} else {
			w.id = t.Stem
		}
		out = append(out, w)
	}
	return out
}

// englishStem is the Porter2 stem of a lower-case word; words with digits or non-ASCII letters stay.
func englishStem(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return w
		}
	}
	if len(w) <= 2 {
		return w
	}
	return english.Stem(w, true)
}

// key is the index key of w in lang.
func (w word) key(lang int) string {
	if lang == 1 {
		return w.en
	}
	return w.id
}
