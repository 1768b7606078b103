// Command notifications is the in-app inbox Lambda: a customer's notifications (customer events about their
// tickets, returns and orders), newest first with an unread count, and marking them read.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/customerevent/inbox"
	"github.com/tanggap/tanggap/shared/customerevent/inboxapi"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
)

func main() {
	fn := lambdaboot.Boot()
	fn.MustBeConfigured()

	svc := inbox.NewService(dynamostore.NewInbox(fn.DB, fn.Core.TableName), time.Now)
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, inboxapi.Routes(svc))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
