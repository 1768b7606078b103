// Command metrics is the ops metrics Lambda: support figures for a date range, read from the daily
// counters only.
package main

import (
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/shared/config"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/httpapi"
	"github.com/tanggap/tanggap/shared/logging"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/metricsapi"
)

func main() {
	env := config.FromOS()
	core := config.LoadCore(env)
	logging.Install(os.Stdout, core.LogLevel)
	db := dynamodb.NewFromConfig(config.AWS(env), func(o *dynamodb.Options) { o.BaseEndpoint = env.Endpoint("dynamodb") })

	if err := env.Err(); err != nil {
		fail("invalid configuration", err)
	}

	// EMF lines go to stdout, where CloudWatch Logs extracts them as metrics.
	svc := metrics.NewService(dynamostore.NewMetrics(db, core.TableName), os.Stdout, time.Now)
	handler, err := httpapi.New(httpapi.Options{AllowedOrigin: core.AllowedOrigin}, metricsapi.Routes(svc))
	if err != nil {
		fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}

func fail(msg string, err error) {
	slog.Error(msg, slog.Any("err", err))
	os.Exit(1)
}
