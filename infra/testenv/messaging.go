package testenv

import (
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// MessagingEnv is a set of freshly created SQS queues and SNS topics, one per queue/topic in template.yaml.
type MessagingEnv struct {
	SQS *sqs.Client
	SNS *sns.Client
	// Endpoint is the SQS/SNS endpoint the resources live on.
	Endpoint string

	t      testing.TB
	prefix string
	queues map[string]samtemplate.Queue
	topics []string

	queueURLs map[string]string
	queueARNs map[string]string
	topicARNs map[string]string
}

// MessagingOption adjusts the resources Messaging creates.
type MessagingOption func(*messagingOptions)

type messagingOptions struct {
	visibility map[string]int
}

// WithVisibilityTimeout overrides the template's VisibilityTimeout (seconds) of one queue, e.g. to see
// redelivery and dead-lettering within a test's time budget.
func WithVisibilityTimeout(queueLogicalID string, seconds int) MessagingOption {
	return func(o *messagingOptions) { o.visibility[queueLogicalID] = seconds }
}

// Messaging creates the template's queues (dead-letter queues first, then the queues that redrive into them,
// with the template's RedrivePolicy and VisibilityTimeout) and topics under unique names on
// TANGGAP_SQS_ENDPOINT, and deletes them when the test ends.
func Messaging(t testing.TB, opts ...MessagingOption) *MessagingEnv {
	t.Helper()
	return MessagingAt(t, SQSEndpoint(t), opts...)
}

// MessagingAt is Messaging on a given endpoint, such as a private fauxqs from StartFauxqs.
func MessagingAt(t testing.TB, endpoint string, opts ...MessagingOption) *MessagingEnv {
	t.Helper()
	return newMessagingEnv(t, ProjectTemplate(t), endpoint, opts...)
}

func newMessagingEnv(t testing.TB, tpl *samtemplate.Template, endpoint string, opts ...MessagingOption) *MessagingEnv {
	t.Helper()
	queues, err := tpl.Queues()
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	o := messagingOptions{visibility: map[string]int{}}
	for _, opt := range opts {
		opt(&o)
	}
	for id, seconds := range o.visibility {
		q, ok := queues[id]
		if !ok {
			t.Fatalf("testenv: WithVisibilityTimeout: template.yaml has no queue %q", id)
		}
		q.VisibilityTimeout = seconds
		queues[id] = q
	}
	e := &MessagingEnv{
		SQS:       NewSQSClient(endpoint),
		SNS:       NewSNSClient(endpoint),
		Endpoint:  endpoint,
		t:         t,
		prefix:    uniquePrefix(t),
		queues:    queues,
		topics:    tpl.Topics(),
		queueURLs: map[string]string{},
		queueARNs: map[string]string{},
		topicARNs: map[string]string{},
	}
	t.Cleanup(e.deleteAll)
	e.create()
	return e
}

// CreateAgain creates the same queues and topics again (same names, so the same URLs and ARNs), for a test
// whose fauxqs was restarted and lost them.
func (e *MessagingEnv) CreateAgain() {
	e.t.Helper()
	e.create()
}

func (e *MessagingEnv) create() {
	t := e.t
	t.Helper()
	ctx := t.Context()

	// Dead-letter targets before the queues that name them.
	pending := make([]string, 0, len(e.queues))
	for id := range e.queues {
		pending = append(pending, id)
	}
	sort.Strings(pending)
	created := map[string]bool{}
	for len(pending) > 0 {
		var next []string
		for _, id := range pending {
			q := e.queues[id]
			if q.RedrivePolicy != nil && !created[q.RedrivePolicy.DeadLetterTargetLogicalID] {
				next = append(next, id)
				continue
			}
			e.createQueue(id, q)
			created[id] = true
		}
		if len(next) == len(pending) {
			t.Fatalf("testenv: queues %v redrive into each other", next)
		}
		pending = next
	}

	for _, id := range e.topics {
		out, err := e.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(e.prefix + id)})
		if err != nil {
			t.Fatalf("testenv: create topic %s: %v", id, err)
		}
		e.topicARNs[id] = aws.ToString(out.TopicArn)
	}
}

func (e *MessagingEnv) createQueue(id string, q samtemplate.Queue) {
	t := e.t
	t.Helper()
	name := e.prefix + id
	attrs := map[string]string{
		string(sqstypes.QueueAttributeNameVisibilityTimeout):      strconv.Itoa(q.VisibilityTimeout),
		string(sqstypes.QueueAttributeNameMessageRetentionPeriod): strconv.Itoa(q.MessageRetentionPeriod),
	}
	if q.FifoQueue {
		name += ".fifo"
		attrs[string(sqstypes.QueueAttributeNameFifoQueue)] = "true"
		if q.ContentBasedDeduplication {
			attrs[string(sqstypes.QueueAttributeNameContentBasedDeduplication)] = "true"
		}
	}
	if len(name) > 80 {
		t.Fatalf("testenv: queue name %q is longer than SQS's 80 characters; shorten the test name", name)
	}
	if rp := q.RedrivePolicy; rp != nil {
		policy, err := json.Marshal(map[string]any{
			"deadLetterTargetArn": e.queueARNs[rp.DeadLetterTargetLogicalID],
			"maxReceiveCount":     rp.MaxReceiveCount,
		})
		if err != nil {
			t.Fatalf("testenv: %v", err)
		}
		attrs[string(sqstypes.QueueAttributeNameRedrivePolicy)] = string(policy)
	}

	ctx := t.Context()
	out, err := e.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatalf("testenv: create queue %s (%s): %v", id, name, err)
	}
	url := aws.ToString(out.QueueUrl)
	got, err := e.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatalf("testenv: queue %s ARN: %v", name, err)
	}
	e.queueURLs[id] = url
	e.queueARNs[id] = got.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]
}

// QueueURL returns the URL of the created queue for a template logical id.
func (e *MessagingEnv) QueueURL(logicalID string) string {
	e.t.Helper()
	return e.lookup(e.queueURLs, "queue", logicalID)
}

// QueueARN returns the ARN of the created queue for a template logical id.
func (e *MessagingEnv) QueueARN(logicalID string) string {
	e.t.Helper()
	return e.lookup(e.queueARNs, "queue", logicalID)
}

// TopicARN returns the ARN of the created topic for a template logical id.
func (e *MessagingEnv) TopicARN(logicalID string) string {
	e.t.Helper()
	return e.lookup(e.topicARNs, "topic", logicalID)
}

func (e *MessagingEnv) lookup(m map[string]string, kind, logicalID string) string {
	e.t.Helper()
	v, ok := m[logicalID]
	if !ok {
		e.t.Fatalf("testenv: template.yaml has no %s %q", kind, logicalID)
	}
	return v
}

func (e *MessagingEnv) deleteAll() {
	// A private fauxqs the test stopped took its resources with it; don't wait out SDK retries against it.
	if !reachable(e.Endpoint) {
		e.t.Logf("testenv: %s is down; its queues and topics are gone with it", e.Endpoint)
		return
	}
	ctx, cancel := cleanupContext()
	defer cancel()
	for id, url := range e.queueURLs {
		_, err := e.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)})
		var gone *sqstypes.QueueDoesNotExist
		if err != nil && !errors.As(err, &gone) {
			e.t.Errorf("testenv: delete queue %s: %v", id, err)
		}
	}
	for id, arn := range e.topicARNs {
		if _, err := e.SNS.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
			e.t.Errorf("testenv: delete topic %s: %v", id, err)
		}
	}
}

func reachable(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	conn, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
