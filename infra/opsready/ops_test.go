package opsready

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/metrics"
)

type doc map[string]any

func load(t *testing.T) (*samtemplate.Template, doc) {
	t.Helper()
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	return tpl, doc(tpl.Document())
}

func m(v any) map[string]any { x, _ := v.(map[string]any); return x }
func s(v any) []any          { x, _ := v.([]any); return x }

// ref returns X for {"Ref": X}.
func ref(v any) string { r, _ := m(v)["Ref"].(string); return r }

// getAtt returns (X, Y) for {"Fn::GetAtt": [X, Y]}.
func getAtt(v any) (string, string) {
	a := s(m(v)["Fn::GetAtt"])
	if len(a) != 2 {
		return "", ""
	}
	r, _ := a[0].(string)
	attr, _ := a[1].(string)
	return r, attr
}

func resourcesOfType(d doc, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range m(d["Resources"]) {
		if m(r)["Type"] == typ {
			out[id] = m(r)
		}
	}
	return out
}

func sortedIDs[V any](mp map[string]V) []string {
	ids := make([]string, 0, len(mp))
	for id := range mp {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func num(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case string:
		var f float64
		_, _ = fmt.Sscan(x, &f)
		return f
	}
	return -1
}

// Properties CloudFormation accepts on AWS::CloudWatch::Alarm (the SAM schema checks other resource types only
// loosely), and the values its enumerations take.
var (
	alarmProperties = []string{"ActionsEnabled", "AlarmActions", "AlarmDescription", "AlarmName", "ComparisonOperator",
		"DatapointsToAlarm", "Dimensions", "EvaluateLowSampleCountPercentile", "EvaluationPeriods", "ExtendedStatistic",
		"InsufficientDataActions", "MetricName", "Metrics", "Namespace", "OKActions", "Period", "Statistic", "Tags",
		"Threshold", "ThresholdMetricId", "TreatMissingData", "Unit"}
	comparisonOperators = []string{"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
		"LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"}
	statistics   = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}
	missingData  = []string{"breaching", "notBreaching", "ignore", "missing"}
	metricQueryK = []string{"AccountId", "Expression", "Id", "Label", "MetricStat", "Period", "ReturnData"}
)

// alarm is an AWS::CloudWatch::Alarm reduced to what the tests compare.
type alarm struct {
	ID         string
	Namespace  string
	Metric     string
	Dimensions map[string]any // name -> value (long form)
	Props      map[string]any
}

func alarms(d doc) []alarm {
	var out []alarm
	for _, id := range sortedIDs(resourcesOfType(d, "AWS::CloudWatch::Alarm")) {
		p := m(resourcesOfType(d, "AWS::CloudWatch::Alarm")[id]["Properties"])
		a := alarm{ID: id, Props: p, Dimensions: map[string]any{}}
		a.Namespace, _ = p["Namespace"].(string)
		a.Metric, _ = p["MetricName"].(string)
		for _, dim := range s(p["Dimensions"]) {
			name, _ := m(dim)["Name"].(string)
			a.Dimensions[name] = m(dim)["Value"]
		}
		out = append(out, a)
	}
	return out
}

func find(as []alarm, ns, metric string, match func(alarm) bool) []alarm {
	var out []alarm
	for _, a := range as {
		if a.Namespace == ns && a.Metric == metric && match(a) {
			out = append(out, a)
		}
	}
	return out
}

