// Package escalationsqs puts escalations on the escalation queue (SQS). Only the relay links it: API
// functions never call SQS, they write to the outbox.
package escalationsqs

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/shared/escalation"
)

// Client is the part of *sqs.Client the publisher uses.
type Client interface {
	SendMessage(context.Context, *sqs.SendMessageInput, ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
}

var _ Client = (*sqs.Client)(nil)

// Publisher sends to one queue.
type Publisher struct {
	client   Client
	queueURL string
}

var _ escalation.Publisher = (*Publisher)(nil)

// NewPublisher returns a publisher for queueURL.
func NewPublisher(client Client, queueURL string) *Publisher {
	return &Publisher{client: client, queueURL: queueURL}
}

// Send enqueues e with its routing attributes. The queue is a standard queue: no MessageDeduplicationId,
// duplicates are absorbed by the consumer's dedupKey.
func (p *Publisher) Send(ctx context.Context, e escalation.Escalation) (string, error) {
	msg, err := escalation.Encode(e)
	if err != nil {
		return "", err
	}
	out, err := p.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:          &p.queueURL,
		MessageBody:       &msg.Body,
		MessageAttributes: StringAttributes(msg.Attributes),
	})
	if err != nil {
		return "", fmt.Errorf("send escalation %s: %w", e.DedupKey, err)
	}
	return aws.ToString(out.MessageId), nil
}

// StringAttributes renders attributes as SQS String message attributes.
func StringAttributes(attrs map[string]string) map[string]types.MessageAttributeValue {
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make(map[string]types.MessageAttributeValue, len(attrs))
	for _, k := range names {
		out[k] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(attrs[k])}
	}
	return out
}
