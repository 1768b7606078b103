// Command escalation-relay is the outbox relay: escalation outbox items go to the escalation queue, and
// customer events to CustomerEventsTopic (with their survey invitations): at once from the SupportTable
// stream, and on a schedule for anything the stream path could not send (e.g. SQS or SNS was down).
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/customerevent/customereventlambda"
	"github.com/tanggap/tanggap/shared/customerevent/customereventsns"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationlambda"
	"github.com/tanggap/tanggap/shared/escalation/escalationsqs"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
)

func main() {
	fn := lambdaboot.Boot()
	queueURL := fn.Env.Required("ESCALATION_QUEUE_URL")
	topicARN := fn.Env.Required("CUSTOMER_EVENTS_TOPIC_ARN")
	limit := int(fn.Env.Int("SWEEP_LIMIT", 100))
	minAge := time.Duration(fn.Env.Int("SWEEP_MIN_AGE_SECONDS", 30)) * time.Second
	fn.MustBeConfigured()

	queue := sqs.NewFromConfig(fn.AWS, func(o *sqs.Options) { o.BaseEndpoint = fn.Env.Endpoint("sqs") })
	topic := sns.NewFromConfig(fn.AWS, func(o *sns.Options) { o.BaseEndpoint = fn.Env.Endpoint("sns") })
	relay := &escalation.Relay{
		Outbox:    dynamostore.NewEscalations(fn.DB, fn.Core.TableName),
		Publisher: escalationsqs.NewPublisher(queue, queueURL),
		Now:       time.Now,
		Log:       fn.Log,
	}
	customerEvents := dynamostore.NewCustomerEvents(fn.DB, fn.Core.TableName)
	companion := &customereventlambda.Handler{
		Relay: &customerevent.Relay{Outbox: customerEvents, Publisher: customereventsns.NewPublisher(topic, topicARN),
			Invitations: customerEvents, Now: time.Now, Log: fn.Log},
		DecodeEvent: dynamostore.CustomerEventFromItem,
		Sweep:       customerevent.SweepOptions{Limit: limit, MinAge: minAge},
	}
	h := &escalationlambda.Relay{Relay: relay, Decode: dynamostore.EscalationFromItem,
		Sweep: escalation.SweepOptions{Limit: limit, MinAge: minAge}, Log: fn.Log,
		Companions: []escalationlambda.Companion{companion}}
	lambda.Start(h.Handle)
}
