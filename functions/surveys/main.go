// Command surveys is the survey Lambda: customers rate a resolved ticket, a settled return or a delivered
// order; poor answers queue a service-recovery escalation through the outbox.
package main

import (
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
)

func main() {
	fn := lambdaboot.Boot()
	fn.MustBeConfigured()

	// EMF lines go to stdout, where CloudWatch Logs extracts them as metrics.
	svc := survey.NewService(dynamostore.NewSurveys(fn.DB, fn.Core.TableName), time.Now, os.Stdout)
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, surveyapi.Routes(svc))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
