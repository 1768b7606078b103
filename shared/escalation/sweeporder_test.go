package escalation

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// The sweep sends the escalations that never failed before the ones that did, even when the listing puts a
// failed one first.
func TestSweepSendsTheNeverFailedFirst(t *testing.T) {
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	r, ob, q := newRelay(3, at)
	ob.pending[0].LastFailedAt = at.Add(time.Minute)
	if _, err := r.Sweep(context.Background(), SweepOptions{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range q.sent {
		got = append(got, e.SubjectID)
	}
	if strings.Join(got, " ") != "T1 T2 T0" {
		t.Errorf("sent %v, want T1 T2 T0: the one that failed before last", got)
	}
}

// A failed send in a sweep is logged as an escalation's, with its dedup key.
func TestSweepLogsFailuresAsEscalations(t *testing.T) {
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	r, ob, q := newRelay(1, at)
	q.down = true
	var buf bytes.Buffer
	r.Log = slog.New(slog.NewJSONHandler(&buf, nil))
	if _, err := r.Sweep(context.Background(), SweepOptions{}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, `"msg":"escalation sweep: delivery failed"`) || !strings.Contains(out, ob.pending[0].DedupKey) {
		t.Errorf("log:\n%s", out)
	}
}
