package indotext

import (
	"strings"
	"unicode"
)

// Folding is done here rather than with golang.org/x/text/unicode/norm: its NFKD tables would add
// about 75 KB to the complaints bootstrap, whose 8 MB ceiling is close, to cover forms customers do not
// type. What they do type is folded: accented Latin letters, fullwidth letters, the styled "bold" and
// "italic" letters of social-media text, superscript digits (barang²) and the common ligatures.

// latinBase maps accented Latin letters (Latin-1 Supplement and Latin Extended-A) to their base letter.
var latinBase = func() map[rune]string {
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő",
		"r": "ŕŗř", "s": "śŝşš", "ss": "ß", "t": "ţťŧ", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
		"ae": "æ", "oe": "œ",
	}
	m := map[rune]string{}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	for _, lig := range []struct {
		r    rune
		text string
	}{{'ﬀ', "ff"}, {'ﬁ', "fi"}, {'ﬂ', "fl"}, {'ﬃ', "ffi"}, {'ﬄ', "ffl"}, {'¹', "1"}, {'²', "2"}, {'³', "3"}} {
		m[lig.r] = lig.text
	}
	return m
}()

// fold lower-cases s and folds the forms above; combining marks (a decomposed é) are dropped.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Me, r):
			continue
		case r >= 0xFF01 && r <= 0xFF5E: // fullwidth ASCII
			r -= 0xFF01 - 0x21
		case r >= 0x1D400 && r <= 0x1D6A3: // mathematical alphanumeric letters: 13 styled A-Z a-z alphabets
			i := (r - 0x1D400) % 52
			if i < 26 {
				r = 'a' + i
			} else {
				r = 'a' + i - 26
			}
		case r >= 0x1D7CE && r <= 0x1D7FF: // styled digits
			r = '0' + (r-0x1D7CE)%10
		case r == 0x2070 || (r >= 0x2074 && r <= 0x2079): // superscript digits ⁰ ⁴-⁹ (¹²³ are Latin-1, below)
			r = '0' + (r - 0x2070)
		}
		r = unicode.ToLower(r)
		if base, ok := latinBase[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
