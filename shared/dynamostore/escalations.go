package dynamostore

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
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

// pendingEscalationKey files a pending escalation in the pending index under a time: its creation, or its
// last failed send (RecordFailure), so one that keeps failing moves behind the others in the listing.
func pendingEscalationKey(at time.Time, dedupKey string) string {
	return sortableTime(at) + "#" + dedupKey
}

// escalationOutboxPut is the transaction item that queues e for the relay. The condition makes the same
// dedupKey queue only once: a second put cancels its transaction, so callers that may retry use a
// dedupKey derived from what they are writing. Callers validate e first (escalation.Escalation.Validate).
func escalationOutboxPut(table string, e escalation.Escalation) types.TransactWriteItem {
	item := map[string]types.AttributeValue{
		"PK":          str(escalationPK(e.DedupKey)),
		"SK":          str(escalationSK),
		"GSI1PK":      str(outboxPendingPK),
		"GSI1SK":      str(pendingEscalationKey(e.CreatedAt, e.DedupKey)),
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

// outboxItem is the outbox item as stored (also what the relay reads from the stream's NewImage).
type outboxItem struct {
	DedupKey    string `dynamodbav:"dedupKey"`
	Entity      string `dynamodbav:"entity"`
	Status      string `dynamodbav:"status"`
	Reason      string `dynamodbav:"reason"`
	Team        string `dynamodbav:"team"`
	Priority    string `dynamodbav:"priority"`
	SubjectType string `dynamodbav:"subjectType"`
	SubjectID   string `dynamodbav:"subjectId"`
	TicketID    string `dynamodbav:"ticketId"`
	CustomerID  string `dynamodbav:"customerId"`
	CreatedAt   string `dynamodbav:"createdAt"`
	// LastAttemptAt is set by RecordFailure.
	LastAttemptAt string `dynamodbav:"lastAttemptAt"`
}

// EscalationFromItem reads an outbox item, e.g. a DynamoDB stream record's NewImage. It fails for other
// entities and for items that do not make a valid escalation.
func EscalationFromItem(item map[string]types.AttributeValue) (escalation.Escalation, error) {
	var it outboxItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return escalation.Escalation{}, fmt.Errorf("decode escalation outbox item: %w", err)
	}
	if it.Entity != entityEscalationOutbox {
		return escalation.Escalation{}, fmt.Errorf("item is a %q, not an escalation outbox item", it.Entity)
	}
	created, err := time.Parse(time.RFC3339Nano, it.CreatedAt)
	if err != nil {
		return escalation.Escalation{}, fmt.Errorf("escalation outbox item %s: createdAt: %w", it.DedupKey, err)
	}
	e := escalation.Escalation{
		DedupKey: it.DedupKey, Reason: escalation.Reason(it.Reason), Team: escalation.Team(it.Team),
		Priority: escalation.Priority(it.Priority), SubjectType: escalation.SubjectType(it.SubjectType),
		SubjectID: it.SubjectID, TicketID: it.TicketID, CustomerID: it.CustomerID, CreatedAt: created.UTC(),
	}
	if err := e.Validate(); err != nil {
		return escalation.Escalation{}, err
	}
	if it.LastAttemptAt != "" {
		failed, err := time.Parse(time.RFC3339Nano, it.LastAttemptAt)
		if err != nil {
			return escalation.Escalation{}, fmt.Errorf("escalation outbox item %s: lastAttemptAt: %w", it.DedupKey, err)
		}
		e.LastFailedAt = failed.UTC()
	}
	return e, nil
}

// Escalations is the relay's outbox and the consumer's ledger.
type Escalations struct {
	db    DB
	table string
	log   *slog.Logger
}

var (
	_ escalation.Outbox = (*Escalations)(nil)
	_ escalation.Ledger = (*Escalations)(nil)
)

// NewEscalations returns the escalation store for table.
func NewEscalations(db DB, table string) *Escalations {
	return &Escalations{db: db, table: table, log: slog.Default()}
}

// Enqueue stores e in the outbox on its own, for producers with nothing else to write in the same
// transaction. It reports false when the dedupKey was already queued.
func (s *Escalations) Enqueue(ctx context.Context, e escalation.Escalation) (bool, error) {
	if err := e.Validate(); err != nil {
		return false, err
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{escalationOutboxPut(s.table, e)},
	})
	if r := cancellationReasons(err); len(r) == 1 && r[0] == "ConditionalCheckFailed" {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue escalation %s: %w", e.DedupKey, err)
	}
	return true, nil
}

