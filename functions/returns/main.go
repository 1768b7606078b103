// Command returns is the returns Lambda: customers request, read and cancel returns; ops approve, reject,
// receive and refund them.
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
	"github.com/tanggap/tanggap/shared/idempotency"
	"github.com/tanggap/tanggap/shared/logging"
	"github.com/tanggap/tanggap/shared/returnapi"
	"github.com/tanggap/tanggap/shared/returns"
)

func main() {
	env := config.FromOS()
	core := config.LoadCore(env)
	policy := config.ReturnPolicy(env)
	logging.Install(os.Stdout, core.LogLevel)
	db := dynamodb.NewFromConfig(config.AWS(env), func(o *dynamodb.Options) { o.BaseEndpoint = env.Endpoint("dynamodb") })

	if err := env.Err(); err != nil {
		fail("invalid configuration", err)
	}

	svc := returns.NewService(dynamostore.NewReturns(db, core.TableName), policy, time.Now)
	svc.Metrics = os.Stdout // EMF lines: CloudWatch Logs extracts them as metrics
	handler, err := httpapi.New(httpapi.Options{
		Idempotency:   idempotency.NewGuard(dynamostore.NewIdempotency(db, core.IdempotencyTableName)),
		AllowedOrigin: core.AllowedOrigin,
	}, returnapi.Routes(svc))
	if err != nil {
		fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}

func fail(msg string, err error) {
	slog.Error(msg, slog.Any("err", err))
	os.Exit(1)
}
