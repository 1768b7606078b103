package samtemplate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestDynamoDBEventSources(t *testing.T) {
	tpl, err := Parse([]byte(`
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  RelayFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Outbox:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Table.StreamArn
            StartingPosition: LATEST
            BatchSize: 10
            FunctionResponseTypes: [ReportBatchItemFailures]
            BisectBatchOnFunctionError: true
            MaximumRetryAttempts: 4
            FilterCriteria:
              Filters:
                - Pattern: '{"eventName": ["INSERT"]}'
                - Pattern: '{"eventName": ["MODIFY"]}'
        Plain:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: TRIM_HORIZON, Enabled: false}
        Sweep: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}
`))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := tpl.DynamoDBEventSources()
	if err != nil {
		t.Fatal(err)
	}
	want := []DynamoDBEventSource{
		{FunctionLogicalID: "RelayFunction", EventName: "Outbox", TableLogicalID: "Table", StartingPosition: "LATEST", BatchSize: 10,
			ReportBatchItemFailures: true, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 4,
			FilterPatterns: []string{`{"eventName": ["INSERT"]}`, `{"eventName": ["MODIFY"]}`}, Enabled: true},
		{FunctionLogicalID: "RelayFunction", EventName: "Plain", TableLogicalID: "Table", StartingPosition: "TRIM_HORIZON", BatchSize: 100,
			MaximumRetryAttempts: -1},
	}
	if !reflect.DeepEqual(srcs, want) {
		t.Errorf("DynamoDBEventSources =\n%+v\nwant\n%+v", srcs, want)
	}
	tables, err := tpl.Tables()
	if err != nil {
		t.Fatal(err)
	}
	spec := tables["Table"].Input.StreamSpecification
	if tables["Table"].StreamViewType != types.StreamViewTypeNewImage || spec == nil || !aws.ToBool(spec.StreamEnabled) || spec.StreamViewType != types.StreamViewTypeNewImage {
		t.Errorf("stream spec = %+v", spec)
	}
}

func TestDynamoDBEventSourcesRejectBadInput(t *testing.T) {
	cases := map[string]string{
		"ref instead of stream arn": `Stream: !Ref Table
            StartingPosition: LATEST`,
		"table arn":         "Stream: !GetAtt Table.Arn\n            StartingPosition: LATEST",
		"no position":       "Stream: !GetAtt Table.StreamArn",
		"pattern not text":  "Stream: !GetAtt Table.StreamArn\n            StartingPosition: LATEST\n            FilterCriteria: {Filters: [{Pattern: {eventName: [INSERT]}}]}",
		"batch not integer": "Stream: !GetAtt Table.StreamArn\n            StartingPosition: LATEST\n            BatchSize: many",
	}
	for name, props := range cases {
		tpl, err := Parse([]byte(`
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        E:
          Type: DynamoDB
          Properties:
            ` + props + "\n"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := tpl.DynamoDBEventSources(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	tpl, err := Parse([]byte("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: PK, KeyType: HASH}]\n      BillingMode: PAY_PER_REQUEST\n      StreamSpecification: {StreamViewType: EVERYTHING}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Tables(); err == nil || !strings.Contains(err.Error(), "StreamViewType") {
		t.Errorf("bad StreamViewType: %v", err)
	}
}

// The escalation relay's stream: the template's SupportTable stream, only new outbox items, partial batch
// responses; and the consumer's queue outlives the consumer's timeout six times (AWS's guidance for SQS
// event sources).
func TestProjectTemplateEscalationPipeline(t *testing.T) {
	tpl := loadProject(t)
	srcs, err := tpl.DynamoDBEventSources()
	if err != nil {
		t.Fatal(err)
	}
	tables, err := tpl.Tables()
	if err != nil {
		t.Fatal(err)
	}
	var relay *DynamoDBEventSource
	for i, s := range srcs {
		if tables[s.TableLogicalID].StreamViewType == "" {
			t.Errorf("%s.%s reads %s, which has no stream", s.FunctionLogicalID, s.EventName, s.TableLogicalID)
		}
		if s.FunctionLogicalID == "EscalationRelayFunction" {
			relay = &srcs[i]
		}
	}
	if relay == nil {
		t.Fatal("EscalationRelayFunction has no DynamoDB stream event")
	}
	if relay.TableLogicalID != "SupportTable" || !relay.ReportBatchItemFailures || !relay.BisectBatchOnFunctionError ||
		relay.MaximumRetryAttempts < 0 || len(relay.FilterPatterns) != 1 ||
		!strings.Contains(relay.FilterPatterns[0], `"escalation_outbox"`) || !strings.Contains(relay.FilterPatterns[0], `"INSERT"`) {
		t.Errorf("relay stream event = %+v", *relay)
	}
	if v := tables["SupportTable"].StreamViewType; v != types.StreamViewTypeNewImage && v != types.StreamViewTypeNewAndOldImages {
		t.Errorf("SupportTable stream view %q does not carry the new image", v)
	}

	fns, _ := tpl.Functions()
	queues, _ := tpl.Queues()
	sqsSrcs, _ := tpl.SQSEventSources()
	found := false
	for _, s := range sqsSrcs {
		if s.FunctionLogicalID != "EscalationConsumerFunction" {
			continue
		}
		found = true
		if s.QueueLogicalID != "EscalationQueue" || !s.ReportBatchItemFailures {
			t.Errorf("consumer SQS event = %+v", s)
		}
		if vt, timeout := queues[s.QueueLogicalID].VisibilityTimeout, fns[s.FunctionLogicalID].Timeout; vt < 6*timeout {
			t.Errorf("EscalationQueue visibility %ds < 6 × consumer timeout %ds", vt, timeout)
		}
	}
	if !found {
		t.Error("EscalationConsumerFunction has no SQS event")
	}

	for _, dlq := range []string{"EscalationDeadLetterQueue", "CustomerEventsDeadLetterQueue"} {
		alarm := false
		for _, r := range tpl.Resources("AWS::CloudWatch::Alarm") {
			p := r.Properties
			dims := asSlice(p["Dimensions"])
			if p["MetricName"] != "ApproximateNumberOfMessagesVisible" || p["Namespace"] != "AWS/SQS" || len(dims) != 1 {
				continue
			}
			if id, attr, ok := getAtt(asMap(dims[0])["Value"]); ok && id == dlq && attr == "QueueName" {
				alarm = len(asSlice(p["AlarmActions"])) > 0
			}
		}
		if !alarm {
			t.Errorf("no CloudWatch alarm with actions on the depth of %s", dlq)
		}
	}
}
