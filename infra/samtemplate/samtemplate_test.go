package samtemplate

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func loadProject(t *testing.T) *Template {
	t.Helper()
	tpl, err := LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestShortTagsBecomeLongForms(t *testing.T) {
	src := `
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Or [!Condition NotProd, !Equals [a, b]]]
Values:
  ref: !Ref Thing
  getattDot: !GetAtt Queue.Arn
  getattNested: !GetAtt Db.Endpoint.Address
  getattSeq: !GetAtt [Queue, QueueName]
  subScalar: !Sub "${AWS::StackName}-x"
  subSeq: !Sub ["${A}-${B}", {A: !Ref X, B: b}]
  join: !Join [",", [a, !Ref B]]
  if: !If [IsProd, yes-value, !Ref "AWS::NoValue"]
  select: !Select [1, !Split [",", "a,b"]]
  findInMap: !FindInMap [M, !Ref "AWS::Region", Key]
  importValue: !ImportValue shared-vpc
  base64: !Base64 hello
  base64Sub: !Base64 {"Fn::Sub": "x"}
  cidr: !Cidr [10.0.0.0/16, 4, 8]
  getAZs: !GetAZs ""
  getAZsRegion: !GetAZs ap-southeast-3
  plainInt: 5
  plainFloat: 1.5
  plainBool: true
  plainNull: null
  quotedInt: "5"
  date: 2010-09-09
  refNumberish: !Ref 123
`
	tpl, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	wantJSON := `{
"Conditions": {
  "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
  "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
  "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Or": [{"Condition": "NotProd"}, {"Fn::Equals": ["a", "b"]}]}]}
},
"Values": {
  "ref": {"Ref": "Thing"},
  "getattDot": {"Fn::GetAtt": ["Queue", "Arn"]},
  "getattNested": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
  "getattSeq": {"Fn::GetAtt": ["Queue", "QueueName"]},
  "subScalar": {"Fn::Sub": "${AWS::StackName}-x"},
  "subSeq": {"Fn::Sub": ["${A}-${B}", {"A": {"Ref": "X"}, "B": "b"}]},
  "join": {"Fn::Join": [",", ["a", {"Ref": "B"}]]},
  "if": {"Fn::If": ["IsProd", "yes-value", {"Ref": "AWS::NoValue"}]},
  "select": {"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]},
  "findInMap": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "Key"]},
  "importValue": {"Fn::ImportValue": "shared-vpc"},
  "base64": {"Fn::Base64": "hello"},
  "base64Sub": {"Fn::Base64": {"Fn::Sub": "x"}},
  "cidr": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
  "getAZs": {"Fn::GetAZs": ""},
  "getAZsRegion": {"Fn::GetAZs": "ap-southeast-3"},
  "plainInt": 5,
  "plainFloat": 1.5,
  "plainBool": true,
  "plainNull": null,
  "quotedInt": "5",
  "date": "2010-09-09",
  "refNumberish": {"Ref": "123"}
}}`
	var want map[string]any
	if err := json.Unmarshal([]byte(wantJSON), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		gotPretty, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("converted template differs:\n%s", gotPretty)
	}
}

func TestParseRejectsBadInput(t *testing.T) {
	cases := map[string]string{
		"unknown tag":      "A: !Bogus x\n",
		"getatt no dot":    "A: !GetAtt Queue\n",
		"duplicate key":    "A: 1\nA: 2\n",
		"not a mapping":    "- a\n- b\n",
		"broken yaml":      "A: [1, 2\n",
		"condition as seq": "A: !Condition [x]\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(src)); err == nil {
				t.Fatalf("Parse(%q) succeeded, want error", src)
			}
		})
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	tpl, err := Parse([]byte("base: &b {x: 1, y: !Ref Y}\nderived:\n  <<: *b\n  x: 2\nalias: *b\n"))
	if err != nil {
		t.Fatal(err)
	}
	doc := tpl.Document()
	want := map[string]any{"x": 2, "y": map[string]any{"Ref": "Y"}}
	if !reflect.DeepEqual(doc["derived"], want) {
		t.Errorf("derived = %#v, want %#v", doc["derived"], want)
	}
	if !reflect.DeepEqual(doc["alias"], doc["base"]) {
		t.Errorf("alias = %#v, want base %#v", doc["alias"], doc["base"])
	}
}

