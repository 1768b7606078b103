package outbox

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// The smallest options are honoured as given: a limit of one lists one message, and a streak of one
// failure ends the run.
func TestSmallestOptionsAreHonoured(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	b := &fakeBox{pending: []string{"a", "b"}, failing: map[string]bool{"a": true}}
	res, err := b.drain().Sweep(t.Context(), now, SweepOptions{Limit: 1, MaxConsecutiveFailures: 1})
	if err != nil {
		t.Fatal(err)
	}
	if b.limit != 1 {
		t.Errorf("listed up to %d, want 1", b.limit)
	}
	if res != (SweepResult{Found: 2, Failed: 1}) || len(b.sent) != 0 {
		t.Errorf("a streak of one: %+v, sent %v; want the run to end at the first failure", res, b.sent)
	}
}

// Ops see each failed delivery, with the message's id and the error, and why a run stopped early.
func TestFailuresAndAnEarlyStopAreLogged(t *testing.T) {
	var buf bytes.Buffer
	b := &fakeBox{pending: []string{"a", "b", "c"}, failing: map[string]bool{"a": true, "b": true}}
	d := b.drain()
	d.Log = slog.New(slog.NewJSONHandler(&buf, nil))
	if _, err := d.Sweep(t.Context(), time.Now(), SweepOptions{MaxConsecutiveFailures: 2}); err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("log lines %v, want two failures and the early stop", lines)
	}
	for i, id := range []string{"a", "b"} {
		if l := lines[i]; l["level"] != "WARN" || l["id"] != id || l["err"] != "down" || !strings.Contains(l["msg"].(string), "test message") {
			t.Errorf("failure %d logged as %v", i, l)
		}
	}
	if l := lines[2]; l["level"] != "WARN" || l["failed"] != float64(2) || !strings.Contains(l["msg"].(string), "stopping early") {
		t.Errorf("early stop logged as %v", l)
	}
}
