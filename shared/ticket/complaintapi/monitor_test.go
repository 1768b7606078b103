package complaintapi_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationsns"
	"github.com/tanggap/tanggap/shared/escalation/escalationsqs"
	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// The SLA monitor against DynamoDB Local and the escalation queue: it reads only the due checks (GSI2,
// SLA#<shard>), two runs at once mark at risk once and breached once, the breach escalates once through
// the outbox, the real queue and the consumer (reason sla_breach, the ticket's team), and runs after
// that change nothing. A ticket not yet due is not touched.
func TestMonitorMarksAndEscalatesOnceAcrossConcurrentRuns(t *testing.T) {
	f := newFixture(t) // always-open calendar: a normal ticket's first response is due 8 h after filing
	msg := testenv.Messaging(t)
	ctx := context.Background()
	id := f.fileOK("budi", complaint("Paket", "Belum sampai")).TicketID
	f.clock.Advance(time.Hour)
	later := f.fileOK("siti", complaint("Paket", "Belum sampai")).TicketID

	tickets := dynamostore.NewTickets(f.env.Client, f.env.SupportTable)
	svc := ticket.NewService(tickets, nil, ticket.DefaultRules(), ticket.DefaultSLA(), f.clock.Now)
	svc.Calendars = calendar.Fixed(calendar.AlwaysOpen())
	monitor := &ticket.Monitor{Service: svc, Checks: tickets, Limit: 10, Workers: 2}
	runTwice := func() []ticket.RunResult {
		t.Helper()
		out := make([]ticket.RunResult, 2)
		var wg sync.WaitGroup
		for i := range out {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := monitor.Run(ctx)
				if err != nil {
					t.Error(err)
				}
				out[i] = r
			}()
		}
		wg.Wait()
		return out
	}
	sum := func(rs []ticket.RunResult) (atRisk, breached, escalated, failed int) {
		for _, r := range rs {
			atRisk, breached, escalated, failed = atRisk+r.AtRisk, breached+r.Breached, escalated+r.Escalated, failed+r.Failed
		}
		return
	}

	// 5 h after filing: nothing is due; the index answers nothing.
	f.clock.t = start.Add(5 * time.Hour)
	if due, err := tickets.DueSLAChecks(ctx, f.clock.Now(), 10); err != nil || len(due) != 0 {
		t.Fatalf("due at 5 h: %v %v", due, err)
	}
	// 6 h (75% of 8 h): the first ticket is at risk, once.
	f.clock.t = start.Add(6 * time.Hour)
	if a, b, e, fl := sum(runTwice()); a != 1 || b != 0 || e != 0 || fl != 0 {
		t.Fatalf("at risk: %d at risk, %d breached, %d escalated, %d failed", a, b, e, fl)
	}
	o := f.ops("", id, nil, 200)
	if !slices.Equal(o.SLAMarks, []string{"first_response:at_risk"}) || countType(o, ticket.EventSLAAtRisk) != 1 {
		t.Fatalf("after at risk: %v %d entries", o.SLAMarks, countType(o, ticket.EventSLAAtRisk))
	}
	if o2 := f.ops("", later, nil, 200); len(o2.SLAMarks) != 0 {
		t.Fatalf("the later ticket was marked: %v", o2.SLAMarks)
	}
	// 8 h: the first ticket is breached, once, with one outbox item; the later one (filed an hour after) is
	// now at risk itself.
	f.clock.t = start.Add(8 * time.Hour)
	if a, b, e, fl := sum(runTwice()); a != 1 || b != 1 || e != 1 || fl != 0 {
		t.Fatalf("breach: %d at risk, %d breached, %d escalated, %d failed", a, b, e, fl)
	}
	o = f.ops("", id, nil, 200)
	if !slices.Equal(o.SLAMarks, []string{"first_response:at_risk", "first_response:breached"}) || countType(o, ticket.EventSLABreached) != 1 ||
		o.Escalation.Status != ticket.EscalationPending || f.counter(metrics.SLACounter("first_response", "breached", "normal")) != 1 {
		t.Fatalf("after breach: %v %+v", o.SLAMarks, o.Escalation)
	}
	key := escalation.DedupKey(escalation.SubjectTicket, id, escalation.ReasonSLABreach, "first_response")
	out := f.item("ESCALATION#"+key, "#ESCALATION")
	if attr(out, "reason") != "sla_breach" || attr(out, "team") != "logistics" {
		t.Fatalf("outbox: %v", out)
	}
	if o2 := f.ops("", later, nil, 200); !slices.Equal(o2.SLAMarks, []string{"first_response:at_risk"}) {
		t.Fatalf("the later ticket: %v", o2.SLAMarks)
	}
	// Repeated runs change nothing more.
	if a, b, e, _ := sum(runTwice()); a+b+e != 0 {
		t.Fatalf("repeat: %d %d %d", a, b, e)
	}

	// Through the real queue: the relay sends it, the consumer records it on the ticket once.
	outbox := dynamostore.NewEscalations(f.env.Client, f.env.SupportTable)
	relay := &escalation.Relay{Outbox: outbox, Publisher: escalationsqs.NewPublisher(msg.SQS, msg.QueueURL("EscalationQueue")), Now: f.clock.Now}
	if res, err := relay.Sweep(ctx, escalation.SweepOptions{}); err != nil || res.Sent != 1 {
		t.Fatalf("relay: %+v %v", res, err)
	}
	consumer := &escalation.Consumer{Ledger: outbox, Tickets: tickets,
		Notifier: escalationsns.NewNotifier(msg.SNS, msg.TopicARN("EscalationTopic")), Now: f.clock.Now}
	if reasons := escalationtest.Consume(t, msg.SQS, msg.QueueURL("EscalationQueue"), consumer); !slices.Equal(reasons, []string{"sla_breach"}) {
		t.Fatalf("escalations %v", reasons)
	}
	o = f.ops("", id, nil, 200)
	if o.Escalation.Status != ticket.EscalationEscalated || o.Escalation.Team != "logistics" || countType(o, ticket.EventEscalated) != 1 {
		t.Fatalf("escalated: %+v", o.Escalation)
	}
}

func countType(o ticket.OpsView, typ ticket.EventType) int {
	n := 0
	for _, e := range o.Timeline {
		if e.Type == typ {
			n++
		}
	}
	return n
}
