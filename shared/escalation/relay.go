package escalation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/tanggap/tanggap/shared/platform/outbox"
)

// Outbox holds escalations that the write which caused them stored for sending.
type Outbox interface {
	// ListPending returns up to limit pending escalations filed at or before createdBefore, oldest first; an
	// escalation is filed when created and again at each failed send (RecordFailure). Items it cannot read
	// are logged and left out, so one bad item cannot stall the rest.
	ListPending(ctx context.Context, createdBefore time.Time, limit int) ([]Escalation, error)
	// MarkSent moves a pending escalation to sent. It reports false when the item was not pending any more
	// (another relay run sent it first); that is not an error.
	MarkSent(ctx context.Context, dedupKey, messageID string, at time.Time) (bool, error)
	// RecordFailure counts a failed send on a pending escalation, for ops to see (cause is a short code), and
	// files it again at at: behind the escalations filed earlier, so the listing moves on past those that keep failing.
	RecordFailure(ctx context.Context, dedupKey string, at time.Time, cause string) error
}

// Publisher puts escalations on the escalation queue.
type Publisher interface {
	// Send enqueues e and returns the queue's message id.
	Send(ctx context.Context, e Escalation) (messageID string, err error)
}

// Relay moves escalations from the outbox to the queue. Delivery is at least once: a crash between Send and
// MarkSent sends again later, and the consumer absorbs the duplicate by its dedupKey.
type Relay struct {
	Outbox    Outbox
	Publisher Publisher
	Now       func() time.Time
	Log       *slog.Logger
}

// ErrSendFailed wraps a failed Send: the escalation stays pending for the next attempt.
var ErrSendFailed = errors.New("escalation not sent")

// Deliver sends one pending escalation and marks it sent.
func (r *Relay) Deliver(ctx context.Context, e Escalation) error {
	id, err := r.Publisher.Send(ctx, e)
	if err != nil {
		if ferr := r.Outbox.RecordFailure(ctx, e.DedupKey, r.now(), "send_failed"); ferr != nil {
			r.log().WarnContext(ctx, "escalation: recording the failed attempt failed", slog.String("dedupKey", e.DedupKey), slog.Any("err", ferr))
		}
		return fmt.Errorf("%w: %s: %w", ErrSendFailed, e.DedupKey, err)
	}
	marked, err := r.Outbox.MarkSent(ctx, e.DedupKey, id, r.now())
	if err != nil {
		// Sent but still pending: the next attempt sends a duplicate, which the consumer ignores.
		return fmt.Errorf("mark escalation %s sent: %w", e.DedupKey, err)
	}
	r.log().InfoContext(ctx, "escalation sent", slog.String("dedupKey", e.DedupKey), slog.String("team", string(e.Team)),
		slog.String("reason", string(e.Reason)), slog.String("messageId", id), slog.Bool("wasPending", marked))
	return nil
}

// SweepOptions bound one sweep; SweepResult says what it did.
type (
	SweepOptions = outbox.SweepOptions
	SweepResult  = outbox.SweepResult
)

// Sweep sends pending escalations the stream path did not (e.g. while SQS was unavailable), oldest first,
// those that failed before after the others (outbox.Drain).
func (r *Relay) Sweep(ctx context.Context, o SweepOptions) (SweepResult, error) {
	return outbox.Drain[Escalation]{
		Kind: "escalation", List: r.Outbox.ListPending, Deliver: r.Deliver, Log: r.log(),
		ID:       func(e Escalation) slog.Attr { return slog.String("dedupKey", e.DedupKey) },
		FailedAt: func(e Escalation) time.Time { return e.LastFailedAt },
	}.Sweep(ctx, r.now(), o)
}

func (r *Relay) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Relay) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}
