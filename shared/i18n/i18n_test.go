package i18n

import (
	"regexp"
	"strings"
	"testing"
)

func TestNegotiate(t *testing.T) {
	cases := map[string]Lang{
		"":                   Indonesian,
		"en":                 English,
		"en-US,en;q=0.9":     English,
		"id-ID":              Indonesian,
		"fr-FR, en;q=0.5":    English,
		"en;q=0.4, id;q=0.8": Indonesian,
		"id;q=0, en;q=0.1":   English,
		"de":                 Indonesian,
		"EN-gb":              English,
		"en;q=abc, id":       Indonesian,
		"in":                 Indonesian,
	}
	for header, want := range cases {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

var placeholder = regexp.MustCompile(`\{[a-zA-Z]+\}`)

// Every message exists in both languages with the same placeholders, so no customer sees a blank or a raw {name}.
func TestCatalogIsCompleteInBothLanguages(t *testing.T) {
	for _, code := range Codes() {
		text := catalog[code]
		if strings.TrimSpace(text.ID) == "" || strings.TrimSpace(text.EN) == "" {
			t.Errorf("%s: missing a language", code)
			continue
		}
		if text.ID == text.EN {
			t.Errorf("%s: Indonesian text equals English text %q", code, text.EN)
		}
		idVars := placeholder.FindAllString(text.ID, -1)
		enVars := placeholder.FindAllString(text.EN, -1)
		if strings.Join(sorted(idVars), ",") != strings.Join(sorted(enVars), ",") {
			t.Errorf("%s: placeholders differ: id %v, en %v", code, idVars, enVars)
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestMessageSubstitutesAndFallsBack(t *testing.T) {
	if got := Message(English, "field.max", map[string]string{"param": "5"}); got != "Must be at most 5." {
		t.Fatalf("got %q", got)
	}
	if got := Message(Indonesian, "field.max", map[string]string{"param": "5"}); got != "Maksimal 5." {
		t.Fatalf("got %q", got)
	}
	if got := Message(English, "no_such_code", nil); got != catalog["internal_error"].EN {
		t.Fatalf("unknown code leaked: %q", got)
	}
}
