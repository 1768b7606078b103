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

	"github.com/tanggap/tanggap/shared/idempotency"
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
		PK: rec.Key, Fingerprint: rec.Fingerprint, Status: string(idempotency.InProgress),
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
	var it idempotencyItem
	if err := attributevalue.UnmarshalMap(ccf.Item, &it); err != nil {
		return nil, fmt.Errorf("decode idempotency record: %w", err)
	}
	return &idempotency.Record{
		Key: it.PK, Fingerprint: it.Fingerprint, Status: idempotency.Status(it.Status), Response: it.Response,
		LockExpiresAt: time.UnixMilli(it.LockExpiresAtMs), ExpiresAt: time.Unix(it.ExpiresAt, 0),
	}, nil
}

// Complete stores the response to replay.
func (s *Idempotency) Complete(ctx context.Context, key string, resp idempotency.Response, expiresAt time.Time) error {
	rv, err := attributevalue.Marshal(resp)
	if err != nil {
		return err
	}
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                &s.table,
		Key:                      map[string]types.AttributeValue{"PK": str(key)},
		UpdateExpression:         aws.String("SET #status = :done, #response = :resp, expiresAt = :exp"),
		ConditionExpression:      aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#response": "response"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":done": str(string(idempotency.Completed)), ":resp": rv, ":exp": num(expiresAt.Unix()),
		},
	})
	if err != nil {
		return fmt.Errorf("complete idempotency key: %w", err)
	}
	return nil
}

// Release deletes the claim.
func (s *Idempotency) Release(ctx context.Context, key string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: map[string]types.AttributeValue{"PK": str(key)}})
	if err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}
