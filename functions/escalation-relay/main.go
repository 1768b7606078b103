// Command escalation-relay sends escalation outbox items to the escalation queue: at once from the
// SupportTable stream, and on a schedule for anything the stream path could not send (e.g. SQS was down).
package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalationlambda"
	"github.com/tanggap/tanggap/shared/escalationsqs"
	"github.com/tanggap/tanggap/shared/lambdaboot"
)

func main() {
	fn := lambdaboot.Boot()
	queueURL := fn.Env.Required("ESCALATION_QUEUE_URL")
	sweep := escalation.SweepOptions{
		Limit:  int(fn.Env.Int("SWEEP_LIMIT", 100)),
		MinAge: time.Duration(fn.Env.Int("SWEEP_MIN_AGE_SECONDS", 30)) * time.Second,
	}
	fn.MustBeConfigured()

	queue := sqs.NewFromConfig(fn.AWS, func(o *sqs.Options) { o.BaseEndpoint = fn.Env.Endpoint("sqs") })
	relay := &escalation.Relay{
		Outbox:    dynamostore.NewEscalations(fn.DB, fn.Core.TableName),
		Publisher: escalationsqs.NewPublisher(queue, queueURL),
		Now:       time.Now,
		Log:       fn.Log,
	}
	h := &escalationlambda.Relay{Relay: relay, Decode: dynamostore.EscalationFromItem, Sweep: sweep, Log: fn.Log}
	lambda.Start(h.Handle)
}