func TestEveryAlarmIsWellFormedAndNotifies(t *testing.T) {
	_, d := load(t)
	as := alarms(d)
	if len(as) == 0 {
		t.Fatal("no alarms in template.yaml")
	}
	for _, a := range as {
		for k := range a.Props {
			if !slices.Contains(alarmProperties, k) {
				t.Errorf("%s: %s is not an AWS::CloudWatch::Alarm property", a.ID, k)
			}
		}
		if _, named := a.Props["AlarmName"]; named {
			t.Errorf("%s: leave AlarmName unset so that two stacks in one account do not collide", a.ID)
		}
		if op, _ := a.Props["ComparisonOperator"].(string); !slices.Contains(comparisonOperators, op) {
			t.Errorf("%s: ComparisonOperator %q", a.ID, op)
		}
		if tmd, _ := a.Props["TreatMissingData"].(string); !slices.Contains(missingData, tmd) {
			t.Errorf("%s: TreatMissingData %q (set it: the default treats a quiet metric as missing)", a.ID, tmd)
		}
		if a.Props["AlarmDescription"] == nil {
			t.Errorf("%s: no AlarmDescription telling ops what to check", a.ID)
		}
		if num(a.Props["EvaluationPeriods"]) < 1 || a.Props["Threshold"] == nil {
			t.Errorf("%s: EvaluationPeriods/Threshold missing", a.ID)
		}
		_, single := a.Props["MetricName"]
		_, math := a.Props["Metrics"]
		switch {
		case single == math:
			t.Errorf("%s: want exactly one of MetricName and Metrics", a.ID)
		case single:
			if st, _ := a.Props["Statistic"].(string); !slices.Contains(statistics, st) || num(a.Props["Period"]) < 60 {
				t.Errorf("%s: Statistic %v / Period %v", a.ID, a.Props["Statistic"], a.Props["Period"])
			}
		case math:
			returned := 0
			for _, q := range s(a.Props["Metrics"]) {
				for k := range m(q) {
					if !slices.Contains(metricQueryK, k) {
						t.Errorf("%s: metric query property %s", a.ID, k)
					}
				}
				if m(q)["ReturnData"] != false {
					returned++
				}
			}
			if returned != 1 {
				t.Errorf("%s: %d metric queries return data, want exactly 1", a.ID, returned)
			}
		}
		for _, key := range []string{"AlarmActions", "OKActions"} {
			if acts := s(a.Props[key]); len(acts) != 1 || ref(acts[0]) != "AlarmTopic" {
				t.Errorf("%s: %s = %v, want [!Ref AlarmTopic]", a.ID, key, a.Props[key])
			}
		}
	}
	if len(resourcesOfType(d, "AWS::SNS::Topic")["AlarmTopic"]) == 0 {
		t.Fatal("no AlarmTopic")
	}
}

func TestEveryFunctionHasErrorAndThrottleAlarms(t *testing.T) {
	_, d := load(t)
	as := alarms(d)
	fns := resourcesOfType(d, "AWS::Serverless::Function")
	if len(fns) == 0 {
		t.Fatal("no functions")
	}
	for _, fn := range sortedIDs(fns) {
		for _, metric := range []string{"Errors", "Throttles"} {
			got := find(as, "AWS/Lambda", metric, func(a alarm) bool { return ref(a.Dimensions["FunctionName"]) == fn })
			if len(got) != 1 {
				t.Errorf("%s: %d AWS/Lambda %s alarms, want 1", fn, len(got), metric)
				continue
			}
			if got[0].Props["Statistic"] != "Sum" || num(got[0].Props["Threshold"]) != 1 {
				t.Errorf("%s: want Sum >= 1", got[0].ID)
			}
		}
	}
}

