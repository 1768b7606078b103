// Package provision creates the template's DynamoDB tables, SQS queues and SNS topics in the local services,
// idempotently: existing resources (and their data) are kept, missing ones are created. The local stack, its
// seeding and tests share it; tests pass a Prefix so they never touch the resources `make run` uses.
package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// AccountID is the account local ARNs are built with.
const AccountID = "000000000000"

// Endpoints are the local services' base URLs.
type Endpoints struct {
	DynamoDB string // e.g. http://127.0.0.1:8000
	SQS      string // e.g. http://127.0.0.1:4566
	SNS      string // fauxqs serves SNS on the SQS port
}

// Clients talk to the local services.
type Clients struct {
	DynamoDB *dynamodb.Client
	// Streams reads table streams (DynamoDB Local serves them on its own endpoint).
	Streams *dynamodbstreams.Client
	SQS     *sqs.Client
	SNS     *sns.Client
}

// NewClients builds clients for the local endpoints with dummy static credentials, so host profiles and real
// AWS accounts are never involved.
func NewClients(ep Endpoints, region string) Clients {
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}
	return Clients{
		DynamoDB: dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(ep.DynamoDB) }),
		Streams:  dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(ep.DynamoDB) }),
		SQS:      sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(ep.SQS) }),
		SNS:      sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = aws.String(ep.SNS) }),
	}
}

// Options tune Ensure.
type Options struct {
	// Prefix is put in front of every physical name (letters, digits, '-' and '_'); empty for `make run`,
	// where the local name is the logical id (table SupportTable, queue EscalationQueue).
	Prefix string
	// Region for ARNs. Default ap-southeast-3.
	Region string
	// Logf receives one line per resource created or kept; nil is quiet.
	Logf func(format string, args ...any)
}

// Queue is a provisioned SQS queue.
type Queue struct {
	Name, URL, ARN string
}

// Resources are the physical names of what Ensure provisioned, by logical id.
type Resources struct {
	Region string
	Prefix string
	Tables map[string]string // table name
	// Streams are the latest stream ARNs of tables whose template has a StreamSpecification.
	Streams map[string]string
	Queues  map[string]Queue
	Topics  map[string]string // topic ARN
}

var validPrefix = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

// Ensure creates whatever of the template's tables, queues and topics is missing.
func Ensure(ctx context.Context, tpl *samtemplate.Template, c Clients, o Options) (*Resources, error) {
	if !validPrefix.MatchString(o.Prefix) {
		return nil, fmt.Errorf("provision: prefix %q: use letters, digits, '-' and '_'", o.Prefix)
	}
	if o.Region == "" {
		o.Region = "ap-southeast-3"
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	res := &Resources{Region: o.Region, Prefix: o.Prefix, Tables: map[string]string{}, Streams: map[string]string{}, Queues: map[string]Queue{}, Topics: map[string]string{}}

	tables, err := tpl.Tables()
	if err != nil {
		return nil, err
	}
	for _, id := range sortedKeys(tables) {
		name, stream, err := ensureTable(ctx, c.DynamoDB, tables[id], o)
		if err != nil {
			return nil, fmt.Errorf("provision: table %s: %w", id, err)
		}
		res.Tables[id] = name
		if stream != "" {
			res.Streams[id] = stream
		}
	}

	queues, err := tpl.Queues()
	if err != nil {
		return nil, err
	}
	order, err := queueOrder(queues)
	if err != nil {
		return nil, err
	}
	for _, id := range order {
		q, err := ensureQueue(ctx, c.SQS, queues[id], res.Queues, o)
		if err != nil {
			return nil, fmt.Errorf("provision: queue %s: %w", id, err)
		}
		res.Queues[id] = q
	}

	for _, id := range tpl.Topics() {
		out, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(o.Prefix + id)}) // idempotent by name
		if err != nil {
			return nil, fmt.Errorf("provision: topic %s: %w", id, err)
		}
		res.Topics[id] = aws.ToString(out.TopicArn)
		o.Logf("topic %s ready", o.Prefix+id)
	}
	return res, nil
}

