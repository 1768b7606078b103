package dynamostore

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// batchGetMax is BatchGetItem's per-request key limit.
const batchGetMax = 100

// batchRetry bounds how long a read waits for keys DynamoDB leaves unprocessed (it does so when throttled).
type batchRetry struct {
	backoff     time.Duration // before the second request; doubled after each
	maxAttempts int           // requests per 100 keys
}

var defaultBatchRetry = batchRetry{backoff: 25 * time.Millisecond, maxAttempts: 8}

// batchGet reads keys from table, strongly consistent, 100 a request, asking again for unprocessed keys with
// exponential backoff. Missing items are absent from the result. Keys still unprocessed after maxAttempts
// fail the read as unavailable (a 503 to a caller), never as a partial answer.
func batchGet(ctx context.Context, db DB, table string, keys []map[string]types.AttributeValue, r batchRetry) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for len(keys) > 0 {
		n := min(len(keys), batchGetMax)
		pending := keys[:n]
		keys = keys[n:]
		wait := r.backoff
		for attempt := 1; len(pending) > 0; attempt++ {
			out, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
				table: {Keys: pending, ConsistentRead: aws.Bool(true)},
			}})
			if err != nil {
				return nil, err
			}
			items = append(items, out.Responses[table]...)
			pending = out.UnprocessedKeys[table].Keys
			if len(pending) == 0 {
				break
			}
			if attempt >= r.maxAttempts {
				return nil, failure.Unavailable("service_unavailable").Wrap(
					fmt.Errorf("%d keys still unprocessed after %d attempts", len(pending), attempt))
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
	}
	return items, nil
}