func TestAPI5xxRateAlarm(t *testing.T) {
	_, d := load(t)
	api := m(resourcesOfType(d, "AWS::Serverless::Api")["SupportApi"]["Properties"])
	apiName := api["Name"]
	if apiName == nil {
		t.Fatal("SupportApi has no Name: its metrics (dimension ApiName) would carry a generated one")
	}
	var found int
	for _, a := range alarms(d) {
		byMetric := map[string]map[string]any{}
		var expr string
		for _, q := range s(a.Props["Metrics"]) {
			q := m(q)
			if e, ok := q["Expression"].(string); ok {
				expr = e
				continue
			}
			metric := m(m(q["MetricStat"])["Metric"])
			if metric["Namespace"] != "AWS/ApiGateway" {
				continue
			}
			name, _ := metric["MetricName"].(string)
			byMetric[name] = q
			dims := map[string]any{}
			for _, dim := range s(metric["Dimensions"]) {
				dims[m(dim)["Name"].(string)] = m(dim)["Value"]
			}
			if !reflect.DeepEqual(dims["ApiName"], apiName) || ref(dims["Stage"]) != "StageName" {
				t.Errorf("%s: %s dimensions %v, want ApiName %v and Stage !Ref StageName", a.ID, name, dims, apiName)
			}
		}
		if byMetric["5XXError"] == nil {
			continue
		}
		found++
		if byMetric["Count"] == nil || !strings.Contains(expr, "/") {
			t.Errorf("%s: want a rate, 5XXError / Count, got expression %q", a.ID, expr)
		}
		if num(a.Props["Threshold"]) != 1 || a.Props["ComparisonOperator"] != "GreaterThanThreshold" {
			t.Errorf("%s: want rate > 1 (%%)", a.ID)
		}
	}
	if found != 1 {
		t.Fatalf("%d API 5XX rate alarms, want 1", found)
	}
}

func TestEscalationQueueAlarms(t *testing.T) {
	_, d := load(t)
	as := alarms(d)
	onQueue := func(q string) func(alarm) bool {
		return func(a alarm) bool { r, attr := getAtt(a.Dimensions["QueueName"]); return r == q && attr == "QueueName" }
	}
	if got := find(as, "AWS/SQS", "ApproximateNumberOfMessagesVisible", onQueue("EscalationDeadLetterQueue")); len(got) != 1 {
		t.Errorf("%d dead-letter depth alarms, want 1", len(got))
	}
	age := find(as, "AWS/SQS", "ApproximateAgeOfOldestMessage", onQueue("EscalationQueue"))
	if len(age) != 1 {
		t.Fatalf("%d oldest-message-age alarms on EscalationQueue, want 1", len(age))
	}
	if age[0].Props["Statistic"] != "Maximum" {
		t.Errorf("%s: want Maximum", age[0].ID)
	}
}

// What SNS cannot deliver to a CustomerEventsTopic subscriber goes to CustomerEventsDeadLetterQueue: kept
// 14 days, encrypted, writable only by SNS for that topic, alarmed on its first message, its ARN an output
// for the subscriptions' RedrivePolicy.
func TestCustomerEventsDeadLetterQueue(t *testing.T) {
	_, d := load(t)
	const id = "CustomerEventsDeadLetterQueue"
	q := m(resourcesOfType(d, "AWS::SQS::Queue")[id]["Properties"])
	if q == nil {
		t.Fatalf("no %s", id)
	}
	if num(q["MessageRetentionPeriod"]) != 1209600 || q["SqsManagedSseEnabled"] != true || q["RedrivePolicy"] != nil {
		t.Errorf("%s properties %v: want 14 days, SSE, no redrive of its own", id, q)
	}

	policies := 0
	for pid, r := range resourcesOfType(d, "AWS::SQS::QueuePolicy") {
		p := m(r["Properties"])
		queues := s(p["Queues"])
		if len(queues) != 1 || ref(queues[0]) != id {
			continue
		}
		policies++
		stmts := s(m(p["PolicyDocument"])["Statement"])
		if len(stmts) != 1 {
			t.Fatalf("%s: %d statements, want 1", pid, len(stmts))
		}
		st := m(stmts[0])
		res, attr := getAtt(st["Resource"])
		source := m(m(st["Condition"])["ArnEquals"])["aws:SourceArn"]
		if st["Effect"] != "Allow" || m(st["Principal"])["Service"] != "sns.amazonaws.com" || len(m(st["Principal"])) != 1 ||
			st["Action"] != "sqs:SendMessage" || res != id || attr != "Arn" || ref(source) != "CustomerEventsTopic" ||
			len(m(st["Condition"])) != 1 || len(m(m(st["Condition"])["ArnEquals"])) != 1 {
			t.Errorf("%s: statement %v; want SNS to send only for CustomerEventsTopic (aws:SourceArn)", pid, st)
		}
	}
	if policies != 1 {
		t.Errorf("%d queue policies on %s, want 1", policies, id)
	}

	depth := find(alarms(d), "AWS/SQS", "ApproximateNumberOfMessagesVisible", func(a alarm) bool {
		r, attr := getAtt(a.Dimensions["QueueName"])
		return r == id && attr == "QueueName"
	})
	if len(depth) != 1 || num(depth[0].Props["Threshold"]) != 1 || depth[0].Props["ComparisonOperator"] != "GreaterThanOrEqualToThreshold" {
		t.Errorf("depth alarms on %s: %+v; want one, on the first message", id, depth)
	}

	out := m(m(d["Outputs"])["CustomerEventsDeadLetterQueueArn"])
	if r, attr := getAtt(out["Value"]); r != id || attr != "Arn" {
		t.Errorf("output CustomerEventsDeadLetterQueueArn = %v", out)
	}
}

