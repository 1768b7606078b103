// Package outbox drains messages that a change stored in its own transaction (escalations, customer events):
// a sweep delivers those the stream path missed, and ids are checked before they become keys and attributes.
package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"
	"unicode"
)

// MaxKeyLength bounds ids and dedup keys: they end up in DynamoDB keys and SQS/SNS message attributes.
const MaxKeyLength = 512

// CheckKey returns what is wrong with an id or dedup key, or "".
func CheckKey(s string) string {
	switch {
	case s == "":
		return "is required"
	case len(s) > MaxKeyLength:
		return fmt.Sprintf("is longer than %d bytes", MaxKeyLength)
	}
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return "has whitespace or control characters"
		}
	}
	return ""
}

// SweepOptions bound one sweep.
type SweepOptions struct {
	// Limit is the most messages one run delivers (default 100).
	Limit int
	// MinAge leaves messages younger than this to the stream path, so both rarely deliver the same one.
	MinAge time.Duration
	// MaxConsecutiveFailures ends the run early when the destination looks down (default 3).
	MaxConsecutiveFailures int
}

// SweepResult says what one sweep did.
type SweepResult struct {
	Found  int `json:"found"`
	Sent   int `json:"sent"`
	Failed int `json:"failed"`
}

// Drain delivers the pending messages of one outbox.
type Drain[T any] struct {
	Kind    string                                                              // names the messages in logs and errors, e.g. "escalation"
	List    func(ctx context.Context, before time.Time, limit int) ([]T, error) // pending at or before, oldest first
	Deliver func(ctx context.Context, m T) error                                // sends one and marks it sent
	ID      func(m T) slog.Attr                                                 // identifies a message in logs
	Log     *slog.Logger
	// FailedAt is when delivering m last failed (zero: never; nil: no message ever failed).
	FailedAt func(m T) time.Time
}

// Sweep delivers pending messages older than o.MinAge: those that never failed first, oldest first, then the
// others, the least recently failed first. A failed delivery leaves the message pending for the next run,
// behind every message that failed less recently; the run goes on with the others unless several fail in a
// row (the destination looks down). So messages that keep failing cannot hold up the ones behind them: each
// failure sends a message to the back of the next run. The stores also file a failed message again under the
// failure's time, so the next List moves on past it. With more failing messages than o.Limit ahead of a
// message, a run still stops after the streak, so they move back a streak's worth a run until the listing
// reaches it. The error is non-nil only when the outbox itself could not be read.
func (d Drain[T]) Sweep(ctx context.Context, now time.Time, o SweepOptions) (SweepResult, error) {
	if o.Limit <= 0 {
		o.Limit = 100
	}
	if o.MaxConsecutiveFailures <= 0 {
		o.MaxConsecutiveFailures = 3
	}
	pending, err := d.List(ctx, now.Add(-o.MinAge), o.Limit)
	if err != nil {
		return SweepResult{}, fmt.Errorf("list pending %ss: %w", d.Kind, err)
	}
	if d.FailedAt != nil {
		sort.SliceStable(pending, func(i, j int) bool { return d.FailedAt(pending[i]).Before(d.FailedAt(pending[j])) })
	}
	res := SweepResult{Found: len(pending)}
	streak := 0
	for _, m := range pending {
		if ctx.Err() != nil {
			break
		}
		if err := d.Deliver(ctx, m); err != nil {
			res.Failed++
			streak++
			d.Log.WarnContext(ctx, d.Kind+" sweep: delivery failed", d.ID(m), slog.Any("err", err))
			if streak >= o.MaxConsecutiveFailures {
				d.Log.WarnContext(ctx, d.Kind+" sweep: stopping early, the destination looks unavailable", slog.Int("failed", res.Failed))
				break
			}
			continue
		}
		streak = 0
		res.Sent++
	}
	return res, nil
}
