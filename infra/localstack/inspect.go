package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// inspectedTopic is the topic whose messages `make run` prints, one line each; inspectionDeadLetters is the
// template's dead-letter queue for its subscriptions.
const (
	inspectedTopic        = "CustomerEventsTopic"
	inspectionDeadLetters = "CustomerEventsDeadLetterQueue"
)

// startInspection subscribes a local queue (raw delivery, no filter) to CustomerEventsTopic and prints every
// message that arrives as one line, the way a shop's own subscriber would see it. The queue is dev tooling,
// not part of the template. Its subscription names CustomerEventsDeadLetterQueue as RedrivePolicy, as a
// shop's subscriptions do; fauxqs 1.9.2 stores that policy but never redrives (a delivery to a missing queue
// is dropped), so locally nothing arrives there.
func (s *stack) startInspection(ctx context.Context) error {
	topicARN, ok := s.resources.Topics[inspectedTopic]
	if !ok {
		return nil
	}
	name := s.opts.Prefix + "customer-events-inspect"
	q, err := s.clients.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		return fmt.Errorf("inspection queue: %w", err)
	}
	url := aws.ToString(q.QueueUrl)
	a, err := s.clients.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return fmt.Errorf("inspection queue: %w", err)
	}
	attrs := map[string]string{"RawMessageDelivery": "true"}
	if dlq, ok := s.resources.Queues[inspectionDeadLetters]; ok {
		attrs["RedrivePolicy"] = redrivePolicy(dlq.ARN)
	}
	if _, err := s.clients.SNS.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: aws.String(topicARN), Protocol: aws.String("sqs"),
		Endpoint:   aws.String(a.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]),
		Attributes: attrs, ReturnSubscriptionArn: true,
	}); err != nil {
		return fmt.Errorf("inspection subscription: %w", err)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.printEvents(ctx, url)
	}()
	s.logf("%s: printing every message through the local queue %s", inspectedTopic, name)
	return nil
}

// redrivePolicy is a subscription's RedrivePolicy attribute sending undeliverable messages to deadLetterARN.
func redrivePolicy(deadLetterARN string) string {
	b, _ := json.Marshal(map[string]string{"deadLetterTargetArn": deadLetterARN})
	return string(b)
}

func (s *stack) printEvents(ctx context.Context, url string) {
	for ctx.Err() == nil {
		out, err := s.clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			if ctx.Err() == nil {
				time.Sleep(time.Second) // the emulator may be restarting; try again
			}
			continue
		}
		for _, m := range out.Messages {
			s.logMu.Lock()
			fmt.Fprintf(s.opts.Log, "[%s] %s\n", inspectedTopic, eventLine(aws.ToString(m.Body)))
			s.logMu.Unlock()
			_, _ = s.clients.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
		}
	}
}

// eventLine is one customer event on one line: type, subject, sequence, customer, id, amount, title.
func eventLine(body string) string {
	var e struct {
		EventID     string `json:"eventId"`
		Type        string `json:"type"`
		CustomerID  string `json:"customerId"`
		SubjectType string `json:"subjectType"`
		SubjectID   string `json:"subjectId"`
		Sequence    int64  `json:"sequence"`
		Language    string `json:"language"`
		Title       string `json:"title"`
		Data        struct {
			Amount   *int64 `json:"amount"`
			Currency string `json:"currency"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.EventID == "" {
		return "unreadable message: " + strings.ReplaceAll(body, "\n", " ")
	}
	line := fmt.Sprintf("%s %s/%s seq=%d customer=%s id=%s", e.Type, e.SubjectType, e.SubjectID, e.Sequence, e.CustomerID, e.EventID)
	if e.Data.Amount != nil {
		line += fmt.Sprintf(" amount=%d %s", *e.Data.Amount, e.Data.Currency)
	}
	return line + fmt.Sprintf(" %s: %q", e.Language, e.Title)
}
