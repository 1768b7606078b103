package customerevent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/tanggap/tanggap/shared/platform/outbox"
)

// Outbox holds the events that changes stored for publishing.
type Outbox interface {
	// ListPending returns up to limit pending events filed at or before before, oldest first; an event is
	// filed when it happens and again at each failed publish (RecordFailure). Items it cannot read are logged
	// and left out, so one bad item cannot stall the rest.
	ListPending(ctx context.Context, before time.Time, limit int) ([]Event, error)
	// MarkSent moves a pending event to sent; false when it was not pending any more (sent by another run).
	MarkSent(ctx context.Context, e Event, messageID string, at time.Time) (bool, error)
	// RecordFailure counts a failed publish on a pending event, for ops to see (cause is a short code), and
	// files it again at at: behind the events filed earlier, so the listing moves on past those that keep failing.
	RecordFailure(ctx context.Context, e Event, at time.Time, cause string) error
}

// Publisher puts an event on CustomerEventsTopic.
type Publisher interface {
	Publish(ctx context.Context, e Event) (messageID string, err error)
}

// Invitations invites customers to rate a subject, once per subject.
type Invitations interface {
	// Invite stores inv (a survey.invited event) with the subject's invitation record in one transaction,
	// unless the subject was invited before or already has a survey; it reports whether it did.
	Invite(ctx context.Context, inv Event) (bool, error)
}

// Relay publishes stored events. Delivery is at least once: a crash between Publish and MarkSent publishes
// again later, and subscribers drop the repeat by event id. An event that earns a survey invitation stores
// the invitation before it is marked sent, so a failed invitation is tried again with the event.
type Relay struct {
	Outbox      Outbox
	Publisher   Publisher
	Invitations Invitations
	Now         func() time.Time
	Log         *slog.Logger
}

// ErrPublishFailed wraps a failed publish or invitation: the event stays pending for the next attempt.
var ErrPublishFailed = errors.New("customer event not published")

// Deliver invites (when e earns it), publishes e and marks it sent.
func (r *Relay) Deliver(ctx context.Context, e Event) error {
	if e.Type.InvitesSurvey() && r.Invitations != nil {
		if _, err := r.Invitations.Invite(ctx, Invitation(e)); err != nil {
			r.recordFailure(ctx, e, "invite_failed")
			return fmt.Errorf("%w: %s: invite: %w", ErrPublishFailed, e.ID, err)
		}
	}
	id, err := r.Publisher.Publish(ctx, e)
	if err != nil {
		r.recordFailure(ctx, e, "publish_failed")
		return fmt.Errorf("%w: %s: %w", ErrPublishFailed, e.ID, err)
	}
	marked, err := r.Outbox.MarkSent(ctx, e, id, r.now())
	if err != nil {
		// Published but still pending: the next attempt publishes a duplicate, which subscribers drop.
		return fmt.Errorf("mark customer event %s sent: %w", e.ID, err)
	}
	r.log().InfoContext(ctx, "customer event published", slog.String("eventId", e.ID), slog.String("type", string(e.Type)),
		slog.String("messageId", id), slog.Bool("wasPending", marked))
	return nil
}

func (r *Relay) recordFailure(ctx context.Context, e Event, cause string) {
	if err := r.Outbox.RecordFailure(ctx, e, r.now(), cause); err != nil {
		r.log().WarnContext(ctx, "customer event: recording the failed attempt failed", slog.String("eventId", e.ID), slog.Any("err", err))
	}
}

// SweepOptions bound one sweep; SweepResult says what it did.
type (
	SweepOptions = outbox.SweepOptions
	SweepResult  = outbox.SweepResult
)

// Sweep publishes pending events the stream path did not (e.g. while SNS was down), oldest first, those that
// failed before after the others (outbox.Drain).
func (r *Relay) Sweep(ctx context.Context, o SweepOptions) (SweepResult, error) {
	return outbox.Drain[Event]{
		Kind: "customer event", List: r.Outbox.ListPending, Deliver: r.Deliver, Log: r.log(),
		ID:       func(e Event) slog.Attr { return slog.String("eventId", e.ID) },
		FailedAt: func(e Event) time.Time { return e.LastFailedAt },
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
