package dynamostore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/workspace/customer"
)

// Customers reads customer profiles, timelines and the email index (the writes ride in other stores'
// transactions; see customers.go).
type Customers struct {
	db    DB
	table string
}

var _ customer.Store = (*Customers)(nil)

// NewCustomers returns the customer store for table.
func NewCustomers(db DB, table string) *Customers { return &Customers{db: db, table: table} }

// Profile reads the profile with one strongly consistent GetItem.
func (s *Customers) Profile(ctx context.Context, customerID string) (customer.Profile, error) {
	p, err := readProfile(ctx, s.db, s.table, customerID)
	if err != nil {
		return customer.Profile{}, err
	}
	if !p.Exists() {
		return customer.Profile{}, customer.ErrNotFound
	}
	return p, nil
}

// maxEmailMatches bounds how many customers one email lists (an address shared by several accounts).
const maxEmailMatches = 20

// FindByEmail queries the email's lookup partition (exact hash of the normalized address, never a
// partial match) and reads the profiles it names with one BatchGetItem.
func (s *Customers) FindByEmail(ctx context.Context, email string) ([]customer.Profile, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(emailPK(email))},
		Limit:                     aws.Int32(maxEmailMatches),
	})
	if err != nil {
		return nil, fmt.Errorf("find customer by email: %w", err)
	}
	keys := make([]map[string]types.AttributeValue, 0, len(out.Items))
	for _, it := range out.Items {
		if id, ok := it["customerId"].(*types.AttributeValueMemberS); ok {
			keys = append(keys, profileKey(id.Value))
		}
	}
	raw, err := batchGet(ctx, s.db, s.table, keys, defaultBatchRetry)
	if err != nil {
		return nil, fmt.Errorf("read customer profiles: %w", err)
	}
	profiles := make([]customer.Profile, 0, len(raw))
	for _, item := range raw {
		var it profileItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return nil, fmt.Errorf("decode customer profile: %w", err)
		}
		profiles = append(profiles, it.toProfile())
	}
	return profiles, nil
}

type historyItem struct {
	SK          string    `dynamodbav:"SK"`
	Kind        string    `dynamodbav:"kind"`
	RefID       string    `dynamodbav:"refId"`
	At          time.Time `dynamodbav:"at"`
	OrderID     string    `dynamodbav:"orderId"`
	SubjectType string    `dynamodbav:"subjectType"`
	SubjectID   string    `dynamodbav:"subjectId"`
	CSAT        int       `dynamodbav:"csat"`
}

// referencedKey is the base-table key of the item a timeline entry refers to (none for a survey, whose
// entry carries all it shows).
func referencedKey(kind, refID string) map[string]types.AttributeValue {
	switch kind {
	case customer.KindOrder:
		return map[string]types.AttributeValue{"PK": str(orderPK(refID)), "SK": str(orderHeaderSK)}
	case customer.KindReturn:
		return map[string]types.AttributeValue{"PK": str(returnPK(refID)), "SK": str(returnSK)}
	case customer.KindTicket:
		return map[string]types.AttributeValue{"PK": str(ticketPK(refID)), "SK": str(ticketSK)}
	}
	return nil
}

// referencedState is what the timeline shows of an order, return or ticket today.
type referencedState struct {
	Status      string      `dynamodbav:"status"`
	OrderID     string      `dynamodbav:"orderId"`
	Subject     string      `dynamodbav:"subject"`
	Currency    string      `dynamodbav:"currency"`
	Subtotal    int64       `dynamodbav:"subtotal"`
	ShippingFee int64       `dynamodbav:"shippingFee"`
	Units       int         `dynamodbav:"units"`
	Estimate    refundItem  `dynamodbav:"estimate"`
	Final       *refundItem `dynamodbav:"final"`
}

// History reads one page of the timeline (one Query, newest first) and the current state of the
// orders, returns and tickets on it (one BatchGetItem).
func (s *Customers) History(ctx context.Context, customerID string, limit int, cur string) (customer.HistoryPage, error) {
	in := &dynamodb.QueryInput{
		TableName:              &s.table,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(customerPK(customerID)), ":prefix": str(historyPrefix),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit + 1)),
	}
	if cur != "" {
		c, err := decodeCursor(cur)
		if err != nil {
			return customer.HistoryPage{}, err
		}
		if !strings.HasPrefix(c.SortKey, historyPrefix) {
			return customer.HistoryPage{}, errBadCursor
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": str(customerPK(customerID)), "SK": str(c.SortKey)}
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return customer.HistoryPage{}, fmt.Errorf("customer history: %w", err)
	}
	var items []historyItem
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return customer.HistoryPage{}, fmt.Errorf("decode customer history: %w", err)
	}
	page := customer.HistoryPage{}
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.NextCursor = encodeCursor(cursor{SortKey: last.SK, ID: last.RefID})
	}
	var keys []map[string]types.AttributeValue
	seen := map[string]bool{}
	for _, it := range items {
		if k := referencedKey(it.Kind, it.RefID); k != nil && !seen[it.Kind+it.RefID] {
			seen[it.Kind+it.RefID] = true
			keys = append(keys, k)
		}
	}
	states := map[string]referencedState{}
	if len(keys) > 0 {
		raw, err := batchGet(ctx, s.db, s.table, keys, defaultBatchRetry)
		if err != nil {
			return customer.HistoryPage{}, fmt.Errorf("customer history items: %w", err)
		}
		for _, item := range raw {
			var st referencedState
			if err := attributevalue.UnmarshalMap(item, &st); err != nil {
				return customer.HistoryPage{}, fmt.Errorf("decode customer history item: %w", err)
			}
			pk, _ := item["PK"].(*types.AttributeValueMemberS)
			if pk != nil {
				states[pk.Value] = st
			}
		}
	}
	page.Entries = make([]customer.HistoryEntry, 0, len(items))
	for _, it := range items {
		e := customer.HistoryEntry{Kind: it.Kind, RefID: it.RefID, At: it.At, OrderID: it.OrderID,
			SurveySubjectType: it.SubjectType, SurveySubjectID: it.SubjectID, CSAT: it.CSAT}
		if k := referencedKey(it.Kind, it.RefID); k != nil {
			st := states[k["PK"].(*types.AttributeValueMemberS).Value]
			e.Status, e.Currency = st.Status, st.Currency
			switch it.Kind {
			case customer.KindOrder:
				if st.Status != "" {
					e.Amount, e.Units = st.Subtotal+st.ShippingFee, st.Units
				}
			case customer.KindReturn:
				e.OrderID, e.Amount = st.OrderID, st.Estimate.Total
				if st.Final != nil {
					e.Amount = st.Final.Total
				}
			case customer.KindTicket:
				e.Subject, e.OrderID = st.Subject, st.OrderID
			}
		}
		page.Entries = append(page.Entries, e)
	}
	return page, nil
}
