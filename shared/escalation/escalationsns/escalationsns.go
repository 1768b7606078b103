// Package escalationsns notifies ops of escalations on one SNS topic. Every notification carries the team
// (and reason, priority, subject type) as message attributes, so each team subscribes with a filter
// policy such as {"team": ["payments"]}.
//
// Delivery is at least once: the consumer may publish and then time out before it records the
// notification, and the redelivered message publishes again. Every notification therefore carries its
// dedupKey, as a message attribute and in the body, for subscribers to drop a repeat.
package escalationsns

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/tanggap/tanggap/shared/escalation"
)

// Client is the part of *sns.Client the notifier uses.
type Client interface {
	Publish(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
}

var _ Client = (*sns.Client)(nil)

// Notifier publishes to one topic.
type Notifier struct {
	client   Client
	topicARN string
}

var _ escalation.Notifier = (*Notifier)(nil)

// NewNotifier returns a notifier for topicARN.
func NewNotifier(client Client, topicARN string) *Notifier {
	return &Notifier{client: client, topicARN: topicARN}
}

// Notify publishes e. The message is the queue's JSON body (ids only, no customer data); the subject is a
// one-line summary for e-mail subscriptions.
func (n *Notifier) Notify(ctx context.Context, e escalation.Escalation) error {
	msg, err := escalation.Encode(e)
	if err != nil {
		return err
	}
	attrs := map[string]types.MessageAttributeValue{}
	for k, v := range map[string]string{
		escalation.AttrTeam: string(e.Team), escalation.AttrReason: string(e.Reason),
		escalation.AttrPriority: string(e.Priority), "subjectType": string(e.SubjectType),
		escalation.AttrDedupKey: e.DedupKey,
	} {
		attrs[k] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	_, err = n.client.Publish(ctx, &sns.PublishInput{
		TopicArn:          &n.topicARN,
		Message:           &msg.Body,
		Subject:           aws.String(Subject(e)),
		MessageAttributes: attrs,
	})
	if err != nil {
		return fmt.Errorf("publish escalation %s: %w", e.DedupKey, err)
	}
	return nil
}

// Subject is the notification's e-mail subject: ASCII, at most 100 characters (SNS's limits).
func Subject(e escalation.Escalation) string {
	s := fmt.Sprintf("[%s] %s escalation for %s: %s %s", e.Priority, e.Reason, e.Team, e.SubjectType, e.SubjectID)
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s) && len(b) < 100; i++ {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			b = append(b, c)
		}
	}
	return string(b)
}
