// Command metrics is the ops metrics Lambda: support figures for a date range, read from the daily
// counters only.
package main

import (
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/metrics/metricsapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
)

func main() {
	fn := lambdaboot.Boot()
	fn.MustBeConfigured()

	// EMF lines go to stdout, where CloudWatch Logs extracts them as metrics.
	svc := metrics.NewService(dynamostore.NewMetrics(fn.DB, fn.Core.TableName), os.Stdout, time.Now)
	handler, err := httpapi.New(httpapi.Options{AllowedOrigin: fn.Core.AllowedOrigin}, metricsapi.Routes(svc))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
