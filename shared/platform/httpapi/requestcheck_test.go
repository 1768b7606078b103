package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
)

// hostileEvents are proxy events the adapter cannot convert or the mux would redirect, each with the status
// the edge must answer instead.
func hostileEvents() map[string]struct {
	ev     events.APIGatewayProxyRequest
	status int
} {
	get := func(path string, params map[string]string) events.APIGatewayProxyRequest {
		ev := apitest.Event(apitest.Request{Method: "GET", Path: "/widgets/x", Resource: "/widgets/{id}", As: apitest.AsCustomer("c1")})
		ev.Path, ev.PathParameters = path, params
		return ev
	}
	out := map[string]struct {
		ev     events.APIGatewayProxyRequest
		status int
	}{}
	add := func(name string, ev events.APIGatewayProxyRequest, status int) {
		out[name] = struct {
			ev     events.APIGatewayProxyRequest
			status int
		}{ev, status}
	}
	// API Gateway decodes the path once: %25zz arrives as %zz, %00 as a NUL byte, %0D%0A as CR LF.
	add("bad escape", get("/widgets/TGP-10001%zz", map[string]string{"id": "TGP-10001%zz"}), 404)
	add("bare percent", get("/widgets/%", map[string]string{"id": "%"}), 404)
	add("NUL", get("/widgets/\x00", map[string]string{"id": "\x00"}), 404)
	add("encoded NUL left encoded", get("/widgets/%00", map[string]string{"id": "%00"}), 404)
	add("CR LF in path", get("/widgets/a\r\nSet-Cookie: x=1", map[string]string{"id": "a\r\nSet-Cookie: x=1"}), 404)
	add("CR LF only in the parameter", get("/widgets/a", map[string]string{"id": "a\r\n"}), 404)
	add("control character", get("/widgets/a\x7f", map[string]string{"id": "a\x7f"}), 404)
	add("invalid UTF-8", get("/widgets/\xff\xfe", map[string]string{"id": "\xff\xfe"}), 404)
	add("double slash", get("//widgets/x", nil), 404)
	add("inner double slash", get("/widgets//x", nil), 404)
	add("dot dot", get("/widgets/../widgets/x", nil), 404)
	add("dot", get("/widgets/./x", nil), 404)
	add("trailing slash", get("/widgets/x/", nil), 404)
	add("encoded slash", get("/widgets/a/b", map[string]string{"id": "a/b"}), 404)
	add("backslash", get("/widgets/a\\..\\b", map[string]string{"id": "a\\..\\b"}), 404)
	add("relative", get("widgets/x", nil), 404)
	add("empty path", get("", nil), 404)
	add("too long", get("/widgets/"+strings.Repeat("a", 5000), map[string]string{"id": strings.Repeat("a", 5000)}), 404)
	badMethod := get("/widgets/x", map[string]string{"id": "x"})
	badMethod.HTTPMethod = "GE T"
	add("invalid method", badMethod, 405)
	badHost := get("/widgets/x", map[string]string{"id": "x"})
	badHost.RequestContext.DomainName = "exa mple.com/\x00"
	add("invalid domain", badHost, 404)
	badBody := apitest.Event(apitest.Request{Method: "POST", Path: "/widgets", As: apitest.AsCustomer("c1")})
	badBody.Body, badBody.IsBase64Encoded = "not*base64!", true
	add("invalid base64 body", badBody, 400)
	return out
}

// captureStdout runs f and returns what it wrote to os.Stdout (the adapter's fmt.Printf goes there).
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	defer func() { os.Stdout = saved }()
	f()
	os.Stdout = saved
	_ = w.Close()
	return <-done
}

func TestHostileEventsGetProblemsNotAdapterErrors(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	handle := httpapi.LambdaHandler(h)
	printed := captureStdout(t, func() {
		for name, c := range hostileEvents() {
			resp, err := handle(context.Background(), c.ev)
			if err != nil {
				t.Errorf("%s: adapter error %v (a 502 in production)", name, err)
				continue
			}
			ct := resp.MultiValueHeaders["Content-Type"]
			if resp.StatusCode != c.status || len(ct) != 1 || ct[0] != httpapi.ProblemContentType {
				t.Errorf("%s: status %d content type %v, want %d problem+json; body %s", name, resp.StatusCode, ct, c.status, resp.Body)
				continue
			}
			if loc := resp.MultiValueHeaders["Location"]; len(loc) > 0 {
				t.Errorf("%s: redirect to %v", name, loc)
			}
			if got := resp.MultiValueHeaders["Access-Control-Allow-Origin"]; len(got) != 1 || got[0] != "https://shop.example" {
				t.Errorf("%s: edge headers missing: %v", name, resp.MultiValueHeaders)
			}
			var p httpapi.Problem
			if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || p.Status != c.status || !strings.HasPrefix(p.Instance, "urn:tanggap:request:req-") {
				t.Errorf("%s: problem %+v (%v)", name, p, err)
			}
		}
	})
	if printed != "" {
		t.Fatalf("something printed to stdout past the logger: %q", printed)
	}
}

