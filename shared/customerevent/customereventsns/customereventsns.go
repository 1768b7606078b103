// Package customereventsns publishes customer events to CustomerEventsTopic. Every message carries the
// event type and subject type as String message attributes, so each of the shop's systems subscribes with
// a filter policy such as {"type": ["refund.issued"]} or {"subjectType": ["return"]}.
package customereventsns

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/tanggap/tanggap/shared/customerevent"
)

// Client is the part of *sns.Client the publisher uses.
type Client interface {
	Publish(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
}

var _ Client = (*sns.Client)(nil)

// Publisher publishes to one topic.
type Publisher struct {
	client   Client
	topicARN string
}

var _ customerevent.Publisher = (*Publisher)(nil)

// NewPublisher returns a publisher for topicARN.
func NewPublisher(client Client, topicARN string) *Publisher {
	return &Publisher{client: client, topicARN: topicARN}
}

// Publish sends e (customerevent.Encode) and returns the SNS message id.
func (p *Publisher) Publish(ctx context.Context, e customerevent.Event) (string, error) {
	body, attributes, err := customerevent.Encode(e)
	if err != nil {
		return "", err
	}
	attrs := make(map[string]types.MessageAttributeValue, len(attributes))
	for k, v := range attributes {
		attrs[k] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	out, err := p.client.Publish(ctx, &sns.PublishInput{TopicArn: &p.topicARN, Message: &body, MessageAttributes: attrs})
	if err != nil {
		return "", fmt.Errorf("publish customer event %s: %w", e.ID, err)
	}
	return aws.ToString(out.MessageId), nil
}
