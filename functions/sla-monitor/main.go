// Command sla-monitor is the scheduled SLA monitor: every minute it checks the tickets whose SLA check is
// due (through the GSI2 index ordered by check time), marks targets at risk or breached once, escalates
// breaches through the outbox, and resolves tickets that waited on the customer too long.
package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/lambdaboot"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

func main() {
	fn := lambdaboot.Boot()
	sla := ticket.LoadSLA(fn.Env.Int, fn.Env.Optional)
	policy := ticket.LoadSLAPolicy(fn.Env.Int)
	limit := int(fn.Env.Int("SLA_MONITOR_LIMIT", 200))
	workers := int(fn.Env.Int("SLA_MONITOR_WORKERS", 8))
	fn.MustBeConfigured(sla.Validate(), policy.Validate())

	tickets := dynamostore.NewTickets(fn.DB, fn.Core.TableName)
	calendars := dynamostore.NewCalendars(fn.DB, fn.Core.TableName, time.Now, nil)
	// The monitor files nothing and reads no orders; triage rules only matter to customer messages.
	svc := ticket.NewService(tickets, nil, ticket.DefaultRules(), sla, time.Now)
	svc.Calendars = calendar.NewCached(calendars, calendar.CacheFor, time.Now)
	svc.Policy = policy
	m := &ticket.Monitor{Service: svc, Checks: tickets, Limit: limit, Workers: workers, Log: fn.Log}
	lambda.Start(func(ctx context.Context) error {
		res, err := m.Run(ctx)
		if err != nil {
			fn.Log.ErrorContext(ctx, "sla monitor run failed", slog.Any("err", err))
			return err
		}
		fn.Log.InfoContext(ctx, "sla monitor run", slog.Int("due", res.Due), slog.Int("atRisk", res.AtRisk),
			slog.Int("breached", res.Breached), slog.Int("escalated", res.Escalated),
			slog.Int("autoResolved", res.AutoResolved), slog.Int("failed", res.Failed))
		return nil
	})
}
