package escalationsns_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationsns"
	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
)

// A team's subscription with a filter policy on `team` gets its own escalations and nobody else's.
func TestNotifyRoutesByTeamAttribute(t *testing.T) {
	env := testenv.Messaging(t)
	topic := env.TopicARN("EscalationTopic")
	suffix := time.Now().Format("150405.000")
	suffix = strings.ReplaceAll(suffix, ".", "")
	payments := escalationtest.Subscribe(t, env.SQS, env.SNS, topic, "tg-payments-"+suffix, `{"team": ["payments"]}`)
	all := escalationtest.Subscribe(t, env.SQS, env.SNS, topic, "tg-all-"+suffix, "")

	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	n := escalationsns.NewNotifier(env.SNS, topic)
	pay := escalationtest.Ticket("P1", escalation.ReasonPriorityUrgent, escalation.TeamPayments, at)
	logi := escalationtest.Ticket("L1", escalation.ReasonPriorityHigh, escalation.TeamLogistics, at)
	for _, e := range []escalation.Escalation{pay, logi} {
		if err := n.Notify(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	got := payments.Drain(t, 2*time.Second)
	if len(got) != 1 || got[0].DedupKey() != pay.DedupKey {
		t.Fatalf("payments subscription got %+v", got)
	}
	if a := got[0].Attributes; a["team"] != "payments" || a["reason"] != "priority_urgent" || a["priority"] != "urgent" || a["subjectType"] != "ticket" ||
		a["dedupKey"] != pay.DedupKey {
		t.Fatalf("attributes %v", a)
	}
	if everything := all.Drain(t, 2*time.Second); len(everything) != 2 {
		t.Fatalf("unfiltered subscription got %d", len(everything))
	}
}

func TestSubjectFitsSNSLimits(t *testing.T) {
	e := escalationtest.Ticket(strings.Repeat("x", 200), escalation.ReasonPriorityUrgent, escalation.TeamCustomerCare, time.Now())
	s := escalationsns.Subject(e)
	if len(s) > 100 || !strings.HasPrefix(s, "[urgent] priority_urgent escalation for customer_care: ticket xxx") {
		t.Fatalf("%d %q", len(s), s)
	}
}
