package dynamostore

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/escalation"
)

// Escalations:
//
//	ESCALATION#<dedupKey>   #ESCALATION   outbox item, entity=escalation_outbox, status pending|sent
//	                                      while pending GSI1: OUTBOX#PENDING / <createdAt>#<dedupKey> (sparse)
//	ESCALATION#<dedupKey>   #PROCESSED    the consumer's record: written once per dedupKey, notifiedAt once notified
//
// The outbox item is put by the write that escalates, in its own transaction (escalationOutboxPut); the
// relay sends it and marks it sent; the consumer never touches it, so the two cannot race.

const (
	escalationSK          = "#ESCALATION"
	escalationProcessedSK = "#PROCESSED"
	outboxPendingPK       = "OUTBOX#PENDING"

	entityEscalationOutbox    = "escalation_outbox"
	entityEscalationProcessed = "escalation_processed"

	outboxPending = "pending"
	outboxSent    = "sent"
)

func escalationPK(dedupKey string) string { return "ESCALATION#" + dedupKey }

func outboxGSI1SK(e escalation.Escalation) string {
	return sortableTime(e.CreatedAt) + "#" + e.DedupKey
}

// escalationOutboxPut is the transaction item that queues e for the relay. The condition makes the same
// dedupKey queue only once: a second put cancels its transaction, so callers that may retry use a
// dedupKey derived from what they are writing. Callers validate e first (escalation.Escalation.Validate).
func escalationOutboxPut(table string, e escalation.Escalation) types.TransactWriteItem {
	item := map[string]types.AttributeValue{
		"PK":          str(escalationPK(e.DedupKey)),
		"SK":          str(escalationSK),
		"GSI1PK":      str(outboxPendingPK),
		"GSI1SK":      str(outboxGSI1SK(e)),
		"entity":      str(entityEscalationOutbox),
		"status":      str(outboxPending),
		"dedupKey":    str(e.DedupKey),
		"reason":      str(string(e.Reason)),
		"team":        str(string(e.Team)),
		"priority":    str(string(e.Priority)),
		"subjectType": str(string(e.SubjectType)),
		"subjectId":   str(e.SubjectID),
		"customerId":  str(e.CustomerID),
		"createdAt":   str(e.CreatedAt.UTC().Format(time.RFC3339Nano)),
		"attempts":    num(0),
	}
	if e.TicketID != "" {
		item["ticketId"] = str(e.TicketID)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           aws.String(table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}
}
