package escalationlambda

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/escalation"
)

// Pure adapter tests: event shapes and conversions. The flows against the real services are in flow_test.go.

type nopOutbox struct{ listed int }

func (o *nopOutbox) ListPending(context.Context, time.Time, int) ([]escalation.Escalation, error) {
	o.listed++
	return nil, nil
}
func (*nopOutbox) MarkSent(context.Context, string, string, time.Time) (bool, error) {
	return true, nil
}
func (*nopOutbox) RecordFailure(context.Context, string, time.Time, string) error { return nil }

type countingQueue struct{ sent []string }

func (q *countingQueue) Send(_ context.Context, e escalation.Escalation) (string, error) {
	q.sent = append(q.sent, e.DedupKey)
	return "m", nil
}

func newTestRelay() (*Relay, *nopOutbox, *countingQueue) {
	ob, q := &nopOutbox{}, &countingQueue{}
	decode := func(item map[string]types.AttributeValue) (escalation.Escalation, error) {
		k, _ := item["dedupKey"].(*types.AttributeValueMemberS)
		if k == nil {
			return escalation.Escalation{}, errors.New("no key")
		}
		return escalation.Escalation{DedupKey: k.Value}, nil
	}
	return &Relay{Relay: &escalation.Relay{Outbox: ob, Publisher: q}, Decode: decode}, ob, q
}

func TestRelayTellsEventsApart(t *testing.T) {
	h, ob, q := newTestRelay()
	for _, bad := range []string{`"text"`, `{}`, `{"Records": null}`, `{"source": "aws.s3"}`, `[1]`, `nope`} {
		if _, err := h.Handle(context.Background(), json.RawMessage(bad)); !errors.Is(err, ErrUnknownEvent) {
			t.Errorf("%s: %v, want ErrUnknownEvent", bad, err)
		}
	}
	out, err := h.Handle(context.Background(), json.RawMessage(`{"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","detail":{}}`))
	if _, ok := out.(SweepResponse); err != nil || !ok || ob.listed != 1 {
		t.Fatalf("schedule: %T %v listed=%d", out, err, ob.listed)
	}
	stream := `{"Records":[{"eventName":"INSERT","eventSource":"aws:dynamodb","dynamodb":{"SequenceNumber":"1",` +
		`"NewImage":{"entity":{"S":"escalation_outbox"},"dedupKey":{"S":"k1"}}}}]}`
	out, err = h.Handle(context.Background(), json.RawMessage(stream))
	if resp, ok := out.(events.DynamoDBEventResponse); err != nil || !ok || len(resp.BatchItemFailures) != 0 || len(q.sent) != 1 {
		t.Fatalf("stream: %#v %v sent=%v", out, err, q.sent)
	}
}

func TestStreamSkipsWhatIsNotANewOutboxItem(t *testing.T) {
	h, _, q := newTestRelay()
	outbox := map[string]events.DynamoDBAttributeValue{"entity": events.NewStringAttribute("escalation_outbox"), "dedupKey": events.NewStringAttribute("k")}
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{
		{EventName: "MODIFY", Change: events.DynamoDBStreamRecord{SequenceNumber: "1", NewImage: outbox}},
		{EventName: "REMOVE", Change: events.DynamoDBStreamRecord{SequenceNumber: "2"}},
		{EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: "3", NewImage: map[string]events.DynamoDBAttributeValue{
			"entity": events.NewStringAttribute("ticket")}}},
		{EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: "4", NewImage: map[string]events.DynamoDBAttributeValue{
			"entity": events.NewNumberAttribute("7")}}},
		{EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: "5", NewImage: map[string]events.DynamoDBAttributeValue{
			"entity": events.NewStringAttribute("escalation_outbox")}}}, // undecodable: logged, skipped
		{EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: "6", NewImage: outbox}},
	}}
	resp, err := h.HandleStream(context.Background(), ev)
	if err != nil || len(resp.BatchItemFailures) != 0 || len(q.sent) != 1 || q.sent[0] != "k" {
		t.Fatalf("%+v %v %v", resp, err, q.sent)
	}
}

func TestItemFromImageConvertsEveryType(t *testing.T) {
	image := map[string]events.DynamoDBAttributeValue{
		"s": events.NewStringAttribute("x"), "n": events.NewNumberAttribute("1.5"), "b": events.NewBinaryAttribute([]byte{1}),
		"t": events.NewBooleanAttribute(true), "null": events.NewNullAttribute(), "ss": events.NewStringSetAttribute([]string{"a"}),
		"ns": events.NewNumberSetAttribute([]string{"2"}), "bs": events.NewBinarySetAttribute([][]byte{{3}}),
		"l": events.NewListAttribute([]events.DynamoDBAttributeValue{events.NewStringAttribute("y")}),
		"m": events.NewMapAttribute(map[string]events.DynamoDBAttributeValue{"k": events.NewNumberAttribute("3")}),
	}
	item, err := ItemFromImage(image)
	if err != nil || len(item) != len(image) {
		t.Fatalf("%v %v", item, err)
	}
	if s := item["s"].(*types.AttributeValueMemberS); s.Value != "x" {
		t.Error("S")
	}
	if m := item["m"].(*types.AttributeValueMemberM); m.Value["k"].(*types.AttributeValueMemberN).Value != "3" {
		t.Error("M")
	}
	if l := item["l"].(*types.AttributeValueMemberL); l.Value[0].(*types.AttributeValueMemberS).Value != "y" {
		t.Error("L")
	}
	if _, ok := item["null"].(*types.AttributeValueMemberNULL); !ok {
		t.Error("NULL")
	}
	if bs := item["bs"].(*types.AttributeValueMemberBS); len(bs.Value) != 1 || bs.Value[0][0] != 3 {
		t.Error("BS")
	}
}
