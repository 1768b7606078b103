// Package gateway is the local stand-in for the API Gateway REST API in front of the functions: it matches a
// request to the template's Api events, applies the route's authorizer (with local dev tokens instead of
// Cognito and SigV4), builds the same Lambda proxy event API Gateway would, invokes the function and turns its
// proxy response back into HTTP. Gateway-made errors are the template's GatewayResponses (API Gateway's own
// {"message": ...} bodies where it has none), with API Gateway's status codes.
package gateway

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/runtimeapi"
	"github.com/tanggap/tanggap/infra/samtemplate"
)

const (
	// AccountID is the local account in identities and ARNs.
	AccountID = "000000000000"

	maxRequestBytes    = 10 * 1024 * 1024 // API Gateway's payload limit
	integrationTimeout = 29 * time.Second // API Gateway's default integration timeout

	customerTokenPrefix = "dev-customer:"
	operatorTokenPrefix = "dev-ops:"
)

// Invoker runs a function by logical id with a payload and returns its response (see runtimeapi.Function).
type Invoker interface {
	Invoke(ctx context.Context, functionLogicalID string, payload []byte) ([]byte, error)
}

// InvokerFunc adapts a function to Invoker.
type InvokerFunc func(ctx context.Context, functionLogicalID string, payload []byte) ([]byte, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, id string, payload []byte) ([]byte, error) {
	return f(ctx, id, payload)
}

// A QueueingInvoker lets a request wait for a free function instance before the integration timeout starts:
// deployed, Lambda would have scaled out instead of making it wait, so the wait must not turn into a 504.
type QueueingInvoker interface {
	Invoker
	// InvokeWithin waits for an instance as long as ctx allows, then gives the invocation timeout to answer.
	InvokeWithin(ctx context.Context, functionLogicalID string, payload []byte, timeout time.Duration) ([]byte, error)
}

// ErrFunctionUnavailable is what an Invoker returns for a function that is not running locally.
var ErrFunctionUnavailable = errors.New("function is not running locally")

// CORS is an API's SAM Cors setting with the quotes SAM requires removed.
type CORS struct {
	AllowOrigin      string
	AllowHeaders     string
	AllowMethods     string
	MaxAge           string
	AllowCredentials bool
}

// API holds the settings of one AWS::Serverless::Api.
type API struct {
	Stage string
	CORS  *CORS // nil: no preflight answers
	// Responses are the API's GatewayResponses by response type (see refuse).
	Responses map[string]samtemplate.GatewayResponse
	// WAF is the web ACL on the API's stage; nil for none.
	WAF *WAF
}

