package i18n

import (
	"slices"
	"testing"
)

// withTestLabels registers an enumeration for one test and removes it afterwards, so the shipped catalog
// (checked for completeness elsewhere) is left as it was.
func withTestLabels(t *testing.T, kind string, labels map[string]Text) {
	t.Helper()
	addLabels(kind, labels)
	t.Cleanup(func() {
		for code := range labels {
			delete(catalog, kind+"."+code)
		}
		labelKinds = slices.DeleteFunc(labelKinds, func(k string) bool { return k == kind })
	})
}

// A oneof list that is exactly one enumeration's codes reads as that enumeration, even when an enumeration
// registered earlier also holds those codes; a list that only a wider one holds reads as the wider one.
func TestOneOfPrefersTheEnumerationWithExactlyThoseCodes(t *testing.T) {
	withTestLabels(t, "zz_wide", map[string]Text{
		"a": {ID: "A lebar", EN: "A wide"}, "b": {ID: "B lebar", EN: "B wide"}, "c": {ID: "C lebar", EN: "C wide"},
	})
	withTestLabels(t, "zz_narrow", map[string]Text{"a": {ID: "A sempit", EN: "A narrow"}, "b": {ID: "B sempit", EN: "B narrow"}})

	cases := []struct {
		values []string
		want   string
	}{
		{[]string{"a", "b"}, "A narrow, B narrow"}, // exactly zz_narrow
		{[]string{"b", "a"}, "B narrow, A narrow"}, // order kept
		{[]string{"a", "c"}, "A wide, C wide"},     // only zz_wide holds c
		{[]string{"a"}, "A wide"},                  // a subset of both: the first registered
		{[]string{"a", "z"}, "\u201ca\u201d, \u201cz\u201d"},
		{nil, ""},
	}
	for _, c := range cases {
		if got := oneOfList(English, c.values); got != c.want {
			t.Errorf("oneOfList(en, %q) = %q, want %q", c.values, got, c.want)
		}
	}
	if got := oneOfList(Indonesian, []string{"a", "b"}); got != "A sempit, B sempit" {
		t.Errorf("id: %q", got)
	}
}

func TestFormatIntNegativeWholeGroups(t *testing.T) {
	for n, want := range map[int64]string{-999: "-999", -100000: "-100.000", -1: "-1", -1234567: "-1.234.567"} {
		if got := FormatInt(Indonesian, n); got != want {
			t.Errorf("FormatInt(id, %d) = %q, want %q", n, got, want)
		}
	}
	if got := FormatInt(English, -100000); got != "-100,000" {
		t.Errorf("FormatInt(en, -100000) = %q", got)
	}
}
