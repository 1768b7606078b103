package dynamostore

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// transactAttempts bounds how often a transaction cancelled only by contention is tried. Every write
// transaction also updates a metric counter shard, so two unrelated writes can meet on the same shard;
// the other transaction finishes within milliseconds.
const transactAttempts = 4

// transactWrite runs the transaction that build returns, again after a short random pause while it is
// cancelled only by TransactionConflict. build runs on every attempt, so each try draws a fresh counter
// shard. A cancellation with any failed condition is returned at once: that is a decision, not contention.
func transactWrite(ctx context.Context, db DB, build func() []types.TransactWriteItem) error {
	for attempt := 1; ; attempt++ {
		_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: build()})
		if err == nil || attempt >= transactAttempts || !onlyContention(err) {
			return err
		}
		pause := time.Duration(attempt*(5+rand.IntN(20))) * time.Millisecond
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(pause):
		}
	}
}

// onlyContention reports a transaction cancelled because of concurrent transactions and nothing else.
func onlyContention(err error) bool {
	var tce *types.TransactionConflictException
	if errors.As(err, &tce) {
		return true
	}
	reasons := cancellationReasons(err)
	conflict := false
	for _, c := range reasons {
		switch c {
		case "TransactionConflict":
			conflict = true
		case "None", "":
		default:
			return false
		}
	}
	return conflict
}