// Config wires a Gateway.
type Config struct {
	Routes  []samtemplate.Route
	Invoker Invoker
	// APIs by logical id (Route.RestAPILogicalID); a route whose API is missing gets stage "Prod" and no CORS,
	// as SAM's implicit API would.
	APIs map[string]API
	// Region for the domain name and ARNs; default ap-southeast-3.
	Region string
	// CustomerEmail gives the email claim for a dev customer; nil or "" means <id>@demo.tanggap.local.
	CustomerEmail func(customerID string) string
	// CustomerName gives the name claim for a dev customer; nil or "" leaves the claim out.
	CustomerName func(customerID string) string
	// Logf receives one line per request; nil is quiet.
	Logf func(format string, args ...any)
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// Gateway is an http.Handler serving the template's API routes.
type Gateway struct {
	cfg       Config
	resources []*resource
}

type resource struct {
	path     string
	segments []string
	methods  map[string]samtemplate.Route // upper-case method or ANY
	api      string
}

// New validates the routes and returns the handler.
func New(cfg Config) (*Gateway, error) {
	if cfg.Invoker == nil {
		return nil, errors.New("gateway: an Invoker is required")
	}
	if cfg.Region == "" {
		cfg.Region = "ap-southeast-3"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	byPath := map[string]*resource{}
	for _, rt := range cfg.Routes {
		segs, err := parsePath(rt.Path)
		if err != nil {
			return nil, fmt.Errorf("gateway: route %s %s: %w", rt.Method, rt.Path, err)
		}
		res := byPath[rt.Path]
		if res == nil {
			res = &resource{path: rt.Path, segments: segs, methods: map[string]samtemplate.Route{}, api: rt.RestAPILogicalID}
			byPath[rt.Path] = res
		}
		res.methods[strings.ToUpper(rt.Method)] = rt
	}
	g := &Gateway{cfg: cfg}
	for _, res := range byPath {
		g.resources = append(g.resources, res)
	}
	sort.Slice(g.resources, func(i, j int) bool { return g.resources[i].path < g.resources[j].path })
	return g, nil
}

func parsePath(p string) ([]string, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, errors.New("path must start with /")
	}
	if p == "/" {
		return nil, nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		if s == "" {
			return nil, errors.New("empty path segment")
		}
		if strings.HasSuffix(s, "+}") && i != len(segs)-1 {
			return nil, errors.New("a greedy {param+} must be the last segment")
		}
	}
	return segs, nil
}

func (g *Gateway) api(res *resource) API {
	if a, ok := g.cfg.APIs[res.api]; ok {
		if a.Stage == "" {
			a.Stage = "Prod"
		}
		return a
	}
	return API{Stage: "Prod"}
}

// refusalAPI is the API whose GatewayResponses answer a request: the matched resource's, or for a path no
// resource matches the only API there is.
func (g *Gateway) refusalAPI(res *resource) API {
	if res != nil {
		return g.api(res)
	}
	if len(g.cfg.APIs) == 1 {
		for _, a := range g.cfg.APIs {
			return a
		}
	}
	return API{Stage: "Prod"}
}

// ServeHTTP answers one request the way API Gateway REST would.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := g.cfg.Now()
	requestID := newUUID()
	rec := &statusRecorder{ResponseWriter: w}
	w = rec
	w.Header().Set("x-amzn-RequestId", requestID)
	defer func() {
		g.cfg.Logf("%s %s → %d (%s)", r.Method, r.URL.RequestURI(), rec.status, time.Since(start).Round(time.Millisecond))
	}()

	segments, ok := splitEscapedPath(r.URL.EscapedPath())
	if !ok {
		g.refuse(w, r, g.refusalAPI(nil), refuseBadRequest, requestID)
		return
	}
	res, params := g.match(segments)
	// AWS WAF sees every request to the stage before API Gateway routes or authorizes it.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil {
		g.refuse(w, r, g.refusalAPI(res), refuseBadRequest, requestID)
		return
	}
	if waf := g.refusalAPI(res); waf.WAF != nil {
		if rule := waf.WAF.Blocks(r, "/"+waf.Stage+r.URL.Path, body); rule != "" {
			g.cfg.Logf("%s %s: blocked by WAF rule %s", r.Method, r.URL.Path, rule)
			g.refuse(w, r, waf, refuseWAF, requestID)
			return
		}
	}
	if res == nil {
		g.refuse(w, r, g.refusalAPI(nil), refuseMissingToken, requestID)
		return
	}
	api := g.api(res)
	method := strings.ToUpper(r.Method)
	route, ok := res.methods[method]
	if !ok {
		route, ok = res.methods["ANY"]
	}
	if !ok {
		if method == http.MethodOptions && api.CORS != nil {
			preflight(w, api.CORS)
			return
		}
		g.refuse(w, r, api, refuseMissingToken, requestID)
		return
	}

	rc := events.APIGatewayProxyRequestContext{}
	switch route.Auth {
	case samtemplate.AuthCognito:
		customerID, ok := bearer(r.Header.Get("Authorization"), customerTokenPrefix, customerIDPattern)
		if !ok {
			g.refuse(w, r, api, refuseUnauthorized, requestID)
			return
		}
		rc.Authorizer = map[string]any{"claims": g.claims(customerID, start)}
	case samtemplate.AuthIAM:
		auth := r.Header.Get("Authorization")
		if auth == "" {
			g.refuse(w, r, api, refuseMissingToken, requestID)
			return
		}
		name, ok := bearer(auth, operatorTokenPrefix, iamNamePattern)
		if !ok {
			g.refuse(w, r, api, refuseBadSignature, requestID)
			return
		}
		rc.Identity = operatorIdentity(name)
	case samtemplate.AuthNone:
	default:
		g.refuse(w, r, api, refuseMissingToken, requestID)
		return
	}

	if len(body) > maxRequestBytes {
		g.refuse(w, r, api, refuseTooLarge, requestID)
		return
	}

	event := g.event(r, res, route, api, params, body, requestID, start, rc)
	payload, err := json.Marshal(event)
	if err != nil {
		g.refuse(w, r, api, refuseInternal, requestID)
		return
	}
	var out []byte
	if qi, ok := g.cfg.Invoker.(QueueingInvoker); ok {
		out, err = qi.InvokeWithin(r.Context(), route.FunctionLogicalID, payload, integrationTimeout)
	} else {
		ctx, cancel := context.WithTimeout(r.Context(), integrationTimeout)
		out, err = g.cfg.Invoker.Invoke(ctx, route.FunctionLogicalID, payload)
		cancel()
	}
	if err != nil {
		g.cfg.Logf("%s %s: %s: %v", r.Method, r.URL.Path, route.FunctionLogicalID, err)
		if errors.Is(err, runtimeapi.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
			g.refuse(w, r, api, refuseTimeout, requestID)
			return
		}
		if errors.Is(err, runtimeapi.ErrThrottled) {
			g.refuse(w, r, api, refuseFunctionThrottled, requestID)
			return
		}
		g.refuse(w, r, api, refuseFunctionFailed, requestID)
		return
	}
	if !writeProxyResponse(w, out, g.cfg.Logf) {
		g.refuse(w, r, api, refuseFunctionFailed, requestID)
	}
}

