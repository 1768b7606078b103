package escalationlambda_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationlambda"
)

// The sample events for `sam local invoke` stay in the format the code reads.
func TestSampleEventsMatchTheMessageFormat(t *testing.T) {
	root := filepath.Join("..", "..", "..", "events")
	var stream events.DynamoDBEvent
	readJSON(t, filepath.Join(root, "escalation-relay", "outbox-stream-insert.json"), &stream)
	if len(stream.Records) != 1 {
		t.Fatalf("stream sample has %d records", len(stream.Records))
	}
	item, err := escalationlambda.ItemFromImage(stream.Records[0].Change.NewImage)
	if err != nil {
		t.Fatal(err)
	}
	fromStream, err := dynamostore.EscalationFromItem(item)
	if err != nil {
		t.Fatalf("stream sample is not a valid outbox item: %v", err)
	}

	for name, wantPoison := range map[string]int{"service-recovery.json": 0, "ticket-urgent.json": 0, "batch-with-poison.json": 1} {
		var ev events.SQSEvent
		readJSON(t, filepath.Join(root, "escalation-consumer", name), &ev)
		poison := 0
		for _, r := range ev.Records {
			attrs := map[string]string{}
			for k, v := range r.MessageAttributes {
				attrs[k] = *v.StringValue
			}
			e, err := escalation.Decode(escalation.Message{Body: r.Body, Attributes: attrs})
			switch {
			case errors.Is(err, escalation.ErrMalformed):
				poison++
			case err != nil:
				t.Fatalf("%s: %v", name, err)
			case name == "ticket-urgent.json" && e != fromStream:
				t.Errorf("the consumer sample is not what the relay sample sends:\n%+v\n%+v", e, fromStream)
			}
		}
		if poison != wantPoison {
			t.Errorf("%s: %d malformed records, want %d", name, poison, wantPoison)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
