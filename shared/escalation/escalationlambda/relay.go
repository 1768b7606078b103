// Package escalationlambda adapts the escalation relay and consumer to their Lambda events: the relay to a
// DynamoDB stream batch or a scheduled sweep, the consumer to an SQS batch with partial-batch responses.
package escalationlambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/logging"
)

// OutboxEntity is the entity attribute of outbox items; other stream records are ignored.
const OutboxEntity = "escalation_outbox"

// Relay handles both of the relay's triggers.
type Relay struct {
	Relay *escalation.Relay
	// Decode reads an outbox item from a stream record's NewImage (dynamostore.EscalationFromItem).
	Decode func(map[string]types.AttributeValue) (escalation.Escalation, error)
	Sweep  escalation.SweepOptions
	Log    *slog.Logger
	// Companions are other outboxes on the same stream and schedule (customer events): each takes the new
	// items of its own entities, and sweeps its own pending items after the escalation sweep.
	Companions []Companion
}

// Companion relays another kind of outbox item from the same stream and schedule.
type Companion interface {
	// HandleItem processes one new stream item; handled is false when the item is not one of its entities.
	// An error means "try again": the record is reported as the batch's failure.
	HandleItem(ctx context.Context, item map[string]types.AttributeValue) (handled bool, err error)
	// SweepAll sends what the stream path did not; the result shows in the scheduled run's response.
	SweepAll(ctx context.Context) (any, error)
}

// SweepResponse is what a scheduled run returns (EventBridge ignores it; it shows in local runs and tests).
type SweepResponse struct {
	Sweep      escalation.SweepResult `json:"sweep"`
	Companions []any                  `json:"companions,omitempty"`
}

// ErrUnknownEvent is returned for a payload that is neither a DynamoDB stream batch nor a scheduled event.
var ErrUnknownEvent = errors.New("escalation relay: unrecognised event")