// ListPending queries the sparse pending index, oldest first: by creation, or by the last failure for an item
// that failed (RecordFailure).
func (s *Escalations) ListPending(ctx context.Context, createdBefore time.Time, limit int) ([]escalation.Escalation, error) {
	// GSI1SK is <createdAt or last failure>#<dedupKey>; everything filed up to createdBefore sorts below
	// "<createdBefore>$".
	upper := sortableTime(createdBefore) + "$"
	var out []escalation.Escalation
	var start map[string]types.AttributeValue
	for len(out) < limit {
		page, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:              &s.table,
			IndexName:              aws.String("GSI1"),
			KeyConditionExpression: aws.String("GSI1PK = :pk AND GSI1SK < :upper"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": str(outboxPendingPK), ":upper": str(upper),
			},
			ScanIndexForward:  aws.Bool(true),
			Limit:             aws.Int32(int32(limit - len(out))),
			ExclusiveStartKey: start,
		})
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			e, err := EscalationFromItem(item)
			if err != nil {
				s.log.ErrorContext(ctx, "escalation outbox: unreadable pending item skipped", slog.Any("err", err))
				continue
			}
			out = append(out, e)
		}
		if len(page.LastEvaluatedKey) == 0 {
			break
		}
		start = page.LastEvaluatedKey
	}
	return out, nil
}

// MarkSent takes the item out of the pending index, only if it is still pending.
func (s *Escalations) MarkSent(ctx context.Context, dedupKey, messageID string, at time.Time) (bool, error) {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.table,
		Key:                      escalationKey(dedupKey, escalationSK),
		UpdateExpression:         aws.String("SET #status = :sent, sentAt = :at, messageId = :mid REMOVE GSI1PK, GSI1SK"),
		ConditionExpression:      aws.String("#status = :pending"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":sent": str(outboxSent), ":pending": str(outboxPending), ":at": str(at.UTC().Format(time.RFC3339Nano)),
			":mid": str(messageID),
		},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark escalation %s sent: %w", dedupKey, err)
	}
	return true, nil
}

// RecordFailure counts a failed attempt on a pending item and files it again in the pending index under the
// failure's time: the next sweeps list it behind everything filed earlier, so the listing moves on past items
// that keep failing instead of returning the same oldest ones every run. A sent or missing item is left alone.
func (s *Escalations) RecordFailure(ctx context.Context, dedupKey string, at time.Time, cause string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.table,
		Key:                      escalationKey(dedupKey, escalationSK),
		UpdateExpression:         aws.String("SET lastAttemptAt = :at, lastError = :cause, GSI1SK = :refiled ADD attempts :one"),
		ConditionExpression:      aws.String("#status = :pending"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": str(at.UTC().Format(time.RFC3339Nano)), ":cause": str(cause), ":one": num(1), ":pending": str(outboxPending),
			":refiled": str(pendingEscalationKey(at, dedupKey)),
		},
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("record failed attempt on escalation %s: %w", dedupKey, err)
	}
	return nil
}

func escalationKey(dedupKey, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(escalationPK(dedupKey)), "SK": str(sk)}
}

// Record writes the processed record and counts the escalation in one transaction, so the count is exact
// however often the message is delivered. On a redelivery it reads the record back (strongly consistent).
func (s *Escalations) Record(ctx context.Context, e escalation.Escalation, at time.Time) (escalation.Recorded, error) {
	item := map[string]types.AttributeValue{
		"PK": str(escalationPK(e.DedupKey)), "SK": str(escalationProcessedSK), "entity": str(entityEscalationProcessed),
		"dedupKey": str(e.DedupKey), "team": str(string(e.Team)), "reason": str(string(e.Reason)),
		"priority": str(string(e.Priority)), "subjectType": str(string(e.SubjectType)), "subjectId": str(e.SubjectID),
		"processedAt": str(at.UTC().Format(time.RFC3339Nano)),
	}
	if e.TicketID != "" {
		item["ticketId"] = str(e.TicketID)
	}
	err := runTransaction(ctx, s.db, func() []types.TransactWriteItem {
		return []types.TransactWriteItem{
			{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
			// Counted on the day it escalated, like orders on the day they were placed.
			counterUpdate(s.table, e.CreatedAt, map[string]int64{metrics.Escalations: 1}),
		}
	})
	if err == nil {
		return escalation.Recorded{First: true}, nil
	}
	if r := cancellationReasons(err); len(r) == 0 || r[0] != "ConditionalCheckFailed" {
		return escalation.Recorded{}, fmt.Errorf("record escalation %s: %w", e.DedupKey, err)
	}
	got, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: escalationKey(e.DedupKey, escalationProcessedSK), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String("notifiedAt"),
	})
	if err != nil {
		return escalation.Recorded{}, fmt.Errorf("read escalation record %s: %w", e.DedupKey, err)
	}
	_, notified := got.Item["notifiedAt"]
	return escalation.Recorded{Notified: notified}, nil
}

// MarkNotified sets notifiedAt once; later calls keep the first time.
func (s *Escalations) MarkNotified(ctx context.Context, dedupKey string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       escalationKey(dedupKey, escalationProcessedSK),
		UpdateExpression:          aws.String("SET notifiedAt = if_not_exists(notifiedAt, :at)"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": str(at.UTC().Format(time.RFC3339Nano))},
	})
	if err != nil {
		return fmt.Errorf("mark escalation %s notified: %w", dedupKey, err)
	}
	return nil
}
