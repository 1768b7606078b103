// Command complaints is the complaints Lambda: customers file and follow tickets; ops work them.
package main

import (
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/shared/complaintapi"
	"github.com/tanggap/tanggap/shared/config"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/httpapi"
	"github.com/tanggap/tanggap/shared/idempotency"
	"github.com/tanggap/tanggap/shared/logging"
	"github.com/tanggap/tanggap/shared/ticket"
)

func main() {
	env := config.FromOS()
	core := config.LoadCore(env)
	logging.Install(os.Stdout, core.LogLevel)
	db := dynamodb.NewFromConfig(config.AWS(env), func(o *dynamodb.Options) { o.BaseEndpoint = env.Endpoint("dynamodb") })

	rules := ticket.DefaultRules()
	rules.HighValueOrder = env.Int("PRIORITY_ORDER_VALUE_THRESHOLD", rules.HighValueOrder) // minor units of DEFAULT_CURRENCY
	rules.HighValueCurrency = core.DefaultCurrency
	sla := ticket.LoadSLA(env.Int)

	if err := errors.Join(env.Err(), sla.Validate()); err != nil {
		fail("invalid configuration", err)
	}

	svc := ticket.NewService(dynamostore.NewTickets(db, core.TableName), dynamostore.NewOrders(db, core.TableName), rules, sla, time.Now)
	svc.Metrics = os.Stdout // EMF lines: CloudWatch Logs extracts them as metrics
	handler, err := httpapi.New(httpapi.Options{
		Idempotency:   idempotency.NewGuard(dynamostore.NewIdempotency(db, core.IdempotencyTableName)),
		AllowedOrigin: core.AllowedOrigin,
	}, complaintapi.Routes(svc))
	if err != nil {
		fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}

func fail(msg string, err error) {
	slog.Error(msg, slog.Any("err", err))
	os.Exit(1)
}
