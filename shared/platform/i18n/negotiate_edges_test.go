package i18n

import (
	"slices"
	"testing"
)

// RFC 9110 weights: the highest q wins, the first listed wins a tie, "q" may follow spaces, and "in" (the
// legacy code) and "id-*" are Indonesian like "id".
func TestNegotiateWeightsAndTies(t *testing.T) {
	for header, want := range map[string]Lang{
		"en;q=0.5, id":           Indonesian,
		"en;q=0.5, in":           Indonesian,
		"en;q=0.5, id-ID":        Indonesian,
		"en, id":                 English,
		"id, en":                 Indonesian,
		"id;q=1, en":             Indonesian,
		"id; q=0.5, en; q=0.8":   English,
		"en-GB;q=0.9, id;q=0.95": Indonesian,
	} {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
}

// Two message files claiming the same code would make one of them silently win: it fails at start-up.
func TestDuplicateMessageCodePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a duplicate message code was accepted")
		}
	}()
	add(map[string]Text{"internal_error": {ID: "x", EN: "x"}})
}

// Codes lists what is registered, sorted, including the codes the HTTP layer always needs.
func TestCodesListsTheCatalog(t *testing.T) {
	codes := Codes()
	if !slices.IsSorted(codes) {
		t.Fatal("codes are not sorted")
	}
	for _, c := range []string{"internal_error", "validation_failed", "title.internal", "field.required"} {
		if _, found := slices.BinarySearch(codes, c); !found {
			t.Errorf("Codes() lacks %s", c)
		}
	}
}
