package escalation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// scriptedQueue fails the sends whose 0-based position fail reports, and can run a hook after each send.
type scriptedQueue struct {
	calls int
	fail  func(i int) bool
	after func()
	sent  []Escalation
}

func (q *scriptedQueue) Send(_ context.Context, e Escalation) (string, error) {
	i := q.calls
	q.calls++
	if q.after != nil {
		defer q.after()
	}
	if q.fail != nil && q.fail(i) {
		return "", errors.New("throttled")
	}
	q.sent = append(q.sent, e)
	return fmt.Sprintf("m-%d", i), nil
}

// brokenOutbox fails MarkSent or RecordFailure on request.
type brokenOutbox struct {
	*memOutbox
	markErr, recordErr error
}

func (b brokenOutbox) MarkSent(ctx context.Context, key, id string, at time.Time) (bool, error) {
	if b.markErr != nil {
		return false, b.markErr
	}
	return b.memOutbox.MarkSent(ctx, key, id, at)
}

func (b brokenOutbox) RecordFailure(ctx context.Context, key string, at time.Time, cause string) error {
	if b.recordErr != nil {
		return b.recordErr
	}
	return b.memOutbox.RecordFailure(ctx, key, at, cause)
}

func relayWith(n int, q Publisher) (*Relay, *memOutbox) {
	r, ob, _ := newRelay(n, time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC))
	r.Publisher = q
	return r, ob
}

// A sent escalation that could not be marked sent is not reported as delivered: it stays pending and the
// caller (stream batch, sweep) sees the failure.
func TestDeliverReportsAFailedMarkSent(t *testing.T) {
	r, ob := relayWith(1, &scriptedQueue{})
	r.Outbox = brokenOutbox{memOutbox: ob, markErr: errors.New("conditional check failed")}
	err := r.Deliver(context.Background(), ob.pending[0])
	if err == nil || errors.Is(err, ErrSendFailed) {
		t.Fatalf("Deliver = %v, want a mark-sent error that is not ErrSendFailed (the message did go out)", err)
	}
	if res, err := r.Sweep(context.Background(), SweepOptions{}); err != nil || res != (SweepResult{Found: 1, Failed: 1}) {
		t.Fatalf("sweep = %+v %v, want the item counted as failed", res, err)
	}
}

// Limit bounds one run, 100 by default; MaxConsecutiveFailures 1 stops at the first failure.
func TestSweepLimits(t *testing.T) {
	q := &scriptedQueue{}
	r, _ := relayWith(2, q)
	if res, _ := r.Sweep(context.Background(), SweepOptions{Limit: 1}); res != (SweepResult{Found: 1, Sent: 1}) {
		t.Errorf("limit 1: %+v", res)
	}

	r, _ = relayWith(101, &scriptedQueue{})
	if res, _ := r.Sweep(context.Background(), SweepOptions{}); res.Found != 100 || res.Sent != 100 {
		t.Errorf("default limit: %+v, want 100 of 101", res)
	}

	r, _ = relayWith(3, &scriptedQueue{fail: func(int) bool { return true }})
	if res, _ := r.Sweep(context.Background(), SweepOptions{MaxConsecutiveFailures: 1}); res != (SweepResult{Found: 3, Failed: 1}) {
		t.Errorf("stop after 1 failure: %+v", res)
	}
}

// Only failures in a row end a run: a success in between starts the count again.
func TestSweepCountsOnlyConsecutiveFailures(t *testing.T) {
	// fail, fail, ok, fail, fail, ok: never three in a row.
	pattern := []bool{true, true, false, true, true, false}
	q := &scriptedQueue{fail: func(i int) bool { return pattern[i] }}
	r, _ := relayWith(len(pattern), q)
	res, err := r.Sweep(context.Background(), SweepOptions{})
	if err != nil || res != (SweepResult{Found: 6, Sent: 2, Failed: 4}) {
		t.Fatalf("%+v %v, want every item tried", res, err)
	}
}

// A cancelled context (the Lambda's deadline) ends the run before the next send.
func TestSweepStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q := &scriptedQueue{after: cancel}
	r, ob := relayWith(3, q)
	res, err := r.Sweep(ctx, SweepOptions{})
	if err != nil || q.calls != 1 || res.Found != 3 {
		t.Fatalf("%+v %v after %d sends, want one send then stop", res, err, q.calls)
	}
	if len(ob.sent) > 1 {
		t.Fatalf("marked %d sent", len(ob.sent))
	}
}

// Ops read the relay's log: each failed delivery names its dedupKey, an early stop says so, and a failure
// to record the failed attempt is a warning of its own (only then).
func TestRelayLogsToItsLogger(t *testing.T) {
	var buf bytes.Buffer
	q := &scriptedQueue{fail: func(int) bool { return true }}
	r, ob := relayWith(3, q)
	r.Log = slog.New(slog.NewJSONHandler(&buf, nil))
	if _, err := r.Sweep(context.Background(), SweepOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := logLines(t, &buf)
	var failed, stopped, recordFailed int
	for _, l := range lines {
		switch {
		case strings.Contains(l.Msg, "delivery failed") && strings.HasPrefix(l.DedupKey, "ticket:T"):
			failed++
		case strings.Contains(l.Msg, "stopping early"):
			stopped++
		case strings.Contains(l.Msg, "recording the failed attempt failed"):
			recordFailed++
		}
	}
	if failed != 3 || stopped != 1 || recordFailed != 0 {
		t.Fatalf("log %d failed, %d stopped, %d record-failed; want 3, 1, 0:\n%s", failed, stopped, recordFailed, buf.String())
	}

	buf.Reset()
	r.Outbox = brokenOutbox{memOutbox: ob, recordErr: errors.New("throttled")}
	if err := r.Deliver(context.Background(), ob.pending[0]); !errors.Is(err, ErrSendFailed) {
		t.Fatalf("Deliver = %v", err)
	}
	if !strings.Contains(buf.String(), "recording the failed attempt failed") {
		t.Fatalf("a failed RecordFailure is not logged:\n%s", buf.String())
	}
}

// The consumer's "escalation processed" line is how ops find what happened to one escalation.
func TestConsumerLogsEachProcessedEscalation(t *testing.T) {
	var buf bytes.Buffer
	c := &Consumer{Ledger: &memLedger{records: map[string]bool{}}, Tickets: &memTickets{escalations: map[string][]string{}},
		Notifier: &memNotifier{}, Log: slog.New(slog.NewJSONHandler(&buf, nil))}
	e := sample()
	if _, err := c.Process(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	lines := logLines(t, &buf)
	if len(lines) != 1 || lines[0].Msg != "escalation processed" || lines[0].DedupKey != e.DedupKey {
		t.Fatalf("log:\n%s", buf.String())
	}
}

type logLine struct {
	Msg      string `json:"msg"`
	DedupKey string `json:"dedupKey"`
}

func logLines(t *testing.T, buf *bytes.Buffer) []logLine {
	t.Helper()
	var out []logLine
	for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if raw == "" {
			continue
		}
		var l logLine
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("log line %q: %v", raw, err)
		}
		out = append(out, l)
	}
	return out
}
