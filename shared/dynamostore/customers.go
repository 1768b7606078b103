package dynamostore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/workspace/customer"
)

// Customers:
//
//	CUSTOMER#<customerId>  #PROFILE                         the profile (customer package), version-conditioned
//	CUSTOMER#<customerId>  HISTORY#<at>#<kind>#<refId>      one timeline entry per order, return, ticket, survey
//	EMAIL#<hash>           CUSTOMER#<customerId>            an email the customer ordered with (hash: customer.EmailKey)
//
// The order upsert, the return request, the ticket's creation and first resolution read the profile,
// decide, and write it back in their own transaction conditional on its version (retention counters
// depend on what it held). A survey only adds to it, unconditionally.

const (
	profileSK     = "#PROFILE"
	historyPrefix = "HISTORY#"
	emailPKPrefix = "EMAIL#"

	entityProfile = "customer_profile"
	entityHistory = "customer_history"
	entityEmail   = "customer_email"
)

// History kinds.
const (
	HistoryOrder  = customer.KindOrder
	HistoryReturn = customer.KindReturn
	HistoryTicket = customer.KindTicket
	HistorySurvey = customer.KindSurvey
)

func emailPK(email string) string { return emailPKPrefix + customer.EmailKey(email) }

func historySK(at time.Time, kind, refID string) string {
	return historyPrefix + sortableTime(at) + "#" + kind + "#" + refID
}

type supportEntryItem struct {
	AnchorMs     int64    `dynamodbav:"anchorMs"`
	LastTicketID string   `dynamodbav:"lastTicketId,omitempty"`
	Outcome      string   `dynamodbav:"outcome"`
	Orders       []string `dynamodbav:"orders"`
}

