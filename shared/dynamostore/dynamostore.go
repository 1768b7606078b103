// Package dynamostore implements the domain ports on DynamoDB. The support table is single-table:
//
//	ORDER#<id>      #ORDER                   order header   GSI1: CUSTOMER#<customerId> / ORDER#<placedAt>#<id>
//	ORDER#<id>      LINE#<lineId>            order line, with the quantity still reservable by returns
//
// Other entities document their keys in their own files.
package dynamostore

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/failure"
)

// DB is the subset of *dynamodb.Client the adapters use.
type DB = dynamoClient

// sortableTime renders t so that lexical order is time order (fixed width, UTC).
func sortableTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

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
