package dynamostore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Metrics reads the daily counters (see counters.go for the keys).
type Metrics struct {
	db    DB
	table string
	// retry schedule for UnprocessedKeys; tests shorten it.
	backoff     time.Duration
	maxAttempts int
}

var _ metrics.CounterReader = (*Metrics)(nil)

// NewMetrics returns the counter reader for table.
func NewMetrics(db DB, table string) *Metrics {
	return &Metrics{db: db, table: table, backoff: 25 * time.Millisecond, maxAttempts: 8}
}

// batchGetMax is BatchGetItem's per-request key limit.
const batchGetMax = 100

// Sum reads days × metrics.Shards counter items with BatchGetItem, 100 keys a request, and adds them up.
// Missing items are days or shards nobody wrote to. Strongly consistent, so a figure includes every
// write acknowledged before the read.
func (m *Metrics) Sum(ctx context.Context, days []string) (metrics.Totals, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(days)*metrics.Shards)
	for _, day := range days {
		for shard := range metrics.Shards {
			keys = append(keys, map[string]types.AttributeValue{"PK": str(metricsPK(day, shard)), "SK": str(countersSK)})
		}
	}
	totals := metrics.Totals{}
	for len(keys) > 0 {
		n := min(len(keys), batchGetMax)
		if err := m.sumBatch(ctx, keys[:n], totals); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return totals, nil
}

// sumBatch reads up to 100 keys, retrying unprocessed ones with exponential backoff.
func (m *Metrics) sumBatch(ctx context.Context, keys []map[string]types.AttributeValue, totals metrics.Totals) error {
	pending := keys
	wait := m.backoff
	for attempt := 1; ; attempt++ {
		out, err := m.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
			m.table: {Keys: pending, ConsistentRead: aws.Bool(true)},
		}})
		if err != nil {
			return fmt.Errorf("read metric counters: %w", err)
		}
		for _, item := range out.Responses[m.table] {
			if err := addCounters(item, totals); err != nil {
				return err
			}
		}
		pending = out.UnprocessedKeys[m.table].Keys
		if len(pending) == 0 {
			return nil
		}
		if attempt >= m.maxAttempts {
			return failure.Unavailable("service_unavailable").Wrap(
				fmt.Errorf("metric counters: %d keys still unprocessed after %d attempts", len(pending), attempt))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// addCounters adds every number attribute of a counter item; the key and bookkeeping attributes are strings.
func addCounters(item map[string]types.AttributeValue, totals metrics.Totals) error {
	for name, v := range item {
		n, ok := v.(*types.AttributeValueMemberN)
		if !ok {
			continue
		}
		x, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil {
			return fmt.Errorf("metric counter %s: %w", name, err)
		}
		totals[name] += x
	}
	return nil
}
