// Package customereventlambda runs the customer event relay inside the outbox relay function: stream items
// that are customer events are published (and earn survey invitations), survey items mark an invitation
// answered, and the schedule sweeps what the stream path could not publish.
package customereventlambda

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/escalationlambda"
)

// Entities of the stream items this handler takes.
const (
	EventEntity  = "customer_event"
	SurveyEntity = "survey"
)

// Answers marks survey invitations answered.
type Answers interface {
	RecordAnswer(ctx context.Context, subject customerevent.SubjectType, subjectID string, at time.Time) (bool, error)
}

// Handler is the customer-event companion of the escalation relay.
type Handler struct {
	Relay   *customerevent.Relay
	Answers Answers
	// DecodeEvent reads a customer event item (dynamostore.CustomerEventFromItem); DecodeSurvey a survey item
	// (dynamostore.SurveyAnswerFromItem).
	DecodeEvent  func(map[string]types.AttributeValue) (customerevent.Event, error)
	DecodeSurvey func(map[string]types.AttributeValue) (customerevent.SubjectType, string, time.Time, error)
	Sweep        customerevent.SweepOptions
}

// ErrUnreadable wraps an item of our entity that does not decode; retrying cannot fix it, so the relay
// logs and skips it (escalationlambda.ErrSkip).
var ErrUnreadable = fmt.Errorf("customer event relay: unreadable item: %w", escalationlambda.ErrSkip)

// HandleItem processes one new stream item of its entities; handled is false for any other item.
func (h *Handler) HandleItem(ctx context.Context, item map[string]types.AttributeValue) (bool, error) {
	entity, _ := item["entity"].(*types.AttributeValueMemberS)
	if entity == nil {
		return false, nil
	}
	switch entity.Value {
	case EventEntity:
		e, err := h.DecodeEvent(item)
		if err != nil {
			return true, fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
		return true, h.Relay.Deliver(ctx, e)
	case SurveyEntity:
		subject, id, at, err := h.DecodeSurvey(item)
		if err != nil {
			return true, fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
		_, err = h.Answers.RecordAnswer(ctx, subject, id, at)
		return true, err
	}
	return false, nil
}

var _ escalationlambda.Companion = (*Handler)(nil)

// SweepAll publishes pending events the stream path did not.
func (h *Handler) SweepAll(ctx context.Context) (any, error) {
	return h.Relay.Sweep(ctx, h.Sweep)
}