// Handle tells the two payloads apart by shape: a stream batch has "Records", a schedule has
// "source": "aws.events".
func (h *Relay) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	ctx = withRequestID(ctx)
	var probe struct {
		Records    json.RawMessage `json:"Records"`
		Source     string          `json:"source"`
		DetailType string          `json:"detail-type"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnknownEvent, err)
	}
	switch {
	case len(probe.Records) > 0 && string(probe.Records) != "null":
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("%w: stream batch: %v", ErrUnknownEvent, err)
		}
		return h.HandleStream(ctx, ev)
	case probe.Source == "aws.events":
		res, err := h.Relay.Sweep(ctx, h.Sweep)
		if err != nil {
			return nil, err
		}
		level := slog.LevelInfo
		if res.Found == 0 {
			level = slog.LevelDebug // an idle sweep every minute is not news
		}
		h.log().Log(ctx, level, "escalation sweep done", slog.Int("found", res.Found), slog.Int("sent", res.Sent), slog.Int("failed", res.Failed))
		out := SweepResponse{Sweep: res}
		for _, c := range h.Companions {
			cres, err := c.SweepAll(ctx)
			if err != nil {
				return nil, err
			}
			h.log().Log(ctx, level, "outbox sweep done", slog.Any("result", cres))
			out.Companions = append(out.Companions, cres)
		}
		return out, nil
	default:
		return nil, ErrUnknownEvent
	}
}

// HandleStream sends the outbox items inserted in a stream batch. Lambda resumes a stream batch from the
// first reported failure, so the handler stops at the first escalation it cannot send and reports that
// record; the records after it come again in the retry. Records that are not new outbox items are skipped,
// and so are unreadable ones (retrying cannot fix them; they are logged as errors).
func (h *Relay) HandleStream(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	resp := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	for _, rec := range ev.Records {
		if rec.EventName != string(events.DynamoDBOperationTypeInsert) {
			continue
		}
		item, err := ItemFromImage(rec.Change.NewImage)
		if err != nil {
			h.log().ErrorContext(ctx, "escalation relay: unreadable stream image skipped", slog.String("eventId", rec.EventID), slog.Any("err", err))
			continue
		}
		if entity, _ := item["entity"].(*types.AttributeValueMemberS); entity == nil || entity.Value != OutboxEntity {
			if err := h.companion(ctx, item); err != nil {
				h.log().WarnContext(ctx, "outbox relay: delivery failed; the stream retries and the sweep catches up",
					slog.String("eventId", rec.EventID), slog.Any("err", err))
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
				return resp, nil
			}
			continue
		}
		e, err := h.Decode(item)
		if err != nil {
			h.log().ErrorContext(ctx, "escalation relay: invalid outbox item skipped", slog.String("eventId", rec.EventID), slog.Any("err", err))
			continue
		}
		if err := h.Relay.Deliver(ctx, e); err != nil {
			h.log().WarnContext(ctx, "escalation relay: delivery failed; the stream retries and the sweep catches up",
				slog.String("dedupKey", e.DedupKey), slog.Any("err", err))
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
			return resp, nil
		}
	}
	return resp, nil
}

// companion hands item to the companion that owns its entity. An item nobody owns is skipped, and so is one
// its owner cannot read (ErrUnreadable-like failures are logged by the companion's caller as errors).
func (h *Relay) companion(ctx context.Context, item map[string]types.AttributeValue) error {
	for _, c := range h.Companions {
		handled, err := c.HandleItem(ctx, item)
		if !handled {
			continue
		}
		if errors.Is(err, ErrSkip) {
			h.log().ErrorContext(ctx, "outbox relay: unreadable item skipped", slog.Any("err", err))
			return nil
		}
		return err
	}
	return nil
}

// ErrSkip is wrapped by a companion's error for an item that retrying cannot fix: it is logged and skipped.
var ErrSkip = errors.New("outbox item skipped")

func (h *Relay) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.Default()
}

func withRequestID(ctx context.Context) context.Context {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return logging.WithAttrs(ctx, slog.String("awsRequestId", lc.AwsRequestID))
	}
	return ctx
}

// ItemFromImage converts a stream image to SDK attribute values.
func ItemFromImage(image map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(image))
	for k, v := range image {
		av, err := attributeValue(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = av
	}
	return out, nil
}

func attributeValue(v events.DynamoDBAttributeValue) (types.AttributeValue, error) {
	switch v.DataType() {
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: v.String()}, nil
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: v.Number()}, nil
	case events.DataTypeBinary:
		return &types.AttributeValueMemberB{Value: v.Binary()}, nil
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: v.Boolean()}, nil
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: v.StringSet()}, nil
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: v.NumberSet()}, nil
	case events.DataTypeBinarySet:
		return &types.AttributeValueMemberBS{Value: v.BinarySet()}, nil
	case events.DataTypeList:
		list := v.List()
		out := make([]types.AttributeValue, len(list))
		for i, e := range list {
			av, err := attributeValue(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = av
		}
		return &types.AttributeValueMemberL{Value: out}, nil
	case events.DataTypeMap:
		m, err := ItemFromImage(v.Map())
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	}
	return nil, fmt.Errorf("unsupported attribute type %v", v.DataType())
}

// Consumer handles SQS batches for the escalation consumer.
type Consumer struct {
	Consumer *escalation.Consumer
	Log      *slog.Logger
}

// Handle processes each message on its own: a message that fails (malformed, or a dependency down) is
// reported in BatchItemFailures and comes back after the visibility timeout, then goes to the dead-letter
// queue after maxReceiveCount receives; the others are deleted.
func (h *Consumer) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	ctx = withRequestID(ctx)
	log := h.Log
	if log == nil {
		log = slog.Default()
	}
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, rec := range ev.Records {
		attrs := map[string]string{}
		for k, v := range rec.MessageAttributes {
			if v.StringValue != nil && strings.EqualFold(v.DataType, "String") {
				attrs[k] = *v.StringValue
			}
		}
		msgLog := log.With(slog.String("messageId", rec.MessageId), slog.String("receiveCount", rec.Attributes["ApproximateReceiveCount"]))
		e, err := escalation.Decode(escalation.Message{Body: rec.Body, Attributes: attrs})
		if err == nil {
			_, err = h.Consumer.Process(ctx, e)
		}
		if err != nil {
			level := slog.LevelWarn
			if errors.Is(err, escalation.ErrMalformed) {
				level = slog.LevelError // a poison message: it will end in the dead-letter queue
			}
			msgLog.Log(ctx, level, "escalation message failed", slog.Any("err", err))
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: rec.MessageId})
		}
	}
	return resp, nil
}
