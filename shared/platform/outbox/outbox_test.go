package outbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
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
}

func (b *fakeBox) drain() Drain[string] {
	return Drain[string]{
		Kind: "test message",
		List: func(_ context.Context, before time.Time, limit int) ([]string, error) {
			b.before, b.limit = before, limit
			if b.listErr != nil {
				return nil, b.listErr
			}
			return b.pending, nil
		},
		Deliver: func(_ context.Context, m string) error {
			if b.failing[m] {
				return errors.New("down")
			}
			b.sent = append(b.sent, m)
			return nil
		},
		ID:  func(m string) slog.Attr { return slog.String("id", m) },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
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
