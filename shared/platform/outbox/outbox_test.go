package outbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

type fakeBox struct {
	pending []string
	failing map[string]bool
	before  time.Time
	limit   int
	sent    []string
	listErr error
	// With a clock, the box records failures as the stores do (RecordFailure) and tells Drain about them.
	clock    *time.Time
	failedAt map[string]time.Time
	tried    []string
}

func (b *fakeBox) drain() Drain[string] {
	d := Drain[string]{
		Kind: "test message",
		List: func(_ context.Context, before time.Time, limit int) ([]string, error) {
			b.before, b.limit = before, limit
			if b.listErr != nil {
				return nil, b.listErr
			}
			return slices.Clone(b.pending), nil
		},
		Deliver: func(_ context.Context, m string) error {
			b.tried = append(b.tried, m)
			if b.failing[m] {
				if b.clock != nil {
					*b.clock = b.clock.Add(time.Millisecond)
					b.failedAt[m] = *b.clock
				}
				return errors.New("down")
			}
			b.sent = append(b.sent, m)
			b.pending = slices.DeleteFunc(b.pending, func(p string) bool { return p == m })
			return nil
		},
		ID:  func(m string) slog.Attr { return slog.String("id", m) },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if b.clock != nil {
		d.FailedAt = func(m string) time.Time { return b.failedAt[m] }
	}
	return d
}

// sweep runs one sweep a minute after the last and returns what it tried, in order.
func (b *fakeBox) sweep(t *testing.T) (SweepResult, string) {
	t.Helper()
	*b.clock = b.clock.Add(time.Minute)
	b.tried = nil
	res, err := b.drain().Sweep(t.Context(), *b.clock, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res, strings.Join(b.tried, ",")
}

func newClockedBox(pending []string, failing ...string) *fakeBox {
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	b := &fakeBox{pending: pending, failing: map[string]bool{}, clock: &clock, failedAt: map[string]time.Time{}}
	for _, m := range failing {
		b.failing[m] = true
	}
	return b
}

// Three poison messages at the head of the oldest-first list end the first run (they look like the destination
// being down); every later run tries them after the others, so the others go out on the next run.
func TestMessagesThatKeepFailingDoNotHoldUpTheOthers(t *testing.T) {
	b := newClockedBox([]string{"p1", "p2", "p3", "a", "b"}, "p1", "p2", "p3")
	if res, tried := b.sweep(t); tried != "p1,p2,p3" || res != (SweepResult{Found: 5, Failed: 3}) {
		t.Fatalf("first run tried %s: %+v", tried, res)
	}
	if res, tried := b.sweep(t); tried != "a,b,p1,p2,p3" || res != (SweepResult{Found: 5, Sent: 2, Failed: 3}) {
		t.Fatalf("second run tried %s: %+v", tried, res)
	}
	// A new message goes ahead of the poison ones too.
	b.pending = append(b.pending, "c")
	if _, tried := b.sweep(t); tried != "c,p1,p2,p3" || strings.Join(b.sent, ",") != "a,b,c" {
		t.Fatalf("third run tried %s, sent %v", tried, b.sent)
	}
}

// While the destination is down every run stops after the streak, and each run tries the messages that have
// waited longest since their last failure: none is starved, and none is tried twice before the others.
func TestAnOutageRotatesThroughThePendingMessages(t *testing.T) {
	all := []string{"a", "b", "c", "d", "e", "f", "g"}
	b := newClockedBox(slices.Clone(all), all...)
	var runs []string
	for range 4 {
		_, tried := b.sweep(t)
		runs = append(runs, tried)
	}
	if got := strings.Join(runs, " | "); got != "a,b,c | d,e,f | g,a,b | c,d,e" {
		t.Fatalf("runs %s", got)
	}
	// Back up: everything goes out on the next run, oldest failure first.
	b.failing = map[string]bool{}
	if res, tried := b.sweep(t); res.Sent != 7 || tried != "f,g,a,b,c,d,e" {
		t.Fatalf("after the outage tried %s: %+v", tried, res)
	}
}

func TestSweepGoesOnAfterAFailureAndStopsAfterAStreak(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	b := &fakeBox{pending: []string{"a", "b", "c", "d", "e", "f", "g"}, failing: map[string]bool{"b": true, "d": true, "e": true, "f": true}}
	res, err := b.drain().Sweep(t.Context(), now, SweepOptions{MinAge: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// b fails alone (the run goes on); d, e, f fail in a row (the default streak of 3 ends it before g).
	if res != (SweepResult{Found: 7, Sent: 2, Failed: 4}) || strings.Join(b.sent, ",") != "a,c" {
		t.Fatalf("result %+v, sent %v", res, b.sent)
	}
	if !b.before.Equal(now.Add(-time.Minute)) || b.limit != 100 {
		t.Fatalf("listed before %v limit %d, want %v and the default 100", b.before, b.limit, now.Add(-time.Minute))
	}

	b = &fakeBox{pending: []string{"a", "b", "c"}, failing: map[string]bool{"a": true, "b": true}}
	if res, _ := b.drain().Sweep(t.Context(), now, SweepOptions{Limit: 3, MaxConsecutiveFailures: 2}); res != (SweepResult{Found: 3, Sent: 0, Failed: 2}) || b.limit != 3 {
		t.Fatalf("streak of 2: %+v (limit %d)", res, b.limit)
	}
}

func TestSweepFailsOnlyWhenTheOutboxCannotBeRead(t *testing.T) {
	b := &fakeBox{listErr: errors.New("throttled")}
	if _, err := b.drain().Sweep(t.Context(), time.Now(), SweepOptions{}); err == nil || !strings.Contains(err.Error(), "test message") {
		t.Fatalf("err = %v, want the listing error naming the kind", err)
	}
}

func TestSweepStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	b := &fakeBox{pending: []string{"a", "b"}}
	if res, err := b.drain().Sweep(ctx, time.Now(), SweepOptions{}); err != nil || res != (SweepResult{Found: 2}) || len(b.sent) != 0 {
		t.Fatalf("%+v %v sent %v", res, err, b.sent)
	}
}

func TestCheckKey(t *testing.T) {
	for key, want := range map[string]string{
		"":                                  "is required",
		"ticket:TKT-1:urgent":               "",
		strings.Repeat("k", MaxKeyLength):   "",
		strings.Repeat("k", MaxKeyLength+1): "is longer than 512 bytes",
		"a b":                               "has whitespace or control characters",
		"a\x00b":                            "has whitespace or control characters",
		"a\u200bb":                          "has whitespace or control characters",
	} {
		if got := CheckKey(key); got != want {
			t.Errorf("CheckKey(%.20q) = %q, want %q", key, got, want)
		}
	}
}
