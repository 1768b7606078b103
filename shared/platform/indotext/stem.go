package indotext

import "strings"

// The stemmer follows Nazief and Adriani's confix-stripping idea (as Sastrawi does): remove the
// particle, the possessive and the derivational suffix, then up to three prefixes with their sound
// changes (me- + tulis = menulis), and accept a result only when the root dictionary knows it. A word
// it cannot explain stays as written, minus a trailing particle, which keeps the stemmer conservative:
// it never invents a root, so "dinding" is not "nding" and "kemas" is not "mas".

const maxPrefixes = 3

// particles and possessives, removed (in this order) before the derivational suffix.
var (
	particles   = []string{"lah", "kah", "tah", "pun"}
	possessives = []string{"nya", "ku", "mu"}
	// derivational suffixes; "in" is the colloquial -kan/-i (balikin, kirimin).
	derivational = []string{"kan", "an", "i", "in"}
)

// Stem returns the root of an Indonesian word (lower case, letters only), or the word itself, less a
// trailing particle or possessive, when the dictionary cannot confirm a root.
func (a *Analyzer) Stem(word string) string {
	if a.isRoot(word) || len(word) < 4 {
		return word
	}
	// Suffix stages, each a candidate base for prefix stripping: the word, without particle, without
	// possessive, without derivational suffix (a stage may offer two bases: -kan or -an+k).
	stages := []string{word}
	w := word
	if s, ok := cutSuffix(w, particles); ok {
		w = s
		stages = append(stages, w)
	}
	if s, ok := cutSuffix(w, possessives); ok {
		w = s
		stages = append(stages, w)
	}
	for _, suf := range derivational {
		if s, ok := strings.CutSuffix(w, suf); ok && len(s) >= 2 {
			stages = append(stages, s)
		}
	}
	for _, s := range stages[1:] {
		if a.isRoot(s) {
			return s
		}
	}
	// Prefixes are tried on the most stripped base first, then with suffixes given back
	// (pengembalian: peng-kembali-an; but mainan: main-an, not ma-in-an).
	for i := len(stages) - 1; i >= 0; i-- {
		if r, ok := a.stripPrefixes(stages[i], maxPrefixes); ok {
			return r
		}
	}
	// Unknown word: drop only a trailing particle or possessive, and only when a real word remains.
	if w != word && len(w) >= 4 {
		return w
	}
	return word
}

func cutSuffix(w string, suffixes []string) (string, bool) {
	for _, s := range suffixes {
		if rest, ok := strings.CutSuffix(w, s); ok && len(rest) >= 3 {
			return rest, true
		}
	}
	return w, false
}

// stripPrefixes removes up to n prefixes from w, returning the first dictionary root reached.
func (a *Analyzer) stripPrefixes(w string, n int) (string, bool) {
	if n == 0 {
		return "", false
	}
	for _, rest := range prefixCandidates(w) {
		if len(rest) < 2 {
			continue
		}
		// A short function word does not take affixes: memakai is pakai, not maka (memaka-i). Longer stop
		// words do (diterima: terima, dikasih: kasih).
		if a.isRoot(rest) && !(a.stop[rest] && len(rest) <= 4) {
			return rest, true
		}
		// A root may still carry a suffix after an inner prefix (diperbaiki: di-per-baik-i is handled by
		// the suffix stage; memperlihatkan: mem-per-lihat).
		if r, ok := a.stripPrefixes(rest, n-1); ok {
			return r, true
		}
	}
	return "", false
}

func isVowel(b byte) bool { return strings.IndexByte("aiueo", b) >= 0 }

// prefixCandidates lists what w may be after removing one prefix, most likely first, including the
// consonant the prefix swallowed (menulis: tulis; memakai: makai/pakai; mengirim: irim/kirim; menyapu:
// sapu; pengacara: acara/kacara). Informal forms (ngehack, nipu, nyuri, ketipu) come last.
func prefixCandidates(w string) []string {
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	has := func(p string) (string, bool) {
		rest, ok := strings.CutPrefix(w, p)
		return rest, ok && len(rest) >= 2
	}
	startsVowel := func(s string) bool { return s != "" && isVowel(s[0]) }

	switch {
	case strings.HasPrefix(w, "meny"), strings.HasPrefix(w, "peny"):
		if r, ok := has(w[:4]); ok && startsVowel(r) {
			add("s"+r, "c"+r, "ny"+r)
		}
	case strings.HasPrefix(w, "meng"), strings.HasPrefix(w, "peng"):
		if r, ok := has(w[:4]); ok {
			if startsVowel(r) {
				add(r, "k"+r)
			} else {
				add(r)
			}
		}
		// menge-/penge- before a one-syllable root (mengecek, pengecekan)
		if r, ok := has(w[:2] + "nge"); ok {
			add(r)
		}
	case strings.HasPrefix(w, "mem"), strings.HasPrefix(w, "pem"):
		if r, ok := has(w[:3]); ok {
			if startsVowel(r) {
				add("m"+r, "p"+r)
			} else {
				add(r)
			}
			// pemrosesan: the p of a loan word (proses) swallowed before r or l
			if r != "" && (r[0] == 'r' || r[0] == 'l') {
				add("p" + r)
			}
		}
	case strings.HasPrefix(w, "men"), strings.HasPrefix(w, "pen"):
		if r, ok := has(w[:3]); ok {
			if startsVowel(r) {
				add("t"+r, "n"+r)
			} else {
				add(r)
			}
		}
	}
	if r, ok := has("me"); ok && len(r) > 0 && strings.IndexByte("lrwymn", r[0]) >= 0 {
		add(r)
	}
	if r, ok := has("per"); ok {
		add(r)
		if startsVowel(r) {
			add("r" + r)
		}
	}
	if r, ok := has("pe"); ok && !strings.HasPrefix(w, "pem") && !strings.HasPrefix(w, "pen") {
		add(r)
	}
	if r, ok := has("ber"); ok {
		add(r)
		if startsVowel(r) {
			add("r" + r)
		}
	}
	if r, ok := has("be"); ok && len(r) > 0 && !isVowel(r[0]) {
		add(r) // bekerja, belajar (ajar via "lajar" is not a root, so via be-l-ajar below)
	}
	if strings.HasPrefix(w, "belajar") || strings.HasPrefix(w, "pelajar") {
		add(w[3:]) // bel-/pel- + ajar
	}
	if r, ok := has("ter"); ok {
		add(r)
		if startsVowel(r) {
			add("r" + r)
		}
	}
	if r, ok := has("te"); ok && len(r) > 0 && r[0] == 'r' {
		add(r)
	}
	for _, p := range []string{"di", "ke", "se"} {
		if r, ok := has(p); ok {
			add(r)
		}
	}
	// Colloquial Jakarta prefixes: nge- (ngehack, ngecek), ng- (ngambil, ngirim), ny- (nyuri, nyari),
	// n- (nipu, nulis), m- (mukul), ke- as ter- (ketipu) is covered above.
	if r, ok := has("nge"); ok {
		add(r)
	}
	if r, ok := has("ng"); ok && startsVowel(r) {
		add(r, "k"+r)
	}
	if r, ok := has("ny"); ok && startsVowel(r) {
		add("c"+r, "s"+r)
	}
	if r, ok := has("n"); ok && startsVowel(r) {
		add("t" + r)
	}
	if r, ok := has("m"); ok && startsVowel(r) {
		add("p" + r)
	}
	return out
}
