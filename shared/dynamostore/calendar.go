package dynamostore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// The business calendar ops set, one item:
//
//	CALENDAR#business   #CALENDAR   entity=business_calendar, spec (calendar.Spec as JSON), updatedAt, updatedBy
const (
	calendarPK = "CALENDAR#business"
	calendarSK = "#CALENDAR"
)

// Calendars stores the business calendar in the support table.
type Calendars struct {
	db    DB
	table string
	now   func() time.Time
	// By names who saves the next Put (the operator), for the item's audit attributes.
	by func(ctx context.Context) string
}

var _ calendar.Store = (*Calendars)(nil)

// NewCalendars returns the calendar store of table; by names the caller of a Put (may be nil).
func NewCalendars(db DB, table string, now func() time.Time, by func(ctx context.Context) string) *Calendars {
	return &Calendars{db: db, table: table, now: now, by: by}
}

func calendarKey() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(calendarPK), "SK": str(calendarSK)}
}

// Get reads the calendar (strongly consistent); found=false until one was saved.
func (s *Calendars) Get(ctx context.Context) (calendar.Calendar, bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: calendarKey(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return calendar.Calendar{}, false, fmt.Errorf("get calendar: %w", err)
	}
	raw, ok := out.Item["spec"].(*types.AttributeValueMemberS)
	if !ok {
		return calendar.Calendar{}, false, nil
	}
	var spec calendar.Spec
	if err := json.Unmarshal([]byte(raw.Value), &spec); err != nil {
		return calendar.Calendar{}, false, fmt.Errorf("decode calendar: %w", err)
	}
	c, err := spec.Calendar()
	if err != nil {
		return calendar.Calendar{}, false, fmt.Errorf("stored calendar is invalid: %w", err)
	}
	return c, true, nil
}

// Put replaces the calendar, in one transaction (inside an idempotent request it commits with the answer).
func (s *Calendars) Put(ctx context.Context, c calendar.Calendar) error {
	spec, err := json.Marshal(c.Spec())
	if err != nil {
		return err
	}
	item := calendarKey()
	item["entity"] = str("business_calendar")
	item["spec"] = str(string(spec))
	item["updatedAt"] = timeAV(s.now())
	if s.by != nil {
		if by := s.by(ctx); by != "" {
			item["updatedBy"] = str(by)
		}
	}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem {
		return []types.TransactWriteItem{{Put: &types.Put{TableName: &s.table, Item: item}}}
	}, func(err error) (error, bool) { return fmt.Errorf("put calendar: %w", err), false })
}
