package indotext

import "testing"

// Forms customers write, each read as the word it is.
func TestCustomerFormsReadAsTheirWords(t *testing.T) {
	a := Default()
	for _, c := range []struct{ word, stem string }{
		{"ditipulah", "tipu"}, // a particle after a prefixed word
		{"terasa", "rasa"},
		{"tertipu", "tipu"},
		{"ngecek", "cek"},
	} {
		if got := a.Stem(c.word); got != c.stem {
			t.Errorf("Stem(%q) = %q, want %q", c.word, got, c.stem)
		}
	}
	// The colloquial passive ke- written apart joins its root: one token, read as the root.
	for _, c := range []struct{ text, stem string }{
		{"ke blokir", "blokir"}, {"ke jebak", "jebak"}, {"ke injak", "injak"}, {"ke gores", "gores"},
	} {
		toks := a.Analyze(c.text)
		if len(toks) != 1 || toks[0].Stem != c.stem {
			t.Errorf("%q: %+v, want one token with root %s", c.text, toks, c.stem)
		}
	}
}

// A 2 after three letters repeats the word (barang2, bgt2 even when slang), but not inside a number or a
// code: rp1200, rumah23, kode23b stay as written.
func TestDigitTwoReduplicationOnlyAfterLetters(t *testing.T) {
	a := Default()
	for _, c := range []struct {
		text, word string
		redup      bool
	}{
		{"barang2", "barang", true}, {"bgt2", "banget", true},
		{"rp1200", "rp1200", false}, {"abc12", "abc12", false}, {"rumah23", "rumah23", false}, {"kode23b", "kode23b", false},
	} {
		toks := a.Analyze(c.text)
		if len(toks) != 1 || toks[0].Text != c.word || toks[0].Redup != c.redup {
			t.Errorf("%q: %+v, want %q (reduplicated %v)", c.text, toks, c.word, c.redup)
		}
	}
}

// Accented letters fold to their base letters, and enclosing marks are dropped like other combining marks.
func TestFoldingOfAccentsAndMarks(t *testing.T) {
	a := Default()
	if got := a.Normalize("ğķĺţŵ"); got != "gkltw" {
		t.Errorf("accents: %q", got)
	}
	if toks := a.Analyze("a\u20dd"); len(toks) != 1 || toks[0].Text != "a" {
		t.Errorf("enclosing mark: %+v", toks)
	}
	// A combining mark inside a word, non-spacing (a decomposed á) or spacing, leaves the word whole.
	for _, text := range []string{"ba\u0301rang", "ba\u0903rang"} {
		if toks := a.Analyze(text); len(toks) != 1 || toks[0].Text != "barang" {
			t.Errorf("%q: %+v, want one word barang", text, toks)
		}
	}
}

// Light English stemming: -ing leaves a three-letter root, and only one of -ing/-ed is taken.
func TestEnglishStemTakesOneSuffix(t *testing.T) {
	for w, want := range map[string]string{"fixing": "fix", "speeding": "speed", "stopped": "stop", "called": "call"} {
		if got := EnglishStem(w); got != want {
			t.Errorf("EnglishStem(%q) = %q, want %q", w, got, want)
		}
	}
}
