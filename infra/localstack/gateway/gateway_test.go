package gateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/runtimeapi"
	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
)

// fakeInvoker records the events it gets and answers with a canned proxy response.
type fakeInvoker struct {
	mu       sync.Mutex
	calls    []call
	response events.APIGatewayProxyResponse
	raw      []byte // overrides response when set
	err      error
}

type call struct {
	function string
	event    events.APIGatewayProxyRequest
}

func (f *fakeInvoker) Invoke(_ context.Context, fn string, payload []byte) ([]byte, error) {
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{fn, ev})
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	if f.raw != nil {
		return f.raw, nil
	}
	return json.Marshal(f.response)
}

func (f *fakeInvoker) last(t *testing.T) call {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("function was not invoked")
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeInvoker) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

var fixedNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// newTestGateway serves the real template's routes, API settings and CORS.
func newTestGateway(t *testing.T, inv Invoker) *Gateway {
	t.Helper()
	return newTestGatewayWith(t, inv, samtemplate.Names{})
}

// newTestGatewayWith serves the project template with parameter overrides in names.
func newTestGatewayWith(t *testing.T, inv Invoker, names samtemplate.Names) *Gateway {
	t.Helper()
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	apis, err := APIsFromTemplate(tpl, names)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(Config{
		Routes: routes, Invoker: inv, APIs: apis, Now: func() time.Time { return fixedNow },
		CustomerEmail: func(id string) string {
			if id == "cust-budi" {
				return "budi.santoso@example.co.id"
			}
			return ""
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func serve(g http.Handler, method, target, auth string, body []byte, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	return rec
}

// assertRefusal checks one of the gateway's own refusals: the template's problem+json document for it, naming
// the request and carrying the CORS origin.
func assertRefusal(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d (body %s)", rec.Code, status, rec.Body)
	}
	p := decodeProblem(t, rec)
	if p.Status != status || p.Code != code || p.Type != "urn:tanggap:problem:"+code {
		t.Errorf("problem %+v, want status %d code %s", p, status, code)
	}
	if want := "urn:tanggap:request:" + rec.Header().Get("x-amzn-RequestId"); p.Instance != want {
		t.Errorf("instance %q, want %q", p.Instance, want)
	}
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q, want the template's *", got)
	}
}

// decodeProblem reads an application/problem+json body that has exactly httpapi.Problem's members.
func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) httpapi.Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != httpapi.ProblemContentType {
		t.Errorf("Content-Type %q, want %s", ct, httpapi.ProblemContentType)
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	var p httpapi.Problem
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("body is not a problem document: %v\n%s", err, rec.Body)
	}
	if dec.More() {
		t.Errorf("trailing data after the problem document: %s", rec.Body)
	}
	return p
}

func TestRoutingPrefersLiteralSegments(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200, Body: "{}"}}
	g := newTestGateway(t, inv)

	rec := serve(g, http.MethodPost, "/orders/lookup", "", []byte(`{"orderId":"ORD-1"}`), map[string]string{"Content-Type": "application/json"})
	if rec.Code != 200 {
		t.Fatalf("POST /orders/lookup: %d %s", rec.Code, rec.Body)
	}
	c := inv.last(t)
	if c.function != "OrdersFunction" || c.event.Resource != "/orders/lookup" || c.event.PathParameters != nil {
		t.Errorf("POST /orders/lookup routed to %s %s params %v", c.function, c.event.Resource, c.event.PathParameters)
	}

	rec = serve(g, http.MethodGet, "/orders/ORD%2F7", "Bearer dev-customer:cust-budi", nil, nil)
	if rec.Code != 200 {
		t.Fatalf("GET /orders/{id}: %d %s", rec.Code, rec.Body)
	}
	c = inv.last(t)
	if c.event.Resource != "/orders/{orderId}" || c.event.PathParameters["orderId"] != "ORD/7" {
		t.Errorf("GET /orders/ORD%%2F7: resource %s params %v", c.event.Resource, c.event.PathParameters)
	}

	// The literal resource wins even for a method it lacks: API Gateway answers 403, it does not fall back.
	before := inv.count()
	assertRefusal(t, serve(g, http.MethodGet, "/orders/lookup", "Bearer dev-customer:cust-budi", nil, nil),
		http.StatusForbidden, "unknown_route_or_unsigned")
	if inv.count() != before {
		t.Error("GET /orders/lookup reached a function")
	}
}

