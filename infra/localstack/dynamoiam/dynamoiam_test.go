package dynamoiam

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

const (
	supportARN = "arn:aws:dynamodb:ap-southeast-3:000000000000:table/t-SupportTable"
	idemARN    = "arn:aws:dynamodb:ap-southeast-3:000000000000:table/t-IdempotencyTable"
)

func project(t *testing.T) (*samtemplate.Template, Tables, samtemplate.Names) {
	t.Helper()
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{"SupportTable": "t-SupportTable", "IdempotencyTable": "t-IdempotencyTable"}
	arns := map[string]string{"SupportTable": supportARN, "IdempotencyTable": idemARN}
	tables, err := TablesFromTemplate(tpl, names, arns)
	if err != nil {
		t.Fatal(err)
	}
	n := samtemplate.Names{Refs: map[string]string{}, Attrs: map[string]string{
		"SupportTable.Arn": supportARN, "IdempotencyTable.Arn": idemARN, "SupportTable.StreamArn": supportARN + "/stream/x",
		"EscalationQueue.QueueName": "q", "EscalationTopic.TopicName": "topic",
	}}
	for id, name := range names {
		n.Refs[id] = name
	}
	return tpl, tables, n
}

func policy(t *testing.T, fn string) (Policy, Tables) {
	t.Helper()
	tpl, tables, names := project(t)
	p, err := FromTemplate(tpl, fn, names)
	if err != nil {
		t.Fatal(err)
	}
	return p, tables
}

func s(v string) string { return `{"S":"` + v + `"}` }

func TestConditionOperators(t *testing.T) {
	cases := []struct {
		op        string
		want, got []string
		holds     bool
	}{
		{"ForAllValues:StringLike", []string{"ORDER#*"}, []string{"ORDER#1", "ORDER#2"}, true},
		{"ForAllValues:StringLike", []string{"ORDER#*"}, []string{"ORDER#1", "TICKET#2"}, false},
		{"ForAllValues:StringLike", []string{"ORDER#*"}, nil, true}, // IAM: an empty set satisfies ForAllValues
		{"ForAnyValue:StringEquals", []string{"TransactWriteItems"}, nil, false},
		{"ForAnyValue:StringEquals", []string{"TransactWriteItems"}, []string{"TransactWriteItems"}, true},
		{"StringEquals", []string{"a"}, []string{"a"}, true},
		{"StringLike", []string{"OUTBOX#PENDING"}, []string{"OUTBOX#PENDINGX"}, false},
		{"NumericLessThan", []string{"1"}, []string{"0"}, false}, // unsupported: never holds
	}
	for _, c := range cases {
		if got := conditionHolds(c.op, c.want, c.got); got != c.holds {
			t.Errorf("%s %v on %v = %v, want %v", c.op, c.want, c.got, got, c.holds)
		}
	}
	if !glob("arn:*:table/x/index/*", "arn:aws:table/x/index/GSI1", false) || glob("ORDER#*", "order#1", false) || !glob("dynamodb:getitem", "dynamodb:GetItem", true) {
		t.Error("glob")
	}
}

