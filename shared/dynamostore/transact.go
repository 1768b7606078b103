package dynamostore

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// transactAttempts bounds how often a transaction cancelled only by contention is tried. Every write
// transaction also updates a metric counter shard, so two unrelated writes can meet on the same shard;
// the other transaction finishes within milliseconds.
const transactAttempts = 4

// explainFunc turns a failed transaction into what the store reports, and says whether reading again
// may decide differently (the transaction's conditions encoded a state that has moved on).
type explainFunc func(err error) (reported error, reread bool)

// plannedTx is a transaction planned inside an idempotent request (see idempotency.Plan): Idempotency.Commit
// runs it together with the request's completed record.
type plannedTx struct {
	build   func() []types.TransactWriteItem
	explain explainFunc
}

func (p plannedTx) explainCommit(err error) error {
	reported, reread := p.explain(err)
	if reread {
		return idempotency.Stale(reported)
	}
	return reported
}

// transactWrite is how every store writes a change: one TransactWriteItems built by build. Inside an
// idempotent request it only plans the transaction, which then commits with the request's completed
// record; a caller must therefore not read its own change back within the request. Failures are
// explained by explain.
func transactWrite(ctx context.Context, db DB, build func() []types.TransactWriteItem, explain explainFunc) error {
	if plan := idempotency.PlanFrom(ctx); plan != nil {
		return plan.Capture(plannedTx{build: build, explain: explain})
	}
	if err := runTransaction(ctx, db, build); err != nil {
		reported, _ := explain(err)
		return reported
	}
	return nil
}

// runTransaction runs the transaction that build returns, again after a short random pause while it is
// cancelled only by TransactionConflict. build runs on every attempt, so each try draws a fresh counter
// shard. A cancellation with any failed condition is returned at once: that is a decision, not contention.
func runTransaction(ctx context.Context, db DB, build func() []types.TransactWriteItem) error {
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
