package randomid

import "testing"

func TestNewIsUniqueAndValid(t *testing.T) {
	k := NewKind("RTN-")
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := k.New()
		if !k.Valid(id) || seen[id] || len(id) != 20 {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "RTN-", "RTN-ABCDEFGHIJKLMNO1", "TKT-ABCDEFGHIJKLMNOP", "RTN-abcdefghijklmnop", "RTN-ABCDEFGHIJKLMNOPQ"} {
		if k.Valid(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
