package escalationlambda_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
)

// deadlineLedger is the real ledger, except that MarkNotified fails the way an invocation whose deadline
// passed right after SNS accepted the publish does.
type deadlineLedger struct {
	escalation.Ledger
	expired bool
}

func (l *deadlineLedger) MarkNotified(ctx context.Context, dedupKey string, at time.Time) error {
	if l.expired {
		return context.DeadlineExceeded
	}
	return l.Ledger.MarkNotified(ctx, dedupKey, at)
}

// Notifications are at least once. The consumer publishes, then times out before it records that it did;
// the redelivery publishes again. Both notifications carry the same dedupKey as an attribute and in the
// body, so a subscriber that drops repeats by dedupKey acts once. Once recorded, nothing publishes again.
func TestConsumerTimeoutAfterPublishRepeatsTheNotificationWithItsDedupKey(t *testing.T) {
	msg := testenv.Messaging(t)
	f := newFlow(t, testenv.DynamoDB(t), msg)
	notifications := escalationtest.Subscribe(t, msg.SQS, msg.SNS, msg.TopicARN("EscalationTopic"), fmt.Sprintf("tg-dedup-%d", time.Now().UnixNano()), "")
	id := f.fileUrgentComplaint(t, "budi")
	if res := f.sweep(t); res.Sent != 1 {
		t.Fatalf("sweep: %+v", res)
	}
	var payloads [][]byte
	p := f.poller(msg.QueueURL("EscalationQueue"), &payloads)

	ledger := &deadlineLedger{Ledger: f.consumer.Consumer.Ledger, expired: true}
	f.consumer.Consumer.Ledger = ledger
	if n, err := p.PollOnce(t.Context()); err != nil || n != 1 {
		t.Fatalf("first delivery: %d %v", n, err)
	}
	var first struct {
		BatchItemFailures []struct{ ItemIdentifier string } `json:"batchItemFailures"`
	}
	last, err := f.invokeConsumer(t.Context(), payloads[0]) // the redelivery, still timing out
	if err != nil || json.Unmarshal(last, &first) != nil || len(first.BatchItemFailures) != 1 {
		t.Fatalf("a timed-out message must fail for redelivery: %s %v", last, err)
	}

	ledger.expired = false
	for range 2 { // the redelivery that succeeds, then a duplicate delivery after success
		if _, err := f.invokeConsumer(t.Context(), payloads[0]); err != nil {
			t.Fatal(err)
		}
	}
	got := notifications.Drain(t, 2*time.Second)
	if len(got) != 3 {
		t.Fatalf("%d notifications; want 3 (published by the two timed-out deliveries and the one that recorded it)", len(got))
	}
	seen := map[string]int{}
	for _, n := range got {
		if n.Attributes["dedupKey"] == "" || n.Attributes["dedupKey"] != n.DedupKey() {
			t.Fatalf("dedupKey attribute %q, body %q", n.Attributes["dedupKey"], n.DedupKey())
		}
		seen[n.Attributes["dedupKey"]]++
	}
	want := escalation.DedupKey(escalation.SubjectTicket, id, escalation.ReasonPriorityUrgent)
	if len(seen) != 1 || seen[want] != 3 {
		t.Fatalf("a subscriber dropping repeats by dedupKey sees %v, want only %s", seen, want)
	}
	if _, entries := f.opsView(t, id); entries != 1 {
		t.Fatalf("escalated timeline entries: %d, want 1 (only the notification repeats)", entries)
	}
}
