// Command workspace is the ops workspace Lambda: the ticket and return work queues and their counts,
// read from the queue index (GSI2) and the queue counters.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/httpapi"
	"github.com/tanggap/tanggap/shared/lambdaboot"
	"github.com/tanggap/tanggap/shared/workqueue"
	"github.com/tanggap/tanggap/shared/workspaceapi"
)

func main() {
	fn := lambdaboot.Boot()
	fn.MustBeConfigured()

	queues := workqueue.NewService(dynamostore.NewQueues(fn.DB, fn.Core.TableName), time.Now)
	handler, err := httpapi.New(httpapi.Options{AllowedOrigin: fn.Core.AllowedOrigin}, workspaceapi.Routes(queues))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
