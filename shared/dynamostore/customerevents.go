package dynamostore

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/survey"
)

// Customer events (an outbox, like escalations) and the customer's inbox:
//
//	INBOX#<customerId>   NOTE#<eventId>     an event the inbox shows, entity=customer_event, status pending|sent
//	INBOX#<customerId>   EVENT#<eventId>    an event only for the shop's systems (refund.issued), same shape
//	                                        while pending GSI1: CUSTEVENT#PENDING#<0-3> / <eventId> (sparse)
//	INBOX#<customerId>   UNREAD#<UTC day>   the unread counter of that day's inbox events
//	SURVEY#<type>#<id>   #INVITED           the subject's survey invitation; answeredAt is set in the transaction
//	                                        of the subject's survey (surveys.go), which also counts the answer
//
// Event ids sort by time (customerevent.NewID), so the inbox is the partition read backwards. Events and
// the day's unread counter carry the same TTL (expiresAt, customerevent.InboxExpiry): a day's events and
// its counter expire together, which keeps unreadCount exact without counting items.
//
// A change puts its events with customerEventWrites in its own transaction. The relay publishes each event
// and marks it sent; the survey invitation is a transaction of its own.

const (
	inboxNotePrefix             = "NOTE#"
	inboxEventPrefix            = "EVENT#"
	inboxUnreadPrefix           = "UNREAD#"
	invitationSK                = "#INVITED"
	customerEventsPendingPrefix = "CUSTEVENT#PENDING#"
	customerEventsPendingShards = 4

	entityCustomerEvent  = "customer_event"
	entityUnreadCounter  = "inbox_unread"
	entitySurveyInvite   = "survey_invitation"
	customerEventPending = "pending"
	customerEventSent    = "sent"
)

func inboxPK(customerID string) string { return "INBOX#" + customerID }

func customerEventSK(e customerevent.Event) string {
	if e.Type.InInbox() {
		return inboxNotePrefix + e.ID
	}
	return inboxEventPrefix + e.ID
}

func unreadSK(t time.Time) string { return inboxUnreadPrefix + t.UTC().Format(time.DateOnly) }

func customerEventsPendingPK(eventID string) string {
	return customerEventsPendingPrefix + strconv.Itoa(shardOf(eventID, customerEventsPendingShards))
}

func epochSeconds(t time.Time) types.AttributeValue { return num(t.Unix()) }

