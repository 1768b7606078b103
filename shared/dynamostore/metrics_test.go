package dynamostore

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// addCountersAt writes counter deltas for at's day the way every writer does: one transaction item.
func addCountersAt(t *testing.T, db DB, table string, at time.Time, deltas map[string]int64) {
	t.Helper()
	_, err := db.TransactWriteItems(t.Context(), &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{counterUpdate(table, at, deltas)},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every shard of every day in the range is summed, across BatchGetItem's 100-key pages; days outside the
// range and days nobody wrote are ignored.
func TestMetricsSumsEveryShardOfEveryDay(t *testing.T) {
	env := testenv.DynamoDB(t)
	start := time.Date(2026, 1, 1, 17, 30, 0, 0, time.UTC) // 00:30 WIB on 2 January
	// 30 days × 4 shards = 120 keys: two BatchGetItem requests.
	for i := range 30 {
		at := start.AddDate(0, 0, i)
		for range 5 { // five writes a day land on random shards
			addCountersAt(t, env.Client, env.SupportTable, at, map[string]int64{metrics.Surveys: 1, metrics.CSATScoreSum: int64(i)})
		}
	}
	addCountersAt(t, env.Client, env.SupportTable, start.AddDate(0, 0, 40), map[string]int64{metrics.Surveys: 1000})

	var days []string
	for i := range 31 { // 2 Jan..1 Feb: one day with no counters at the end
		days = append(days, metrics.Day(start.AddDate(0, 0, i)))
	}
	if days[0] != "2026-01-02" {
		t.Fatalf("first day %s", days[0])
	}
	counting := &batchCounter{DB: env.Client}
	totals, err := NewMetrics(counting, env.SupportTable).Sum(t.Context(), days)
	if err != nil {
		t.Fatal(err)
	}
	// sum over i of 5i for i in 0..29 = 5 × 435
	assertTotals(t, totals, metrics.Totals{metrics.Surveys: 150, metrics.CSATScoreSum: 2175})
	if counting.calls != 2 || counting.keys != 124 {
		t.Fatalf("%d BatchGetItem calls for %d keys, want 2 for 124", counting.calls, counting.keys)
	}
}

// batchCounter counts BatchGetItem requests and keys on the real client.
type batchCounter struct {
	DB
	calls, keys int
}

func (b *batchCounter) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	b.calls++
	for _, ka := range in.RequestItems {
		b.keys += len(ka.Keys)
	}
	return b.DB.BatchGetItem(ctx, in, opts...)
}

// throttling answers only the first few keys of each request and hands the rest back as UnprocessedKeys,
// as DynamoDB does under throttling or the 16 MB response limit.
type throttling struct {
	DB
	perCall int
	mu      sync.Mutex
	calls   int
}

func (f *throttling) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	served := map[string]types.KeysAndAttributes{}
	unprocessed := map[string]types.KeysAndAttributes{}
	for table, ka := range in.RequestItems {
		n := min(f.perCall, len(ka.Keys))
		head, tail := ka, ka
		head.Keys, tail.Keys = ka.Keys[:n], ka.Keys[n:]
		if n > 0 {
			served[table] = head
		}
		if len(tail.Keys) > 0 {
			unprocessed[table] = tail
		}
	}
	out := &dynamodb.BatchGetItemOutput{}
	if len(served) > 0 {
		var err error
		if out, err = f.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: served}, opts...); err != nil {
			return nil, err
		}
	}
	out.UnprocessedKeys = unprocessed
	return out, nil
}

func TestMetricsRetriesUnprocessedKeys(t *testing.T) {
	env := testenv.DynamoDB(t)
	at := time.Date(2026, 5, 5, 5, 0, 0, 0, time.UTC)
	for range 20 {
		addCountersAt(t, env.Client, env.SupportTable, at, map[string]int64{metrics.OrdersCreated: 1, metrics.UnitsOrdered: 3})
	}
	days := []string{"2026-05-04", "2026-05-05", "2026-05-06"} // 12 keys
	flaky := &throttling{DB: env.Client, perCall: 5}
	m := NewMetrics(flaky, env.SupportTable)
	m.retry.backoff = time.Millisecond
	totals, err := m.Sum(t.Context(), days)
	if err != nil {
		t.Fatal(err)
	}
	assertTotals(t, totals, metrics.Totals{metrics.OrdersCreated: 20, metrics.UnitsOrdered: 60})
	if flaky.calls != 3 { // 5 + 5 + 2 keys
		t.Fatalf("%d calls, want 3", flaky.calls)
	}

	// A table that never catches up is reported as unavailable, not as partial figures.
	stuck := &throttling{DB: env.Client, perCall: 0}
	m = NewMetrics(stuck, env.SupportTable)
	m.retry.backoff = time.Millisecond
	if _, err := m.Sum(t.Context(), days); !failure.IsKind(err, failure.KindUnavailable) || stuck.calls != m.retry.maxAttempts {
		t.Fatalf("err %v after %d calls", err, stuck.calls)
	}
}
