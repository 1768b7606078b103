package dynamostore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/metrics"
)

// Metrics reads the daily counters (see counters.go for the keys).
type Metrics struct {
	db    DB
	table string
	retry batchRetry // tests shorten it
}

var _ metrics.CounterReader = (*Metrics)(nil)

// NewMetrics returns the counter reader for table.
func NewMetrics(db DB, table string) *Metrics {
	return &Metrics{db: db, table: table, retry: defaultBatchRetry}
}

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
	items, err := batchGet(ctx, m.db, m.table, keys, m.retry)
	if err != nil {
		return nil, fmt.Errorf("read metric counters: %w", err)
	}
	totals := metrics.Totals{}
	for _, item := range items {
		if err := addCounters(item, totals); err != nil {
			return nil, err
		}
	}
	return totals, nil
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
