package escalationsqs_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/escalation/escalationsqs"
)

// Send puts the documented body and String attributes on the template's escalation queue.
func TestSendCarriesBodyAndAttributes(t *testing.T) {
	env := testenv.Messaging(t)
	url := env.QueueURL("EscalationQueue")
	e := escalation.Escalation{
		DedupKey: "ticket:T7:priority_urgent", Reason: escalation.ReasonPriorityUrgent, Team: escalation.TeamLegal,
		Priority: escalation.PriorityUrgent, SubjectType: escalation.SubjectTicket, SubjectID: "T7", TicketID: "T7",
		CustomerID: "siti", CreatedAt: time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC),
	}
	id, err := escalationsqs.NewPublisher(env.SQS, url).Send(t.Context(), e)
	if err != nil || id == "" {
		t.Fatalf("send: %q %v", id, err)
	}
	out, err := env.SQS.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageAttributeNames: []string{"All"},
	})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("receive: %v %d", err, len(out.Messages))
	}
	m := out.Messages[0]
	if aws.ToString(m.MessageId) != id {
		t.Fatalf("message id %s, send returned %s", aws.ToString(m.MessageId), id)
	}
	attrs := map[string]string{}
	for k, v := range m.MessageAttributes {
		if aws.ToString(v.DataType) != "String" {
			t.Fatalf("attribute %s has type %s", k, aws.ToString(v.DataType))
		}
		attrs[k] = aws.ToString(v.StringValue)
	}
	want := map[string]string{"team": "legal", "reason": "priority_urgent", "dedupKey": "ticket:T7:priority_urgent"}
	for k, v := range want {
		if attrs[k] != v {
			t.Errorf("attribute %s = %q, want %q", k, attrs[k], v)
		}
	}
	got, err := escalation.Decode(escalation.Message{Body: aws.ToString(m.Body), Attributes: attrs})
	if err != nil || got != e {
		t.Fatalf("decode: %+v %v", got, err)
	}
}

func TestSendRefusesInvalid(t *testing.T) {
	env := testenv.Messaging(t)
	_, err := escalationsqs.NewPublisher(env.SQS, env.QueueURL("EscalationQueue")).Send(t.Context(), escalation.Escalation{DedupKey: "x"})
	if err == nil {
		t.Fatal("sent an invalid escalation")
	}
}
