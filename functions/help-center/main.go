// Command helpcenter is the help-center Lambda: ops write and publish articles, anyone reads, searches
// and rates them. The search index is loaded from the table at the first search and kept warm.
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/helpcenter/helpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
)

func main() {
	fn := lambdaboot.Boot()
	fn.MustBeConfigured()

	store := dynamostore.NewHelpCenter(fn.DB, fn.Core.TableName)
	svc := helpcenter.NewService(store, store, time.Now)
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, helpapi.Routes(svc))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
