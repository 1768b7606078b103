package indotext

import "strings"

// EnglishStem is a light English stemmer for the English a shop's customers write: it folds plurals,
// -ed, -ing and a final e, so "charged", "charges" and "charge" meet as "charg". It is not Porter: it
// only needs to map a rule's words and a customer's words to the same key, and it must stay cheap.
func EnglishStem(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	for _, suf := range []string{"ing", "ed"} {
		if rest, ok := strings.CutSuffix(w, suf); ok && len(rest) >= 3 && strings.ContainsAny(rest, "aeiouy") {
			w = rest
			// stopped -> stop, but keep -ll/-ss (called, missed)
			if n := len(w); n >= 2 && w[n-1] == w[n-2] && !strings.ContainsRune("lsz", rune(w[n-1])) {
				w = w[:n-1]
			}
			break
		}
	}
	if strings.HasSuffix(w, "y") && len(w) > 3 {
		w = w[:len(w)-1] + "i"
	}
	if strings.HasSuffix(w, "e") && len(w) > 3 {
		w = w[:len(w)-1]
	}
	return w
}
