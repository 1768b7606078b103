package dynamostore

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// scriptedTx answers TransactWriteItems from a script of errors; the other calls are not used here.
type scriptedTx struct {
	DB
	errs  []error
	calls int
}

func (s *scriptedTx) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	s.calls++
	if len(s.errs) == 0 {
		return &dynamodb.TransactWriteItemsOutput{}, nil
	}
	err := s.errs[0]
	s.errs = s.errs[1:]
	return nil, err
}

func cancelled(codes ...string) error {
	reasons := make([]types.CancellationReason, len(codes))
	for i, c := range codes {
		reasons[i] = types.CancellationReason{Code: aws.String(c)}
	}
	return &types.TransactionCanceledException{CancellationReasons: reasons}
}

func TestRunTransactionRetriesOnlyContention(t *testing.T) {
	ctx := context.Background()
	builds := 0
	build := func() []types.TransactWriteItem { builds++; return nil }

	db := &scriptedTx{errs: []error{cancelled("None", "TransactionConflict"), cancelled("TransactionConflict", "None")}}
	if err := runTransaction(ctx, db, build); err != nil || db.calls != 3 || builds != 3 {
		t.Fatalf("contention twice then success: err=%v calls=%d builds=%d", err, db.calls, builds)
	}

	decided := cancelled("ConditionalCheckFailed", "TransactionConflict")
	db = &scriptedTx{errs: []error{decided}}
	if err := runTransaction(ctx, db, build); !errors.Is(err, decided) || db.calls != 1 {
		t.Fatalf("a failed condition must not be retried: err=%v calls=%d", err, db.calls)
	}

	db = &scriptedTx{errs: []error{cancelled("TransactionConflict"), cancelled("TransactionConflict"), cancelled("TransactionConflict"), cancelled("TransactionConflict"), nil}}
	if err := runTransaction(ctx, db, build); err == nil || db.calls != transactAttempts {
		t.Fatalf("bounded attempts: err=%v calls=%d", err, db.calls)
	}
}
