// Command orders is the order-lookup Lambda: customers' orders, guest lookup, and the ops upsert.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
)

func main() {
	fn := lambdaboot.Boot()
	policy := config.ReturnPolicy(fn.Env)
	fn.MustBeConfigured()

	svc := order.NewService(dynamostore.NewOrders(fn.DB, fn.Core.TableName), policy, time.Now)
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, orderapi.Routes(svc))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
