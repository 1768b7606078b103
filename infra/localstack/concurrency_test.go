package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// TestFiftyConcurrentReturnsThroughTheLocalAPI is the race as `make run` serves it: 50 customers' requests
// for the last returnable unit of a line arrive at once over HTTP, run side by side in several ReturnsFunction
// bootstrap processes (the platform lines in their log streams show invocations overlapping), exactly one
// return is created, the other 49 get 409, and the line's remaining quantity in DynamoDB never drops below 0.
func TestFiftyConcurrentReturnsThroughTheLocalAPI(t *testing.T) {
	const n, instances = 50, 4
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s, _, logs := startTestStack(ctx, t, "par", func(o *options) {
		o.Functions = []string{"OrdersFunction", "ReturnsFunction"}
		// Four instances prove the overlap without ten processes and DynamoDB Local fighting over a loaded
		// machine's cores (each invocation must stay within the template's 10 s timeout).
		o.MaxInstances = instances
		o.SystemLogLevel = "INFO" // the platform lines are the proof; the template's WARN leaves them out
	})
	returnsFn, ok := s.functions["ReturnsFunction"]
	if !ok {
		t.Fatalf("ReturnsFunction is not running: %s", s.skipped["ReturnsFunction"])
	}
	const budi, orderID, lineID = "Bearer dev-customer:cust-budi", "TGP-10001", "L1" // seeded: 1 unit, delivered
	c := client{t: t, base: s.URL()}
	if got := returnableOver(t, c, budi, orderID, lineID); got != 1 {
		t.Fatalf("returnable %s/%s before the race: %d, want 1", orderID, lineID, got)
	}

	// Watch the line's remaining quantity in DynamoDB for the whole race.
	remaining := func() int {
		out, err := s.clients.DynamoDB.GetItem(ctx, &dynamodb.GetItemInput{
			TableName: aws.String(s.resources.Tables["SupportTable"]), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{
				"PK": &types.AttributeValueMemberS{Value: "ORDER#" + orderID}, "SK": &types.AttributeValueMemberS{Value: "LINE#" + lineID}},
		})
		if err != nil {
			t.Errorf("read remaining: %v", err)
			return 0
		}
		v, _ := out.Item["remaining"].(*types.AttributeValueMemberN)
		if v == nil {
			t.Errorf("line %s/%s has no remaining attribute: %v", orderID, lineID, out.Item)
			return 0
		}
		r, _ := strconv.Atoi(v.Value)
		return r
	}
	stopWatch := make(chan struct{})
	watched := make(chan []int, 1)
	go func() {
		var seen []int
		for {
			select {
			case <-stopWatch:
				watched <- append(seen, remaining())
				return
			default:
				seen = append(seen, remaining())
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()

	statuses, codes := make([]int, n), make([]string, n)
	body := `{"lines":[{"lineId":"` + lineID + `","quantity":1,"reason":"size_or_fit","condition":"unopened"}],"resolution":"refund"}`
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, "POST", s.URL()+"/orders/"+orderID+"/returns", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Authorization", budi)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", fmt.Sprintf("race-%d", i))
			<-start
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			var p struct {
				Code string `json:"code"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&p)
			statuses[i], codes[i] = resp.StatusCode, p.Code
		}()
	}
	close(start)
	wg.Wait()
	close(stopWatch)
	seen := <-watched

	created, conflicts := 0, 0
	for i := range n {
		switch {
		case statuses[i] == 201:
			created++
		case statuses[i] == 409 && codes[i] == "return_quantity_unavailable":
			conflicts++
		default:
			t.Errorf("request %d: %d %s", i, statuses[i], codes[i])
		}
	}
	if created != 1 || conflicts != n-1 {
		t.Errorf("%d created and %d conflicts, want 1 and %d", created, conflicts, n-1)
	}
	for _, r := range seen {
		if r < 0 {
			t.Fatalf("remaining quantity went below zero during the race: %v", seen)
		}
	}
	if last := seen[len(seen)-1]; last != 0 {
		t.Errorf("remaining after the race: %d, want 0", last)
	}
	if got := returnableOver(t, c, budi, orderID, lineID); got != 0 {
		t.Errorf("returnable after the race: %d, want 0", got)
	}
	status, listed := c.do("GET", "/orders/"+orderID+"/returns", budi, "")
	if status != 200 || strings.Count(string(listed), `"returnId"`) != 1 {
		t.Errorf("returns of %s: %d %s, want exactly one", orderID, status, listed)
	}

	// The proof of parallelism is in the log streams: an invocation starts on one instance while another
	// instance's invocation has not reported yet.
	overlap, streams := overlapInLog(t, logs.String(), "ReturnsFunction")
	if overlap < 2 || streams < 2 {
		t.Errorf("ReturnsFunction log streams show at most %d invocations at once on %d instances, want them side by side", overlap, streams)
	}
	st := returnsFn.Stats()
	if st.Started < 2 || st.PeakBusy < 2 || st.PeakBusy > instances {
		t.Errorf("ReturnsFunction environments: %+v, want several started and 2..%d busy at once", st, instances)
	}
	t.Logf("ReturnsFunction: %d environments started, %d invocations at once at the peak; log streams: up to %d overlapping on %d instances",
		st.Started, st.PeakBusy, overlap, streams)
}

func returnableOver(t *testing.T, c client, auth, orderID, lineID string) int {
	t.Helper()
	status, body := c.do("GET", "/orders/"+orderID, auth, "")
	if status != 200 {
		t.Fatalf("GET /orders/%s: %d %s", orderID, status, body)
	}
	var v struct {
		Lines []struct {
			LineID             string `json:"lineId"`
			ReturnableQuantity int    `json:"returnableQuantity"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	for _, l := range v.Lines {
		if l.LineID == lineID {
			return l.ReturnableQuantity
		}
	}
	t.Fatalf("order %s has no line %s: %s", orderID, lineID, body)
	return 0
}

var platformLine = regexp.MustCompile(`^\[(\w+)#(\d+)\] (\{.*"type":"platform\.(?:start|report)".*\})$`)

// overlapInLog walks fn's platform.start and platform.report records in log order and returns the most
// invocations open at once and how many instances (log streams) served invocations.
func overlapInLog(t *testing.T, log, fn string) (most, instances int) {
	t.Helper()
	open := map[string]string{} // request id → instance
	served := map[string]bool{}
	for _, line := range strings.Split(log, "\n") {
		m := platformLine.FindStringSubmatch(line)
		if m == nil || m[1] != fn {
			continue
		}
		var rec struct {
			Type   string `json:"type"`
			Record struct {
				RequestID string `json:"requestId"`
			} `json:"record"`
		}
		if err := json.Unmarshal([]byte(m[3]), &rec); err != nil {
			t.Fatalf("platform line %q: %v", line, err)
		}
		switch rec.Type {
		case "platform.start":
			open[rec.Record.RequestID] = m[2]
			served[m[2]] = true
			distinct := map[string]bool{}
			for _, inst := range open {
				distinct[inst] = true
			}
			if len(distinct) == len(open) { // one open invocation per instance, as Lambda runs them
				most = max(most, len(open))
			} else {
				t.Errorf("instance %s#%s started an invocation while busy", fn, m[2])
			}
		case "platform.report":
			delete(open, rec.Record.RequestID)
		}
	}
	return most, len(served)
}

func TestLoggingConfigMergesGlobalsAndPicksPlatformLines(t *testing.T) {
	tpl, err := samtemplate.Parse([]byte(`
Globals:
  Function:
    LoggingConfig: {LogFormat: JSON, ApplicationLogLevel: INFO, SystemLogLevel: WARN}
Resources:
  AFunction:
    Type: AWS::Serverless::Function
    Properties:
      LoggingConfig: {LogGroup: a-group}
  BFunction:
    Type: AWS::Serverless::Function
    Properties:
      LoggingConfig: {LogFormat: Text}
`))
	if err != nil {
		t.Fatal(err)
	}
	a := loggingConfig(tpl, "AFunction")
	if env := loggingEnv(a); env["AWS_LAMBDA_LOG_FORMAT"] != "JSON" || env["AWS_LAMBDA_LOG_LEVEL"] != "INFO" {
		t.Errorf("AFunction keeps the Globals' JSON format and level, got %v", env)
	}
	if platformLines(a, "") || !platformLines(a, "INFO") || !platformLines(a, "debug") {
		t.Error("JSON at SystemLogLevel WARN: platform lines only when overridden to INFO or DEBUG")
	}
	b := loggingConfig(tpl, "BFunction")
	if env := loggingEnv(b); len(env) != 0 || !platformLines(b, "") {
		t.Errorf("text format: no JSON env (%v) and always platform lines", env)
	}
}

// TestFunctionsRunUnderTheirTemplatePolicy takes one grant out of a copy of the template and shows the local
// stack enforce the rest: the code path that needs the grant fails (the function's 500 problem), the proxy names the
// refused request, and everything the policy still allows works.
func TestFunctionsRunUnderTheirTemplatePolicy(t *testing.T) {
	root, err := samtemplate.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// OrdersFunction's is the first CUSTOMER#* grant in the template: a customer's orders on GSI1.
	const grant = `- "CUSTOMER#*"`
	i := strings.Index(string(src), grant)
	if i < 0 || !strings.Contains(string(src[:i]), "OrdersFunction:") || strings.Contains(string(src[strings.LastIndex(string(src[:i]), "Function:"):i]), "Complaints") {
		t.Fatalf("cannot find OrdersFunction's CUSTOMER#* grant in template.yaml")
	}
	narrowed := string(src[:i]) + `- "NOBODY#*"` + string(src[i+len(grant):])
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(narrowed), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s, _, _ := startTestStack(ctx, t, "iam", func(o *options) { o.TemplatePath = path })
	c := client{t: t, base: s.URL()}
	if status, body := c.do("GET", "/orders/TGP-10001", "Bearer dev-customer:cust-budi", ""); status != 200 {
		t.Errorf("GET one order (Query ORDER#, still granted): %d %s", status, body)
	}
	if status, body := c.do("GET", "/orders", "Bearer dev-customer:cust-budi", ""); status != 500 || !strings.Contains(string(body), `"code":"internal_error"`) {
		t.Errorf("GET /orders without the GSI1 CUSTOMER# grant: %d %s, want the function's 500 problem", status, body)
	}
	denied := s.iam["OrdersFunction"].TakeDenied()
	if len(denied) != 1 || !strings.Contains(denied[0], "dynamodb:Query on "+s.resources.TableARN("SupportTable")+"/index/GSI1 (LeadingKeys CUSTOMER#cust-budi)") {
		t.Errorf("refused %q, want the GSI1 Query of cust-budi's orders", denied)
	}
}