// Lookup reports the route a request would reach (before auth), e.g. to check which function serves it.
func (g *Gateway) Lookup(method, path string) (samtemplate.Route, bool) {
	segments, ok := splitEscapedPath(path)
	if !ok {
		return samtemplate.Route{}, false
	}
	res, _ := g.match(segments)
	if res == nil {
		return samtemplate.Route{}, false
	}
	if rt, ok := res.methods[strings.ToUpper(method)]; ok {
		return rt, true
	}
	rt, ok := res.methods["ANY"]
	return rt, ok
}

// match finds the resource for the path: at each segment a literal beats {param}, which beats {param+},
// as API Gateway's resource tree does.
func (g *Gateway) match(segments []string) (*resource, map[string]string) {
	var best *resource
	var bestRank []int
	var bestParams map[string]string
	for _, res := range g.resources {
		rank, params, ok := matchResource(res.segments, segments)
		if !ok {
			continue
		}
		if best == nil || lessRank(rank, bestRank) {
			best, bestRank, bestParams = res, rank, params
		}
	}
	return best, bestParams
}

func matchResource(pattern, segments []string) ([]int, map[string]string, bool) {
	var rank []int
	params := map[string]string{}
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "+}") {
			if i >= len(segments) {
				return nil, nil, false
			}
			params[p[1:len(p)-2]] = strings.Join(segments[i:], "/")
			return append(rank, 2), params, true
		}
		if i >= len(segments) {
			return nil, nil, false
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			params[p[1:len(p)-1]] = segments[i]
			rank = append(rank, 1)
			continue
		}
		if p != segments[i] {
			return nil, nil, false
		}
		rank = append(rank, 0)
	}
	if len(pattern) != len(segments) {
		return nil, nil, false
	}
	return rank, params, true
}

func lessRank(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) > len(b)
}

// splitEscapedPath splits the raw path into decoded segments, so an encoded slash stays inside its segment.
func splitEscapedPath(escaped string) ([]string, bool) {
	trimmed := strings.Trim(escaped, "/")
	if trimmed == "" {
		return nil, true
	}
	raw := strings.Split(trimmed, "/")
	out := make([]string, 0, len(raw))
	for _, s := range raw {
		if s == "" {
			continue
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return nil, false
		}
		out = append(out, d)
	}
	return out, true
}

var (
	customerIDPattern = regexp.MustCompile(`^[A-Za-z0-9._@+-]{1,128}$`)
	iamNamePattern    = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)
)

// bearer reads "Bearer <prefix><value>" (the "Bearer " is optional, as Cognito authorizers take the raw token).
func bearer(header, prefix string, valid *regexp.Regexp) (string, bool) {
	token := strings.TrimSpace(header)
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	value, ok := strings.CutPrefix(token, prefix)
	if !ok || !valid.MatchString(value) {
		return "", false
	}
	return value, true
}

// claims are what a Cognito user pool authorizer puts in requestContext.authorizer.claims: all strings.
func (g *Gateway) claims(customerID string, now time.Time) map[string]any {
	email := ""
	if g.cfg.CustomerEmail != nil {
		email = g.cfg.CustomerEmail(customerID)
	}
	if email == "" {
		email = customerID + "@demo.tanggap.local"
	}
	iat := now.Unix()
	c := map[string]any{
		"sub":              customerID,
		"email":            email,
		"email_verified":   "true",
		"cognito:username": customerID,
		"token_use":        "id",
		"iss":              fmt.Sprintf("https://cognito-idp.%s.amazonaws.com/%s_local", g.cfg.Region, g.cfg.Region),
		"aud":              "local-app-client",
		"auth_time":        fmt.Sprint(iat),
		"iat":              fmt.Sprint(iat),
		"exp":              fmt.Sprint(iat + 3600),
	}
	if g.cfg.CustomerName != nil {
		if name := g.cfg.CustomerName(customerID); name != "" {
			c["name"] = name
		}
	}
	return c
}

