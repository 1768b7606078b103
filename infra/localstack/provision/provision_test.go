package provision

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/infra/testenv"
)

func uniquePrefix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "prov-" + hex.EncodeToString(b[:]) + "-"
}

func TestEnsureCreatesTemplateResourcesIdempotently(t *testing.T) {
	ep := Endpoints{DynamoDB: testenv.DynamoDBEndpoint(t), SQS: testenv.SQSEndpoint(t)}
	ep.SNS = ep.SQS
	tpl := testenv.ProjectTemplate(t)
	c := NewClients(ep, testenv.Region)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	prefix := uniquePrefix()

	res, err := Ensure(ctx, tpl, c, Options{Prefix: prefix})
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := Delete(ctx, c, res); err != nil {
			t.Errorf("Delete: %v", err)
		}
	})

	// Tables as the template declares them.
	if res.Tables["SupportTable"] != prefix+"SupportTable" || res.Tables["IdempotencyTable"] != prefix+"IdempotencyTable" {
		t.Fatalf("tables %v", res.Tables)
	}
	desc, err := c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(res.Tables["SupportTable"])})
	if err != nil {
		t.Fatal(err)
	}
	gsis := map[string]ddbtypes.ProjectionType{}
	for _, g := range desc.Table.GlobalSecondaryIndexes {
		gsis[aws.ToString(g.IndexName)] = g.Projection.ProjectionType
	}
	if len(gsis) != 2 || gsis["GSI1"] != ddbtypes.ProjectionTypeAll || gsis["GSI2"] != ddbtypes.ProjectionTypeInclude {
		t.Errorf("SupportTable GSIs %+v", desc.Table.GlobalSecondaryIndexes)
	}
	ttl, err := c.DynamoDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(res.Tables["IdempotencyTable"])})
	if err != nil {
		t.Fatal(err)
	}
	if d := ttl.TimeToLiveDescription; d == nil || aws.ToString(d.AttributeName) != "expiresAt" || d.TimeToLiveStatus != ddbtypes.TimeToLiveStatusEnabled {
		t.Errorf("IdempotencyTable TTL %+v", ttl.TimeToLiveDescription)
	}

	// Queues: the main queue redrives to the dead-letter queue created before it.
	q, dlq := res.Queues["EscalationQueue"], res.Queues["EscalationDeadLetterQueue"]
	if q.Name != prefix+"EscalationQueue" || dlq.ARN == "" || !strings.HasSuffix(dlq.ARN, ":"+prefix+"EscalationDeadLetterQueue") {
		t.Fatalf("queues %+v", res.Queues)
	}
	attrs, err := c.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q.URL),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	var redrive struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		MaxReceiveCount     any    `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(attrs.Attributes["RedrivePolicy"]), &redrive); err != nil {
		t.Fatalf("RedrivePolicy %q: %v", attrs.Attributes["RedrivePolicy"], err)
	}
	if redrive.DeadLetterTargetArn != dlq.ARN || (redrive.MaxReceiveCount != float64(5) && redrive.MaxReceiveCount != "5") {
		t.Errorf("redrive %+v, want %s after 5", redrive, dlq.ARN)
	}
	if attrs.Attributes["VisibilityTimeout"] != "60" {
		t.Errorf("VisibilityTimeout %s", attrs.Attributes["VisibilityTimeout"])
	}

	// Data survives a second Ensure (restart of `make run`).
	item := map[string]ddbtypes.AttributeValue{"PK": &ddbtypes.AttributeValueMemberS{Value: "ORDER#1"}, "SK": &ddbtypes.AttributeValueMemberS{Value: "A"}}
	if _, err := c.DynamoDB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(res.Tables["SupportTable"]), Item: item}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q.URL), MessageBody: aws.String("kept")}); err != nil {
		t.Fatal(err)
	}
	again, err := Ensure(ctx, tpl, c, Options{Prefix: prefix})
	if err != nil {
		t.Fatalf("second Ensure: %v", err)
	}
	if again.Queues["EscalationQueue"].URL != q.URL {
		t.Errorf("queue URL changed: %s → %s", q.URL, again.Queues["EscalationQueue"].URL)
	}
	got, err := c.DynamoDB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(res.Tables["SupportTable"]), Key: item, ConsistentRead: aws.Bool(true)})
	if err != nil || got.Item == nil {
		t.Errorf("item lost after second Ensure: %v", err)
	}
	msgs, err := c.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(q.URL), WaitTimeSeconds: 1})
	if err != nil || len(msgs.Messages) != 1 || aws.ToString(msgs.Messages[0].Body) != "kept" {
		t.Errorf("message lost after second Ensure: %v %v", msgs, err)
	}

	// Names resolve the template's references to the local resources.
	names := res.Names(tpl, "tanggap-local")
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	tableName, err := tpl.Resolve(fns["OrdersFunction"].Environment["TABLE_NAME"], names)
	if err != nil || tableName != prefix+"SupportTable" {
		t.Errorf("TABLE_NAME resolves to %q, %v", tableName, err)
	}
	for expr, want := range map[string]string{
		`{"Ref": "EscalationQueue"}`:                       q.URL,
		`{"Fn::GetAtt": ["EscalationQueue", "Arn"]}`:       q.ARN,
		`{"Fn::GetAtt": ["SupportTable", "Arn"]}`:          "arn:aws:dynamodb:ap-southeast-3:000000000000:table/" + prefix + "SupportTable",
		`{"Fn::Sub": "${SupportTable.Arn}/index/GSI1"}`:    "arn:aws:dynamodb:ap-southeast-3:000000000000:table/" + prefix + "SupportTable/index/GSI1",
		`{"Ref": "DefaultCurrency"}`:                       "IDR",
		`{"Fn::Sub": "${AWS::StackName}-${AWS::Region}"}`:  "tanggap-local-ap-southeast-3",
		`{"Fn::GetAtt": ["EscalationQueue", "QueueName"]}`: q.Name,
	} {
		var v any
		if err := json.Unmarshal([]byte(expr), &v); err != nil {
			t.Fatal(err)
		}
		got, err := tpl.Resolve(v, names)
		if err != nil || got != want {
			t.Errorf("%s → %q (%v), want %q", expr, got, err, want)
		}
	}
}

func TestEnsureRejectsUnsafePrefix(t *testing.T) {
	tpl, err := samtemplate.Parse([]byte("Resources: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Ensure(context.Background(), tpl, Clients{}, Options{Prefix: "a/b"}); err == nil {
		t.Error("prefix with a slash accepted")
	}
}

func TestQueueOrderPutsDeadLetterQueuesFirst(t *testing.T) {
	queues := map[string]samtemplate.Queue{
		"A":   {LogicalID: "A", RedrivePolicy: &samtemplate.RedrivePolicy{DeadLetterTargetLogicalID: "ZDL", MaxReceiveCount: 3}},
		"ZDL": {LogicalID: "ZDL"},
		"B":   {LogicalID: "B", RedrivePolicy: &samtemplate.RedrivePolicy{DeadLetterTargetLogicalID: "A", MaxReceiveCount: 3}},
	}
	order, err := queueOrder(queues)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, id := range order {
		pos[id] = i
	}
	if len(order) != 3 || pos["ZDL"] > pos["A"] || pos["A"] > pos["B"] {
		t.Errorf("order %v", order)
	}
	queues["ZDL"] = samtemplate.Queue{LogicalID: "ZDL", RedrivePolicy: &samtemplate.RedrivePolicy{DeadLetterTargetLogicalID: "B", MaxReceiveCount: 1}}
	if _, err := queueOrder(queues); err == nil {
		t.Error("redrive cycle accepted")
	}
}
