package dynamostore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
)

func escalationFor(id string, at time.Time) escalation.Escalation {
	return escalation.Escalation{
		DedupKey: escalation.DedupKey(escalation.SubjectTicket, id, escalation.ReasonPriorityHigh),
		Reason:   escalation.ReasonPriorityHigh, Team: escalation.TeamTechnical, Priority: escalation.PriorityHigh,
		SubjectType: escalation.SubjectTicket, SubjectID: id, TicketID: id, CustomerID: "budi", CreatedAt: at,
	}
}

func outboxItem(t *testing.T, env *testenv.DynamoEnv, key, sk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(env.SupportTable), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "ESCALATION#" + key}, "SK": &types.AttributeValueMemberS{Value: sk},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func sOf(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// The outbox contract the relay relies on: pending items oldest first up to a cut-off, sent once, failures
// counted only while pending.
func TestEscalationOutboxContract(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewEscalations(env.Client, env.SupportTable)
	ctx := context.Background()
	base := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	for _, i := range []int{2, 0, 1} { // inserted out of order
		queued, err := store.Enqueue(ctx, escalationFor(fmt.Sprintf("T%d", i), base.Add(time.Duration(i)*time.Minute)))
		if err != nil || !queued {
			t.Fatalf("enqueue T%d: %v %v", i, queued, err)
		}
	}
	if queued, err := store.Enqueue(ctx, escalationFor("T1", base)); err != nil || queued {
		t.Fatalf("same dedupKey again: queued=%v err=%v", queued, err)
	}
	bad := escalationFor("T9", base)
	bad.Team = "marketing"
	if _, err := store.Enqueue(ctx, bad); err == nil {
		t.Fatal("invalid escalation enqueued")
	}

	pending, err := store.ListPending(ctx, base.Add(time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || pending[0].SubjectID != "T0" || pending[1].SubjectID != "T1" {
		t.Fatalf("pending up to +1m: %+v", pending)
	}
	if pending[1] != escalationFor("T1", base.Add(time.Minute)) {
		t.Fatalf("round trip: %+v", pending[1])
	}
	if limited, _ := store.ListPending(ctx, base.Add(time.Hour), 1); len(limited) != 1 || limited[0].SubjectID != "T0" {
		t.Fatalf("limit 1: %+v", limited)
	}

	key := pending[0].DedupKey
	if err := store.RecordFailure(ctx, key, base, "send_failed"); err != nil {
		t.Fatal(err)
	}
	if err := store.RecordFailure(ctx, key, base, "send_failed"); err != nil {
		t.Fatal(err)
	}
	if item := outboxItem(t, env, key, "#ESCALATION"); atoi(t, item["attempts"]) != 2 || sOf(item["lastError"]) != "send_failed" {
		t.Fatalf("after failures: %v", item)
	}
	// The listing tells the sweep when sending last failed, so it tries that escalation after the others.
	if failed, err := store.ListPending(ctx, base.Add(time.Hour), 10); err != nil || len(failed) != 3 || failed[0].DedupKey != key ||
		!failed[0].LastFailedAt.Equal(base) || !failed[1].LastFailedAt.IsZero() || !failed[2].LastFailedAt.IsZero() {
		t.Fatalf("pending after failures: %+v %v", failed, err)
	}
	if marked, err := store.MarkSent(ctx, key, "msg-1", base.Add(2*time.Minute)); err != nil || !marked {
		t.Fatalf("mark sent: %v %v", marked, err)
	}
	if marked, err := store.MarkSent(ctx, key, "msg-2", base.Add(3*time.Minute)); err != nil || marked {
		t.Fatalf("mark sent twice: %v %v", marked, err)
	}
	if err := store.RecordFailure(ctx, key, base, "late"); err != nil {
		t.Fatal(err)
	}
	item := outboxItem(t, env, key, "#ESCALATION")
	if sOf(item["status"]) != "sent" || sOf(item["messageId"]) != "msg-1" || item["GSI1PK"] != nil || item["GSI1SK"] != nil ||
		atoi(t, item["attempts"]) != 2 {
		t.Fatalf("sent item: %v", item)
	}
	if err := store.RecordFailure(ctx, "ticket:nope:priority_high", base, "x"); err != nil {
		t.Fatalf("failure on a missing item: %v", err)
	}
	rest, err := store.ListPending(ctx, base.Add(time.Hour), 10)
	if err != nil || len(rest) != 2 || rest[0].SubjectID != "T1" || rest[1].SubjectID != "T2" {
		t.Fatalf("after sending T0: %+v %v", rest, err)
	}
}

// The ledger records once, counts once and remembers the notification.
func TestEscalationLedgerCountsOnce(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewEscalations(env.Client, env.SupportTable)
	ctx := context.Background()
	created := time.Date(2026, 11, 1, 18, 30, 0, 0, time.UTC) // 2 November in WIB
	e := escalationFor("L1", created)

	rec, err := store.Record(ctx, e, created.Add(time.Minute))
	if err != nil || rec != (escalation.Recorded{First: true}) {
		t.Fatalf("first: %+v %v", rec, err)
	}
	rec, err = store.Record(ctx, e, created.Add(2*time.Minute))
	if err != nil || rec != (escalation.Recorded{}) {
		t.Fatalf("again before notification: %+v %v", rec, err)
	}
	if err := store.MarkNotified(ctx, e.DedupKey, created.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := store.MarkNotified(ctx, e.DedupKey, created.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	rec, err = store.Record(ctx, e, created.Add(5*time.Minute))
	if err != nil || rec != (escalation.Recorded{Notified: true}) {
		t.Fatalf("after notification: %+v %v", rec, err)
	}
	item := outboxItem(t, env, e.DedupKey, "#PROCESSED")
	if sOf(item["notifiedAt"]) != "2026-11-01T18:33:00Z" || sOf(item["entity"]) != "escalation_processed" || sOf(item["ticketId"]) != "L1" {
		t.Fatalf("record: %v", item)
	}
	if err := store.MarkNotified(ctx, "ticket:none:priority_high", created); err == nil {
		t.Fatal("notified an escalation that was never recorded")
	}

	total := 0
	for shard := 0; shard < 4; shard++ {
		out, err := env.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(env.SupportTable), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{
				"PK": &types.AttributeValueMemberS{Value: fmt.Sprintf("METRICS#2026-11-02#%d", shard)},
				"SK": &types.AttributeValueMemberS{Value: "#COUNTERS"},
			}})
		if err != nil {
			t.Fatal(err)
		}
		total += atoi(t, out.Item["escalations"])
	}
	if total != 1 {
		t.Fatalf("escalations counted %d times, want 1", total)
	}
}

func TestEscalationFromItemRejectsOtherItems(t *testing.T) {
	item := map[string]types.AttributeValue{
		"entity": &types.AttributeValueMemberS{Value: "ticket"}, "dedupKey": &types.AttributeValueMemberS{Value: "k"},
	}
	if _, err := dynamostore.EscalationFromItem(item); err == nil {
		t.Fatal("a ticket decoded as an escalation")
	}
	item["entity"] = &types.AttributeValueMemberS{Value: "escalation_outbox"}
	item["createdAt"] = &types.AttributeValueMemberS{Value: "2026-11-02T03:00:00Z"}
	if _, err := dynamostore.EscalationFromItem(item); err == nil {
		t.Fatal("an incomplete outbox item decoded")
	}
	item["createdAt"] = &types.AttributeValueMemberN{Value: "1"}
	if _, err := dynamostore.EscalationFromItem(item); err == nil {
		t.Fatal("a numeric createdAt decoded")
	}
}

// Escalations that keep failing do not hold the listing: each failed send files its escalation again under
// the failure's time, behind the others, and out of any listing of an earlier time.
func TestFailingEscalationsDoNotFillTheListing(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewEscalations(env.Client, env.SupportTable)
	ctx := context.Background()
	base := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	for i := range 6 {
		if queued, err := store.Enqueue(ctx, escalationFor(fmt.Sprintf("T%d", i), base.Add(time.Duration(i)*time.Second))); err != nil || !queued {
			t.Fatalf("enqueue T%d: %v %v", i, queued, err)
		}
	}
	sweep := base.Add(time.Minute)
	for i := range 4 { // the four oldest fail, the oldest last
		key := escalationFor(fmt.Sprintf("T%d", 3-i), base).DedupKey
		if err := store.RecordFailure(ctx, key, sweep.Add(time.Duration(i)*time.Millisecond), "send_failed"); err != nil {
			t.Fatal(err)
		}
	}
	subjects := func(es []escalation.Escalation) string {
		var ids []string
		for _, e := range es {
			ids = append(ids, e.SubjectID)
		}
		return strings.Join(ids, " ")
	}
	if got, err := store.ListPending(ctx, sweep.Add(time.Hour), 2); err != nil || subjects(got) != "T4 T5" {
		t.Fatalf("a listing of 2: %q %v; want the two that never failed", subjects(got), err)
	}
	if got, err := store.ListPending(ctx, sweep.Add(time.Hour), 10); err != nil || subjects(got) != "T4 T5 T3 T2 T1 T0" {
		t.Fatalf("the whole listing: %q %v; want the failed ones after, in the order they last failed", subjects(got), err)
	}
	if got, err := store.ListPending(ctx, sweep.Add(-time.Millisecond), 10); err != nil || subjects(got) != "T4 T5" {
		t.Fatalf("a listing from before the failures: %q %v; want only the two that never failed", subjects(got), err)
	}
}
