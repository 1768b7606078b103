package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// Idempotency keeps Idempotency-Key records in their own table (PK = scoped key), expired by TTL on
// expiresAt (epoch seconds). TTL deletes lazily, so expiry is also checked in every condition.
type Idempotency struct {
	db    DB
	table string
}

var _ idempotency.Store = (*Idempotency)(nil)

// NewIdempotency returns the idempotency store for table.
func NewIdempotency(db DB, table string) *Idempotency { return &Idempotency{db: db, table: table} }

type idempotencyItem struct {
	PK              string                `dynamodbav:"PK"`
	Fingerprint     string                `dynamodbav:"fingerprint"`
	Status          string                `dynamodbav:"status"`
	Token           string                `dynamodbav:"claimToken"`
	LockExpiresAtMs int64                 `dynamodbav:"lockExpiresAtMs"`
	ExpiresAt       int64                 `dynamodbav:"expiresAt"`
	Response        *idempotency.Response `dynamodbav:"response,omitempty"`
}

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// Claim is one conditional PutItem: atomic, so concurrent duplicates cannot both win.
func (s *Idempotency) Claim(ctx context.Context, rec idempotency.Record, now time.Time) (*idempotency.Record, error) {
	item, err := attributevalue.MarshalMap(idempotencyItem{
		PK: rec.Key, Fingerprint: rec.Fingerprint, Status: string(idempotency.InProgress), Token: rec.Token,
		LockExpiresAtMs: rec.LockExpiresAt.UnixMilli(), ExpiresAt: rec.ExpiresAt.Unix(),
	})
	if err != nil {
		return nil, err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item:      item,
		ConditionExpression: aws.String("attribute_not_exists(PK) OR expiresAt <= :nowSec OR " +
			"(#status = :inProgress AND lockExpiresAtMs <= :nowMs AND fingerprint = :fp)"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":nowSec": num(now.Unix()), ":nowMs": num(now.UnixMilli()),
			":inProgress": str(string(idempotency.InProgress)), ":fp": str(rec.Fingerprint),
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return nil, nil
	}
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	// The condition can only fail on an existing record, which ALL_OLD returns with the failure.
	return decodeRecord(ccf.Item)
}

func decodeRecord(item map[string]types.AttributeValue) (*idempotency.Record, error) {
	var it idempotencyItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return nil, fmt.Errorf("decode idempotency record: %w", err)
	}
	return &idempotency.Record{
		Key: it.PK, Fingerprint: it.Fingerprint, Status: idempotency.Status(it.Status), Token: it.Token, Response: it.Response,
		LockExpiresAt: time.UnixMilli(it.LockExpiresAtMs), ExpiresAt: time.Unix(it.ExpiresAt, 0),
	}, nil
}

// claimCondition holds while the record is still in progress under the caller's claim.
const claimCondition = "#status = :inProgress AND claimToken = :token"

func claimValues(token string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{":inProgress": str(string(idempotency.InProgress)), ":token": str(token)}
}

// completion turns the caller's claim into the completed record, and nothing else: on failure DynamoDB
// returns the record as it is, so the caller learns who holds the key without another read.
func (s *Idempotency) completion(key, token string, resp idempotency.Response, expiresAt time.Time) (*types.Update, error) {
	rv, err := attributevalue.Marshal(resp)
	if err != nil {
		return nil, err
	}
	values := claimValues(token)
	values[":done"], values[":resp"], values[":exp"] = str(string(idempotency.Completed)), rv, num(expiresAt.Unix())
	return &types.Update{
		TableName:                           &s.table,
		Key:                                 map[string]types.AttributeValue{"PK": str(key)},
		UpdateExpression:                    aws.String("SET #status = :done, #response = :resp, expiresAt = :exp"),
		ConditionExpression:                 aws.String(claimCondition),
		ExpressionAttributeNames:            map[string]string{"#status": "status", "#response": "response"},
		ExpressionAttributeValues:           values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}, nil
}

// Commit writes the planned change (a plannedTx captured by transactWrite) and the completed record in
// one TransactWriteItems. The record is the last item, so the change's own cancellation reasons keep
// their positions.
func (s *Idempotency) Commit(ctx context.Context, key, token string, change any, resp idempotency.Response, expiresAt time.Time) error {
	planned, ok := change.(plannedTx)
	if !ok {
		return fmt.Errorf("idempotency: cannot commit a %T", change)
	}
	done, err := s.completion(key, token, resp, expiresAt)
	if err != nil {
		return err
	}
	err = runTransaction(ctx, s.db, func() []types.TransactWriteItem {
		items := planned.build()
		return append(items[:len(items):len(items)], types.TransactWriteItem{Update: done})
	})
	if err == nil {
		return nil
	}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		if n := len(tce.CancellationReasons); n > 0 && aws.ToString(tce.CancellationReasons[n-1].Code) == "ConditionalCheckFailed" {
			return s.claimLost(tce.CancellationReasons[n-1].Item)
		}
	}
	return planned.explainCommit(err)
}

// claimLost reports the record another request holds now (nil item: it is gone).
func (s *Idempotency) claimLost(item map[string]types.AttributeValue) error {
	if len(item) == 0 {
		return &idempotency.ClaimLostError{}
	}
	rec, err := decodeRecord(item)
	if err != nil {
		return err
	}
	return &idempotency.ClaimLostError{Existing: rec}
}

// Complete stores the response of a request that changed nothing.
func (s *Idempotency) Complete(ctx context.Context, key, token string, resp idempotency.Response, expiresAt time.Time) error {
	done, err := s.completion(key, token, resp, expiresAt)
	if err != nil {
		return err
	}
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: done.TableName, Key: done.Key, UpdateExpression: done.UpdateExpression,
		ConditionExpression: done.ConditionExpression, ExpressionAttributeNames: done.ExpressionAttributeNames,
		ExpressionAttributeValues:           done.ExpressionAttributeValues,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return s.claimLost(ccf.Item)
	}
	if err != nil {
		return fmt.Errorf("complete idempotency key: %w", err)
	}
	return nil
}

// Release deletes the claim while it is still in progress under token; a completed record stays.
func (s *Idempotency) Release(ctx context.Context, key, token string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 &s.table,
		Key:                       map[string]types.AttributeValue{"PK": str(key)},
		ConditionExpression:       aws.String(claimCondition),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: claimValues(token),
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}