// ensureTable returns the table's name and, when the template gives it a stream, the stream's ARN.
func ensureTable(ctx context.Context, db *dynamodb.Client, t samtemplate.Table, o Options) (string, string, error) {
	in := *t.Input // copy; the template's input stays untouched
	name := o.Prefix + aws.ToString(in.TableName)
	in.TableName = aws.String(name)

	desc, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &name})
	var notFound *ddbtypes.ResourceNotFoundException
	switch {
	case err == nil:
		o.Logf("table %s kept", name)
		stream, err := ensureStream(ctx, db, t, name, desc.Table, o)
		return name, stream, err
	case !errors.As(err, &notFound):
		return "", "", err
	}
	if _, err := db.CreateTable(ctx, &in); err != nil {
		var inUse *ddbtypes.ResourceInUseException
		if !errors.As(err, &inUse) { // someone else created it meanwhile
			return "", "", err
		}
	}
	waiter := dynamodb.NewTableExistsWaiter(db, func(w *dynamodb.TableExistsWaiterOptions) { w.MinDelay = 100 * time.Millisecond })
	created, err := waiter.WaitForOutput(ctx, &dynamodb.DescribeTableInput{TableName: &name}, 30*time.Second)
	if err != nil {
		return "", "", err
	}
	if t.TTLAttribute != "" {
		_, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName:               &name,
			TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{AttributeName: aws.String(t.TTLAttribute), Enabled: aws.Bool(true)},
		})
		if err != nil {
			return "", "", fmt.Errorf("enable TTL on %s: %w", t.TTLAttribute, err)
		}
	}
	o.Logf("table %s created", name)
	stream, err := ensureStream(ctx, db, t, name, created.Table, o)
	return name, stream, err
}

// ensureStream enables the template's stream on a table that lacks it (one created before the template had
// it, say) and returns the latest stream ARN, or "" when the template has no stream.
func ensureStream(ctx context.Context, db *dynamodb.Client, t samtemplate.Table, name string, desc *ddbtypes.TableDescription, o Options) (string, error) {
	if t.StreamViewType == "" {
		return "", nil
	}
	if spec := desc.StreamSpecification; spec != nil && aws.ToBool(spec.StreamEnabled) && desc.LatestStreamArn != nil {
		if spec.StreamViewType != t.StreamViewType {
			return "", fmt.Errorf("table %s streams %s, the template says %s; delete the table (make services-down) to recreate it", name, spec.StreamViewType, t.StreamViewType)
		}
		return aws.ToString(desc.LatestStreamArn), nil
	}
	out, err := db.UpdateTable(ctx, &dynamodb.UpdateTableInput{
		TableName:           &name,
		StreamSpecification: &ddbtypes.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: t.StreamViewType},
	})
	if err != nil {
		return "", fmt.Errorf("enable stream: %w", err)
	}
	o.Logf("table %s: stream (%s) enabled", name, t.StreamViewType)
	return aws.ToString(out.TableDescription.LatestStreamArn), nil
}

// queueOrder puts dead-letter queues before the queues that redrive to them.
func queueOrder(queues map[string]samtemplate.Queue) ([]string, error) {
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(id string) error
	visit = func(id string) error {
		switch state[id] {
		case 1:
			return fmt.Errorf("provision: redrive cycle through queue %s", id)
		case 2:
			return nil
		}
		state[id] = 1
		if rp := queues[id].RedrivePolicy; rp != nil {
			if err := visit(rp.DeadLetterTargetLogicalID); err != nil {
				return err
			}
		}
		state[id] = 2
		order = append(order, id)
		return nil
	}
	for _, id := range sortedKeys(queues) {
		if err := visit(id); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// QueueName is the local physical name of a template queue.
func QueueName(q samtemplate.Queue, prefix string) string {
	name := q.QueueName
	if name == "" {
		name = q.LogicalID
		if q.FifoQueue {
			name += ".fifo"
		}
	}
	return prefix + name
}

func ensureQueue(ctx context.Context, client *sqs.Client, q samtemplate.Queue, done map[string]Queue, o Options) (Queue, error) {
	name := QueueName(q, o.Prefix)
	attrs := map[string]string{
		string(sqstypes.QueueAttributeNameVisibilityTimeout):      strconv.Itoa(q.VisibilityTimeout),
		string(sqstypes.QueueAttributeNameMessageRetentionPeriod): strconv.Itoa(q.MessageRetentionPeriod),
	}
	if q.RedrivePolicy != nil {
		dlq, ok := done[q.RedrivePolicy.DeadLetterTargetLogicalID]
		if !ok {
			return Queue{}, fmt.Errorf("dead-letter queue %s not provisioned", q.RedrivePolicy.DeadLetterTargetLogicalID)
		}
		policy, _ := json.Marshal(map[string]any{"deadLetterTargetArn": dlq.ARN, "maxReceiveCount": q.RedrivePolicy.MaxReceiveCount})
		attrs[string(sqstypes.QueueAttributeNameRedrivePolicy)] = string(policy)
	}

	var url string
	got, err := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: &name})
	var missing *sqstypes.QueueDoesNotExist
	switch {
	case err == nil:
		// Kept with its messages; the template's attributes are re-applied so template edits take effect.
		url = aws.ToString(got.QueueUrl)
		if _, err := client.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: &url, Attributes: attrs}); err != nil {
			return Queue{}, fmt.Errorf("update attributes: %w", err)
		}
		o.Logf("queue %s kept", name)
	case errors.As(err, &missing) || isQueueMissing(err):
		create := map[string]string{}
		for k, v := range attrs {
			create[k] = v
		}
		if q.FifoQueue {
			create[string(sqstypes.QueueAttributeNameFifoQueue)] = "true"
			if q.ContentBasedDeduplication {
				create[string(sqstypes.QueueAttributeNameContentBasedDeduplication)] = "true"
			}
		}
		out, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &name, Attributes: create})
		if err != nil {
			return Queue{}, err
		}
		url = aws.ToString(out.QueueUrl)
		o.Logf("queue %s created", name)
	default:
		return Queue{}, err
	}

	a, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: &url, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return Queue{}, fmt.Errorf("read ARN: %w", err)
	}
	return Queue{Name: name, URL: url, ARN: a.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]}, nil
}