// Every queue is encrypted at rest.
func TestEveryQueueIsEncrypted(t *testing.T) {
	_, d := load(t)
	for id, r := range resourcesOfType(d, "AWS::SQS::Queue") {
		p := m(r["Properties"])
		if p["SqsManagedSseEnabled"] != true && p["KmsMasterKeyId"] == nil {
			t.Errorf("%s is not encrypted (SqsManagedSseEnabled or KmsMasterKeyId)", id)
		}
	}
}

// CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key alias/aws/sns.
func TestAlarmTopicAcceptsAlarmNotifications(t *testing.T) {
	_, d := load(t)
	topic := m(resourcesOfType(d, "AWS::SNS::Topic")["AlarmTopic"]["Properties"])
	key := topic["KmsMasterKeyId"]
	if key == nil {
		return
	}
	keyID := ref(key)
	if keyID == "" {
		t.Fatalf("AlarmTopic KmsMasterKeyId %v: want !Ref to a customer managed key (alias/aws/sns blocks CloudWatch)", key)
	}
	policy := m(m(resourcesOfType(d, "AWS::KMS::Key")[keyID]["Properties"])["KeyPolicy"])
	for _, st := range s(policy["Statement"]) {
		st := m(st)
		if m(st["Principal"])["Service"] == "cloudwatch.amazonaws.com" && st["Effect"] == "Allow" {
			acts := fmt.Sprint(st["Action"])
			if strings.Contains(acts, "kms:Decrypt") && strings.Contains(acts, "kms:GenerateDataKey") {
				return
			}
		}
	}
	t.Fatalf("key %s does not let cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*)", keyID)
}

func TestEmailSubscriptionIsOptional(t *testing.T) {
	tpl, d := load(t)
	p, ok := tpl.Parameters()["AlarmEmail"]
	if !ok || !p.HasDefault || p.Default != "" {
		t.Fatalf("AlarmEmail parameter %+v: want an optional (empty default) parameter", p)
	}
	var subs int
	for id, r := range resourcesOfType(d, "AWS::SNS::Subscription") {
		props := m(r["Properties"])
		if ref(props["TopicArn"]) == "AlarmTopic" {
			subs++
			if r["Condition"] == nil || ref(props["Endpoint"]) != "AlarmEmail" || props["Protocol"] != "email" {
				t.Errorf("%s: want a conditional email subscription to !Ref AlarmEmail", id)
			}
		}
	}
	if subs != 1 {
		t.Fatalf("%d subscriptions to AlarmTopic, want 1", subs)
	}
}

