// Command escalation-relay sends escalation outbox items to the escalation queue: at once from the
// SupportTable stream, and on a schedule for anything the stream path could not send (e.g. SQS was down).
package main

import (
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/tanggap/tanggap/shared/config"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalationlambda"
	"github.com/tanggap/tanggap/shared/escalationsqs"
	"github.com/tanggap/tanggap/shared/logging"
)

func main() {
	env := config.FromOS()
	core := config.LoadCore(env)
	queueURL := env.Required("ESCALATION_QUEUE_URL")
	sweep := escalation.SweepOptions{
		Limit:  int(env.Int("SWEEP_LIMIT", 100)),
		MinAge: time.Duration(env.Int("SWEEP_MIN_AGE_SECONDS", 30)) * time.Second,
	}
	log := logging.Install(os.Stdout, core.LogLevel)
	cfg := config.AWS(env)
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = env.Endpoint("dynamodb") })
	queue := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = env.Endpoint("sqs") })

	if err := env.Err(); err != nil {
		log.Error("invalid configuration", slog.Any("err", err))
		os.Exit(1)
	}

	relay := &escalation.Relay{
		Outbox:    dynamostore.NewEscalations(db, core.TableName),
		Publisher: escalationsqs.NewPublisher(queue, queueURL),
		Now:       time.Now,
		Log:       log,
	}
	h := &escalationlambda.Relay{Relay: relay, Decode: dynamostore.EscalationFromItem, Sweep: sweep, Log: log}
	lambda.Start(h.Handle)
}
