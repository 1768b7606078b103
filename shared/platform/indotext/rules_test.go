package indotext

import (
	"strings"
	"testing"
)

// fold at the edges of each range it rewrites, and just outside them.
func TestFoldRanges(t *testing.T) {
	cases := []struct{ in, want string }{
		// fullwidth ASCII: U+FF01 (！) to U+FF5E (～); U+FF5F (｟) is not in it
		{"\uFF01\uFF5E\uFF21\uFF3A\uFF41\uFF5A\uFF10\uFF19", "!~azaz09"},
		{"\uFF5F", "\uFF5F"},
		// styled letters: bold A and Z, bold a and z, the last (monospace z) and the first after them
		{"\U0001D400\U0001D419\U0001D41A\U0001D433\U0001D6A3", "azazz"},
		{"\U0001D6A4", "\U0001D6A4"},
		{"\U0001D3FF", "\U0001D3FF"},
		// styled digits: bold 0 to monospace 9
		{"\U0001D7CE\U0001D7D7\U0001D7F6\U0001D7FF", "0909"},
		{"\U0001D800", "\U0001D800"},
		// superscript digits: ⁰ ⁴ … ⁹ and the Latin-1 ¹ ² ³; ⁱ and ⁺ are not digits
		{"\u2070\u2074\u2079\u00B9\u00B2\u00B3", "049123"},
		{"\u2071\u207A\u2073", "\u2071\u207A\u2073"},
		// one accented letter of every base, upper case too, and the ligatures
		{"àçďèĝĥìĵķĺñòŕśßţùŵýźæœ", "acdeghijklnorssstuwyzaeoe"},
		{"ÀÇĎÈĜĤÌĴĶĹÑÒŔŚŢÙŴÝŹÆŒ", "acdeghijklnorstuwyzaeoe"},
		{"ﬀﬁﬂﬃﬄ", "fffiflffiffl"},
		// combining marks of each kind are dropped; other symbols stay
		{"a\u0301b\u0903c\u20DDd", "abcd"},
		{"a·b", "a·b"},
	}
	for _, c := range cases {
		if got := fold(c.in); got != c.want {
			t.Errorf("fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// How words are cut from text: joiners inside a word, and everything else between words.
func TestWordsAndJoiners(t *testing.T) {
	a := Default()
	cases := []struct{ in, want string }{
		{"e-wallet e\u2010mail e\u2011ktp", "ewallet email ektp"},
		{"barang\u2010barang", "barang barang"},
		{"don't don\u2019t", "do not do not"},
		{"barang- -barang", "barang barang"},
		{"a--b", "a b"},
		{"ab-cd", "ab cd"},     // a head of two letters is its own word
		{"kata-ta", "kata ta"}, // a two-letter tail is no reduplication
		{"ketua-tua", "ketua ketua"},
		{"rumah-ku rumah-mu barang-lah apa-kah dia-pun", "rumah rumah barang apa dia"},
		{"nge-hang ke-tipu me-review ber-review", "ngehang ketipu mereview berreview"},
		{"x\x00y", "x y"},
		{"9-9", "9 9"},
	}
	for _, c := range cases {
		if got := a.Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// spans of joined and split words
	text := "Saya di-hack, e-wallet!"
	for _, tk := range a.Analyze(text) {
		if want := map[string]string{"saya": "Saya", "dihack": "di-hack", "ewallet": "e-wallet"}[tk.Text]; text[tk.Start:tk.End] != want {
			t.Errorf("%s spans %q, want %q", tk.Text, text[tk.Start:tk.End], want)
		}
	}
}

func TestDigitReduplicationBounds(t *testing.T) {
	a := Default()
	for _, c := range []struct {
		in, want string
		redup    bool
	}{
		{"mau2", "mau", true},         // three letters are enough
		{"ab2", "ab2", false},         // two are not
		{"mobil2an", "mobilan", true}, // a suffix after the 2 stays
		{"hati2lah", "hati", true},    // a particle after it goes
		{"main2", "main", true},
		{"abc2x1", "abc2x1", false}, // something other than letters after the 2
		{"abc2", "abc", true},
	} {
		toks := a.Analyze(c.in)
		if len(toks) != 1 || toks[0].Text != c.want || toks[0].Redup != c.redup {
			t.Errorf("%q: %+v, want %q (reduplicated %v)", c.in, toks, c.want, c.redup)
		}
	}
}

func TestSqueezeRuns(t *testing.T) {
	a := Default()
	for in, want := range map[string]string{
		"toolong":         "toolong", // a run of two is not emphasis
		"tooolong":        "tolong",  // three is
		"maaaaf":          "maaf",    // the known form keeps two
		"tooolooong":      "tolong",  // two runs, each to the form the dictionary knows
		"baaanyaaak":      "banyak",
		"aaabbbcccddd":    "abcd", // unknown: one letter per run
		"aaabbbcccdddeee": "abcde",
		"x111y":           "x111y", // digits are not emphasis
	} {
		if got := a.squeeze(in); got != want {
			t.Errorf("squeeze(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitPrefixes(t *testing.T) {
	a := Default()
	cases := []struct{ in, want string }{
		{"ter abc", "terabc"}, // ter joins any word of three letters or more
		{"ter ab", "ter ab"},
		{"ter 123", "ter 123"},
		{"di ambil", "diambil"},
		{"di yang", "di yang"},   // a stop word is not a root to join
		{"ke ambil", "keambil"},  // colloquial passive ke-
		{"ke pasar", "ke pasar"}, // a preposition
		{"di\thack", "dihack"},   // any blank between
		{"di,hack", "di hack"},
		{"di", "di"},
		{"hack di", "hack di"},
	}
	for _, c := range cases {
		if got := a.Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Stop words are marked, stems and English stems are filled only for words of letters.
func TestTokenFields(t *testing.T) {
	toks := Default().Analyze("yang mengirim 2x charged")
	if len(toks) != 5 {
		t.Fatalf("tokens %+v", toks)
	}
	want := []Token{{Text: "yang", Stem: "yang", EnStem: "yang", Stop: true}, {Text: "mengirim", Stem: "kirim", EnStem: "mengirim"},
		{Text: "dua", Stem: "dua", EnStem: "dua"}, {Text: "kali", Stem: "kali", EnStem: "kali"}, {Text: "charged", Stem: "charged", EnStem: "charg"}}
	for i, w := range want {
		got := toks[i]
		got.Start, got.End = 0, 0
		if got.Stop != w.Stop || got.Text != w.Text || got.Stem != w.Stem || got.EnStem != w.EnStem {
			t.Errorf("token %d = %+v, want %+v", i, toks[i], w)
		}
	}
	if toks := Default().Analyze("rp1200"); len(toks) != 1 || toks[0].Stem != "rp1200" || toks[0].EnStem != "rp1200" {
		t.Errorf("a word with digits: %+v", toks)
	}
	if got := strings.Join(Default().Terms("yang dan barang"), " "); got != "barang" {
		t.Errorf("Terms = %q", got)
	}
}

// Extra roots are read as words, in any case, several to an argument.
func TestExtraRootsAreWords(t *testing.T) {
	a := New("Tabung  SIMPAN-an", "refund")
	for w, want := range map[string]string{"ditabung": "tabung", "direfund": "refund", "disimpan-an": "simpan-an"} {
		if got := a.Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
	// the dictionaries' comments are not words
	if a.isRoot("#") || a.IsStopword("#") || a.isRoot("") {
		t.Error("a comment or an empty word was read as a word")
	}
	if !a.IsStopword("yang") || a.IsStopword("barang") {
		t.Error("IsStopword")
	}
}
