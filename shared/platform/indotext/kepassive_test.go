package indotext

import "testing"

// Customers write the colloquial passive apart ("ke tipu", "ke hack"): each root that takes ke- joins it, so
// triage and search read "ketipu" as being cheated, while "ke" before a place stays a preposition. The
// roots are written out here, not read from the analyser's table, so a root dropped from it is noticed.
func TestEveryKePassiveRootJoinsASplitKe(t *testing.T) {
	a := Default()
	for _, root := range []string{"tipu", "bobol", "hack", "retas", "curi", "setrum", "sengat", "bakar", "tabrak",
		"injak", "gores", "sayat", "tusuk", "potong", "siram", "tumpah", "blokir", "tagih", "ambil", "jebak", "rampok"} {
		if got, want := a.Normalize("ke "+root), "ke"+root; got != want {
			t.Errorf("Normalize(%q) = %q, want %q", "ke "+root, got, want)
		}
	}
	for _, apart := range []string{"ke toko", "ke rumah", "ke kantor", "ke bank"} {
		if got := a.Normalize(apart); got != apart {
			t.Errorf("Normalize(%q) = %q: ke before a place is a preposition", apart, got)
		}
	}
}
