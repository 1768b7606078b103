package testenv

import (
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

func TestDynamoDBCreatesTemplateTables(t *testing.T) {
	t.Parallel()
	env := DynamoDB(t)
	ctx := t.Context()

	if env.SupportTable == "" || env.IdempotencyTable == "" || env.Table("SupportTable") != env.SupportTable {
		t.Fatalf("table names: support %q idempotency %q", env.SupportTable, env.IdempotencyTable)
	}
	desc, err := env.Client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(env.SupportTable)})
	if err != nil {
		t.Fatal(err)
	}
	tbl := desc.Table
	if tbl.TableStatus != types.TableStatusActive {
		t.Errorf("status = %s, want ACTIVE", tbl.TableStatus)
	}
	if tbl.BillingModeSummary == nil || tbl.BillingModeSummary.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("billing mode summary = %+v, want PAY_PER_REQUEST", tbl.BillingModeSummary)
	}
	// Each index keys on <name>PK (HASH) and <name>SK (RANGE), as the template declares them.
	var gsis []string
	for _, g := range tbl.GlobalSecondaryIndexes {
		name := aws.ToString(g.IndexName)
		var keys []string
		for _, k := range g.KeySchema {
			keys = append(keys, aws.ToString(k.AttributeName)+":"+string(k.KeyType))
		}
		gsis = append(gsis, name+"("+strings.Join(keys, ",")+")")
	}
	slices.Sort(gsis)
	if want := []string{"GSI1(GSI1PK:HASH,GSI1SK:RANGE)", "GSI2(GSI2PK:HASH,GSI2SK:RANGE)"}; !slices.Equal(gsis, want) {
		t.Fatalf("GSIs = %v, want %v", gsis, want)
	}

	ttl, err := env.Client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(env.IdempotencyTable)})
	if err != nil {
		t.Fatal(err)
	}
	if d := ttl.TimeToLiveDescription; d == nil || aws.ToString(d.AttributeName) != "expiresAt" || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Errorf("idempotency TTL = %+v, want expiresAt ENABLED", ttl.TimeToLiveDescription)
	}

	item := map[string]types.AttributeValue{
		"PK":     &types.AttributeValueMemberS{Value: "ORDER#1"},
		"SK":     &types.AttributeValueMemberS{Value: "META"},
		"GSI1PK": &types.AttributeValueMemberS{Value: "CUSTOMER#c1"},
		"GSI1SK": &types.AttributeValueMemberS{Value: "2026-01-01T00:00:00Z"},
		"status": &types.AttributeValueMemberS{Value: "SHIPPED"},
	}
	if _, err := env.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(env.SupportTable), Item: item}); err != nil {
		t.Fatal(err)
	}
	got, err := env.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(env.SupportTable),
		Key:            map[string]types.AttributeValue{"PK": item["PK"], "SK": item["SK"]},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := got.Item["status"].(*types.AttributeValueMemberS); !ok || s.Value != "SHIPPED" {
		t.Errorf("GetItem status = %#v, want SHIPPED", got.Item["status"])
	}
	q, err := env.Client.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(env.SupportTable),
		IndexName:                 aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :c"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": &types.AttributeValueMemberS{Value: "CUSTOMER#c1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if q.Count != 1 {
		t.Errorf("GSI1 query count = %d, want 1", q.Count)
	}
}

func TestDynamoDBIsolatesAndCleansUp(t *testing.T) {
	t.Parallel()
	var names []string
	var client *dynamodb.Client
	t.Run("env", func(t *testing.T) {
		a, b := DynamoDB(t), DynamoDB(t)
		if a.SupportTable == b.SupportTable {
			t.Fatalf("two envs share table %s", a.SupportTable)
		}
		names = []string{a.SupportTable, a.IdempotencyTable, b.SupportTable}
		client = a.Client
	})
	if t.Failed() || client == nil {
		return
	}
	for _, name := range names {
		_, err := client.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		var notFound *types.ResourceNotFoundException
		if !errors.As(err, &notFound) {
			t.Errorf("table %s still exists after the test (err %v)", name, err)
		}
	}
}

