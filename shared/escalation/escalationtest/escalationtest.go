// Package escalationtest has what the escalation tests share: sample escalations, and an SQS queue
// subscribed to the escalation topic to count notifications.
package escalationtest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/shared/escalation"
)

// Ticket returns an escalation of ticket id for reason, created at at.
func Ticket(id string, reason escalation.Reason, team escalation.Team, at time.Time) escalation.Escalation {
	p := escalation.PriorityHigh
	if reason == escalation.ReasonPriorityUrgent {
		p = escalation.PriorityUrgent
	}
	return escalation.Escalation{
		DedupKey: escalation.DedupKey(escalation.SubjectTicket, id, reason), Reason: reason, Team: team, Priority: p,
		SubjectType: escalation.SubjectTicket, SubjectID: id, TicketID: id, CustomerID: "cust-budi", CreatedAt: at,
	}
}

// Subscriber is an SQS queue subscribed to an SNS topic (raw delivery keeps the message attributes).
type Subscriber struct {
	SQS      *sqs.Client
	QueueURL string
}

// Notification is one message the subscriber received.
type Notification struct {
	Body       string
	Attributes map[string]string
}

// Subscribe creates a queue named name, subscribes it to topicARN with filterPolicy (JSON, "" for all) and
// deletes the queue when the test ends.
func Subscribe(t testing.TB, sqsClient *sqs.Client, snsClient *sns.Client, topicARN, name, filterPolicy string) *Subscriber {
	t.Helper()
	ctx := t.Context()
	q, err := sqsClient.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatalf("escalationtest: create queue %s: %v", name, err)
	}
	url := aws.ToString(q.QueueUrl)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = sqsClient.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)}, func(o *sqs.Options) { o.RetryMaxAttempts = 1 })
	})
	a, err := sqsClient.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatalf("escalationtest: queue ARN: %v", err)
	}
	attrs := map[string]string{"RawMessageDelivery": "true"}
	if filterPolicy != "" {
		attrs["FilterPolicy"] = filterPolicy
	}
	_, err = snsClient.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: aws.String(topicARN), Protocol: aws.String("sqs"),
		Endpoint: aws.String(a.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]), Attributes: attrs,
		ReturnSubscriptionArn: true,
	})
	if err != nil {
		t.Fatalf("escalationtest: subscribe %s: %v", name, err)
	}
	return &Subscriber{SQS: sqsClient, QueueURL: url}
}

// Drain receives (and deletes) every notification that arrives within wait.
func (s *Subscriber) Drain(t testing.TB, wait time.Duration) []Notification {
	t.Helper()
	var out []Notification
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		r, err := s.SQS.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(s.QueueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			t.Fatalf("escalationtest: receive notifications: %v", err)
		}
		for _, m := range r.Messages {
			n := Notification{Body: aws.ToString(m.Body), Attributes: map[string]string{}}
			for k, v := range m.MessageAttributes {
				n.Attributes[k] = aws.ToString(v.StringValue)
			}
			out = append(out, n)
			if _, err := s.SQS.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(s.QueueURL), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatalf("escalationtest: delete notification: %v", err)
			}
		}
	}
	return out
}

// DedupKey reads the dedupKey of a notification body.
func (n Notification) DedupKey() string {
	var b struct {
		DedupKey string `json:"dedupKey"`
	}
	_ = json.Unmarshal([]byte(n.Body), &b)
	return b.DedupKey
}

// StreamInsert is the DynamoDB stream record Lambda delivers for the INSERT of item (NEW_IMAGE view).
func StreamInsert(item map[string]ddbtypes.AttributeValue, sequenceNumber string) events.DynamoDBEventRecord {
	return events.DynamoDBEventRecord{
		AWSRegion: "ap-southeast-3", EventID: "ev-" + sequenceNumber, EventName: "INSERT", EventSource: "aws:dynamodb",
		EventVersion: "1.1",
		Change: events.DynamoDBStreamRecord{
			Keys:           map[string]events.DynamoDBAttributeValue{"PK": StreamValue(item["PK"]), "SK": StreamValue(item["SK"])},
			NewImage:       StreamImage(item),
			SequenceNumber: sequenceNumber, StreamViewType: "NEW_IMAGE", SizeBytes: 256,
		},
	}
}

// StreamImage converts an item to the stream event's attribute values.
func StreamImage(item map[string]ddbtypes.AttributeValue) map[string]events.DynamoDBAttributeValue {
	out := make(map[string]events.DynamoDBAttributeValue, len(item))
	for k, v := range item {
		out[k] = StreamValue(v)
	}
	return out
}

// StreamValue converts one attribute value.
func StreamValue(v ddbtypes.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *ddbtypes.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *ddbtypes.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *ddbtypes.AttributeValueMemberB:
		return events.NewBinaryAttribute(x.Value)
	case *ddbtypes.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *ddbtypes.AttributeValueMemberSS:
		return events.NewStringSetAttribute(x.Value)
	case *ddbtypes.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(x.Value)
	case *ddbtypes.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(x.Value)
	case *ddbtypes.AttributeValueMemberL:
		list := make([]events.DynamoDBAttributeValue, len(x.Value))
		for i, e := range x.Value {
			list[i] = StreamValue(e)
		}
		return events.NewListAttribute(list)
	case *ddbtypes.AttributeValueMemberM:
		return events.NewMapAttribute(StreamImage(x.Value))
	}
	return events.NewNullAttribute()
}

// Consume receives every message on the escalation queue, processes each as the consumer function does and
// deletes it; it returns the reasons in the order processed.
func Consume(t testing.TB, sqsClient *sqs.Client, queueURL string, c *escalation.Consumer) []string {
	t.Helper()
	var reasons []string
	for {
		out, err := sqsClient.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(queueURL),
			MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			return reasons
		}
		for _, m := range out.Messages {
			e, err := escalation.Decode(escalation.Message{Body: aws.ToString(m.Body)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Process(t.Context(), e); err != nil {
				t.Fatal(err)
			}
			reasons = append(reasons, string(e.Reason))
			if _, err := sqsClient.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(queueURL),
				ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
	}
}
