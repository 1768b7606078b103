// Command escalation-consumer processes the escalation queue: it records each escalation once (on its
// ticket and in the ledger) and notifies the team through the escalation topic.
package main

import (
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/tanggap/tanggap/shared/config"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalationlambda"
	"github.com/tanggap/tanggap/shared/escalationsns"
	"github.com/tanggap/tanggap/shared/logging"
)

func main() {
	env := config.FromOS()
	core := config.LoadCore(env)
	topicARN := env.Required("ESCALATION_TOPIC_ARN")
	log := logging.Install(os.Stdout, core.LogLevel)
	cfg := config.AWS(env)
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = env.Endpoint("dynamodb") })
	topic := sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = env.Endpoint("sns") })

	if err := env.Err(); err != nil {
		log.Error("invalid configuration", slog.Any("err", err))
		os.Exit(1)
	}

	consumer := &escalation.Consumer{
		Ledger:   dynamostore.NewEscalations(db, core.TableName),
		Tickets:  dynamostore.NewTickets(db, core.TableName),
		Notifier: escalationsns.NewNotifier(topic, topicARN),
		Now:      time.Now,
		Log:      log,
		Metrics:  os.Stdout, // EMF lines: CloudWatch Logs extracts them as metrics
	}
	h := &escalationlambda.Consumer{Consumer: consumer, Log: log}
	lambda.Start(h.Handle)
}
