package orderapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// benchLookup measures one GET /orders/{orderId} from API Gateway proxy event to proxy response, through
// the same LambdaHandler the bootstrap runs.
func benchLookup(b *testing.B, store order.Store, idem idempotency.Store) {
	svc := order.NewService(store, returnpolicy.Default(), time.Now)
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(idem)}, orderapi.Routes(svc))
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := store.Upsert(context.Background(), ordertest.Sample("TGP-BENCH", "budi", time.Now().Add(-72*time.Hour))); err != nil {
		b.Fatal(err)
	}
	handler := httpapi.LambdaHandler(h)
	event := apitest.Event(apitest.Request{Method: "GET", Path: "/orders/TGP-BENCH", Resource: "/orders/{orderId}", As: apitest.AsCustomer("budi")})
	ctx := context.Background()
	b.ReportAllocs()
	var resp events.APIGatewayProxyResponse
	for b.Loop() {
		resp, err = handler(ctx, event)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d err %v", resp.StatusCode, err)
		}
	}
}

// The request path's own cost: adapter, routing, identity, view building and JSON, with an in-memory store.
func BenchmarkOrderLookupInMemory(b *testing.B) {
	benchLookup(b, ordertest.NewMemoryStore(), idempotency.NewMemoryStore())
}

// The same path against DynamoDB Local (one strongly consistent Query per request).
func BenchmarkOrderLookupDynamoDBLocal(b *testing.B) {
	env := testenv.DynamoDB(b)
	benchLookup(b, dynamostore.NewOrders(env.Client, env.SupportTable), dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))
}