func TestEveryLogGroupHasRetentionAndEveryLogGoesToOne(t *testing.T) {
	_, d := load(t)
	groups := resourcesOfType(d, "AWS::Logs::LogGroup")
	for _, id := range sortedIDs(groups) {
		p := m(groups[id]["Properties"])
		if p["RetentionInDays"] == nil {
			t.Errorf("%s: no RetentionInDays", id)
		}
		if p["LogGroupName"] == nil {
			t.Errorf("%s: no LogGroupName (ops look groups up by name)", id)
		}
	}
	used := map[string]string{}
	for _, fn := range sortedIDs(resourcesOfType(d, "AWS::Serverless::Function")) {
		p := m(resourcesOfType(d, "AWS::Serverless::Function")[fn]["Properties"])
		// Lambda's own /aws/lambda/<name> group would be created on first use, without retention.
		g := ref(m(p["LoggingConfig"])["LogGroup"])
		if groups[g] == nil {
			t.Errorf("%s: LoggingConfig.LogGroup %v is not a log group of this template", fn, m(p["LoggingConfig"])["LogGroup"])
			continue
		}
		if other, dup := used[g]; dup {
			t.Errorf("%s and %s share log group %s", other, fn, g)
		}
		used[g] = fn
	}
	api := m(resourcesOfType(d, "AWS::Serverless::Api")["SupportApi"]["Properties"])
	access := m(api["AccessLogSetting"])
	if g, attr := getAtt(access["DestinationArn"]); groups[g] == nil || attr != "Arn" {
		t.Errorf("SupportApi access logs go to %v, want !GetAtt <LogGroup>.Arn", access["DestinationArn"])
	}
	var format map[string]string
	if err := json.Unmarshal([]byte(fmt.Sprint(access["Format"])), &format); err != nil {
		t.Errorf("access log format is not one JSON object: %v", err)
	}
	if format["requestId"] != "$context.requestId" {
		t.Errorf("access log format lacks requestId: %v", format)
	}
	for k, v := range format {
		if strings.Contains(v, "sourceIp") || strings.Contains(v, "userAgent") || strings.Contains(v, "claims.email") {
			t.Errorf("access log field %s logs personal data (%s)", k, v)
		}
	}
	// Execution logs would copy request and response bodies (personal data) into CloudWatch.
	for _, ms := range s(api["MethodSettings"]) {
		if lvl := m(ms)["LoggingLevel"]; lvl != "OFF" || m(ms)["DataTraceEnabled"] == true {
			t.Errorf("SupportApi MethodSettings LoggingLevel %v / DataTraceEnabled %v: keep execution logs off", lvl, m(ms)["DataTraceEnabled"])
		}
	}
}

func TestTracingIsOn(t *testing.T) {
	_, d := load(t)
	g := m(d["Globals"])
	if m(g["Function"])["Tracing"] != "Active" {
		t.Error("Globals.Function.Tracing is not Active")
	}
	if m(g["Api"])["TracingEnabled"] != true {
		t.Error("Globals.Api.TracingEnabled is not true")
	}
	for id, r := range resourcesOfType(d, "AWS::Serverless::Function") {
		if tr, ok := m(r["Properties"])["Tracing"]; ok && tr != "Active" {
			t.Errorf("%s overrides Tracing with %v", id, tr)
		}
	}
}

var subVar = regexp.MustCompile(`\$\{([^}!]+)\}`)

