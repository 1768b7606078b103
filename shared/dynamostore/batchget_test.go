package dynamostore

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Every reader that uses BatchGetItem gives up on a table that never serves its keys, as unavailable (a 503
// a client may retry), within a bounded time: the inbox's read by ids once asked again forever.
func TestBatchReadersGiveUpOnATableThatNeverServes(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	reads := map[string]func(db DB) error{
		"inbox by ids": func(db DB) error {
			_, err := NewInbox(db, env.SupportTable).UnreadByID(ctx, "cust-1", []string{"EVT-1", "EVT-2"}, time.Time{})
			return err
		},
		"queue counters": func(db DB) error {
			_, err := NewQueues(db, env.SupportTable).Counters(ctx)
			return err
		},
	}
	for name, read := range reads {
		stuck := &throttling{DB: env.Client, perCall: 0}
		err := read(stuck)
		if !failure.IsKind(err, failure.KindUnavailable) {
			t.Errorf("%s: err = %v, want unavailable", name, err)
		}
		if stuck.calls != defaultBatchRetry.maxAttempts {
			t.Errorf("%s: %d requests, want %d", name, stuck.calls, defaultBatchRetry.maxAttempts)
		}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatal("the retries outlasted 30 s")
	}
}

// A read of more keys than one request takes is split 100 a request, and keys left unprocessed are asked
// again, so the caller gets every item exactly once.
func TestBatchGetSplitsAndRetries(t *testing.T) {
	env := testenv.DynamoDB(t)
	const n = 230
	keys := make([]map[string]types.AttributeValue, 0, n)
	for i := range n {
		key := map[string]types.AttributeValue{"PK": str("BATCHTEST#" + strconv.Itoa(i)), "SK": str("#ITEM")}
		keys = append(keys, key)
		item := map[string]types.AttributeValue{"PK": key["PK"], "SK": key["SK"], "n": num(int64(i))}
		if _, err := env.Client.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: &env.SupportTable, Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	keys = append(keys, map[string]types.AttributeValue{"PK": str("BATCHTEST#missing"), "SK": str("#ITEM")})
	flaky := &throttling{DB: env.Client, perCall: 60}
	items, err := batchGet(t.Context(), flaky, env.SupportTable, keys, batchRetry{backoff: time.Millisecond, maxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, it := range items {
		seen[it["PK"].(*types.AttributeValueMemberS).Value]++
	}
	if len(items) != n || len(seen) != n {
		t.Fatalf("%d items, %d distinct, want %d of each", len(items), len(seen), n)
	}
	// 100 keys: 60 + 40; 100 keys: 60 + 40; 31 keys: 31.
	if flaky.calls != 5 {
		t.Errorf("%d requests, want 5", flaky.calls)
	}
}
