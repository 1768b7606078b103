// Command escalation-consumer processes the escalation queue: it records each escalation once (on its
// ticket and in the ledger) and notifies the team through the escalation topic.
package main

import (
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationlambda"
	"github.com/tanggap/tanggap/shared/escalation/escalationsns"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
)

func main() {
	fn := lambdaboot.Boot()
	topicARN := fn.Env.Required("ESCALATION_TOPIC_ARN")
	fn.MustBeConfigured()

	topic := sns.NewFromConfig(fn.AWS, func(o *sns.Options) { o.BaseEndpoint = fn.Env.Endpoint("sns") })
	consumer := &escalation.Consumer{
		Ledger:   dynamostore.NewEscalations(fn.DB, fn.Core.TableName),
		Tickets:  dynamostore.NewTickets(fn.DB, fn.Core.TableName),
		Notifier: escalationsns.NewNotifier(topic, topicARN),
		Now:      time.Now,
		Log:      fn.Log,
		Metrics:  os.Stdout, // EMF lines: CloudWatch Logs extracts them as metrics
	}
	h := &escalationlambda.Consumer{Consumer: consumer, Log: fn.Log}
	lambda.Start(h.Handle)
}