// The capture above can fail: the bare adapter prints the raw path for the same events.
func TestBareAdapterWouldPrintTheRawPath(t *testing.T) {
	ev := hostileEvents()["bad escape"].ev
	ev.Path = "/widgets/budi@example.co.id%zz"
	printed := captureStdout(t, func() {
		if _, err := httpadapter.New(http.NotFoundHandler()).ProxyWithContext(context.Background(), ev); err == nil {
			t.Error("the adapter converted a path with a bad escape; the guard may be unnecessary now")
		}
	})
	if !strings.Contains(printed, "budi@example.co.id") {
		t.Fatalf("expected the adapter to print the raw path, got %q", printed)
	}
}

// Paths with characters that survive the checks reach the handler exactly as the client sent them.
func TestPathParametersArriveDecodedOnce(t *testing.T) {
	var got atomic.Value
	h, err := httpapi.New(httpapi.Options{}, []httpapi.Route{{Method: "GET", Path: "/things/{id}", Access: httpapi.Public,
		Handle: func(w http.ResponseWriter, r *http.Request) error {
			got.Store(r.PathValue("id"))
			return failure.NotFound("route_not_found")
		}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"TGP-10001", "a b", "a?b=c", "a#b", "ü", "a+b"} {
		ev := apitest.Event(apitest.Request{Method: "GET", Path: "/things/x", Resource: "/things/{id}"})
		ev.Path, ev.PathParameters = "/things/"+id, map[string]string{"id": id}
		resp, err := httpapi.LambdaHandler(h)(context.Background(), ev)
		if err != nil || resp.StatusCode != 404 || got.Load() != id {
			t.Errorf("%q: status %d err %v, handler saw %q", id, resp.StatusCode, err, got.Load())
		}
	}
}

// The handler used directly (not through the adapter) refuses the same paths without a redirect.
func TestNoRedirectsForTheHandlerUsedDirectly(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	for _, target := range []string{"//widgets", "/widgets/../widgets", "/./widgets", "/widgets/a%2Fb", "/widgets/a%2fb",
		"/widgets/", "/widgets/%25zz", "/widgets/a%00"} {
		req := httptest.NewRequest("POST", target, strings.NewReader(`{}`))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 404 || rec.Header().Get("Location") != "" || rec.Header().Get("Content-Type") != httpapi.ProblemContentType {
			t.Errorf("%s: %d %v %s", target, rec.Code, rec.Header(), rec.Body)
		}
	}
}

func TestRoutesWithTrailingSlashesAreRefused(t *testing.T) {
	for _, p := range []string{"/widgets/", "/files/{path...}"} {
		if _, err := httpapi.New(httpapi.Options{}, []httpapi.Route{{Method: "GET", Path: p, Access: httpapi.Public,
			Handle: func(http.ResponseWriter, *http.Request) error { return nil }}}); err == nil {
			t.Errorf("%s: accepted", p)
		}
	}
}

func TestFieldErrorsAreCapped(t *testing.T) {
	var fields []failure.FieldError
	for i := range 15000 {
		fields = append(fields, failure.FieldError{Field: "lines[" + strings.Repeat("9", i%5+1) + "].lineId", Code: "required"})
	}
	h, err := httpapi.New(httpapi.Options{}, []httpapi.Route{{Method: "POST", Path: "/many", Access: httpapi.Public,
		Handle: func(http.ResponseWriter, *http.Request) error { return failure.Invalid(fields...) }}})
	if err != nil {
		t.Fatal(err)
	}
	r := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/many", Body: `{}`}, 400)
	p := r.Problem()
	if len(p.Errors) != httpapi.MaxFieldErrors || p.ErrorCount != 15000 || len(r.Body) > 4096 {
		t.Fatalf("%d errors listed, count %d, %d bytes", len(p.Errors), p.ErrorCount, len(r.Body))
	}
	if !bytes.Contains([]byte(r.Body), []byte(`"errorCount":15000`)) {
		t.Fatalf("errorCount missing: %s", r.Body)
	}
}