func TestUnknownRouteIsMissingAuthenticationToken(t *testing.T) {
	inv := &fakeInvoker{}
	g := newTestGateway(t, inv)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/nope"},
		{http.MethodGet, "/ops"},
		{http.MethodDelete, "/orders"},
		{http.MethodGet, "/orders/a/b"},
	} {
		rec := serve(g, tc.method, tc.path, "Bearer dev-customer:cust-budi", nil, nil)
		assertRefusal(t, rec, http.StatusForbidden, "unknown_route_or_unsigned")
		if got := rec.Header().Get("x-amzn-ErrorType"); got != "MissingAuthenticationTokenException" {
			t.Errorf("%s %s: x-amzn-ErrorType %q", tc.method, tc.path, got)
		}
	}
	if inv.count() != 0 {
		t.Errorf("unknown routes invoked the function %d times", inv.count())
	}
}

func TestProxyEventShape(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g := newTestGateway(t, inv)
	req := httptest.NewRequest(http.MethodGet, "/orders?limit=5&status=shipped&status=delivered", nil)
	req.RemoteAddr = "192.0.2.10:51234"
	req.Host = "127.0.0.1:3000"
	req.Header.Set("Authorization", "Bearer dev-customer:cust-budi")
	req.Header.Set("User-Agent", "curl/8.5")
	req.Header.Add("Accept-Language", "en")
	req.Header.Add("X-Multi", "a")
	req.Header.Add("X-Multi", "b")
	g.ServeHTTP(httptest.NewRecorder(), req)

	ev := inv.last(t).event
	if ev.Resource != "/orders" || ev.Path != "/orders" || ev.HTTPMethod != "GET" {
		t.Errorf("resource/path/method = %s %s %s", ev.Resource, ev.Path, ev.HTTPMethod)
	}
	if ev.Headers["Accept-Language"] != "en" || ev.Headers["X-Multi"] != "b" || strings.Join(ev.MultiValueHeaders["X-Multi"], ",") != "a,b" {
		t.Errorf("headers %v / multi %v", ev.Headers, ev.MultiValueHeaders)
	}
	if ev.Headers["Host"] != "127.0.0.1:3000" || ev.Headers["X-Forwarded-For"] != "192.0.2.10" {
		t.Errorf("forwarding headers %v", ev.Headers)
	}
	if ev.QueryStringParameters["limit"] != "5" || ev.QueryStringParameters["status"] != "delivered" ||
		strings.Join(ev.MultiValueQueryStringParameters["status"], ",") != "shipped,delivered" {
		t.Errorf("query %v / multi %v", ev.QueryStringParameters, ev.MultiValueQueryStringParameters)
	}
	if ev.PathParameters != nil || ev.Body != "" || ev.IsBase64Encoded {
		t.Errorf("pathParameters %v body %q", ev.PathParameters, ev.Body)
	}
	rc := ev.RequestContext
	if rc.Stage != "v1" || rc.ResourcePath != "/orders" || rc.HTTPMethod != "GET" || rc.Path != "/v1/orders" ||
		rc.AccountID != AccountID || rc.APIID == "" || rc.DomainName != "127.0.0.1:3000" || len(rc.RequestID) != 36 {
		t.Errorf("requestContext %+v", rc)
	}
	if rc.RequestTimeEpoch != fixedNow.UnixMilli() || rc.RequestTime != "14/Mar/2025:09:30:00 +0000" {
		t.Errorf("request time %d %q", rc.RequestTimeEpoch, rc.RequestTime)
	}
	if rc.Identity.SourceIP != "192.0.2.10" || rc.Identity.UserAgent != "curl/8.5" || rc.Identity.UserArn != "" {
		t.Errorf("identity %+v", rc.Identity)
	}
}

