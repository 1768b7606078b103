package indotext

import (
	"strings"
	"testing"
)

// What a word may be after one prefix comes off, most likely first: the examples of prefixCandidates'
// comment and one word for every rule, with the consonant a prefix swallowed given back.
func TestPrefixCandidates(t *testing.T) {
	for w, want := range map[string]string{
		"menulis":     "tulis nulis nulis penulis",      // men- + vowel: t or n swallowed
		"mencari":     "cari ncari pencari",             // men- + consonant
		"memakai":     "makai pakai makai pemakai",      // mem- + vowel: m or p swallowed
		"membayar":    "bayar mbayar pembayar",          // mem- + consonant
		"pemrosesan":  "rosesan prosesan",               // the p of a loan word before r
		"memlot":      "lot plot mlot pemlot",           // ... or before l
		"mengirim":    "irim kirim ngirim pengirim",     // meng- + vowel: k swallowed
		"menggugat":   "gugat nggugat penggugat",        // meng- + consonant
		"mengecek":    "ecek kecek cek ngecek pengecek", // menge- before a one-syllable root
		"pengacara":   "acara kacara",                   // peng-, and not pe- + ngacara
		"menyapu":     "sapu capu nyapu nyapu penyapu",  // meny- + vowel: s or c swallowed
		"menyrap":     "nyrap penyrap",                  // meny- + consonant: nothing swallowed
		"mewarnai":    "warnai pewarnai",                // me- before l r w y m n
		"merusak":     "rusak perusak",
		"perbaikan":   "baikan rbaikan",      // per-, pe-
		"perasaan":    "asaan rasaan rasaan", // per- + vowel: r swallowed
		"pelaporan":   "laporan",             // pe-
		"berhasil":    "hasil rhasil",        // ber-, be-
		"berenang":    "enang renang renang", // ber- + vowel
		"belajar":     "lajar ajar",          // bel- + ajar
		"pelajaran":   "lajaran ajaran",      // pel- + ajar
		"beadik":      "",                    // be- only before a consonant
		"terkirim":    "kirim rkirim",        // ter-, te- + r
		"terasa":      "asa rasa rasa",       // ter- + vowel
		"tebal":       "",                    // te- only before r
		"dikirim":     "kirim",
		"ketipu":      "tipu",
		"sekali":      "kali",
		"dia":         "",                  // what is left must have two letters
		"ngehack":     "hack ehack kehack", // nge-, ng- + vowel
		"ngrusak":     "",                  // ng- only before a vowel
		"nyuri":       "curi suri",         // ny- + vowel
		"nyrap":       "",
		"nipu":        "tipu",  // n- + vowel
		"mukul":       "pukul", // m- + vowel
		"mpukul":      "",
		"memperbaiki": "perbaiki mperbaiki pemperbaiki",
	} {
		if got := strings.Join(prefixCandidates(w), " "); got != want {
			t.Errorf("prefixCandidates(%q) = %q, want %q", w, got, want)
		}
	}
}

// An unknown word keeps its particle or possessive unless a word of four letters or more is left, and a
// word of three letters or fewer is never stemmed.
func TestStemOfUnknownWords(t *testing.T) {
	a := Default()
	for w, want := range map[string]string{
		"xyznya": "xyznya", "wxyznya": "wxyz", "wxyzlah": "wxyz", "wxyzku": "wxyz", "wxyzmu": "wxyz", "wxyzpun": "wxyz",
		"wxyzkah": "wxyz", "wxyztah": "wxyz", "dix": "dix", "wxyzkan": "wxyzkan", "kunya": "kunya",
	} {
		if got := a.Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
	// each suffix stage reaches a known root: particle, possessive, -kan, -an, -i, -in
	for w, want := range map[string]string{
		"kirimlah": "kirim", "kirimnya": "kirim", "kirimkan": "kirim", "kiriman": "kirim", "kirimi": "kirim", "kirimin": "kirim",
		"kiriminlah": "kirim", "kirimkannya": "kirim", "dikirimkannyalah": "kirim",
	} {
		if got := a.Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
}
