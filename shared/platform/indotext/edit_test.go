package indotext

import "testing"

func TestWithinOneEdit(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"pembayaran", "pembayaran", true},
		{"pembayran", "pembayaran", true},   // deletion
		{"pembayaran", "pembayarann", true}, // insertion at the end
		{"xpembayaran", "pembayaran", true}, // insertion at the start
		{"pengiriman", "pengirimen", true},  // substitution
		{"pengiriman", "pengirmen", false},  // two edits
		{"refund", "rfeund", false},         // a transposition is two edits
		{"kirim", "kirimkan", false},
		{"", "a", true},
		{"", "", true},
		{"é", "e", true},
	}
	for _, c := range cases {
		if got := WithinOneEdit(c.a, c.b); got != c.want {
			t.Errorf("WithinOneEdit(%q, %q) = %v", c.a, c.b, got)
		}
		if got := WithinOneEdit(c.b, c.a); got != c.want {
			t.Errorf("WithinOneEdit(%q, %q) = %v (not symmetric)", c.b, c.a, got)
		}
	}
}