func TestBodyEncoding(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g := newTestGateway(t, inv)

	serve(g, http.MethodPost, "/orders/lookup", "", []byte(`{"email":"siti@example.co.id"}`), map[string]string{"Content-Type": "application/json; charset=utf-8"})
	if ev := inv.last(t).event; ev.Body != `{"email":"siti@example.co.id"}` || ev.IsBase64Encoded {
		t.Errorf("json body: %q base64=%v", ev.Body, ev.IsBase64Encoded)
	}

	binary := []byte{0x89, 'P', 'N', 'G', 0x00, 0xff}
	serve(g, http.MethodPost, "/orders/lookup", "", binary, map[string]string{"Content-Type": "image/png"})
	ev := inv.last(t).event
	if !ev.IsBase64Encoded || ev.Body != base64.StdEncoding.EncodeToString(binary) {
		t.Errorf("binary body: %q base64=%v", ev.Body, ev.IsBase64Encoded)
	}
}

func TestCognitoRoutes(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g := newTestGateway(t, inv)

	for _, auth := range []string{"", "Bearer", "Bearer dev-customer:", "Bearer dev-ops:alice", "Bearer eyJhbGciOi.fake.jwt", "Bearer dev-customer:bad id"} {
		rec := serve(g, http.MethodGet, "/orders", auth, nil, nil)
		assertRefusal(t, rec, http.StatusUnauthorized, "unauthenticated")
	}
	if inv.count() != 0 {
		t.Fatalf("unauthenticated requests reached the function %d times", inv.count())
	}

	serve(g, http.MethodGet, "/orders", "Bearer dev-customer:cust-budi", nil, nil)
	claims, ok := inv.last(t).event.RequestContext.Authorizer["claims"].(map[string]any)
	if !ok {
		t.Fatalf("no claims in %v", inv.last(t).event.RequestContext.Authorizer)
	}
	want := map[string]string{"sub": "cust-budi", "email": "budi.santoso@example.co.id", "cognito:username": "cust-budi", "token_use": "id"}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %s", k, claims[k], v)
		}
	}

	serve(g, http.MethodGet, "/orders", "dev-customer:cust-andi", nil, nil) // raw token, as Cognito authorizers accept
	claims = inv.last(t).event.RequestContext.Authorizer["claims"].(map[string]any)
	if claims["sub"] != "cust-andi" || claims["email"] != "cust-andi@demo.tanggap.local" {
		t.Errorf("fallback claims %v", claims)
	}
	if id := inv.last(t).event.RequestContext.Identity; id.UserArn != "" {
		t.Errorf("customer request carries an IAM identity %+v", id)
	}
}

func TestIAMRoutes(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g := newTestGateway(t, inv)

	assertRefusal(t, serve(g, http.MethodGet, "/ops/orders/ORD-1", "", nil, nil), http.StatusForbidden, "unknown_route_or_unsigned")
	for _, auth := range []string{"Bearer dev-customer:cust-budi", "Bearer dev-ops:", "Bearer dev-ops:a/b"} {
		assertRefusal(t, serve(g, http.MethodGet, "/ops/orders/ORD-1", auth, nil, nil), http.StatusForbidden, "invalid_signature")
	}
	if inv.count() != 0 {
		t.Fatalf("unsigned ops requests reached the function %d times", inv.count())
	}

	rec := serve(g, http.MethodPut, "/ops/orders/ORD-1", "Bearer dev-ops:alice", []byte(`{}`), nil)
	if rec.Code != 200 {
		t.Fatalf("ops PUT: %d %s", rec.Code, rec.Body)
	}
	ev := inv.last(t).event
	id := ev.RequestContext.Identity
	if id.UserArn != "arn:aws:iam::000000000000:user/alice" || id.AccountID != AccountID ||
		!strings.HasPrefix(id.User, "AIDA") || id.Caller != id.User || !strings.HasPrefix(id.AccessKey, "AKIA") {
		t.Errorf("IAM identity %+v", id)
	}
	if ev.RequestContext.Authorizer != nil {
		t.Errorf("ops request carries authorizer claims %v", ev.RequestContext.Authorizer)
	}
	if ev.HTTPMethod != "PUT" || ev.PathParameters["orderId"] != "ORD-1" {
		t.Errorf("event %s %v", ev.HTTPMethod, ev.PathParameters)
	}
}

