// Package customereventlambda runs the customer event relay inside the outbox relay function: stream items
// that are customer events are published (and earn survey invitations), and the schedule sweeps what the
// stream path could not publish. (A survey marks its invitation answered in its own transaction.)
package customereventlambda

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/escalation/escalationlambda"
)

// EventEntity is the entity of the stream items this handler takes.
const EventEntity = "customer_event"

// Handler is the customer-event companion of the escalation relay.
type Handler struct {
	Relay *customerevent.Relay
	// DecodeEvent reads a customer event item (dynamostore.CustomerEventFromItem).
	DecodeEvent func(map[string]types.AttributeValue) (customerevent.Event, error)
	Sweep       customerevent.SweepOptions
}

// ErrUnreadable wraps an item of our entity that does not decode; retrying cannot fix it, so the relay
// logs and skips it (escalationlambda.ErrSkip).
var ErrUnreadable = fmt.Errorf("customer event relay: unreadable item: %w", escalationlambda.ErrSkip)

// HandleItem processes one new stream item of its entities; handled is false for any other item.
func (h *Handler) HandleItem(ctx context.Context, item map[string]types.AttributeValue) (bool, error) {
	entity, _ := item["entity"].(*types.AttributeValueMemberS)
	if entity == nil || entity.Value != EventEntity {
		return false, nil
	}
	e, err := h.DecodeEvent(item)
	if err != nil {
		return true, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	return true, h.Relay.Deliver(ctx, e)
}

var _ escalationlambda.Companion = (*Handler)(nil)

// SweepAll publishes pending events the stream path did not.
func (h *Handler) SweepAll(ctx context.Context) (any, error) {
	return h.Relay.Sweep(ctx, h.Sweep)
}
