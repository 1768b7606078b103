// Command surveys is the survey Lambda: customers rate a resolved ticket, a settled return or a delivered
// order; poor answers queue a service-recovery escalation through the outbox.
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
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/surveyapi"
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
	svc := survey.NewService(dynamostore.NewSurveys(db, core.TableName), time.Now, os.Stdout)
	handler, err := httpapi.New(httpapi.Options{
		Idempotency:   idempotency.NewGuard(dynamostore.NewIdempotency(db, core.IdempotencyTableName)),
		AllowedOrigin: core.AllowedOrigin,
	}, surveyapi.Routes(svc))
	if err != nil {
		fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}

func fail(msg string, err error) {
	slog.Error(msg, slog.Any("err", err))
	os.Exit(1)
}
