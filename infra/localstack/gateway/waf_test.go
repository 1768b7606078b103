package gateway

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// wafGateway serves the project template with its WAF on a test clock, parameters overridden by refs.
func wafGateway(t *testing.T, inv Invoker, refs map[string]string) (*Gateway, *testClock) {
	t.Helper()
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	names := samtemplate.Names{Refs: refs}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	apis, err := APIsFromTemplate(tpl, names)
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: fixedNow}
	wafs, err := WAFsFromTemplate(tpl, names, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	api := apis["SupportApi"]
	if api.WAF == nil || wafs["SupportApi"] == nil {
		t.Fatal("the project template has no WAF on SupportApi")
	}
	api.WAF = wafs["SupportApi"]
	apis["SupportApi"] = api
	g, err := New(Config{Routes: routes, Invoker: inv, APIs: apis, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	return g, clock
}

func TestTemplateWAFRefusesBodiesOver64KB(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g, _ := wafGateway(t, inv, nil)

	// Before routing and authorization, as on AWS: no token needed to be refused, and the function never runs.
	rec := serve(g, http.MethodPost, "/complaints", "", bytes.Repeat([]byte("a"), 64*1024+1), nil)
	assertRefusal(t, rec, http.StatusForbidden, "request_blocked")
	rec = serve(g, http.MethodPost, "/orders/lookup", "", bytes.Repeat([]byte("a"), 64*1024+1), nil)
	assertRefusal(t, rec, http.StatusForbidden, "request_blocked")
	if inv.count() != 0 {
		t.Error("a body over 64 KB reached the function")
	}

	// 64 KB exactly passes WAF and meets API Gateway's own checks (here: no token).
	rec = serve(g, http.MethodPost, "/complaints", "", bytes.Repeat([]byte("a"), 64*1024), nil)
	assertRefusal(t, rec, http.StatusUnauthorized, "unauthenticated")
	rec = serve(g, http.MethodPost, "/orders/lookup", "", bytes.Repeat([]byte("a"), 64*1024), nil)
	if rec.Code != http.StatusOK || inv.count() != 1 {
		t.Errorf("a 64 KB guest lookup: status %d, %d invocations; want it to reach the function", rec.Code, inv.count())
	}
}

func TestTemplateWAFLimitsGuestLookupsPerClientIP(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g, clock := wafGateway(t, inv, map[string]string{"GuestLookupRateLimit": "10"})
	lookup := func(ip string) int {
		req := httptest.NewRequest(http.MethodPost, "/orders/lookup", strings.NewReader(`{}`))
		req.RemoteAddr = ip + ":40000"
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		if rec.Code == http.StatusForbidden {
			assertRefusal(t, rec, http.StatusForbidden, "request_blocked")
		}
		return rec.Code
	}
	for i := 1; i <= 10; i++ {
		if code := lookup("203.0.113.7"); code != http.StatusOK {
			t.Fatalf("lookup %d of the limit of 10: status %d", i, code)
		}
	}
	if code := lookup("203.0.113.7"); code != http.StatusForbidden {
		t.Fatalf("lookup 11 within 5 minutes: status %d, want 403", code)
	}
	if inv.count() != 10 {
		t.Errorf("%d invocations, want 10: a refused lookup reached the function", inv.count())
	}
	// Per client IP, and only POST /orders/lookup.
	if code := lookup("198.51.100.9"); code != http.StatusOK {
		t.Errorf("another client's first lookup: status %d", code)
	}
	req := httptest.NewRequest(http.MethodGet, "/orders", nil)
	req.RemoteAddr = "203.0.113.7:40000"
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	assertRefusal(t, rec, http.StatusUnauthorized, "unauthenticated")
	// The window slides: five minutes later the client may look up again.
	clock.advance(5*time.Minute + time.Second)
	if code := lookup("203.0.113.7"); code != http.StatusOK {
		t.Errorf("lookup after the 5-minute window: status %d", code)
	}
}

// The public help routes have their own per-IP limit (HelpRateLimit, at its minimum of 100 here).
func TestTemplateWAFLimitsHelpRequestsPerClientIP(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g, clock := wafGateway(t, inv, map[string]string{"HelpRateLimit": "100"})
	get := func(ip, target string) int {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.RemoteAddr = ip + ":40000"
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		if rec.Code == http.StatusForbidden {
			assertRefusal(t, rec, http.StatusForbidden, "request_blocked")
		}
		return rec.Code
	}
	for i := 1; i <= 100; i++ {
		target := "/help/search?q=retur"
		if i%2 == 0 {
			target = "/help/articles/cara-mengembalikan-barang"
		}
		if code := get("203.0.113.7", target); code != http.StatusOK {
			t.Fatalf("help request %d of the limit of 100: status %d", i, code)
		}
	}
	if code := get("203.0.113.7", "/help/suggest?q=refund"); code != http.StatusForbidden {
		t.Fatalf("help request 101 within 5 minutes: status %d, want 403", code)
	}
	if code := get("198.51.100.9", "/help/categories"); code != http.StatusOK {
		t.Errorf("another client's first help request: status %d", code)
	}
	if code := serve(g, http.MethodPost, "/orders/lookup", "", []byte(`{}`), nil).Code; code != http.StatusOK {
		t.Errorf("guest lookup from a client over its help limit: %d", code)
	}
	clock.advance(5*time.Minute + time.Second)
	if code := get("203.0.113.7", "/help/search?q=retur"); code != http.StatusOK {
		t.Errorf("help request after the 5-minute window: status %d", code)
	}
}

func TestTemplateWAFFollowsItsParameters(t *testing.T) {
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	wafs, err := WAFsFromTemplate(tpl, samtemplate.Names{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := wafs["SupportApi"]
	if w == nil || len(w.rules) != 3 {
		t.Fatalf("SupportApi WAF %+v, want the size rule and the two rate rules", w)
	}
	if size, rate := w.rules[0], w.rules[1]; size.maxBody != 65536 || rate.rate == nil || rate.rate.limit != 100 || rate.rate.window != 5*time.Minute {
		t.Errorf("rules %+v %+v, want body > 65536 then 100 lookups per 5 minutes (the template defaults)", size, rate.rate)
	}
	if help := w.rules[2]; help.rate == nil || help.rate.limit != 1000 || help.rate.window != 5*time.Minute {
		t.Errorf("help rule %+v, want 1000 help requests per 5 minutes (the template default)", help.rate)
	}
	off, err := WAFsFromTemplate(tpl, samtemplate.Names{Refs: map[string]string{"EnableWaf": "false"}}, nil)
	if err != nil || len(off) != 0 {
		t.Errorf("EnableWaf=false: %v, %v; want no WAF", off, err)
	}
}

func TestWAFRulesTheGatewayCannotApplyAreErrors(t *testing.T) {
	base := `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: v1}
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Rules:
        - Name: managed
          Priority: 5
          Statement: {ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesCommonRuleSet}}
        - Name: r
          Priority: 1
          Action: {Block: {}}
          Statement: STATEMENT
  Assoc:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub "arn:aws:apigateway:x::/restapis/${Api}/stages/v1"
      WebACLArn: !GetAtt Acl.Arn
`
	load := func(stmt string) (map[string]*WAF, error) {
		tpl, err := samtemplate.Parse([]byte(strings.Replace(base, "STATEMENT", stmt, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return WAFsFromTemplate(tpl, samtemplate.Names{}, nil)
	}
	if w, err := load(`{SizeConstraintStatement: {FieldToMatch: {Body: {OversizeHandling: MATCH}}, ComparisonOperator: GT, Size: 10, TextTransformations: [{Priority: 0, Type: NONE}]}}`); err != nil || w["Api"] == nil || len(w["Api"].rules) != 1 {
		t.Fatalf("a plain size rule: %v, %v", w, err)
	}
	for name, stmt := range map[string]string{
		"geo match":             `{GeoMatchStatement: {CountryCodes: [XX]}}`,
		"oversize passes":       `{SizeConstraintStatement: {FieldToMatch: {Body: {OversizeHandling: CONTINUE}}, ComparisonOperator: GT, Size: 10}}`,
		"header size":           `{SizeConstraintStatement: {FieldToMatch: {SingleHeader: {Name: x}}, ComparisonOperator: GT, Size: 10}}`,
		"rate by forwarded ip":  `{RateBasedStatement: {Limit: 10, AggregateKeyType: FORWARDED_IP}}`,
		"transformed match":     `{RateBasedStatement: {Limit: 10, AggregateKeyType: IP, ScopeDownStatement: {ByteMatchStatement: {FieldToMatch: {UriPath: {}}, PositionalConstraint: EXACTLY, SearchString: /x, TextTransformations: [{Priority: 0, Type: LOWERCASE}]}}}}`,
		"scope on query string": `{RateBasedStatement: {Limit: 10, AggregateKeyType: IP, ScopeDownStatement: {ByteMatchStatement: {FieldToMatch: {QueryString: {}}, PositionalConstraint: EXACTLY, SearchString: x}}}}`,
		"limit not a number":    `{RateBasedStatement: {Limit: lots, AggregateKeyType: IP}}`,
	} {
		if _, err := load(stmt); err == nil {
			t.Errorf("%s: accepted a rule the local gateway would not apply", name)
		}
	}
}
