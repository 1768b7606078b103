// Command complaints is the complaints Lambda: customers file and follow tickets; ops work them and set
// the business calendar the SLA due times follow.
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/identity"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
	"github.com/tanggap/tanggap/shared/ticket/calendarapi"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
)

func main() {
	fn := lambdaboot.Boot()
	rules, err := ticket.LoadRules(fn.Env, fn.Core.DefaultCurrency)
	sla := ticket.LoadSLA(fn.Env.Int, fn.Env.Optional)
	policy := ticket.LoadSLAPolicy(fn.Env.Int)
	fn.MustBeConfigured(err, sla.Validate(), policy.Validate())

	orders := dynamostore.NewOrders(fn.DB, fn.Core.TableName)
	calendars := dynamostore.NewCalendars(fn.DB, fn.Core.TableName, time.Now, operatorName)
	svc := ticket.NewService(dynamostore.NewTickets(fn.DB, fn.Core.TableName), orders, rules, sla, time.Now)
	svc.Calendars = calendar.NewCached(calendars, calendar.CacheFor, time.Now)
	svc.Policy = policy
	svc.Metrics = os.Stdout // EMF lines: CloudWatch Logs extracts them as metrics
	routes := append(complaintapi.Routes(svc,
		complaintapi.WithReplies(dynamostore.NewMacroSources(fn.DB, fn.Core.TableName)),
		complaintapi.WithCustomerContext(dynamostore.NewCustomers(fn.DB, fn.Core.TableName))),
		calendarapi.Routes(calendars)...)
	handler, err := httpapi.New(httpapi.Options{Idempotency: fn.Idempotency(), AllowedOrigin: fn.Core.AllowedOrigin}, routes)
	if err != nil {
		fn.Fail("building routes", err)
	}
	lambda.Start(httpapi.LambdaHandler(handler))
}

func operatorName(ctx context.Context) string {
	op, _ := identity.OperatorFrom(ctx)
	return op.Name()
}
