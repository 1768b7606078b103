package exactlyonce_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestRequestCounts makes every idempotent request once and replays it, counting the DynamoDB requests
// each makes.
func TestRequestCounts(t *testing.T) {
	f := newFixture(t)
	s := &state{customer: "cust-" + f.run, order: "TGP-" + f.run, orderUpdatedAt: time.Now().Add(-time.Hour)}
	var report []string
	for i, st := range steps() {
		req := st.request(s)
		key := fmt.Sprintf("count-%d-%s", i, f.run)
		f.net.take()
		first := f.do(st.handler(f), req, key)
		firstOps := f.net.take()
		if first.StatusCode != st.status {
			t.Fatalf("%s: status %d, want %d; body %s", st.name, first.StatusCode, st.status, first.Body)
		}
		replay := f.do(st.handler(f), st.request(s), key)
		replayOps := f.net.take()
		if replay.StatusCode != st.status || replay.Body != first.Body || replay.Header("Idempotent-Replayed") != "true" {
			t.Fatalf("%s: replay %d %q (replayed %q), want the first answer %d %s", st.name, replay.StatusCode, replay.Body,
				replay.Header("Idempotent-Replayed"), first.StatusCode, first.Body)
		}
		if st.keep != nil {
			st.keep(s, decodeBody(f, first))
		}
		report = append(report, fmt.Sprintf("%-22s first %d [%s]  replay %d [%s]", st.name,
			len(firstOps), strings.Join(firstOps, " "), len(replayOps), strings.Join(replayOps, " ")))
	}
	t.Log("DynamoDB requests per idempotent request:\n" + strings.Join(report, "\n"))
}
