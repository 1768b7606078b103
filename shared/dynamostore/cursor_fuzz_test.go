package dynamostore

import (
	"errors"
	"testing"
)

// FuzzDecodeCursor: a cursor from a client either decodes to sort-key material that encodes back to the same
// cursor, or is the one "invalid cursor" field error; never a panic or another error.
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{
		encodeCursor(cursor{SortKey: "ORDER#2026-11-20T10:00:00.000Z#TGP-10001", ID: "TGP-10001"}),
		encodeCursor(cursor{SortKey: "x", ID: "y"}), "", "e30", "bnVsbA", "!!!!", "eyJzIjoiYSIsImkiOiJiIiwicyI6ImMifQ",
		"eyJzIjoxLCJpIjoiYiJ9", "eyJzIjoiYSIsImkiOiJiIn0=", "eyJTIjoiYSIsIkkiOiJiIn0",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			if !errors.Is(err, errBadCursor) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if c.SortKey == "" || c.ID == "" {
			t.Fatalf("%q decoded to an empty key: %+v", s, c)
		}
		again, err := decodeCursor(encodeCursor(c))
		if err != nil || again != c {
			t.Fatalf("%q: %+v does not survive a round trip: %+v %v", s, c, again, err)
		}
	})
}
