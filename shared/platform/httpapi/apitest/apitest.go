// Package apitest drives an http.Handler the way production does: an API Gateway REST proxy event goes
// through the aws-lambda-go-api-proxy adapter (httpapi.LambdaHandler) into the handler.
package apitest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/shared/platform/httpapi"
)

// Caller sets the identity API Gateway would put in the request context.
type Caller func(*events.APIGatewayProxyRequestContext)

// AsCustomer is a Cognito-authenticated customer.
func AsCustomer(id string) Caller {
	return func(rc *events.APIGatewayProxyRequestContext) {
		rc.Authorizer = map[string]any{"claims": map[string]any{
			"sub": id, "email": id + "@example.test", "token_use": "id",
		}}
	}
}

// AsOperator is an IAM-signed ops caller.
func AsOperator(name string) Caller {
	return func(rc *events.APIGatewayProxyRequestContext) {
		rc.Identity.UserArn = "arn:aws:iam::123456789012:user/" + name
		rc.Identity.AccountID = "123456789012"
		rc.Identity.Caller = "AIDAEXAMPLE" + strings.ToUpper(name)
	}
}

// AsGuest is an unauthenticated caller.
func AsGuest() Caller { return func(*events.APIGatewayProxyRequestContext) {} }

// Request describes one call.
type Request struct {
	Method   string
	Path     string // concrete path, e.g. /orders/TGP-1
	Resource string // template path, e.g. /orders/{orderId}; derived from PathParams when empty
	Query    map[string]string
	Headers  map[string]string
	Body     any // string, []byte or a value to marshal
	As       Caller
}

// Event builds the REST proxy event API Gateway would send.
func Event(req Request) events.APIGatewayProxyRequest {
	headers := map[string]string{"Accept": "application/json"}
	var body string
	switch b := req.Body.(type) {
	case nil:
	case string:
		body = b
	case []byte:
		body = string(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			panic(err)
		}
		body = string(raw)
	}
	if body != "" {
		headers["Content-Type"] = "application/json"
	}
	for k, v := range req.Headers {
		headers[k] = v
	}
	multi := map[string][]string{}
	for k, v := range headers {
		multi[k] = []string{v}
	}
	var mq map[string][]string
	if len(req.Query) > 0 {
		mq = map[string][]string{}
		for k, v := range req.Query {
			mq[k] = []string{v}
		}
	}
	resource := req.Resource
	if resource == "" {
		resource = req.Path
	}
	rc := events.APIGatewayProxyRequestContext{
		AccountID: "123456789012", APIID: "testapi", Stage: "v1", RequestID: "req-" + time.Now().Format("150405.000000000"),
		ResourcePath: resource, HTTPMethod: req.Method, Path: "/v1" + req.Path, DomainName: "testapi.execute-api.ap-southeast-3.amazonaws.com",
		RequestTimeEpoch: time.Now().UnixMilli(),
		Identity:         events.APIGatewayRequestIdentity{SourceIP: "203.0.113.7", UserAgent: "apitest"},
	}
	if req.As != nil {
		req.As(&rc)
	}
	return events.APIGatewayProxyRequest{
		Resource: resource, Path: req.Path, HTTPMethod: req.Method,
		Headers: headers, MultiValueHeaders: multi,
		QueryStringParameters: req.Query, MultiValueQueryStringParameters: mq,
		PathParameters: pathParams(resource, req.Path),
		RequestContext: rc, Body: body,
	}
}

func pathParams(resource, path string) map[string]string {
	rs, ps := strings.Split(resource, "/"), strings.Split(path, "/")
	if len(rs) != len(ps) {
		return nil
	}
	out := map[string]string{}
	for i, seg := range rs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out[strings.Trim(seg, "{}")] = ps[i]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Response is a proxy response with helpers.
type Response struct {
	events.APIGatewayProxyResponse
	t *testing.T
}

// Header returns a response header, looking at both header maps.
func (r Response) Header(name string) string {
	for k, v := range r.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	for k, v := range r.MultiValueHeaders {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		r.t.Fatalf("response body is not JSON (%v): %s", err, r.Body)
	}
}

// Problem decodes a problem+json body, failing the test if it is not one.
func (r Response) Problem() httpapi.Problem {
	r.t.Helper()
	if ct := r.Header("Content-Type"); ct != httpapi.ProblemContentType {
		r.t.Fatalf("content type %q, want problem+json; status %d body %s", ct, r.StatusCode, r.Body)
	}
	var p httpapi.Problem
	r.JSON(&p)
	if p.Status != r.StatusCode {
		r.t.Fatalf("problem status %d differs from HTTP status %d", p.Status, r.StatusCode)
	}
	return p
}

// Do sends req through the Lambda adapter into h, and checks the exchange against openapi.yaml
// (see checkContract).
func Do(t *testing.T, h http.Handler, req Request) Response {
	t.Helper()
	ev := Event(req)
	resp, err := httpapi.LambdaHandler(h)(context.Background(), ev)
	if err != nil {
		t.Fatalf("%s %s: adapter error: %v", req.Method, req.Path, err)
	}
	checkContract(t, ev, resp)
	return Response{APIGatewayProxyResponse: resp, t: t}
}

// Expect sends req and fails unless the status is want.
func Expect(t *testing.T, h http.Handler, req Request, want int) Response {
	t.Helper()
	r := Do(t, h, req)
	if r.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body %s", req.Method, req.Path, r.StatusCode, want, r.Body)
	}
	return r
}