// The template's policies, as the proxy evaluates them, against the requests each function's code makes
// and a few it must not.
func TestProjectPoliciesOnRequests(t *testing.T) {
	returnTx := `{"TransactItems":[
		{"Put":{"TableName":"t-SupportTable","Item":{"PK":` + s("RETURN#RTN-1") + `,"SK":` + s("#RETURN") + `}}},
		{"Update":{"TableName":"t-SupportTable","Key":{"PK":` + s("ORDER#TGP-1") + `,"SK":` + s("LINE#L1") + `}}},
		{"Update":{"TableName":"t-SupportTable","Key":{"PK":` + s("METRICS#2026-12-01#2") + `,"SK":` + s("#COUNTERS") + `}}},
		{"Update":{"TableName":"t-IdempotencyTable","Key":{"PK":` + s("customer:cust-budi|k1") + `}}}]}`
	cases := []struct {
		fn, op, body string
		allowed      bool
	}{
		{"ReturnsFunction", "TransactWriteItems", returnTx, true},
		{"ReturnsFunction", "TransactWriteItems", strings.Replace(returnTx, `"Put":{"TableName":"t-SupportTable","Item":{"PK":{"S":"RETURN#`, `"Put":{"TableName":"t-SupportTable","Item":{"PK":{"S":"TICKET#`, 1), false},
		{"ReturnsFunction", "UpdateItem", `{"TableName":"t-SupportTable","Key":{"PK":` + s("ORDER#TGP-1") + `}}`, false}, // only in a transaction
		{"ReturnsFunction", "GetItem", `{"TableName":"t-SupportTable","Key":{"PK":` + s("RETURN#RTN-1") + `,"SK":` + s("#RETURN") + `}}`, true},
		{"ReturnsFunction", "GetItem", `{"TableName":"t-SupportTable","Key":{"PK":` + s("TICKET#TKT-1") + `}}`, false},
		{"ReturnsFunction", "Query", `{"TableName":"t-SupportTable","IndexName":"GSI1","KeyConditionExpression":"GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
			"ExpressionAttributeValues":{":pk":` + s("ORDER#TGP-1") + `,":prefix":` + s("RETURN#") + `}}`, true},
		{"ReturnsFunction", "Query", `{"TableName":"t-SupportTable","IndexName":"GSI1","KeyConditionExpression":"#p = :pk",
			"ExpressionAttributeNames":{"#p":"GSI1PK"},"ExpressionAttributeValues":{":pk":` + s("CUSTOMER#cust-budi") + `}}`, false},
		{"ReturnsFunction", "Scan", `{"TableName":"t-SupportTable"}`, false},
		{"ReturnsFunction", "PutItem", `{"TableName":"t-IdempotencyTable","Item":{"PK":` + s("operator:arn:aws:iam::1:user/dewi|k") + `}}`, true},
		{"ReturnsFunction", "PutItem", `{"TableName":"t-IdempotencyTable","Item":{"PK":` + s("guest:10.0.0.1|k") + `}}`, false},
		{"OrdersFunction", "Query", `{"TableName":"t-SupportTable","KeyConditionExpression":"PK = :pk AND SK <= :maxsk",
			"ExpressionAttributeValues":{":pk":` + s("ORDER#TGP-1") + `,":maxsk":` + s("LINE#~") + `}}`, true},
		{"OrdersFunction", "GetItem", `{"TableName":"t-SupportTable","Key":{"PK":` + s("ORDER#TGP-1") + `}}`, false},
		{"MetricsFunction", "BatchGetItem", `{"RequestItems":{"t-SupportTable":{"Keys":[{"PK":` + s("METRICS#2026-12-01#0") + `},{"PK":` + s("METRICS#2026-12-01#1") + `}]}}}`, true},
		{"MetricsFunction", "BatchGetItem", `{"RequestItems":{"t-SupportTable":{"Keys":[{"PK":` + s("METRICS#2026-12-01#0") + `},{"PK":` + s("ORDER#TGP-1") + `}]}}}`, false},
		{"EscalationRelayFunction", "Query", `{"TableName":"t-SupportTable","IndexName":"GSI1","KeyConditionExpression":"GSI1PK = :p AND GSI1SK < :before",
			"ExpressionAttributeValues":{":p":` + s("OUTBOX#PENDING") + `,":before":` + s("2026") + `}}`, true},
		{"SurveysFunction", "TransactWriteItems", `{"TransactItems":[
			{"ConditionCheck":{"TableName":"t-SupportTable","Key":{"PK":` + s("ORDER#TGP-1") + `,"SK":` + s("#ORDER") + `}}},
			{"Put":{"TableName":"t-SupportTable","Item":{"PK":` + s("SURVEY#order#TGP-1") + `}}},
			{"Update":{"TableName":"t-SupportTable","Key":{"PK":` + s("METRICS#2026-12-01#3") + `}}}]}`, true},
		// A survey checks its subject and its invitation (SURVEY#), never an escalation record it only writes.
		{"SurveysFunction", "TransactWriteItems", `{"TransactItems":[
			{"ConditionCheck":{"TableName":"t-SupportTable","Key":{"PK":` + s("SURVEY#order#TGP-1") + `}}}]}`, true},
		{"SurveysFunction", "TransactWriteItems", `{"TransactItems":[
			{"ConditionCheck":{"TableName":"t-SupportTable","Key":{"PK":` + s("ESCALATION#survey:order:TGP-1") + `}}}]}`, false},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%d %s %s", i, c.fn, c.op), func(t *testing.T) {
			p, tables := policy(t, c.fn)
			auths, err := tables.Authorizations(c.op, []byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			allowed := true
			for _, a := range auths {
				allowed = allowed && p.Allows(a)
			}
			if allowed != c.allowed {
				t.Errorf("allowed = %v, want %v for %v", allowed, c.allowed, auths)
			}
		})
	}
}

func TestQueryWithoutAPartitionValueIsAnError(t *testing.T) {
	_, tables, _ := project(t)
	if _, err := tables.Authorizations("Query", []byte(`{"TableName":"t-SupportTable","KeyConditionExpression":"SK = :s",
		"ExpressionAttributeValues":{":s":{"S":"x"}}}`)); err == nil {
		t.Error("a Query whose partition key value cannot be told was authorised")
	}
	if _, err := tables.Authorizations("GetItem", []byte(`{"TableName":"other","Key":{}}`)); err == nil {
		t.Error("a request for a table outside the stack was authorised")
	}
}

func TestProxyForwardsAllowedAndRefusesTheRest(t *testing.T) {
	var forwarded []string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forwarded = append(forwarded, r.Header.Get("X-Amz-Target"))
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{"Item":{}}`))
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)
	p, tables := policy(t, "ReturnsFunction")
	proxy := httptest.NewServer(&Proxy{Function: "ReturnsFunction", Policy: p, Tables: tables, Target: target})
	defer proxy.Close()
	send := func(op, body string) (int, string) {
		req, _ := http.NewRequest("POST", proxy.URL, strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := send("GetItem", `{"TableName":"t-SupportTable","Key":{"PK":{"S":"RETURN#RTN-1"}}}`); status != 200 {
		t.Errorf("allowed GetItem: %d", status)
	}
	status, body := send("GetItem", `{"TableName":"t-SupportTable","Key":{"PK":{"S":"SURVEY#order#1"}}}`)
	if status != 400 || !strings.Contains(body, "AccessDeniedException") || !strings.Contains(body, "dynamodb:GetItem") {
		t.Errorf("refused GetItem: %d %s", status, body)
	}
	if len(forwarded) != 1 || forwarded[0] != "DynamoDB_20120810.GetItem" {
		t.Errorf("forwarded %v, want only the allowed request", forwarded)
	}
	if d := proxy.Config.Handler.(*Proxy).Denied(); len(d) != 1 || !strings.Contains(d[0], "SURVEY#order#1") {
		t.Errorf("denied %v", d)
	}
}