type profileItem struct {
	PK         string `dynamodbav:"PK"`
	SK         string `dynamodbav:"SK"`
	Entity     string `dynamodbav:"entity"`
	CustomerID string `dynamodbav:"customerId"`

	Name        string `dynamodbav:"name,omitempty"`
	Email       string `dynamodbav:"email,omitempty"`
	Phone       string `dynamodbav:"phone,omitempty"`
	ContactAtMs int64  `dynamodbav:"contactAtMs,omitempty"`

	FirstOrderID string     `dynamodbav:"firstOrderId,omitempty"`
	FirstOrderAt *time.Time `dynamodbav:"firstOrderAt,omitempty"`
	LastOrderID  string     `dynamodbav:"lastOrderId,omitempty"`
	LastOrderAt  *time.Time `dynamodbav:"lastOrderAt,omitempty"`

	Orders  int `dynamodbav:"orders"`
	Units   int `dynamodbav:"units"`
	Returns int `dynamodbav:"returns"`
	Tickets int `dynamodbav:"tickets"`
	Surveys int `dynamodbav:"surveys"`

	LatestCSAT   int        `dynamodbav:"latestCsat,omitempty"`
	LatestCSATAt *time.Time `dynamodbav:"latestCsatAt,omitempty"`

	Counted int                         `dynamodbav:"countedOrders"`
	Early   map[string]int64            `dynamodbav:"earlyOrders"`
	Support map[string]supportEntryItem `dynamodbav:"supportMonths"`

	Version int64 `dynamodbav:"version"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func toProfileItem(p customer.Profile) profileItem {
	it := profileItem{
		PK: customerPK(p.ID), SK: profileSK, Entity: entityProfile, CustomerID: p.ID,
		Name: p.Name, Email: p.Email, Phone: p.Phone, ContactAtMs: p.ContactAt.UnixMilli(),
		FirstOrderID: p.FirstOrderID, FirstOrderAt: timePtr(p.FirstOrderAt), LastOrderID: p.LastOrderID, LastOrderAt: timePtr(p.LastOrderAt),
		Orders: p.Orders, Units: p.Units, Returns: p.Returns, Tickets: p.Tickets, Surveys: p.Surveys,
		LatestCSAT: p.LatestCSAT, LatestCSATAt: timePtr(p.LatestCSATAt),
		Counted: p.Retention.Counted, Early: map[string]int64{}, Support: map[string]supportEntryItem{},
		Version: p.Version,
	}
	if p.ContactAt.IsZero() {
		it.ContactAtMs = 0
	}
	for id, at := range p.Retention.Early {
		it.Early[id] = at.UnixMilli()
	}
	for m, e := range p.Retention.Support {
		orders := e.Orders
		if orders == nil {
			orders = []string{}
		}
		it.Support[m] = supportEntryItem{AnchorMs: e.Anchor.UnixMilli(), LastTicketID: e.LastTicketID, Outcome: e.Outcome, Orders: orders}
	}
	return it
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func (it profileItem) toProfile() customer.Profile {
	p := customer.Profile{
		ID: it.CustomerID, Name: it.Name, Email: it.Email, Phone: it.Phone, ContactAt: msTime(it.ContactAtMs),
		FirstOrderID: it.FirstOrderID, FirstOrderAt: timeOf(it.FirstOrderAt), LastOrderID: it.LastOrderID, LastOrderAt: timeOf(it.LastOrderAt),
		Orders: it.Orders, Units: it.Units, Returns: it.Returns, Tickets: it.Tickets, Surveys: it.Surveys,
		LatestCSAT: it.LatestCSAT, LatestCSATAt: timeOf(it.LatestCSATAt),
		Retention: customer.Retention{Counted: it.Counted, Early: map[string]time.Time{}, Support: map[string]customer.SupportEntry{}},
		Version:   it.Version,
	}
	for id, ms := range it.Early {
		p.Retention.Early[id] = time.UnixMilli(ms).UTC()
	}
	for m, e := range it.Support {
		p.Retention.Support[m] = customer.SupportEntry{Anchor: time.UnixMilli(e.AnchorMs).UTC(), LastTicketID: e.LastTicketID, Outcome: e.Outcome, Orders: e.Orders}
	}
	return p
}

func profileKey(customerID string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(customerPK(customerID)), "SK": str(profileSK)}
}

// readProfile reads the customer's profile, strongly consistent; a customer never written has an empty
// profile at version 0.
func readProfile(ctx context.Context, db DB, table, customerID string) (customer.Profile, error) {
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: profileKey(customerID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return customer.Profile{}, fmt.Errorf("read customer profile: %w", err)
	}
	if len(out.Item) == 0 {
		return customer.Profile{ID: customerID}, nil
	}
	var it profileItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return customer.Profile{}, fmt.Errorf("decode customer profile: %w", err)
	}
	p := it.toProfile()
	p.ID = customerID
	return p, nil
}

// profileWrite is the part of a transaction that stores a profile decided on a read: the profile at
// the next version (conditional on the version read) and the counter changes the decision caused.
type profileWrite struct {
	put    types.TransactWriteItem
	deltas customer.Deltas
}

func newProfileWrite(table string, p customer.Profile, deltas customer.Deltas) (profileWrite, error) {
	read := p.Version
	p.Version++
	av, err := attributevalue.MarshalMap(toProfileItem(p))
	if err != nil {
		return profileWrite{}, err
	}
	return profileWrite{deltas: deltas, put: types.TransactWriteItem{Put: &types.Put{
		TableName: &table, Item: av,
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR version = :read"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":read": num(read)},
	}}}, nil
}

// isProfilePut reports whether a transaction item is a profile write, to explain its lost condition.
func isProfilePut(it types.TransactWriteItem) bool {
	if it.Put == nil {
		return false
	}
	sk, _ := it.Put.Item["SK"].(*types.AttributeValueMemberS)
	return sk != nil && sk.Value == profileSK
}

// profileConditionLost reports a cancelled transaction whose profile write lost its version condition
// (or raced another transaction): reading again decides anew.
func profileConditionLost(items []types.TransactWriteItem, err error) bool {
	reasons := cancellationReasons(err)
	for i, r := range reasons {
		if i < len(items) && isProfilePut(items[i]) && (r == "ConditionalCheckFailed" || r == "TransactionConflict") {
			return true
		}
	}
	return false
}

// historyPut is one customer timeline entry.
func historyPut(table, customerID string, at time.Time, kind, refID string, extra map[string]types.AttributeValue) types.TransactWriteItem {
	item := map[string]types.AttributeValue{
		"PK": str(customerPK(customerID)), "SK": str(historySK(at, kind, refID)), "entity": str(entityHistory),
		"customerId": str(customerID), "kind": str(kind), "refId": str(refID), "at": timeAV(at),
	}
	for k, v := range extra {
		item[k] = v
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &table, Item: item}}
}

// emailPut records that customerID ordered with email.
func emailPut(table, customerID, email string) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{TableName: &table, Item: map[string]types.AttributeValue{
		"PK": str(emailPK(email)), "SK": str(customerPK(customerID)), "entity": str(entityEmail), "customerId": str(customerID),
	}}}
}

// countersWithDeltas is the counter items of a change: base counts on at's day plus the profile's
// retention deltas, one item per day (a transaction may touch each counter item once).
func countersWithDeltas(table string, at time.Time, base map[string]int64, deltas customer.Deltas) []types.TransactWriteItem {
	byDay := map[string]map[string]int64{}
	for d, names := range deltas {
		byDay[d] = map[string]int64{}
		for n, v := range names {
			byDay[d][n] += v
		}
	}
	if len(base) > 0 {
		d := metrics.Day(at)
		if byDay[d] == nil {
			byDay[d] = map[string]int64{}
		}
		for n, v := range base {
			byDay[d][n] += v
		}
	}
	days := make([]string, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Strings(days)
	items := make([]types.TransactWriteItem, 0, len(days))
	for _, d := range days {
		if len(byDay[d]) > 0 {
			items = append(items, counterUpdateDay(table, d, byDay[d]))
		}
	}
	return items
}

// countedOrders lists the customer's orders that are not cancelled, through GSI1. The profile asks for
// it only when the customer's first order is cancelled or moved later (see customer.Retention).
func countedOrders(ctx context.Context, db DB, table, customerID string) ([]customer.OrderFact, error) {
	in := &dynamodb.QueryInput{
		TableName:              &table,
		IndexName:              aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(customerPK(customerID)), ":prefix": str(orderGSIPrefix),
		},
	}
	var facts []customer.OrderFact
	for {
		out, err := db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list customer orders: %w", err)
		}
		var items []orderItem
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
			return nil, fmt.Errorf("decode customer orders: %w", err)
		}
		for _, it := range items {
			facts = append(facts, customer.OrderFact{ID: it.OrderID, PlacedAt: it.PlacedAt, Cancelled: it.Status == "cancelled"})
		}
		if len(out.LastEvaluatedKey) == 0 {
			return facts, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// surveyProfileUpdate adds a survey to the profile without reading it: latest CSAT and the count.
func surveyProfileUpdate(table, customerID string, csat int, at time.Time) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		TableName: &table, Key: profileKey(customerID),
		UpdateExpression: aws.String("SET entity = :e, customerId = :c, latestCsat = :s, latestCsatAt = :t ADD surveys :one, version :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":e": str(entityProfile), ":c": str(customerID), ":s": num(int64(csat)), ":t": timeAV(at), ":one": num(1),
		},
	}}
}
