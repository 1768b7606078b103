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

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/workspace/macro"
)

// Saved replies (macros):
//
//	MACROS   MACRO#<id>   one macro; `usage` is added to by the reply that uses it, in the reply's transaction
//
// All macros share one partition: a shop has tens to hundreds of them, ops list them in one Query, and the
// write rate (edits and one usage add per reply) is far below a partition's limit.

const (
	macrosPK      = "MACROS"
	macroSKPrefix = "MACRO#"
	entityMacro   = "macro"
)

func macroKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(macrosPK), "SK": str(macroSKPrefix + id)}
}

type macroItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	Entity    string    `dynamodbav:"entity"`
	MacroID   string    `dynamodbav:"macroId"`
	Title     string    `dynamodbav:"title"`
	BodyID    string    `dynamodbav:"bodyId"`
	BodyEN    string    `dynamodbav:"bodyEn"`
	Team      string    `dynamodbav:"team,omitempty"`
	Usage     int64     `dynamodbav:"usage"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	UpdatedAt time.Time `dynamodbav:"updatedAt"`
	UpdatedBy string    `dynamodbav:"updatedBy"`
	Version   int64     `dynamodbav:"version"`
}

func (it macroItem) toMacro() macro.Macro {
	return macro.Macro{ID: it.MacroID, Title: it.Title, BodyID: it.BodyID, BodyEN: it.BodyEN, Team: escalation.Team(it.Team),
		Usage: it.Usage, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, UpdatedBy: it.UpdatedBy, Version: it.Version}
}

// Macros stores saved replies in the support table.
type Macros struct {
	db    DB
	table string
}

var _ macro.Store = (*Macros)(nil)

// NewMacros returns the macro store for table.
func NewMacros(db DB, table string) *Macros { return &Macros{db: db, table: table} }

// Create puts the macro if its id is new.
func (s *Macros) Create(ctx context.Context, m macro.Macro) error {
	av, err := attributevalue.MarshalMap(macroItem{PK: macrosPK, SK: macroSKPrefix + m.ID, Entity: entityMacro, MacroID: m.ID,
		Title: m.Title, BodyID: m.BodyID, BodyEN: m.BodyEN, Team: string(m.Team), CreatedAt: m.CreatedAt.UTC(),
		UpdatedAt: m.UpdatedAt.UTC(), UpdatedBy: m.UpdatedBy, Version: m.Version})
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)")}}}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return items }, func(err error) (error, bool) {
		if isTransactionConflict(err) || (len(cancellationReasons(err)) > 0 && cancellationReasons(err)[0] == "ConditionalCheckFailed") {
			return macro.ErrChanged.Wrap(err), true
		}
		return fmt.Errorf("create macro %s: %w", m.ID, err), false
	})
}

// Get reads one macro, strongly consistent.
func (s *Macros) Get(ctx context.Context, id string) (macro.Macro, error) {
	return getMacro(ctx, s.db, s.table, id)
}

func getMacro(ctx context.Context, db DB, table, id string) (macro.Macro, error) {
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: macroKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return macro.Macro{}, fmt.Errorf("get macro %s: %w", id, err)
	}
	if len(out.Item) == 0 {
		return macro.Macro{}, macro.ErrNotFound
	}
	var it macroItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return macro.Macro{}, fmt.Errorf("decode macro %s: %w", id, err)
	}
	return it.toMacro(), nil
}

// List queries the macros partition by id. With a team, a filter keeps that team's macros and those for
// every team; a page may then hold fewer than limit and still have a next cursor.
func (s *Macros) List(ctx context.Context, team escalation.Team, limit int, cur string) (macro.Page, error) {
	in := &dynamodb.QueryInput{
		TableName:              &s.table,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(macrosPK), ":prefix": str(macroSKPrefix),
		},
		Limit: aws.Int32(int32(limit)),
	}
	if team != "" {
		in.FilterExpression = aws.String("attribute_not_exists(team) OR team = :team")
		in.ExpressionAttributeValues[":team"] = str(string(team))
	}
	if cur != "" {
		c, err := decodeCursor(cur)
		if err != nil {
			return macro.Page{}, err
		}
		if !strings.HasPrefix(c.SortKey, macroSKPrefix) {
			return macro.Page{}, errBadCursor
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": str(macrosPK), "SK": str(c.SortKey)}
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return macro.Page{}, fmt.Errorf("list macros: %w", err)
	}
	var items []macroItem
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return macro.Page{}, fmt.Errorf("decode macros: %w", err)
	}
	page := macro.Page{Macros: make([]macro.Macro, 0, len(items))}
	for _, it := range items {
		page.Macros = append(page.Macros, it.toMacro())
	}
	if sk, ok := out.LastEvaluatedKey["SK"].(*types.AttributeValueMemberS); ok {
		page.NextCursor = encodeCursor(cursor{SortKey: sk.Value, ID: strings.TrimPrefix(sk.Value, macroSKPrefix)})
	}
	return page, nil
}

// Update replaces the editable fields while the stored version is the one before m's.
func (s *Macros) Update(ctx context.Context, m macro.Macro) error {
	u := newUpdateExpr()
	u.set("title", str(m.Title))
	u.set("bodyId", str(m.BodyID))
	u.set("bodyEn", str(m.BodyEN))
	u.setString("team", string(m.Team))
	u.set("updatedAt", timeAV(m.UpdatedAt))
	u.set("updatedBy", str(m.UpdatedBy))
	u.set("version", num(m.Version))
	u.values[":expect"] = num(m.Version - 1)
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: &s.table, Key: macroKey(m.ID), UpdateExpression: aws.String(u.String()),
		ConditionExpression:       aws.String("attribute_exists(PK) AND #version = :expect"),
		ExpressionAttributeNames:  u.names,
		ExpressionAttributeValues: u.values,
	}}}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return items }, func(err error) (error, bool) {
		if isTransactionConflict(err) || (len(cancellationReasons(err)) > 0 && cancellationReasons(err)[0] == "ConditionalCheckFailed") {
			return macro.ErrChanged.Wrap(err), true
		}
		return fmt.Errorf("update macro %s: %w", m.ID, err), false
	})
}

// Delete removes the macro if it exists.
func (s *Macros) Delete(ctx context.Context, id string) error {
	items := []types.TransactWriteItem{{Delete: &types.Delete{TableName: &s.table, Key: macroKey(id),
		ConditionExpression: aws.String("attribute_exists(PK)")}}}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return items }, func(err error) (error, bool) {
		if reasons := cancellationReasons(err); len(reasons) > 0 && reasons[0] == "ConditionalCheckFailed" {
			return macro.ErrNotFound, false
		}
		if isTransactionConflict(err) {
			return macro.ErrChanged.Wrap(err), true
		}
		return fmt.Errorf("delete macro %s: %w", id, err), false
	})
}

// macroUsage adds one to a macro's usage inside a reply's transaction; the macro must still exist.
func macroUsage(table, id string) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		TableName: &table, Key: macroKey(id),
		UpdateExpression:          aws.String("ADD #usage :one"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames:  map[string]string{"#usage": "usage"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)},
	}}
}

// MacroSources reads what a reply with a macro is filled from: the macro, the customer's name (profile)
// and the latest return on the ticket's order.
type MacroSources struct {
	db    DB
	table string
}

var _ macro.Sources = (*MacroSources)(nil)

// NewMacroSources returns the reply sources for table.
func NewMacroSources(db DB, table string) *MacroSources { return &MacroSources{db: db, table: table} }

// Macro reads the macro.
func (s *MacroSources) Macro(ctx context.Context, id string) (macro.Macro, error) {
	return getMacro(ctx, s.db, s.table, id)
}

// CustomerName reads the name on the customer's profile ("" when unknown).
func (s *MacroSources) CustomerName(ctx context.Context, customerID string) (string, error) {
	p, err := readProfile(ctx, s.db, s.table, customerID)
	return p.Name, err
}

// LatestReturn reads the newest return on the order through GSI1 (one Query, one item).
func (s *MacroSources) LatestReturn(ctx context.Context, orderID string) (string, *money.Money, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              &s.table,
		IndexName:              aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(orderPK(orderID)), ":prefix": str(returnGSIPrefix),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(1),
	})
	if err != nil {
		return "", nil, fmt.Errorf("latest return of %s: %w", orderID, err)
	}
	if len(out.Items) == 0 {
		return "", nil, nil
	}
	var st struct {
		ReturnID string      `dynamodbav:"returnId"`
		Currency string      `dynamodbav:"currency"`
		Estimate refundItem  `dynamodbav:"estimate"`
		Final    *refundItem `dynamodbav:"final"`
	}
	if err := attributevalue.UnmarshalMap(out.Items[0], &st); err != nil {
		return "", nil, fmt.Errorf("decode return: %w", err)
	}
	total := st.Estimate.Total
	if st.Final != nil {
		total = st.Final.Total
	}
	refund := money.New(total, st.Currency)
	return st.ReturnID, &refund, nil
}