func TestMessagingCreatesTemplateQueues(t *testing.T) {
	t.Parallel()
	env := Messaging(t)
	ctx := t.Context()

	url := env.QueueURL("EscalationQueue")
	if !strings.HasPrefix(url, env.Endpoint+"/") {
		t.Errorf("queue URL %s is not on %s", url, env.Endpoint)
	}
	dlqARN := env.QueueARN("EscalationDeadLetterQueue")
	if !strings.HasPrefix(dlqARN, "arn:aws:sqs:"+Region+":") {
		t.Errorf("DLQ ARN = %s", dlqARN)
	}
	attrs, err := env.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := attrs.Attributes["VisibilityTimeout"]; v != "60" {
		t.Errorf("VisibilityTimeout = %s, want 60 (template)", v)
	}
	var policy struct {
		DeadLetterTargetArn string          `json:"deadLetterTargetArn"`
		MaxReceiveCount     json.RawMessage `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(attrs.Attributes["RedrivePolicy"]), &policy); err != nil {
		t.Fatalf("RedrivePolicy %q: %v", attrs.Attributes["RedrivePolicy"], err)
	}
	if policy.DeadLetterTargetArn != dlqARN || strings.Trim(string(policy.MaxReceiveCount), `"`) != "5" {
		t.Errorf("RedrivePolicy = %+v, want DLQ %s and maxReceiveCount 5", policy, dlqARN)
	}

	if _, err := env.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(`{"ticketId":"t1"}`)}); err != nil {
		t.Fatal(err)
	}
	got, err := env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != `{"ticketId":"t1"}` {
		t.Fatalf("received %+v, want the sent message", got.Messages)
	}

	other := Messaging(t)
	if other.QueueURL("EscalationQueue") == url {
		t.Error("two envs share a queue")
	}
}

func TestMessagingDeadLettersAfterMaxReceiveCount(t *testing.T) {
	t.Parallel()
	env := Messaging(t, WithVisibilityTimeout("EscalationQueue", 1))
	ctx := t.Context()
	queues, err := ProjectTemplate(t).Queues()
	if err != nil {
		t.Fatal(err)
	}
	maxReceives := queues["EscalationQueue"].RedrivePolicy.MaxReceiveCount
	url, dlq := env.QueueURL("EscalationQueue"), env.QueueURL("EscalationDeadLetterQueue")

	if _, err := env.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("poison")}); err != nil {
		t.Fatal(err)
	}
	// Receive without deleting, as a consumer that keeps failing would.
	for i := 1; i <= maxReceives; i++ {
		got, err := env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Messages) != 1 {
			t.Fatalf("receive %d: got %d messages, want the poison message", i, len(got.Messages))
		}
	}
	// The next receive finds the message past maxReceiveCount and moves it to the dead-letter queue.
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Messages) != 0 {
			t.Fatalf("message delivered again after %d receives: %+v", maxReceives, got.Messages)
		}
		dead, err := env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlq), WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(dead.Messages) == 1 && aws.ToString(dead.Messages[0].Body) == "poison" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("poison message never reached the dead-letter queue")
		}
	}
}

