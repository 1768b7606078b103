package apitest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// requireDocumented makes a call to an API route (one template.yaml declares) that openapi.yaml does not
// document fail the test. While false such calls are only logged, so routes can land before their contract;
// infra/apicontract's three-way route test is what guarantees the document is complete.
var requireDocumented = true

// reporter is the part of testing.TB the contract check uses (a fake in its own tests).
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// contract is openapi.yaml plus the API routes of template.yaml, loaded once per test binary.
type contract struct {
	doc       *openapi3.T
	router    routers.Router
	problem   *openapi3.Schema
	resources []*resource
}

// resource is an API Gateway resource path with the methods the template routes on it.
type resource struct {
	segments []string
	methods  map[string]bool
}

var loadContract = sync.OnceValues(func() (*contract, error) {
	root, err := samtemplate.RepoRoot()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(root, "openapi.yaml")
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) && !requireDocumented {
			return nil, nil
		}
		return nil, err
	}
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		return nil, err
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		return nil, err
	}
	return newContract(path, routes)
})

// newContract loads the OpenAPI document at path; routes are the template's API routes.
func newContract(path string, routes []samtemplate.Route) (*contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", path, err)
	}
	// Match on paths only: tests call the handler directly, not one of the document's servers.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := &contract{doc: doc, router: router}
	ref := doc.Components.Schemas["Problem"]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("%s: components.schemas.Problem is missing", path)
	}
	c.problem = ref.Value
	byPath := map[string]*resource{}
	for _, r := range routes {
		res := byPath[r.Path]
		if res == nil {
			res = &resource{segments: strings.Split(r.Path, "/"), methods: map[string]bool{}}
			byPath[r.Path] = res
			c.resources = append(c.resources, res)
		}
		res.methods[r.Method] = true
	}
	return c, nil
}

// servedByTemplate reports whether API Gateway would route method+path to a function: the resource is chosen
// as API Gateway does (a literal segment beats a {parameter}), then the method must be declared on it.
func (c *contract) servedByTemplate(method, path string) bool {
	segs := strings.Split(path, "/")
	var best *resource
	for _, r := range c.resources {
		if matches(r.segments, segs) && (best == nil || moreLiteral(r.segments, best.segments)) {
			best = r
		}
	}
	return best != nil && (best.methods[method] || best.methods["ANY"])
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func matches(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, s := range tmpl {
		if !isParam(s) && s != segs[i] {
			return false
		}
		if isParam(s) && segs[i] == "" {
			return false
		}
	}
	return true
}

// moreLiteral: the first segment where a and b differ in kind decides.
func moreLiteral(a, b []string) bool {
	for i := range a {
		if isParam(a[i]) != isParam(b[i]) {
			return !isParam(a[i])
		}
	}
	return false
}

// checkContract validates one exchange against openapi.yaml:
//   - the response's status must be documented for the operation, and its headers, content type and body
//     must match what is documented for that status;
//   - a request the document does not allow (bad body, missing parameter, wrong credentials) must not succeed:
//     the handler has to refuse it with a 4xx too. Tests send such requests on purpose to check the refusal.
//
// Exchanges on paths that are not API routes (fixtures in tests of the edge itself, deliberate 404s) have no
// operation to check; any problem body they carry must still match the Problem schema.
// CheckContract validates one proxy exchange against openapi.yaml (see checkContract), for tests that call a
// handler without Do: from other goroutines (it only calls t.Errorf and t.Logf, so any goroutine may call it
// while the test runs) or behind the local API gateway.
func CheckContract(t testing.TB, ev events.APIGatewayProxyRequest, resp events.APIGatewayProxyResponse) {
	t.Helper()
	checkContract(t, ev, resp)
}

func checkContract(t reporter, ev events.APIGatewayProxyRequest, resp events.APIGatewayProxyResponse) {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Errorf("contract: %v", err)
		return
	}
	if c != nil {
		c.check(t, ev, resp)
	}
}