type customerEventItem struct {
	PK          string             `dynamodbav:"PK"`
	SK          string             `dynamodbav:"SK"`
	GSI1PK      string             `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK      string             `dynamodbav:"GSI1SK,omitempty"`
	Entity      string             `dynamodbav:"entity"`
	Status      string             `dynamodbav:"status"`
	EventID     string             `dynamodbav:"eventId"`
	Type        string             `dynamodbav:"type"`
	At          string             `dynamodbav:"at"`
	CustomerID  string             `dynamodbav:"customerId"`
	SubjectType string             `dynamodbav:"subjectType"`
	SubjectID   string             `dynamodbav:"subjectId"`
	Sequence    int64              `dynamodbav:"sequence"`
	Language    string             `dynamodbav:"language"`
	Title       string             `dynamodbav:"title"`
	Text        string             `dynamodbav:"text"`
	Data        customerevent.Data `dynamodbav:"data"`
	ExpiresAt   int64              `dynamodbav:"expiresAt"`
	ReadAt      string             `dynamodbav:"readAt,omitempty"`
	Attempts    int64              `dynamodbav:"attempts"`
	// LastAttemptAt is set by RecordFailure.
	LastAttemptAt string `dynamodbav:"lastAttemptAt,omitempty"`
}

func toCustomerEventItem(e customerevent.Event) customerEventItem {
	return customerEventItem{
		PK: inboxPK(e.CustomerID), SK: customerEventSK(e), GSI1PK: customerEventsPendingPK(e.ID), GSI1SK: e.ID,
		Entity: entityCustomerEvent, Status: customerEventPending, EventID: e.ID, Type: string(e.Type),
		At: e.At.UTC().Format(time.RFC3339Nano), CustomerID: e.CustomerID, SubjectType: string(e.SubjectType),
		SubjectID: e.SubjectID, Sequence: e.Sequence, Language: string(e.Language), Title: e.Title, Text: e.Text,
		Data: e.Data, ExpiresAt: customerevent.InboxExpiry(e.At).Unix(),
	}
}

func (it customerEventItem) toEvent() (customerevent.Event, error) {
	at, err := time.Parse(time.RFC3339Nano, it.At)
	if err != nil {
		return customerevent.Event{}, fmt.Errorf("customer event %s: at: %w", it.EventID, err)
	}
	e := customerevent.Event{ID: it.EventID, Type: customerevent.Type(it.Type), At: at.UTC(), CustomerID: it.CustomerID,
		SubjectType: customerevent.SubjectType(it.SubjectType), SubjectID: it.SubjectID, Sequence: it.Sequence,
		Language: i18n.Lang(it.Language), Title: it.Title, Text: it.Text, Data: it.Data}
	if err := e.Validate(); err != nil {
		return customerevent.Event{}, err
	}
	if it.LastAttemptAt != "" {
		failed, err := time.Parse(time.RFC3339Nano, it.LastAttemptAt)
		if err != nil {
			return customerevent.Event{}, fmt.Errorf("customer event %s: lastAttemptAt: %w", it.EventID, err)
		}
		e.LastFailedAt = failed.UTC()
	}
	return e, nil
}

// customerEventWrites are the transaction items that store events: one put each (only if new) and one
// unread counter update per customer and day for the events the inbox shows. Events are validated first.
func customerEventWrites(table string, events []customerevent.Event) ([]types.TransactWriteItem, error) {
	var items []types.TransactWriteItem
	unread := map[[2]string]int64{}
	var order [][2]string
	expiry := map[[2]string]time.Time{}
	for _, e := range events {
		if err := e.Validate(); err != nil {
			return nil, err
		}
		av, err := attributevalue.MarshalMap(toCustomerEventItem(e))
		if err != nil {
			return nil, err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(table), Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)"),
		}})
		if e.Type.InInbox() {
			k := [2]string{e.CustomerID, unreadSK(e.At)}
			if _, seen := unread[k]; !seen {
				order = append(order, k)
				expiry[k] = customerevent.InboxExpiry(e.At)
			}
			unread[k]++
		}
	}
	for _, k := range order {
		items = append(items, unreadUpdate(table, k[0], k[1], expiry[k], unread[k]))
	}
	return items, nil
}

// unreadUpdate adds delta to a day's unread counter (a negative delta when items are read).
func unreadUpdate(table, customerID, sk string, expires time.Time, delta int64) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		TableName:                aws.String(table),
		Key:                      map[string]types.AttributeValue{"PK": str(inboxPK(customerID)), "SK": str(sk)},
		UpdateExpression:         aws.String("SET #entity = :entity, expiresAt = :exp ADD unread :n"),
		ExpressionAttributeNames: map[string]string{"#entity": "entity"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":entity": str(entityUnreadCounter), ":exp": epochSeconds(expires), ":n": num(delta),
		},
	}}
}

// CustomerEventFromItem reads a stored event, e.g. a DynamoDB stream record's NewImage. It fails for other
// entities and for items that do not make a valid event.
func CustomerEventFromItem(item map[string]types.AttributeValue) (customerevent.Event, error) {
	var it customerEventItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return customerevent.Event{}, fmt.Errorf("decode customer event item: %w", err)
	}
	if it.Entity != entityCustomerEvent {
		return customerevent.Event{}, fmt.Errorf("item is a %q, not a customer event", it.Entity)
	}
	return it.toEvent()
}

// CustomerEvents is the relay's outbox and the survey invitations.
type CustomerEvents struct {
	db    DB
	table string
	log   *slog.Logger
}

var (
	_ customerevent.Outbox      = (*CustomerEvents)(nil)
	_ customerevent.Invitations = (*CustomerEvents)(nil)
)

// NewCustomerEvents returns the customer event store for table.
func NewCustomerEvents(db DB, table string) *CustomerEvents {
	return &CustomerEvents{db: db, table: table, log: slog.Default()}
}

// ListPending reads every pending shard and merges them, oldest first: by creation, or by the last failure for
// an event that failed (RecordFailure).
func (s *CustomerEvents) ListPending(ctx context.Context, before time.Time, limit int) ([]customerevent.Event, error) {
	type filed struct {
		key   string // GSI1SK
		event customerevent.Event
	}
	var all []filed
	for shard := range customerEventsPendingShards {
		in := &dynamodb.QueryInput{
			TableName:              &s.table,
			IndexName:              aws.String("GSI1"),
			KeyConditionExpression: aws.String("GSI1PK = :pk AND GSI1SK <= :before"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": str(customerEventsPendingPrefix + strconv.Itoa(shard)), ":before": str(customerevent.IDBound(before)),
			},
			Limit: aws.Int32(int32(limit)),
		}
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list pending customer events: %w", err)
		}
		for _, raw := range out.Items {
			e, err := CustomerEventFromItem(raw)
			if err != nil {
				s.log.ErrorContext(ctx, "customer events: unreadable pending item skipped", slog.Any("err", err))
				continue
			}
			var key string // always there: the item came from the index
			if k, ok := raw["GSI1SK"].(*types.AttributeValueMemberS); ok {
				key = k.Value
			}
			all = append(all, filed{key, e})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	out := make([]customerevent.Event, 0, min(len(all), limit))
	for _, f := range all[:min(len(all), limit)] {
		out = append(out, f.event)
	}
	return out, nil
}

func customerEventKey(e customerevent.Event) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(inboxPK(e.CustomerID)), "SK": str(customerEventSK(e))}
}

// MarkSent sets status=sent and leaves the pending index, only while pending.
func (s *CustomerEvents) MarkSent(ctx context.Context, e customerevent.Event, messageID string, at time.Time) (bool, error) {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.table,
		Key:                      customerEventKey(e),
		UpdateExpression:         aws.String("SET #status = :sent, sentAt = :at, messageId = :mid REMOVE GSI1PK, GSI1SK"),
		ConditionExpression:      aws.String("#status = :pending"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":sent": str(customerEventSent), ":pending": str(customerEventPending), ":at": timeAV(at), ":mid": str(messageID),
		},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark customer event %s sent: %w", e.ID, err)
	}
	return true, nil
}

// RecordFailure counts a failed attempt on a pending event and files it again in the pending index under the
// failure's time (customerevent.Retimed): the next sweeps list it behind everything filed earlier, so the
// listing moves on past events that keep failing instead of returning the same oldest ones every run.
func (s *CustomerEvents) RecordFailure(ctx context.Context, e customerevent.Event, at time.Time, cause string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.table,
		Key:                      customerEventKey(e),
		UpdateExpression:         aws.String("SET lastAttemptAt = :at, lastError = :cause, GSI1SK = :refiled ADD attempts :one"),
		ConditionExpression:      aws.String("#status = :pending"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": timeAV(at), ":cause": str(cause), ":one": num(1), ":pending": str(customerEventPending),
			":refiled": str(customerevent.Retimed(e.ID, at)),
		},
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("record customer event %s failure: %w", e.ID, err)
	}
	return nil
}

// invitationKey is the survey invitation record of a subject, in its survey's partition (surveys.go).
func invitationKey(subjectType survey.SubjectType, id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(surveyPK(subjectType, id)), "SK": str(invitationSK)}
}

// Invite writes, in one transaction: the subject's invitation record (only if there is none), a check that
// the subject has no survey, the survey.invited event with its unread counter, and the day's invited
// counter. A failed condition means "invited before" or "already rated": nothing to do.
func (s *CustomerEvents) Invite(ctx context.Context, inv customerevent.Event) (bool, error) {
	if inv.Type != customerevent.SurveyInvited {
		return false, fmt.Errorf("invite: %s is not a survey invitation", inv.Type)
	}
	writes, err := customerEventWrites(s.table, []customerevent.Event{inv})
	if err != nil {
		return false, err
	}
	key := invitationKey(survey.SubjectType(inv.SubjectType), inv.SubjectID)
	record := map[string]types.AttributeValue{
		"PK": key["PK"], "SK": key["SK"], "entity": str(entitySurveyInvite), "subjectType": str(string(inv.SubjectType)),
		"subjectId": str(inv.SubjectID), "customerId": str(inv.CustomerID), "eventId": str(inv.ID), "invitedAt": timeAV(inv.At),
	}
	surveyKey := map[string]types.AttributeValue{"PK": key["PK"], "SK": str(surveySK)}
	err = runTransaction(ctx, s.db, func() []types.TransactWriteItem {
		items := []types.TransactWriteItem{
			{Put: &types.Put{TableName: &s.table, Item: record, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
			{ConditionCheck: &types.ConditionCheck{TableName: &s.table, Key: surveyKey, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		}
		items = append(items, writes...)
		return append(items, counterUpdate(s.table, inv.At, map[string]int64{metrics.SurveyInvitedCounter(string(inv.SubjectType)): 1}))
	})
	if err == nil {
		return true, nil
	}
	if r := cancellationReasons(err); len(r) >= 2 && (r[0] == "ConditionalCheckFailed" || r[1] == "ConditionalCheckFailed") {
		return false, nil
	}
	return false, fmt.Errorf("invite %s %s to a survey: %w", inv.SubjectType, inv.SubjectID, err)
}
