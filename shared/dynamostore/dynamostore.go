// Package dynamostore implements the domain ports on DynamoDB. The support table is single-table:
//
//	ORDER#<id>      #ORDER                   order header   GSI1: CUSTOMER#<customerId> / ORDER#<placedAt>#<id>
//	ORDER#<id>      LINE#<lineId>            order line, with the quantity still reservable by returns
//
// Other entities document their keys in their own files.
package dynamostore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// DB is the subset of *dynamodb.Client the adapters use.
type DB = dynamoClient

// sortableTime renders t so that lexical order is time order (fixed width, UTC).
func sortableTime(t time.Time) string { return t.UTC().Format(sortableTimeLayout) }

// shardOf spreads ids over n index partitions, stably (FNV-1a), so no single partition takes every write.
func shardOf(id string, n int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// cursor is the opaque pagination token. It carries only sort-key material: the partition comes from the
// caller's identity, so a tampered cursor can never reach another customer's items.
type cursor struct {
	SortKey string `json:"s"`
	ID      string `json:"i"`
}

func encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

var errBadCursor = failure.Invalid(failure.FieldError{Field: "cursor", Code: "invalid"})

func decodeCursor(s string) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.SortKey == "" || c.ID == "" {
		return cursor{}, errBadCursor
	}
	return c, nil
}

// isConditionFailed reports a failed ConditionExpression on a single-item write.
func isConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// cancellationReasons returns the per-item reason codes of a cancelled transaction, or nil.
func cancellationReasons(err error) []string {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil
	}
	codes := make([]string, len(tce.CancellationReasons))
	for i, r := range tce.CancellationReasons {
		codes[i] = aws.ToString(r.Code)
	}
	return codes
}

// isTransactionConflict reports a transaction that lost a race with another write to the same items.
func isTransactionConflict(err error) bool {
	for _, c := range cancellationReasons(err) {
		if c == "TransactionConflict" {
			return true
		}
	}
	var tce *types.TransactionConflictException
	return errors.As(err, &tce)
}

// gsi1Listing is one newest-first listing of an entity under a GSI1 partition (a customer's orders or
// tickets, an order's returns).
type gsi1Listing struct {
	partition string              // GSI1PK: always derived from the caller's identity or an owned parent
	prefix    string              // GSI1SK prefix selecting the entity
	pk        func(string) string // the entity's base-table PK for its id, to rebuild the start key
	sk        string              // the entity's base-table SK
	idAttr    string              // the item attribute holding the entity's id
}

// queryGSI1Page reads up to limit items of l, newest first, and the cursor of the next page ("" when
// there is none). It asks for one item more than limit, so a next cursor always leads somewhere.
func queryGSI1Page(ctx context.Context, db DB, table string, l gsi1Listing, limit int, cur string) ([]map[string]types.AttributeValue, string, error) {
	in := &dynamodb.QueryInput{
		TableName:              &table,
		IndexName:              aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(l.partition), ":prefix": str(l.prefix),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit + 1)),
	}
	if cur != "" {
		c, err := decodeCursor(cur)
		if err != nil {
			return nil, "", err
		}
		if !strings.HasPrefix(c.SortKey, l.prefix) {
			return nil, "", errBadCursor
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{
			"GSI1PK": str(l.partition), "GSI1SK": str(c.SortKey), "PK": str(l.pk(c.ID)), "SK": str(l.sk),
		}
	}
	out, err := db.Query(ctx, in)
	if err != nil {
		return nil, "", err
	}
	items := out.Items
	if len(items) <= limit {
		return items, "", nil
	}
	items = items[:limit]
	last := items[limit-1]
	sortKey, _ := last["GSI1SK"].(*types.AttributeValueMemberS)
	id, _ := last[l.idAttr].(*types.AttributeValueMemberS)
	if sortKey == nil || id == nil {
		return nil, "", fmt.Errorf("listing %s: item without GSI1SK or %s", l.prefix, l.idAttr)
	}
	return items, encodeCursor(cursor{SortKey: sortKey.Value, ID: id.Value}), nil
}
