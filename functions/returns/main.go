// Command returns is the returns Lambda: customers request, read and cancel returns; ops approve, reject,
// receive and refund them.
package main

import (
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnapi"
)

func main() {
	fn := lambdaboot.Boot()
	policy := config.ReturnPolicy(fn.Env)
	fn.MustBeConfigured()

	svc := returns.NewService(dynamostore.NewReturns(fn.DB, fn.Core.TableName), policy, time.Now)
	svc.Metrics = os.Stdout // EMF lines: CloudWatch Logs extracts them as metrics
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, returnapi.Routes(svc))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
