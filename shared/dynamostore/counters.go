package dynamostore

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/metrics"
)

// Daily metric counters:
//
//	METRICS#<YYYY-MM-DD>#<shard>   #COUNTERS   one number attribute per counter name (metrics package)
//
// Writers ADD to one random shard inside their own transaction, so a counter never disagrees with the
// change it counts; readers sum metrics.Shards items per day.

func metricsPK(day string, shard int) string { return "METRICS#" + day + "#" + strconv.Itoa(shard) }

const countersSK = "#COUNTERS"

// counterUpdate is the transaction item that adds deltas to the counters of at's day.
func counterUpdate(table string, at time.Time, deltas map[string]int64) types.TransactWriteItem {
	return counterUpdateDay(table, metrics.Day(at), deltas)
}

// counterUpdateDay adds deltas to the counters of day (YYYY-MM-DD).
func counterUpdateDay(table string, day string, deltas map[string]int64) types.TransactWriteItem {
	names := make([]string, 0, len(deltas))
	for name := range deltas {
		names = append(names, name)
	}
	sort.Strings(names) // stable expressions make requests reproducible in tests and logs
	exprNames := map[string]string{"#entity": "entity", "#day": "day"}
	values := map[string]types.AttributeValue{":entity": str("metric_counters"), ":day": str(day)}
	adds := make([]string, 0, len(names))
	for i, name := range names {
		n, v := "#c"+strconv.Itoa(i), ":c"+strconv.Itoa(i)
		exprNames[n] = name
		values[v] = &types.AttributeValueMemberN{Value: strconv.FormatInt(deltas[name], 10)}
		adds = append(adds, n+" "+v)
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(table),
		Key: map[string]types.AttributeValue{
			"PK": str(metricsPK(day, rand.IntN(metrics.Shards))), "SK": str(countersSK),
		},
		UpdateExpression:          aws.String("SET #entity = :entity, #day = :day ADD " + strings.Join(adds, ", ")),
		ExpressionAttributeNames:  exprNames,
		ExpressionAttributeValues: values,
	}}
}
