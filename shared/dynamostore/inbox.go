package dynamostore

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/customerevent/inbox"
)

// Inbox reads and marks the customer's inbox items (keys in customerevents.go). Every read is a key lookup
// or a Query of the partition INBOX#<customerId> of the caller.
type Inbox struct {
	db    DB
	table string
}

var _ inbox.Store = (*Inbox)(nil)

// NewInbox returns the inbox store for table.
func NewInbox(db DB, table string) *Inbox { return &Inbox{db: db, table: table} }

// noteSK is the sort key of the inbox item of eventID; noteBound the first key of events at or after t.
func noteSK(eventID string) string { return inboxNotePrefix + eventID }

func noteBound(t time.Time) string { return fmt.Sprintf("%sEVT-%013d", inboxNotePrefix, t.UnixMilli()) }

func toInboxItem(raw map[string]types.AttributeValue) (inbox.Item, error) {
	var it customerEventItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return inbox.Item{}, fmt.Errorf("decode inbox item: %w", err)
	}
	e, err := it.toEvent()
	if err != nil {
		return inbox.Item{}, err
	}
	out := inbox.Item{Event: e}
	if it.ReadAt != "" {
		at, err := time.Parse(time.RFC3339Nano, it.ReadAt)
		if err != nil {
			return inbox.Item{}, fmt.Errorf("inbox item %s: readAt: %w", it.EventID, err)
		}
		out.ReadAt = &at
	}
	return out, nil
}

func toInboxItems(raw []map[string]types.AttributeValue) ([]inbox.Item, error) {
	out := make([]inbox.Item, 0, len(raw))
	for _, r := range raw {
		it, err := toInboxItem(r)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// List pages the partition backwards from the newest item down to since.
func (s *Inbox) List(ctx context.Context, customerID string, since time.Time, limit int, cur string) ([]inbox.Item, string, error) {
	in := &dynamodb.QueryInput{
		TableName:              &s.table,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(inboxPK(customerID)), ":from": str(noteBound(since)), ":to": str(inboxNotePrefix + "~"),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit + 1)),
	}
	if cur != "" {
		c, err := decodeCursor(cur)
		if err != nil {
			return nil, "", err
		}
		if c.SortKey != noteSK(c.ID) || !customerevent.ValidID(c.ID) {
			return nil, "", errBadCursor
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": str(inboxPK(customerID)), "SK": str(c.SortKey)}
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("list inbox: %w", err)
	}
	raw, next := out.Items, ""
	if len(raw) > limit {
		raw = raw[:limit]
		last := raw[limit-1]
		id, _ := last["eventId"].(*types.AttributeValueMemberS)
		if id == nil {
			return nil, "", fmt.Errorf("list inbox: item without eventId")
		}
		next = encodeCursor(cursor{SortKey: noteSK(id.Value), ID: id.Value})
	}
	items, err := toInboxItems(raw)
	return items, next, err
}

// UnreadCount sums the day counters from since's day on: one Query of at most 91 small items.
func (s *Inbox) UnreadCount(ctx context.Context, customerID string, since time.Time) (int64, error) {
	in := &dynamodb.QueryInput{
		TableName:              &s.table,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(inboxPK(customerID)), ":from": str(unreadSK(since)), ":to": str(inboxUnreadPrefix + "~"),
		},
		ProjectionExpression: aws.String("unread"),
		ConsistentRead:       aws.Bool(true),
	}
	var total int64
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("inbox unread count: %w", err)
		}
		for _, r := range out.Items {
			var c struct {
				Unread int64 `dynamodbav:"unread"`
			}
			if err := attributevalue.UnmarshalMap(r, &c); err != nil {
				return 0, fmt.Errorf("decode inbox unread counter: %w", err)
			}
			total += c.Unread
		}
		if len(out.LastEvaluatedKey) == 0 {
			return total, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// UnreadByID reads the named items of the caller's partition (BatchGetItem, strongly consistent).
func (s *Inbox) UnreadByID(ctx context.Context, customerID string, ids []string, since time.Time) ([]inbox.Item, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, map[string]types.AttributeValue{"PK": str(inboxPK(customerID)), "SK": str(noteSK(id))})
	}
	raw, err := batchGet(ctx, s.db, s.table, keys, defaultBatchRetry)
	if err != nil {
		return nil, fmt.Errorf("read inbox items: %w", err)
	}
	items, err := toInboxItems(raw)
	if err != nil {
		return nil, err
	}
	unread := items[:0]
	for _, it := range items {
		if it.ReadAt == nil && !it.Event.At.Before(since) {
			unread = append(unread, it)
		}
	}
	return unread, nil
}

// UnreadUpTo queries the range newest first, keeping unread items, until it has limit of them.
func (s *Inbox) UnreadUpTo(ctx context.Context, customerID string, since, upTo time.Time, limit int) ([]inbox.Item, bool, error) {
	in := &dynamodb.QueryInput{
		TableName:              &s.table,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :from AND :to"),
		FilterExpression:       aws.String("attribute_not_exists(readAt)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(inboxPK(customerID)), ":from": str(noteBound(since)), ":to": str(noteSK(customerevent.IDBound(upTo))),
		},
		ScanIndexForward: aws.Bool(false),
		ConsistentRead:   aws.Bool(true),
	}
	var raw []map[string]types.AttributeValue
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, false, fmt.Errorf("read unread inbox items: %w", err)
		}
		raw = append(raw, out.Items...)
		if len(raw) > limit || len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	more := len(raw) > limit
	if more {
		raw = raw[:limit]
	}
	items, err := toInboxItems(raw)
	return items, more, err
}

// MarkRead sets readAt on each item (only while unread) and lowers each day's unread counter.
func (s *Inbox) MarkRead(ctx context.Context, customerID string, items []inbox.Item, at time.Time) error {
	perDay := map[string]int64{}
	expiry := map[string]time.Time{}
	var days []string
	var tx []types.TransactWriteItem
	for _, it := range items {
		if it.Event.CustomerID != customerID {
			return fmt.Errorf("mark read: event %s belongs to another customer", it.Event.ID)
		}
		tx = append(tx, types.TransactWriteItem{Update: &types.Update{
			TableName:                 &s.table,
			Key:                       map[string]types.AttributeValue{"PK": str(inboxPK(customerID)), "SK": str(noteSK(it.Event.ID))},
			UpdateExpression:          aws.String("SET readAt = :at"),
			ConditionExpression:       aws.String("attribute_exists(PK) AND attribute_not_exists(readAt)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":at": timeAV(at)},
		}})
		day := unreadSK(it.Event.At)
		if _, ok := perDay[day]; !ok {
			days = append(days, day)
			expiry[day] = customerevent.InboxExpiry(it.Event.At)
		}
		perDay[day]++
	}
	for _, day := range days {
		tx = append(tx, unreadUpdate(s.table, customerID, day, expiry[day], -perDay[day]))
	}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return tx }, func(err error) (error, bool) {
		for _, r := range cancellationReasons(err) {
			if r == "ConditionalCheckFailed" {
				return inbox.ErrChanged, true
			}
		}
		if isTransactionConflict(err) {
			return inbox.ErrChanged, true
		}
		return fmt.Errorf("mark %d inbox items read: %w", len(items), err), false
	})
}