func TestCORSPreflightFromTemplate(t *testing.T) {
	inv := &fakeInvoker{}
	g := newTestGateway(t, inv)
	rec := serve(g, http.MethodOptions, "/orders/ORD-1", "", nil, map[string]string{"Origin": "https://toko.example", "Access-Control-Request-Method": "GET"})
	if rec.Code != 200 {
		t.Fatalf("preflight: %d %s", rec.Code, rec.Body)
	}
	h := rec.Header()
	if h.Get("Access-Control-Allow-Origin") != "*" ||
		h.Get("Access-Control-Allow-Headers") != "Authorization,Content-Type,Idempotency-Key,Accept-Language,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256,X-Amz-User-Agent" ||
		h.Get("Access-Control-Allow-Methods") != "GET,POST,PUT,DELETE,OPTIONS" || h.Get("Access-Control-Max-Age") != "600" {
		t.Errorf("preflight headers %v", h)
	}
	if inv.count() != 0 {
		t.Error("preflight invoked the function")
	}
	assertRefusal(t, serve(g, http.MethodOptions, "/nope", "", nil, nil), http.StatusForbidden, "unknown_route_or_unsigned")
}

func TestProxyResponseTranslation(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{
		StatusCode:        201,
		Headers:           map[string]string{"Content-Type": "application/problem+json", "X-One": "1"},
		MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}},
		Body:              base64.StdEncoding.EncodeToString([]byte(`{"ok":true}`)),
		IsBase64Encoded:   true,
	}}
	g := newTestGateway(t, inv)
	rec := serve(g, http.MethodPost, "/orders/lookup", "", []byte(`{}`), nil)
	if rec.Code != 201 || rec.Body.String() != `{"ok":true}` {
		t.Errorf("response %d %q", rec.Code, rec.Body)
	}
	if rec.Header().Get("Content-Type") != "application/problem+json" || rec.Header().Get("X-One") != "1" ||
		strings.Join(rec.Header().Values("Set-Cookie"), ";") != "a=1;b=2" || rec.Header().Get("x-amzn-RequestId") == "" {
		t.Errorf("headers %v", rec.Header())
	}
}

func TestFunctionFailuresBecomeGatewayErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inv    *fakeInvoker
		status int
		code   string
	}{
		{"function error", &fakeInvoker{err: &runtimeapi.FunctionError{Type: "errorString", Message: "boom"}}, 502, "internal_error"},
		{"crash", &fakeInvoker{err: fmt.Errorf("%w: exit status 2", runtimeapi.ErrRuntimeExited)}, 502, "internal_error"},
		{"not running", &fakeInvoker{err: ErrFunctionUnavailable}, 502, "internal_error"},
		{"timeout", &fakeInvoker{err: fmt.Errorf("%w after 10s", runtimeapi.ErrTimeout)}, 504, "gateway_timeout"},
		// The template customizes INTEGRATION_FAILURE (uncustomized, API Gateway says 500 Internal server error).
		{"throttled at reserved concurrency", &fakeInvoker{err: runtimeapi.ErrThrottled}, 504, "service_unavailable"},
		{"malformed response", &fakeInvoker{raw: []byte(`"just a string"`)}, 502, "internal_error"},
		{"no status code", &fakeInvoker{raw: []byte(`{"body":"x"}`)}, 502, "internal_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newTestGateway(t, tc.inv)
			rec := serve(g, http.MethodPost, "/orders/lookup", "", []byte(`{}`), nil)
			assertRefusal(t, rec, tc.status, tc.code)
			if strings.Contains(rec.Body.String(), "boom") || strings.Contains(rec.Body.String(), "exit status") {
				t.Errorf("internal error text leaked: %s", rec.Body)
			}
		})
	}
}

