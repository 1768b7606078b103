// Command complaints is the complaints Lambda: customers file and follow tickets; ops work them.
package main

import (
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/complaintapi"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/httpapi"
	"github.com/tanggap/tanggap/shared/lambdaboot"
	"github.com/tanggap/tanggap/shared/ticket"
)

func main() {
	fn := lambdaboot.Boot()
	rules, err := ticket.LoadRules(fn.Env, fn.Core.DefaultCurrency)
	sla := ticket.LoadSLA(fn.Env.Int)
	fn.MustBeConfigured(err, sla.Validate())

	orders := dynamostore.NewOrders(fn.DB, fn.Core.TableName)
	svc := ticket.NewService(dynamostore.NewTickets(fn.DB, fn.Core.TableName), orders, rules, sla, time.Now)
	svc.Metrics = os.Stdout // EMF lines: CloudWatch Logs extracts them as metrics
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, complaintapi.Routes(svc,
		complaintapi.WithReplies(dynamostore.NewMacroSources(fn.DB, fn.Core.TableName)),
		complaintapi.WithCustomerContext(dynamostore.NewCustomers(fn.DB, fn.Core.TableName))))
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}
