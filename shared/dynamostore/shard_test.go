package dynamostore

import "testing"

// Shard numbers are stored in keys (pending customer events, SLA checks), and readers query every shard by
// number: a change of hash would leave stored items where no writer's rule puts them. FNV-1a of "" is
// 2166136261, which is 1 mod 4 and 2 mod 7.
func TestShardOfIsStable(t *testing.T) {
	for _, c := range []struct {
		id       string
		n, shard int
	}{{"", 4, 1}, {"", 7, 2}, {"TKT-ABC", 4, 1}, {"EVT-1", 4, 0}, {"EVT-1", 7, 3}, {"TKT-XYZ123", 4, 2}} {
		if got := shardOf(c.id, c.n); got != c.shard {
			t.Errorf("shardOf(%q, %d) = %d, want %d", c.id, c.n, got, c.shard)
		}
	}
	seen := map[int]bool{}
	for i := range 200 {
		s := shardOf("TKT-"+string(rune('A'+i%26))+string(rune('0'+i%10))+string(rune('a'+i/26)), 4)
		if s < 0 || s >= 4 {
			t.Fatalf("shard %d out of range", s)
		}
		seen[s] = true
	}
	if len(seen) != 4 {
		t.Errorf("200 ids reached shards %v, want all 4", seen)
	}
}