// API Gateway's own 10 MB limit, for a stack without WAF (whose 64 KB rule refuses far less; see waf_test.go).
func TestRequestTooLong(t *testing.T) {
	inv := &fakeInvoker{}
	g := newTestGatewayWith(t, inv, samtemplate.Names{Refs: map[string]string{"EnableWaf": "false"}})
	rec := serve(g, http.MethodPost, "/orders/lookup", "", bytes.Repeat([]byte("a"), maxRequestBytes+1), nil)
	assertRefusal(t, rec, http.StatusRequestEntityTooLarge, "body_too_large")
	if inv.count() != 0 {
		t.Error("oversized request reached the function")
	}
}

func TestGreedyAndRankOrder(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 204}}
	routes := []samtemplate.Route{
		{Method: "ANY", Path: "/files/{proxy+}", FunctionLogicalID: "Files", Auth: samtemplate.AuthNone},
		{Method: "GET", Path: "/files/{id}", FunctionLogicalID: "OneFile", Auth: samtemplate.AuthNone},
		{Method: "GET", Path: "/files/{id}/meta", FunctionLogicalID: "Meta", Auth: samtemplate.AuthNone},
	}
	g, err := New(Config{Routes: routes, Invoker: inv})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/files/a": "OneFile", "/files/a/meta": "Meta", "/files/a/b/c": "Files"} {
		serve(g, http.MethodGet, path, "", nil, nil)
		if got := inv.last(t).function; got != want {
			t.Errorf("%s → %s, want %s", path, got, want)
		}
	}
	serve(g, http.MethodPost, "/files/a/b/c", "", nil, nil)
	if c := inv.last(t); c.function != "Files" || c.event.PathParameters["proxy"] != "a/b/c" {
		t.Errorf("greedy ANY route: %s %v", c.function, c.event.PathParameters)
	}
	if _, err := New(Config{Routes: []samtemplate.Route{{Method: "GET", Path: "/x/{p+}/y"}}, Invoker: inv}); err == nil {
		t.Error("a greedy segment in the middle was accepted")
	}
}

func TestCORSShortFormAndQuotes(t *testing.T) {
	tpl, err := samtemplate.Parse([]byte(`
Parameters:
  Origin: {Type: String, Default: "https://toko.example"}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: !Sub "'${Origin}'"
`))
	if err != nil {
		t.Fatal(err)
	}
	apis, err := APIsFromTemplate(tpl, samtemplate.Names{})
	if err != nil {
		t.Fatal(err)
	}
	a := apis["Api"]
	if a.Stage != "prod" || a.CORS == nil || a.CORS.AllowOrigin != "https://toko.example" {
		t.Errorf("api %+v cors %+v", a, a.CORS)
	}
}

// queueingInvoker records how the gateway handed it the integration timeout.
type queueingInvoker struct {
	fakeInvoker
	timeout     time.Duration
	hadDeadline bool
}

func (q *queueingInvoker) InvokeWithin(ctx context.Context, fn string, payload []byte, timeout time.Duration) ([]byte, error) {
	_, q.hadDeadline = ctx.Deadline()
	q.timeout = timeout
	return q.fakeInvoker.Invoke(ctx, fn, payload)
}

func TestQueueingInvokerStartsTheIntegrationTimeoutItself(t *testing.T) {
	inv := &queueingInvoker{fakeInvoker: fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200, Body: "{}"}}}
	g := newTestGateway(t, inv)
	rec := serve(g, http.MethodPost, "/orders/lookup", "", []byte(`{}`), nil)
	if rec.Code != 200 || len(inv.calls) != 1 {
		t.Fatalf("status %d, %d calls", rec.Code, len(inv.calls))
	}
	if inv.hadDeadline || inv.timeout != integrationTimeout {
		t.Errorf("wait bounded by a deadline: %v; timeout handed over: %s, want %s", inv.hadDeadline, inv.timeout, integrationTimeout)
	}
}
