package escalation

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/tanggap/tanggap/shared/metrics"
)

// Ledger is the consumer's record of escalations it has processed, one per dedupKey.
type Ledger interface {
	// Record stores the escalation as processed (and counts it in the metrics) unless it already is, and
	// says what is known about it.
	Record(ctx context.Context, e Escalation, at time.Time) (Recorded, error)
	// MarkNotified notes that the team was notified.
	MarkNotified(ctx context.Context, dedupKey string, at time.Time) error
}

// Recorded is the state of a processed escalation.
type Recorded struct {
	First    bool // this call recorded it; false for a redelivery
	Notified bool // the team was already notified
}

// TicketEscalations marks a ticket escalated (status, team, timeline entry). The tickets store implements it;
// applied is false when the ticket already carries this dedupKey's escalation.
type TicketEscalations interface {
	RecordEscalation(ctx context.Context, ticketID, dedupKey, team string, at time.Time) (applied bool, err error)
}

// Notifier tells ops about an escalation.
type Notifier interface {
	Notify(ctx context.Context, e Escalation) error
}

// Consumer processes escalations from the queue. Every step is idempotent by dedupKey and each runs again on
// redelivery, so a message that failed half-way is completed by its next delivery, and one that succeeded
// changes nothing and notifies nobody the second time.
//
// The notification is the one step that is at least once, not exactly once: SNS has no conditional
// publish, so an invocation that published and then timed out (or failed) before MarkNotified publishes
// again on redelivery. Every notification carries the dedupKey (attribute and body) so subscribers can
// drop the repeat. The ticket update, the processed record and the escalation count are exactly once.
type Consumer struct {
	Ledger   Ledger
	Tickets  TicketEscalations
	Notifier Notifier
	Now      func() time.Time
	Log      *slog.Logger
	// Metrics receives a business metric line (EMF) per escalation recorded, by team; nil writes none.
	Metrics io.Writer
}

// Outcome says what processing one escalation did.
type Outcome struct {
	TicketUpdated bool
	FirstRecord   bool
	Notified      bool // a notification was published by this call
}

// Process records e on its ticket, in the ledger, and notifies the team once.
func (c *Consumer) Process(ctx context.Context, e Escalation) (Outcome, error) {
	if err := e.Validate(); err != nil {
		return Outcome{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	var out Outcome
	if e.TicketID != "" {
		applied, err := c.Tickets.RecordEscalation(ctx, e.TicketID, e.DedupKey, string(e.Team), now)
		if err != nil {
			return out, fmt.Errorf("record escalation %s on ticket %s: %w", e.DedupKey, e.TicketID, err)
		}
		out.TicketUpdated = applied
	}
	rec, err := c.Ledger.Record(ctx, e, now)
	if err != nil {
		return out, fmt.Errorf("record escalation %s: %w", e.DedupKey, err)
	}
	out.FirstRecord = rec.First
	if rec.First {
		metrics.CountEvent(ctx, c.Metrics, now, metrics.EscalationsMetric, "escalations",
			metrics.Dimension{Name: "Team", Value: string(e.Team)})
	}
	if !rec.Notified {
		if err := c.Notifier.Notify(ctx, e); err != nil {
			return out, fmt.Errorf("notify %s about %s: %w", e.Team, e.DedupKey, err)
		}
		out.Notified = true
		// A failure (or a timeout) from here on means the next delivery notifies again: at least once,
		// never zero times. Subscribers drop the repeat by dedupKey.
		if err := c.Ledger.MarkNotified(ctx, e.DedupKey, now); err != nil {
			return out, fmt.Errorf("mark %s notified: %w", e.DedupKey, err)
		}
	}
	log := c.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "escalation processed", slog.String("dedupKey", e.DedupKey), slog.String("team", string(e.Team)),
		slog.String("reason", string(e.Reason)), slog.Bool("ticketUpdated", out.TicketUpdated),
		slog.Bool("firstRecord", out.FirstRecord), slog.Bool("notified", out.Notified))
	return out, nil
}