func TestFunctionDir(t *testing.T) {
	cases := map[string]string{
		"OrdersFunction":             "functions/orders",
		"EscalationConsumerFunction": "functions/escalation-consumer",
		"EscalationRelayFunction":    "functions/escalation-relay",
		"SQSRelayFunction":           "functions/sqs-relay",
		"Metrics2Function":           "functions/metrics2",
		"V2OrdersFunction":           "functions/v2-orders",
	}
	for id, want := range cases {
		if got := FunctionDir(id); got != want {
			t.Errorf("FunctionDir(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestTablesFromProjectTemplate(t *testing.T) {
	tables, err := loadProject(t).Tables()
	if err != nil {
		t.Fatal(err)
	}
	support, ok := tables["SupportTable"]
	if !ok {
		t.Fatalf("SupportTable missing; got %v", sortedKeys(tables))
	}
	in := support.Input
	if aws.ToString(in.TableName) != "SupportTable" || in.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("SupportTable name/billing = %q/%q", aws.ToString(in.TableName), in.BillingMode)
	}
	if got := keyNames(in.KeySchema); got != "PK:HASH,SK:RANGE" {
		t.Errorf("SupportTable key schema = %s", got)
	}
	if len(in.AttributeDefinitions) != 6 {
		t.Errorf("SupportTable attribute definitions = %d, want 6", len(in.AttributeDefinitions))
	}
	for _, a := range in.AttributeDefinitions {
		if a.AttributeType != types.ScalarAttributeTypeS {
			t.Errorf("attribute %s type %s, want S", aws.ToString(a.AttributeName), a.AttributeType)
		}
	}
	if len(in.GlobalSecondaryIndexes) != 2 {
		t.Fatalf("SupportTable GSIs = %d, want 2", len(in.GlobalSecondaryIndexes))
	}
	gsi := in.GlobalSecondaryIndexes[0]
	if aws.ToString(gsi.IndexName) != "GSI1" || keyNames(gsi.KeySchema) != "GSI1PK:HASH,GSI1SK:RANGE" ||
		gsi.Projection.ProjectionType != types.ProjectionTypeAll || gsi.ProvisionedThroughput != nil {
		t.Errorf("GSI1 = %s %s %s", aws.ToString(gsi.IndexName), keyNames(gsi.KeySchema), gsi.Projection.ProjectionType)
	}
	// GSI2: the overloaded queue index, projecting only what queue pages show.
	gsi = in.GlobalSecondaryIndexes[1]
	if aws.ToString(gsi.IndexName) != "GSI2" || keyNames(gsi.KeySchema) != "GSI2PK:HASH,GSI2SK:RANGE" ||
		gsi.Projection.ProjectionType != types.ProjectionTypeInclude || !slices.Contains(gsi.Projection.NonKeyAttributes, "firstResponseDueAt") ||
		slices.Contains(gsi.Projection.NonKeyAttributes, "description") {
		t.Errorf("GSI2 = %s %s %s %v", aws.ToString(gsi.IndexName), keyNames(gsi.KeySchema), gsi.Projection.ProjectionType, gsi.Projection.NonKeyAttributes)
	}
	if in.ProvisionedThroughput != nil || in.DeletionProtectionEnabled != nil {
		t.Errorf("SupportTable input carries provisioned throughput or deletion protection")
	}
	if support.TTLAttribute != "expiresAt" { // inbox items and their unread counters
		t.Errorf("SupportTable TTL = %q, want expiresAt", support.TTLAttribute)
	}

	idem, ok := tables["IdempotencyTable"]
	if !ok {
		t.Fatal("IdempotencyTable missing")
	}
	if idem.TTLAttribute != "expiresAt" || keyNames(idem.Input.KeySchema) != "PK:HASH" || len(idem.Input.GlobalSecondaryIndexes) != 0 {
		t.Errorf("IdempotencyTable = ttl %q keys %s", idem.TTLAttribute, keyNames(idem.Input.KeySchema))
	}

	// Each call builds fresh inputs, so one caller renaming a table cannot affect another.
	again, _ := loadProject(t).Tables()
	support.Input.TableName = aws.String("changed")
	if aws.ToString(again["SupportTable"].Input.TableName) != "SupportTable" {
		t.Error("Tables shares inputs between calls")
	}
}

func keyNames(ks []types.KeySchemaElement) string {
	var parts []string
	for _, k := range ks {
		parts = append(parts, aws.ToString(k.AttributeName)+":"+string(k.KeyType))
	}
	return strings.Join(parts, ",")
}

func TestQueuesFromProjectTemplate(t *testing.T) {
	queues, err := loadProject(t).Queues()
	if err != nil {
		t.Fatal(err)
	}
	q, ok := queues["EscalationQueue"]
	if !ok {
		t.Fatalf("EscalationQueue missing; got %v", sortedKeys(queues))
	}
	want := Queue{
		LogicalID: "EscalationQueue", VisibilityTimeout: 60, MessageRetentionPeriod: 345600,
		RedrivePolicy: &RedrivePolicy{DeadLetterTargetLogicalID: "EscalationDeadLetterQueue", MaxReceiveCount: 5},
	}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("EscalationQueue = %+v (redrive %+v), want %+v", q, q.RedrivePolicy, want)
	}
	for _, id := range []string{"EscalationDeadLetterQueue", "CustomerEventsDeadLetterQueue"} {
		dlq, ok := queues[id]
		if !ok || dlq.MessageRetentionPeriod != 1209600 || dlq.VisibilityTimeout != DefaultVisibilityTimeout || dlq.RedrivePolicy != nil || dlq.FifoQueue {
			t.Errorf("%s = %+v (found %v)", id, dlq, ok)
		}
	}
}

func TestQueuesRejectsDanglingDeadLetterTarget(t *testing.T) {
	tpl, err := Parse([]byte(`
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Missing.Arn, maxReceiveCount: 3}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Queues(); err == nil || !strings.Contains(err.Error(), "Missing") {
		t.Fatalf("Queues() error = %v, want one naming the missing dead-letter queue", err)
	}
}

func TestFunctionsFromProjectTemplate(t *testing.T) {
	fns, err := loadProject(t).Functions()
	if err != nil {
		t.Fatal(err)
	}
	orders, ok := fns["OrdersFunction"]
	if !ok {
		t.Fatalf("OrdersFunction missing; got %v", sortedKeys(fns))
	}
	if orders.Dir != "functions/orders" || orders.CodeURI != "." || orders.BuildMethod != "makefile" {
		t.Errorf("OrdersFunction dir/codeuri/build = %q/%q/%q", orders.Dir, orders.CodeURI, orders.BuildMethod)
	}
	if orders.Runtime != "provided.al2023" || orders.Handler != "bootstrap" || !reflect.DeepEqual(orders.Architectures, []string{"arm64"}) {
		t.Errorf("OrdersFunction globals not applied: %+v", orders)
	}
	if orders.Timeout != 10 || orders.MemorySize != 256 {
		t.Errorf("OrdersFunction timeout/memory = %d/%d, want 10/256", orders.Timeout, orders.MemorySize)
	}
	if !reflect.DeepEqual(orders.Environment["TABLE_NAME"], map[string]any{"Ref": "SupportTable"}) {
		t.Errorf("TABLE_NAME = %#v", orders.Environment["TABLE_NAME"])
	}
	if _, ok := orders.Environment["IDEMPOTENCY_TABLE_NAME"]; !ok {
		t.Error("IDEMPOTENCY_TABLE_NAME missing from merged environment")
	}
	if ev := orders.Events["GetOrder"]; ev.Type != "Api" || ev.Properties["Path"] != "/orders/{orderId}" {
		t.Errorf("GetOrder event = %+v", ev)
	}
}

func TestFunctionEnvironmentOverridesGlobals(t *testing.T) {
	tpl, err := Parse([]byte(`
Globals:
  Function:
    Timeout: 10
    Environment: {Variables: {A: global, B: global}}
Resources:
  ThingFunction:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Environment: {Variables: {B: own, C: !GetAtt Q.QueueUrl}}
`))
	if err != nil {
		t.Fatal(err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	f := fns["ThingFunction"]
	want := map[string]any{"A": "global", "B": "own", "C": map[string]any{"Fn::GetAtt": []any{"Q", "QueueUrl"}}}
	if !reflect.DeepEqual(f.Environment, want) || f.Timeout != 30 || f.MemorySize != DefaultMemorySize || f.Dir != "functions/thing" {
		t.Errorf("ThingFunction = %+v", f)
	}
}

func TestReservedConcurrency(t *testing.T) {
	tpl, err := Parse([]byte(`
Globals:
  Function:
    ReservedConcurrentExecutions: 20
Resources:
  GlobalFunction:
    Type: AWS::Serverless::Function
  OwnFunction:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: "5"
`))
	if err != nil {
		t.Fatal(err)
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	if f := fns["GlobalFunction"]; !f.HasReservedConcurrency || f.ReservedConcurrency != 20 {
		t.Errorf("GlobalFunction reserved = %v %d, want 20 from Globals", f.HasReservedConcurrency, f.ReservedConcurrency)
	}
	if f := fns["OwnFunction"]; !f.HasReservedConcurrency || f.ReservedConcurrency != 5 {
		t.Errorf("OwnFunction reserved = %v %d, want its own 5", f.HasReservedConcurrency, f.ReservedConcurrency)
	}
	none, err := Parse([]byte("Resources:\n  AFunction:\n    Type: AWS::Serverless::Function\n"))
	if err != nil {
		t.Fatal(err)
	}
	fns, err = none.Functions()
	if err != nil {
		t.Fatal(err)
	}
	if f := fns["AFunction"]; f.HasReservedConcurrency {
		t.Errorf("AFunction has reserved concurrency %d without setting it", f.ReservedConcurrency)
	}
	bad, err := Parse([]byte("Resources:\n  AFunction:\n    Type: AWS::Serverless::Function\n    Properties: {ReservedConcurrentExecutions: -1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Functions(); err == nil {
		t.Error("negative ReservedConcurrentExecutions accepted")
	}
}

func TestAPIRoutesFromProjectTemplate(t *testing.T) {
	routes, err := loadProject(t).APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Route{}
	for _, r := range routes {
		byKey[r.Method+" "+r.Path] = r
	}
	want := []Route{
		{Method: "GET", Path: "/orders", RestAPILogicalID: "SupportApi", FunctionLogicalID: "OrdersFunction", EventName: "ListOrders", Auth: AuthCognito, Authorizer: "CustomerAuthorizer"},
		{Method: "GET", Path: "/orders/{orderId}", RestAPILogicalID: "SupportApi", FunctionLogicalID: "OrdersFunction", EventName: "GetOrder", Auth: AuthCognito, Authorizer: "CustomerAuthorizer"},
		{Method: "POST", Path: "/orders/lookup", RestAPILogicalID: "SupportApi", FunctionLogicalID: "OrdersFunction", EventName: "GuestLookup", Auth: AuthNone},
		{Method: "GET", Path: "/ops/orders/{orderId}", RestAPILogicalID: "SupportApi", FunctionLogicalID: "OrdersFunction", EventName: "OpsGetOrder", Auth: AuthIAM},
		{Method: "PUT", Path: "/ops/orders/{orderId}", RestAPILogicalID: "SupportApi", FunctionLogicalID: "OrdersFunction", EventName: "OpsUpsertOrder", Auth: AuthIAM},
	}
	for _, w := range want {
		if got := byKey[w.Method+" "+w.Path]; got != w {
			t.Errorf("route %s %s = %+v, want %+v", w.Method, w.Path, got, w)
		}
	}
	for _, r := range routes {
		if strings.HasPrefix(r.Path, "/ops/") && r.Auth != AuthIAM {
			t.Errorf("ops route %s %s has auth %s, want iam", r.Method, r.Path, r.Auth)
		}
	}
	for i := 1; i < len(routes); i++ {
		if routes[i-1].Path > routes[i].Path {
			t.Errorf("routes not sorted by path: %s before %s", routes[i-1].Path, routes[i].Path)
		}
	}
}

func TestAPIRoutesAuthResolution(t *testing.T) {
	src := `
Globals:
  Api:
    Auth: {DefaultAuthorizer: AWS_IAM}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool: {UserPoolArn: arn}
          Custom: {FunctionArn: arn}
  OpenApi:
    Type: AWS::Serverless::Api
    Properties: {StageName: v1}
  AFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Default: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
        Iam: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: delete, Auth: {Authorizer: AWS_IAM}}}
        Implicit: {Type: Api, Properties: {Path: /implicit, Method: any}}
        Open: {Type: Api, Properties: {RestApiId: !Ref OpenApi, Path: /open, Method: post}}
        Queue: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
`
	tpl, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range routes {
		got[r.Method+" "+r.Path] = r.Auth
	}
	// OpenApi has no Auth of its own, so Globals.Api's default (AWS_IAM) applies, as in SAM.
	want := map[string]string{"GET /a": AuthCognito, "DELETE /a": AuthIAM, "ANY /implicit": AuthIAM, "POST /open": AuthIAM}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("auth = %v, want %v", got, want)
	}

	for name, broken := range map[string]string{
		"lambda authorizer":  strings.Replace(src, "Path: /a, Method: get}", "Path: /a, Method: get, Auth: {Authorizer: Custom}}", 1),
		"unknown authorizer": strings.Replace(src, "Path: /a, Method: get}", "Path: /a, Method: get, Auth: {Authorizer: Nope}}", 1),
		"unknown api":        strings.Replace(src, "RestApiId: !Ref OpenApi", "RestApiId: !Ref Missing", 1),
		"duplicate route":    strings.Replace(src, "Path: /a, Method: delete", "Path: /a, Method: GET", 1),
	} {
		tpl, err := Parse([]byte(broken))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tpl.APIRoutes(); err == nil {
			t.Errorf("%s: APIRoutes succeeded, want error", name)
		}
	}
}

func TestSQSEventSourcesAndSchedules(t *testing.T) {
	tpl, err := Parse([]byte(`
Resources:
  ConsumerFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Escalations:
          Type: SQS
          Properties:
            Queue: !GetAtt EscalationQueue.Arn
            BatchSize: 5
            MaximumBatchingWindowInSeconds: 2
            FunctionResponseTypes: [ReportBatchItemFailures]
        Plain:
          Type: SQS
          Properties: {Queue: !GetAtt Other.Arn, Enabled: false}
  RelayFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Sweep: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}
        Nightly: {Type: ScheduleV2, Properties: {ScheduleExpression: "cron(0 17 * * ? *)", State: DISABLED}}
`))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := tpl.SQSEventSources()
	if err != nil {
		t.Fatal(err)
	}
	wantSrcs := []SQSEventSource{
		{FunctionLogicalID: "ConsumerFunction", EventName: "Escalations", QueueLogicalID: "EscalationQueue", BatchSize: 5, ReportBatchItemFailures: true, MaximumBatchingWindowInSeconds: 2, Enabled: true},
		{FunctionLogicalID: "ConsumerFunction", EventName: "Plain", QueueLogicalID: "Other", BatchSize: 10},
	}
	if !reflect.DeepEqual(srcs, wantSrcs) {
		t.Errorf("SQSEventSources = %+v, want %+v", srcs, wantSrcs)
	}
	scheds, err := tpl.Schedules()
	if err != nil {
		t.Fatal(err)
	}
	wantScheds := []Schedule{
		{FunctionLogicalID: "RelayFunction", EventName: "Nightly", Expression: "cron(0 17 * * ? *)"},
		{FunctionLogicalID: "RelayFunction", EventName: "Sweep", Expression: "rate(1 minute)", Rate: time.Minute, Enabled: true},
	}
	if !reflect.DeepEqual(scheds, wantScheds) {
		t.Errorf("Schedules = %+v, want %+v", scheds, wantScheds)
	}
}

func TestProjectTemplateEventSourcesPointAtTemplateResources(t *testing.T) {
	tpl := loadProject(t)
	srcs, err := tpl.SQSEventSources()
	if err != nil {
		t.Fatal(err)
	}
	queues, err := tpl.Queues()
	if err != nil {
		t.Fatal(err)
	}
	fns, _ := tpl.Functions()
	for _, s := range srcs {
		if _, ok := queues[s.QueueLogicalID]; !ok {
			t.Errorf("%s.%s reads %s, which is not a queue in the template", s.FunctionLogicalID, s.EventName, s.QueueLogicalID)
		}
		if timeout := fns[s.FunctionLogicalID].Timeout; queues[s.QueueLogicalID].VisibilityTimeout < timeout {
			t.Errorf("%s visibility timeout %ds is shorter than %s's timeout %ds", s.QueueLogicalID, queues[s.QueueLogicalID].VisibilityTimeout, s.FunctionLogicalID, timeout)
		}
	}
	if _, err := tpl.Schedules(); err != nil {
		t.Fatal(err)
	}
}

func TestTopics(t *testing.T) {
	tpl, err := Parse([]byte("Resources:\n  B: {Type: AWS::SNS::Topic}\n  A: {Type: AWS::SNS::Topic}\n  Q: {Type: AWS::SQS::Queue}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := tpl.Topics(); !reflect.DeepEqual(got, []string{"A", "B"}) {
		t.Errorf("Topics = %v, want [A B]", got)
	}
	for _, id := range loadProject(t).Topics() {
		if id == "" {
			t.Error("empty topic id")
		}
	}
}

func TestResolve(t *testing.T) {
	tpl, err := Parse([]byte(`
Parameters:
  Stage: {Type: String, Default: v1}
  NoDefault: {Type: String}
Mappings:
  Limits: {ap-southeast-3: {Max: 50}}
Values:
  table: !Ref SupportTable
  stage: !Ref Stage
  url: !GetAtt EscalationQueue.QueueUrl
  sub: !Sub "${SupportTable.Arn}/index/${Index}-${Stage}-${!Literal}"
  subVars: !Sub ["${A}:${AWS::Region}", {A: !Ref Stage}]
  join: !Join ["-", [a, !Ref Stage, 3]]
  select: !Select [1, !Split [",", "x,y,z"]]
  map: !FindInMap [Limits, !Ref "AWS::Region", Max]
  missing: !Ref NoDefault
  unsupported: !If [C, a, b]
`))
	if err != nil {
		t.Fatal(err)
	}
	names := Names{
		Refs:  map[string]string{"SupportTable": "t-support", "Index": "GSI1", "AWS::Region": "ap-southeast-3"},
		Attrs: map[string]string{"SupportTable.Arn": "arn:t", "EscalationQueue.QueueUrl": "http://q"},
	}
	vals := asMap(tpl.Document()["Values"])
	want := map[string]string{
		"table":   "t-support",
		"stage":   "v1",
		"url":     "http://q",
		"sub":     "arn:t/index/GSI1-v1-${Literal}",
		"subVars": "v1:ap-southeast-3",
		"join":    "a-v1-3",
		"select":  "y",
		"map":     "50",
	}
	for key, w := range want {
		got, err := tpl.Resolve(vals[key], names)
		if err != nil || got != w {
			t.Errorf("Resolve(%s) = %q, %v; want %q", key, got, err, w)
		}
	}
	for _, key := range []string{"missing", "unsupported"} {
		if got, err := tpl.Resolve(vals[key], names); err == nil {
			t.Errorf("Resolve(%s) = %q, want error", key, got)
		}
	}
}
