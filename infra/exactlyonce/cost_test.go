package exactlyonce_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
)

// TestRequestCounts makes every idempotent request once and replays it, counting the DynamoDB requests
// each makes: the claim, at most one read (for a survey its subject's invitation; two where the change also
// decides on the customer's profile), and one transaction; a replay is the claim alone, which finds the stored answer.
func TestRequestCounts(t *testing.T) {
	f := newFixture(t)
	s := &state{customer: "cust-" + f.run, order: "TGP-" + f.run, orderUpdatedAt: time.Now().Add(-time.Hour)}
	var report []string
	for i, st := range steps() {
		req := st.request(s)
		key := fmt.Sprintf("count-%d-%s", i, f.run)
		f.net.take()
		first := f.doAsClient(st.handler(f), req, key)
		firstOps := f.net.take()
		if first.StatusCode != st.status {
			t.Fatalf("%s: status %d, want %d; body %s", st.name, first.StatusCode, st.status, first.Body)
		}
		replay := f.doAsClient(st.handler(f), st.request(s), key)
		replayOps := f.net.take()
		if replay.StatusCode != st.status || replay.Body != first.Body || replay.Header("Idempotent-Replayed") != "true" {
			t.Fatalf("%s: replay %d %q (replayed %q), want the first answer %d %s", st.name, replay.StatusCode, replay.Body,
				replay.Header("Idempotent-Replayed"), first.StatusCode, first.Body)
		}
		if st.keep != nil {
			st.keep(s, decodeBody(f, first))
		}
		claims, reads, txs := 0, 0, 0
		for _, op := range firstOps {
			switch op {
			case "PutItem":
				claims++
			case "Query", "GetItem":
				reads++
			case "TransactWriteItems":
				txs++
			default:
				t.Errorf("%s: unexpected %s", st.name, op)
			}
		}
		maxReads := 1
		switch st.name {
		case "order create", "order update", "complaint create", "ticket resolve", "return request L1", "return request L2":
			// plus the customer's profile, which the change decides on and writes back (retention)
			maxReads = 2
		}
		if claims != 1 || txs != 1 || reads > maxReads {
			t.Errorf("%s: %v; want the claim, at most %d read and one transaction", st.name, firstOps, maxReads)
		}
		if len(replayOps) != 1 || replayOps[0] != "PutItem" {
			t.Errorf("%s: replay made %v, want the claim alone", st.name, replayOps)
		}
		report = append(report, fmt.Sprintf("%-22s first %d [%s]  replay %d [%s]", st.name,
			len(firstOps), strings.Join(firstOps, " "), len(replayOps), strings.Join(replayOps, " ")))
	}
	t.Log("DynamoDB requests per idempotent request:\n" + strings.Join(report, "\n"))
}

// doAsClient sends req like a client that retries a 503 once with the same key, as the API asks clients
// to. Only the attempt that answered is counted. (A connection dropped under an answer is sent again by the
// fixture's transport, as the SDK would; see faultTransport.send.)
func (f *fixture) doAsClient(h http.Handler, req apitest.Request, key string) apitest.Response {
	f.t.Helper()
	resp := f.do(h, req, key)
	if resp.StatusCode == http.StatusServiceUnavailable {
		f.t.Logf("%s %s: 503 from the store (%s); retrying once with the same key", req.Method, req.Path, resp.Body)
		f.net.take()
		resp = f.do(h, req, key)
	}
	return resp
}
