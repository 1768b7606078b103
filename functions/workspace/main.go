// Command workspace is the ops workspace Lambda: the ticket and return work queues and their counts,
// read from the queue index (GSI2) and the queue counters.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
	"github.com/tanggap/tanggap/shared/workspace/customer"
	"github.com/tanggap/tanggap/shared/workspace/customerapi"
	"github.com/tanggap/tanggap/shared/workspace/macro"
	"github.com/tanggap/tanggap/shared/workspace/workqueue"
	"github.com/tanggap/tanggap/shared/workspace/workspaceapi"
)

func main() {
	fn := lambdaboot.Boot()
	fn.MustBeConfigured()

	queues := workqueue.NewService(dynamostore.NewQueues(fn.DB, fn.Core.TableName), time.Now)
	customers := customer.NewService(dynamostore.NewCustomers(fn.DB, fn.Core.TableName))
	macros := macro.NewService(dynamostore.NewMacros(fn.DB, fn.Core.TableName), time.Now)
	routes := append(workspaceapi.Routes(queues), customerapi.Routes(customers, macros)...)
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, routes)
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