// dashboard returns the dashboard body with every ${...} checked against the template and replaced by a
// placeholder naming it, parsed.
func dashboard(t *testing.T, d doc) map[string]any {
	t.Helper()
	dashes := resourcesOfType(d, "AWS::CloudWatch::Dashboard")
	if len(dashes) != 1 {
		t.Fatalf("%d dashboards, want 1", len(dashes))
	}
	var body string
	for _, r := range dashes {
		body, _ = m(m(r["Properties"])["DashboardBody"])["Fn::Sub"].(string)
	}
	if body == "" {
		t.Fatal("DashboardBody is not a !Sub string")
	}
	params := m(d["Parameters"])
	resources := m(d["Resources"])
	filled := subVar.ReplaceAllStringFunc(body, func(v string) string {
		name := subVar.FindStringSubmatch(v)[1]
		res, attr, hasAttr := strings.Cut(name, ".")
		switch {
		case strings.HasPrefix(name, "AWS::"):
		case hasAttr:
			if resources[res] == nil {
				t.Errorf("dashboard: ${%s} names no resource", name)
			}
			_ = attr
		case params[name] == nil && resources[name] == nil:
			t.Errorf("dashboard: ${%s} is neither a parameter nor a resource", name)
		}
		return "<" + name + ">"
	})
	var out map[string]any
	if err := json.Unmarshal([]byte(filled), &out); err != nil {
		t.Fatalf("DashboardBody is not JSON once substituted: %v", err)
	}
	return out
}

func TestDashboardShowsAPIFunctionsQueueAndBusinessMetrics(t *testing.T) {
	_, d := load(t)
	body := dashboard(t, d)
	widgets := s(body["widgets"])
	if len(widgets) == 0 {
		t.Fatal("dashboard has no widgets")
	}
	var metricText strings.Builder
	alarmWidget := map[string]bool{}
	for i, w := range widgets {
		w := m(w)
		x, width := num(w["x"]), num(w["width"])
		if x < 0 || width < 1 || x+width > 24 || num(w["height"]) < 1 {
			t.Errorf("widget %d: x %v width %v height %v outside the 24-column grid", i, w["x"], w["width"], w["height"])
		}
		p := m(w["properties"])
		switch w["type"] {
		case "metric":
			if p["region"] == nil || p["title"] == nil || len(s(p["metrics"])) == 0 {
				t.Errorf("widget %d (%v): metric widgets need region, title and metrics", i, p["title"])
			}
			enc := json.NewEncoder(&metricText)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(p["metrics"])
		case "alarm":
			for _, a := range s(p["alarms"]) {
				alarmWidget[fmt.Sprint(a)] = true
			}
		case "text":
		default:
			t.Errorf("widget %d: type %v", i, w["type"])
		}
	}
	shown := metricText.String()

	for _, want := range []string{`"AWS/ApiGateway","Count"`, `"AWS/ApiGateway","5XXError"`, `"AWS/ApiGateway","4XXError"`, `"AWS/ApiGateway","Latency"`,
		`"ApproximateAgeOfOldestMessage","QueueName","<EscalationQueue.QueueName>"`,
		`"ApproximateNumberOfMessagesVisible","QueueName","<EscalationQueue.QueueName>"`,
		`"ApproximateNumberOfMessagesVisible","QueueName","<EscalationDeadLetterQueue.QueueName>"`,
		`"ApproximateNumberOfMessagesVisible","QueueName","<CustomerEventsDeadLetterQueue.QueueName>"`} {
		if !strings.Contains(shown, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	for _, fn := range sortedIDs(resourcesOfType(d, "AWS::Serverless::Function")) {
		if n := strings.Count(shown, `"<`+fn+`>"`); n < 4 {
			t.Errorf("dashboard shows %s in %d function metrics, want invocations, errors, throttles and duration", fn, n)
		}
	}
	for _, name := range metrics.BusinessMetrics {
		if !strings.Contains(shown, `"`+metrics.Namespace+`","`+name+`"`) && !strings.Contains(shown, `MetricName=\"`+name+`\"`) {
			t.Errorf("dashboard does not show business metric %s/%s", metrics.Namespace, name)
		}
	}
	for _, id := range sortedIDs(resourcesOfType(d, "AWS::CloudWatch::Alarm")) {
		if !alarmWidget["<"+id+".Arn>"] {
			t.Errorf("alarm %s is missing from the dashboard's alarm widget", id)
		}
	}
}
