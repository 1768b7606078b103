package dynamostore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/platform/idempotency/idempotencytest"
)

func TestOrdersMeetsContract(t *testing.T) {
	env := testenv.DynamoDB(t)
	ordertest.Run(t, dynamostore.NewOrders(env.Client, env.SupportTable))
}

func TestIdempotencyMeetsContract(t *testing.T) {
	env := testenv.DynamoDB(t)
	orders := dynamostore.NewOrders(env.Client, env.SupportTable)
	n := 0
	idempotencytest.Run(t, dynamostore.NewIdempotency(env.Client, env.IdempotencyTable), func(t *testing.T) (any, func() bool) {
		n++
		id := fmt.Sprintf("IDEM-%d-%d", time.Now().UnixNano(), n)
		plan := &idempotency.Plan{}
		if _, _, err := orders.Upsert(idempotency.WithPlan(t.Context(), plan), ordertest.Sample(id, "budi", time.Now().Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		if !plan.Planned() {
			t.Fatal("the upsert wrote instead of planning")
		}
		return plan.Change(), func() bool {
			_, err := orders.Get(t.Context(), id)
			return err == nil
		}
	})
}

// A cursor is only sort-key material: one customer's cursor replayed by another customer pages through
// the second customer's own orders, never the first's.
func TestCursorCannotCrossCustomers(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewOrders(env.Client, env.SupportTable)
	ctx := context.Background()
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"B1", "B2", "B3"} {
		if _, _, err := store.Upsert(ctx, ordertest.Sample(id, "budi", base.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := store.Upsert(ctx, ordertest.Sample("S1", "siti", base)); err != nil {
		t.Fatal(err)
	}
	page, err := store.ListByCustomer(ctx, "budi", 1, "")
	if err != nil || page.NextCursor == "" {
		t.Fatalf("%v %+v", err, page)
	}
	stolen, err := store.ListByCustomer(ctx, "siti", 10, page.NextCursor)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range stolen.Orders {
		if o.OrderID != "S1" {
			t.Fatalf("siti saw %s through budi's cursor", o.OrderID)
		}
	}
}

// Creating an order counts it once in the day's metric counters; updates do not count again.
func TestOrderCreationIsCountedOnce(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewOrders(env.Client, env.SupportTable)
	ctx := context.Background()
	placed := time.Date(2026, 10, 1, 3, 0, 0, 0, time.UTC) // 10:00 WIB
	o := ordertest.Sample("M1", "budi", placed)
	for i := 0; i < 2; i++ {
		if _, _, err := store.Upsert(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	orders, units := 0, 0
	for shard := 0; shard < 4; shard++ {
		out, err := env.Client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(env.SupportTable), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{
				"PK": &types.AttributeValueMemberS{Value: "METRICS#2026-10-01#" + string(rune('0'+shard))},
				"SK": &types.AttributeValueMemberS{Value: "#COUNTERS"},
			}})
		if err != nil {
			t.Fatal(err)
		}
		orders += atoi(t, out.Item["orders_created"])
		units += atoi(t, out.Item["units_ordered"])
	}
	if orders != 1 || units != 5 {
		t.Fatalf("orders_created=%d units_ordered=%d, want 1 and 5", orders, units)
	}
}

func atoi(t *testing.T, v types.AttributeValue) int {
	t.Helper()
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	var i int
	for _, c := range n.Value {
		i = i*10 + int(c-'0')
	}
	return i
}