func TestMessagingTopicsAndFifoQueues(t *testing.T) {
	t.Parallel()
	endpoint := SQSEndpoint(t)
	tpl, err := samtemplate.Parse([]byte(`
Resources:
  AlertsTopic: {Type: AWS::SNS::Topic}
  OrderedDLQ:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true}
  OrderedQueue:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      ContentBasedDeduplication: true
      RedrivePolicy: {deadLetterTargetArn: !GetAtt OrderedDLQ.Arn, maxReceiveCount: 2}
`))
	if err != nil {
		t.Fatal(err)
	}
	env := newMessagingEnv(t, tpl, endpoint)
	ctx := t.Context()

	topic := env.TopicARN("AlertsTopic")
	if !strings.HasPrefix(topic, "arn:aws:sns:"+Region+":") {
		t.Fatalf("topic ARN = %s", topic)
	}
	url := env.QueueURL("OrderedQueue")
	if !strings.HasSuffix(url, ".fifo") {
		t.Errorf("FIFO queue URL %s lacks .fifo", url)
	}
	if _, err := env.SNS.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: aws.String(topic), Protocol: aws.String("sqs"), Endpoint: aws.String(env.QueueARN("OrderedQueue")),
		Attributes: map[string]string{"RawMessageDelivery": "true"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.SNS.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("hello"), MessageGroupId: aws.String("g1")}); err != nil {
		t.Fatal(err)
	}
	got, err := env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != "hello" {
		t.Errorf("received %+v, want the published message", got.Messages)
	}
}

func TestFauxqsStopAndStart(t *testing.T) {
	t.Parallel()
	fq := StartFauxqs(t)
	if fq.Endpoint == strings.TrimSuffix(os.Getenv(EnvSQSEndpoint), "/") {
		t.Fatal("private fauxqs shares the shared endpoint")
	}
	env := MessagingAt(t, fq.Endpoint)
	ctx := t.Context()
	url := env.QueueURL("EscalationQueue")
	send := func() error {
		// One attempt: the SDK's retries would only stretch the outage part of the test.
		_, err := env.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("m")},
			func(o *sqs.Options) { o.RetryMaxAttempts = 1 })
		return err
	}
	if err := send(); err != nil {
		t.Fatalf("send before outage: %v", err)
	}

	fq.Stop()
	if err := send(); err == nil {
		t.Fatal("send succeeded while fauxqs was stopped")
	}

	fq.Start()
	env.CreateAgain()
	if got := env.QueueURL("EscalationQueue"); got != url {
		t.Errorf("queue URL changed across restart: %s -> %s", url, got)
	}
	if err := send(); err != nil {
		t.Fatalf("send after restart: %v", err)
	}
	fq.Stop()
	fq.Stop() // idempotent
}

// recordingTB captures Skip/Fatal from the helpers; runtime.Goexit mimics testing's stop of the goroutine.
type recordingTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, format
	runtime.Goexit()
}
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, format
	runtime.Goexit()
}

func runRecorded(t *testing.T, fn func(testing.TB)) *recordingTB {
	rec := &recordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(rec)
	}()
	<-done
	return rec
}

func TestMissingServicesSkipOrFail(t *testing.T) {
	t.Setenv(EnvDynamoDBEndpoint, "")
	t.Setenv(EnvFauxqsCommand, "")

	t.Setenv(EnvRequireServices, "")
	if rec := runRecorded(t, func(tb testing.TB) { DynamoDB(tb) }); !rec.skipped || rec.failed {
		t.Errorf("without endpoint: skipped=%v failed=%v, want skip", rec.skipped, rec.failed)
	}
	if rec := runRecorded(t, func(tb testing.TB) { StartFauxqs(tb) }); !rec.skipped {
		t.Errorf("without fauxqs command: skipped=%v, want skip", rec.skipped)
	}

	t.Setenv(EnvRequireServices, "1")
	if rec := runRecorded(t, func(tb testing.TB) { DynamoDB(tb) }); !rec.failed || rec.skipped {
		t.Errorf("with %s=1: skipped=%v failed=%v, want failure", EnvRequireServices, rec.skipped, rec.failed)
	}

	// Configured but nothing listening: always a failure, never a skip.
	t.Setenv(EnvRequireServices, "")
	t.Setenv(EnvDynamoDBEndpoint, "http://127.0.0.1:1")
	if rec := runRecorded(t, func(tb testing.TB) { DynamoDB(tb) }); !rec.failed {
		t.Errorf("unreachable endpoint: failed=%v, want failure", rec.failed)
	}
}
