package dynamostore

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/escalation"
)

func outboxSample(id string, at time.Time) escalation.Escalation {
	return escalation.Escalation{
		DedupKey: escalation.DedupKey(escalation.SubjectTicket, id, escalation.ReasonPriorityUrgent),
		Reason:   escalation.ReasonPriorityUrgent, Team: escalation.TeamLogistics, Priority: escalation.PriorityUrgent,
		SubjectType: escalation.SubjectTicket, SubjectID: id, TicketID: id, CustomerID: "c1", CreatedAt: at,
	}
}

// The outbox put lands in the sparse pending index, and the same dedupKey can be queued only once.
func TestEscalationOutboxPutQueuesOnce(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := t.Context()
	e := outboxSample("T1", time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC))
	put := func() error {
		_, err := env.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			TransactItems: []types.TransactWriteItem{escalationOutboxPut(env.SupportTable, e)},
		})
		return err
	}
	if err := put(); err != nil {
		t.Fatal(err)
	}
	err := put()
	if r := cancellationReasons(err); len(r) != 1 || r[0] != "ConditionalCheckFailed" {
		t.Fatalf("second put: %v (reasons %v)", err, r)
	}
	out, err := env.Client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(env.SupportTable), IndexName: aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str("OUTBOX#PENDING")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Items) != 1 {
		t.Fatalf("pending items: %d", len(out.Items))
	}
	item := out.Items[0]
	for name, want := range map[string]string{
		"PK": "ESCALATION#ticket:T1:priority_urgent", "SK": "#ESCALATION", "entity": "escalation_outbox",
		"status": "pending", "GSI1SK": "2026-11-02T03:04:05.000Z#ticket:T1:priority_urgent", "team": "logistics",
		"ticketId": "T1", "createdAt": "2026-11-02T03:04:05Z",
	} {
		if got, _ := item[name].(*types.AttributeValueMemberS); got == nil || got.Value != want {
			t.Errorf("%s = %v, want %s", name, item[name], want)
		}
	}
}