func (c *contract) check(t reporter, ev events.APIGatewayProxyRequest, resp events.APIGatewayProxyResponse) {
	t.Helper()
	req, err := httpRequest(ev)
	if err != nil {
		t.Errorf("contract: %s %s: building the request: %v", ev.HTTPMethod, ev.Path, err)
		return
	}
	body, err := responseBody(resp)
	if err != nil {
		t.Errorf("contract: %s %s: %v", ev.HTTPMethod, ev.Path, err)
		return
	}
	header := responseHeader(resp)
	exchange := fmt.Sprintf("%s %s -> %d", ev.HTTPMethod, ev.Path, resp.StatusCode)

	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if c.servedByTemplate(ev.HTTPMethod, ev.Path) {
			if requireDocumented {
				t.Errorf("contract: %s: template.yaml routes this request but openapi.yaml does not document the operation", exchange)
			} else {
				t.Logf("contract: %s: not checked, openapi.yaml does not document the operation yet", exchange)
			}
			return
		}
		if isProblem(header) {
			if err := checkJSON(c.problem, body); err != nil {
				t.Errorf("contract: %s: problem body does not match components.schemas.Problem: %v\nbody: %s", exchange, err, body)
			}
		}
		return
	}

	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: authenticate(ev.RequestContext), MultiError: true},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && resp.StatusCode < 400 {
		t.Errorf("contract: %s: the handler accepted a request openapi.yaml does not allow (operation %s): %v",
			exchange, route.Operation.OperationID, err)
	}

	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("contract: %s: response does not match operation %s in openapi.yaml: %v\nbody: %s",
			exchange, route.Operation.OperationID, err, body)
		return
	}
	if ref := route.Operation.Responses.Status(resp.StatusCode); ref != nil && ref.Value != nil &&
		len(ref.Value.Content) == 0 && len(body) > 0 {
		t.Errorf("contract: %s: openapi.yaml documents no body for this status (operation %s), got %s",
			exchange, route.Operation.OperationID, body)
	}
}

// authenticate checks the identity API Gateway put in the request context against the operation's security
// scheme: a Cognito route needs claims with a subject, a SigV4 route an IAM user ARN.
func authenticate(rc events.APIGatewayProxyRequestContext) openapi3filter.AuthenticationFunc {
	return func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
		switch kind, _ := in.SecurityScheme.Extensions["x-amazon-apigateway-authtype"].(string); kind {
		case "cognito_user_pools":
			claims, _ := rc.Authorizer["claims"].(map[string]any)
			if sub, _ := claims["sub"].(string); sub == "" {
				return in.NewError(errors.New("no Cognito claims in the request context"))
			}
		case "awsSigv4":
			if rc.Identity.UserArn == "" {
				return in.NewError(errors.New("no IAM identity in the request context"))
			}
		default:
			return in.NewError(fmt.Errorf("security scheme %s has no known x-amazon-apigateway-authtype", in.SecuritySchemeName))
		}
		return nil
	}
}

// httpRequest rebuilds the client's HTTP request from the proxy event.
func httpRequest(ev events.APIGatewayProxyRequest) (*http.Request, error) {
	u := url.URL{Scheme: "http", Host: "127.0.0.1:3000", Path: ev.Path}
	q := url.Values{}
	for k, vs := range ev.MultiValueQueryStringParameters {
		q[k] = append(q[k], vs...)
	}
	for k, v := range ev.QueryStringParameters {
		if _, ok := q[k]; !ok {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequest(ev.HTTPMethod, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range ev.MultiValueHeaders {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	for k, v := range ev.Headers {
		if req.Header.Get(k) == "" {
			req.Header.Set(k, v)
		}
	}
	if len(body) == 0 {
		req.Body = http.NoBody
	}
	return req, nil
}

func responseHeader(resp events.APIGatewayProxyResponse) http.Header {
	h := http.Header{}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for k, v := range resp.Headers {
		if h.Get(k) == "" {
			h.Set(k, v)
		}
	}
	return h
}

func responseBody(resp events.APIGatewayProxyResponse) ([]byte, error) {
	if !resp.IsBase64Encoded {
		return []byte(resp.Body), nil
	}
	b, err := base64.StdEncoding.DecodeString(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("response body is not base64: %w", err)
	}
	return b, nil
}

func isProblem(h http.Header) bool {
	ct, _, _ := strings.Cut(h.Get("Content-Type"), ";")
	return strings.TrimSpace(ct) == "application/problem+json"
}

func checkJSON(s *openapi3.Schema, body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return s.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
}