// isQueueMissing covers emulators that answer with the query-protocol error code instead of the typed error.
func isQueueMissing(err error) bool {
	s := err.Error()
	return strings.Contains(s, "NonExistentQueue") || strings.Contains(s, "QueueDoesNotExist")
}

// TableARN is the local ARN of a table.
func (r *Resources) TableARN(logicalID string) string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", r.Region, AccountID, r.Tables[logicalID])
}

// Names maps the template's Refs and GetAtts to the local physical values, for resolving function environment
// variables: !Ref table → name, !Ref queue → URL, !Ref topic → ARN, !GetAtt X.Arn → ARN. Other resources
// resolve to their prefixed logical id, so a template that references something the local stack does not
// emulate (a Cognito pool, say) still resolves.
func (r *Resources) Names(tpl *samtemplate.Template, stackName string) samtemplate.Names {
	n := samtemplate.Names{Refs: map[string]string{}, Attrs: map[string]string{}}
	n.Refs["AWS::Region"] = r.Region
	n.Refs["AWS::AccountId"] = AccountID
	n.Refs["AWS::StackName"] = stackName
	n.Refs["AWS::Partition"] = "aws"
	n.Refs["AWS::URLSuffix"] = "amazonaws.com"
	n.Refs["AWS::NoValue"] = ""
	for _, res := range tpl.Resources("") {
		id := res.LogicalID
		n.Refs[id] = r.Prefix + id
		n.Attrs[id+".Arn"] = fmt.Sprintf("arn:aws:local:%s:%s:%s", r.Region, AccountID, r.Prefix+id)
		switch res.Type {
		case "AWS::Serverless::Function", "AWS::Lambda::Function":
			n.Attrs[id+".Arn"] = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", r.Region, AccountID, r.Prefix+id)
		}
	}
	for id, name := range r.Tables {
		n.Refs[id] = name
		n.Attrs[id+".Arn"] = r.TableARN(id)
	}
	for id, arn := range r.Streams {
		n.Attrs[id+".StreamArn"] = arn
	}
	for id, q := range r.Queues {
		n.Refs[id] = q.URL
		n.Attrs[id+".Arn"] = q.ARN
		n.Attrs[id+".QueueName"] = q.Name
		n.Attrs[id+".QueueUrl"] = q.URL
	}
	for id, arn := range r.Topics {
		n.Refs[id] = arn
		n.Attrs[id+".TopicArn"] = arn
		n.Attrs[id+".TopicName"] = arn[strings.LastIndex(arn, ":")+1:]
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Delete removes what Ensure created for res (tests clean up their prefixed resources with it).
func Delete(ctx context.Context, c Clients, res *Resources) error {
	var errs []error
	for _, name := range res.Tables {
		if _, err := c.DynamoDB.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			errs = append(errs, fmt.Errorf("delete table %s: %w", name, err))
		}
	}
	for _, q := range res.Queues {
		if _, err := c.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(q.URL)}); err != nil {
			errs = append(errs, fmt.Errorf("delete queue %s: %w", q.Name, err))
		}
	}
	for _, arn := range res.Topics {
		if _, err := c.SNS.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
			errs = append(errs, fmt.Errorf("delete topic %s: %w", arn, err))
		}
	}
	return errors.Join(errs...)
}
