package httpapi

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// maxPathBytes bounds a request path; the longest real one is well under 200 bytes.
const maxPathBytes = 1024

// Refusals of requests that never reach a route. The cause stays in the logs only.
var (
	errBadPath   = failure.NotFound("route_not_found")
	errBadMethod = failure.New(failure.KindInvalid, "method_not_allowed")
	errBadBody   = failure.New(failure.KindInvalid, "malformed_json")
)

// checkPath accepts only canonical paths: "/"-separated, non-empty segments that are not "." or "..", valid
// UTF-8 without control characters, "%" or "\". p is the decoded path, as in a proxy event's path or
// http.Request.URL.Path; a "%" left after decoding means a doubly encoded or malformed escape. Anything else
// is a 404 rather than a redirect to some cleaned form.
func checkPath(p string) error {
	if p == "" || p[0] != '/' || len(p) > maxPathBytes || !utf8.ValidString(p) {
		return errBadPath.Wrap(errors.New("path is empty, relative, too long or not UTF-8"))
	}
	if p == "/" {
		return nil
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if err := checkSegment(seg); err != nil {
			return err
		}
	}
	return nil
}

// checkSegment checks one decoded path segment; a "/" inside it is an encoded slash.
func checkSegment(seg string) error {
	if seg == "" || seg == "." || seg == ".." {
		return errBadPath.Wrap(errors.New("empty or dot path segment"))
	}
	if !utf8.ValidString(seg) {
		return errBadPath.Wrap(errors.New("path segment is not UTF-8"))
	}
	for _, r := range seg {
		if unicode.IsControl(r) || r == '%' || r == '\\' || r == '/' {
			return errBadPath.Wrap(errors.New("control character, escape, backslash or slash in a path segment"))
		}
	}
	return nil
}

// checkRequest refuses what the mux would redirect or mis-route, for a request from any source.
func checkRequest(r *http.Request) error {
	if err := checkPath(r.URL.Path); err != nil {
		return err
	}
	// An encoded slash decodes into URL.Path as a real one; only the escaped form shows it.
	if esc := r.URL.EscapedPath(); strings.Contains(esc, "%2F") || strings.Contains(esc, "%2f") {
		return errBadPath.Wrap(errors.New("encoded slash in path"))
	}
	return nil
}

var proxyMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// cleanEvent checks a proxy event before aws-lambda-go-api-proxy sees it, so the adapter's conversion cannot
// fail (it would print the raw path with fmt.Printf and the function would answer 502). API Gateway hands
// over the path decoded; the adapter parses it as a URL, so it is escaped again here and reaches the handler
// exactly as checked. It returns the event to hand to the adapter, or the reason to refuse it.
func cleanEvent(ev events.APIGatewayProxyRequest) (events.APIGatewayProxyRequest, error) {
	if !proxyMethods[ev.HTTPMethod] {
		return ev, errBadMethod.Wrap(errors.New("unsupported HTTP method"))
	}
	if err := checkPath(ev.Path); err != nil {
		return ev, err
	}
	for _, v := range ev.PathParameters {
		if err := checkSegment(v); err != nil {
			return ev, err
		}
	}
	if !validHost(ev.RequestContext.DomainName) {
		return ev, errBadPath.Wrap(errors.New("invalid domain name in request context"))
	}
	if ev.IsBase64Encoded {
		if _, err := base64.StdEncoding.DecodeString(ev.Body); err != nil {
			return ev, errBadBody.Wrap(err)
		}
	}
	ev.Path = (&url.URL{Path: ev.Path}).EscapedPath()
	return ev, nil
}

// validHost accepts what may stand between "https://" and the path in a URL: a DNS name, optionally with a port.
func validHost(h string) bool {
	name, port, hasPort := strings.Cut(h, ":")
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	if !hasPort {
		return true
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return false
		}
	}
	return port != "" && len(port) <= 5
}

type refusalKey struct{}

// refusedEvent is what the adapter gets instead of an event that failed cleanEvent: the same caller and
// headers (for the language and request id), no path, parameters or body. The refusal travels in the
// context, and the edge answers it with the usual headers.
func refusedEvent(ctx context.Context, ev events.APIGatewayProxyRequest, why error) (context.Context, events.APIGatewayProxyRequest) {
	ev.HTTPMethod, ev.Path, ev.Resource, ev.Body, ev.IsBase64Encoded = http.MethodGet, "/", "/", "", false
	ev.PathParameters, ev.QueryStringParameters, ev.MultiValueQueryStringParameters = nil, nil, nil
	ev.RequestContext.DomainName = ""
	return context.WithValue(ctx, refusalKey{}, why), ev
}

func refusalFrom(ctx context.Context) error {
	err, _ := ctx.Value(refusalKey{}).(error)
	return err
}