// operatorIdentity is the identity API Gateway reports for a SigV4 call by IAM user <name>.
func operatorIdentity(name string) events.APIGatewayRequestIdentity {
	sum := sha256.Sum256([]byte(name))
	enc := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])
	userID := "AIDA" + enc[:17]
	return events.APIGatewayRequestIdentity{
		AccountID: AccountID,
		Caller:    userID,
		User:      userID,
		UserArn:   fmt.Sprintf("arn:aws:iam::%s:user/%s", AccountID, name),
		AccessKey: "AKIA" + enc[17:33],
	}
}

func (g *Gateway) event(r *http.Request, res *resource, route samtemplate.Route, api API, params map[string]string,
	body []byte, requestID string, now time.Time, rc events.APIGatewayProxyRequestContext) events.APIGatewayProxyRequest {
	host := r.Host
	sourceIP := r.RemoteAddr
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		sourceIP = h
	}
	port := "80"
	if _, p, err := net.SplitHostPort(host); err == nil {
		port = p
	}
	traceID := fmt.Sprintf("Root=1-%08x-%s", now.Unix(), randomHex(12))

	headers := map[string]string{}
	multi := map[string][]string{}
	add := func(k, v string) {
		headers[k] = v
		multi[k] = append(multi[k], v)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			add(k, v)
		}
	}
	add("Host", host)
	if _, ok := headers["X-Amzn-Trace-Id"]; !ok {
		add("X-Amzn-Trace-Id", traceID)
	}
	add("X-Forwarded-For", sourceIP)
	add("X-Forwarded-Port", port)
	add("X-Forwarded-Proto", "http")

	var query map[string]string
	var multiQuery map[string][]string
	if q := r.URL.Query(); len(q) > 0 {
		query, multiQuery = map[string]string{}, map[string][]string{}
		for k, vs := range q {
			query[k] = vs[len(vs)-1]
			multiQuery[k] = vs
		}
	}
	if len(params) == 0 {
		params = nil
	}

	ev := events.APIGatewayProxyRequest{
		Resource:                        res.path,
		Path:                            r.URL.Path,
		HTTPMethod:                      strings.ToUpper(r.Method),
		Headers:                         headers,
		MultiValueHeaders:               multi,
		QueryStringParameters:           query,
		MultiValueQueryStringParameters: multiQuery,
		PathParameters:                  params,
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type"), body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}

	apiID := "local"
	if route.RestAPILogicalID != "" {
		apiID = strings.ToLower(route.RestAPILogicalID)
	}
	rc.AccountID = AccountID
	rc.ResourceID = randomHex(3)
	rc.Stage = api.Stage
	rc.DomainName = host
	rc.DomainPrefix = strings.SplitN(host, ".", 2)[0]
	rc.RequestID = requestID
	rc.ExtendedRequestID = randomHex(8)
	rc.Protocol = r.Proto
	rc.Identity.SourceIP = sourceIP
	rc.Identity.UserAgent = r.UserAgent()
	rc.ResourcePath = res.path
	rc.Path = "/" + api.Stage + r.URL.Path
	rc.HTTPMethod = ev.HTTPMethod
	rc.RequestTime = now.UTC().Format("02/Jan/2006:15:04:05 +0000")
	rc.RequestTimeEpoch = now.UnixMilli()
	rc.APIID = apiID
	ev.RequestContext = rc
	return ev
}

// isText says whether API Gateway would hand the body over as text (no binary media types configured, so
// anything that is valid UTF-8 of a textual type); everything else goes base64-encoded.
func isText(contentType string, body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"),
		mt == "application/json", mt == "application/xml", mt == "application/javascript",
		mt == "application/x-www-form-urlencoded", mt == "application/problem+json":
		return true
	}
	return false
}

// writeProxyResponse writes the function's proxy response; for a malformed one it writes nothing and reports
// false (API Gateway answers 502).
func writeProxyResponse(w http.ResponseWriter, out []byte, logf func(string, ...any)) bool {
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		logf("malformed Lambda proxy response: %.200s", out)
		return false
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			logf("malformed Lambda proxy response: body is not base64")
			return false
		}
		body = decoded
	}
	h := w.Header()
	// multiValueHeaders win over headers for the same name, as API Gateway merges them.
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for k, v := range resp.Headers {
		if _, dup := resp.MultiValueHeaders[k]; !dup {
			h.Set(k, v)
		}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
	return true
}

func preflight(w http.ResponseWriter, c *CORS) {
	h := w.Header()
	if c.AllowOrigin != "" {
		h.Set("Access-Control-Allow-Origin", c.AllowOrigin)
	}
	if c.AllowHeaders != "" {
		h.Set("Access-Control-Allow-Headers", c.AllowHeaders)
	}
	if c.AllowMethods != "" {
		h.Set("Access-Control-Allow-Methods", c.AllowMethods)
	}
	if c.MaxAge != "" {
		h.Set("Access-Control-Max-Age", c.MaxAge)
	}
	if c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
