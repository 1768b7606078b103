package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/logging"
)

func route(method, path string, handle httpapi.HandlerFunc) httpapi.Route {
	return httpapi.Route{Method: method, Path: path, Access: httpapi.Public, Handle: handle}
}

func mustNew(t *testing.T, routes ...httpapi.Route) http.Handler {
	t.Helper()
	h, err := httpapi.New(httpapi.Options{}, routes)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Every answer, success or problem, is uncacheable, not content-sniffed, and varies by language.
func TestEveryResponseCarriesTheEdgeHeaders(t *testing.T) {
	h := mustNew(t,
		route("GET", "/ok", func(w http.ResponseWriter, r *http.Request) error {
			httpapi.WriteJSON(w, 200, map[string]int{"n": 1})
			return nil
		}),
		route("GET", "/fail", func(w http.ResponseWriter, r *http.Request) error { return failure.NotFound("order_not_found") }))
	for _, c := range []struct {
		path   string
		status int
	}{{"/ok", 200}, {"/fail", 404}, {"/nowhere", 404}} {
		r := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: c.path}, c.status)
		for name, want := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Vary": "Accept-Language"} {
			if got := r.Header(name); got != want {
				t.Errorf("%s: %s = %q, want %q", c.path, name, got, want)
			}
		}
	}
}

// A problem names its language, even when no route matched, and points at the API Gateway request id.
func TestProblemNamesLanguageAndRequest(t *testing.T) {
	h := mustNew(t)
	ev := apitest.Event(apitest.Request{Method: "GET", Path: "/nowhere", Headers: map[string]string{"Accept-Language": "en"}})
	ev.RequestContext.RequestID = "c0ffee00-1234"
	resp, err := httpapi.LambdaHandler(h)(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	var p httpapi.Problem
	if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
		t.Fatal(err)
	}
	lang := resp.Headers["Content-Language"]
	if len(resp.MultiValueHeaders["Content-Language"]) > 0 {
		lang = resp.MultiValueHeaders["Content-Language"][0]
	}
	if lang != "en" || p.Instance != "urn:tanggap:request:c0ffee00-1234" {
		t.Fatalf("Content-Language %q, instance %q", lang, p.Instance)
	}

	// Without a request id there is nothing to point at.
	ev.RequestContext.RequestID = ""
	resp, _ = httpapi.LambdaHandler(h)(context.Background(), ev)
	if strings.Contains(resp.Body, "instance") {
		t.Fatalf("instance without a request id: %s", resp.Body)
	}
	// Nor outside API Gateway.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/nowhere", nil))
	if strings.Contains(rec.Body.String(), "instance") {
		t.Fatalf("instance without a request context: %s", rec.Body.String())
	}
}

// Server errors are logged as errors (the alarms and Logs Insights queries look for level ERROR); expected
// failures only at debug level.
func TestFailuresAreLoggedAtTheirLevel(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	h := mustNew(t,
		route("GET", "/internal", func(w http.ResponseWriter, r *http.Request) error { return errors.New("boom") }),
		route("GET", "/missing", func(w http.ResponseWriter, r *http.Request) error { return failure.NotFound("order_not_found") }),
		route("GET", "/down", func(w http.ResponseWriter, r *http.Request) error { return failure.Unavailable("service_unavailable") }))
	for path, want := range map[string]string{"/internal": "ERROR", "/down": "ERROR", "/missing": "DEBUG"} {
		buf.Reset()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		var line struct{ Level, Msg string }
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line.Msg != "request failed" || line.Level != want {
			t.Errorf("%s (%d): logged %q, want level %s", path, rec.Code, buf.String(), want)
		}
	}
}

// Each failure kind has its status and title; the detail is the code's message with its parameters.
func TestProblemForEachKind(t *testing.T) {
	for _, c := range []struct {
		err    *failure.Error
		status int
		title  string
	}{
		{failure.Invalid(failure.FieldError{Field: "x", Code: "required"}), 400, "title.invalid"},
		{failure.NotFound("order_not_found"), 404, "title.not_found"},
		{failure.Conflict("ticket_invalid_transition").With("status", "closed"), 409, "title.conflict"},
		{failure.Rejected("order_not_found"), 422, "title.rejected"},
		{failure.Forbidden("forbidden"), 403, "title.forbidden"},
		{failure.New(failure.KindUnauthenticated, "unauthenticated"), 401, "title.unauthenticated"},
		{failure.Unavailable("service_unavailable"), 503, "title.unavailable"},
		{failure.New(failure.Kind(99), "order_not_found"), 500, "title.internal"},
	} {
		for _, lang := range []i18n.Lang{i18n.English, i18n.Indonesian} {
			p := httpapi.ProblemFor(c.err, lang)
			want := httpapi.Problem{
				Type: "urn:tanggap:problem:" + c.err.Code, Title: i18n.Message(lang, c.title, nil), Status: c.status,
				Detail: i18n.Message(lang, c.err.Code, c.err.Params), Code: c.err.Code,
			}
			p.Errors = nil
			if !equalProblem(p, want) {
				t.Errorf("%s %v:\n got %+v\nwant %+v", lang, c.err, p, want)
			}
		}
	}
	// The parameter reaches the text, as the status's label.
	if p := httpapi.ProblemFor(failure.Conflict("ticket_invalid_transition").With("status", "closed"), i18n.English); !strings.Contains(p.Detail, "“Closed”") {
		t.Errorf("detail %q does not name the status", p.Detail)
	}
}

// An internal error is a complete problem in the caller's language, never the error's text.
func TestInternalProblemIsComplete(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.Indonesian} {
		p := httpapi.ProblemFor(errors.New("dial tcp: refused"), lang)
		want := httpapi.Problem{Type: "urn:tanggap:problem:internal_error", Title: i18n.Message(lang, "title.internal", nil),
			Status: 500, Detail: i18n.Message(lang, "internal_error", nil), Code: "internal_error"}
		if !equalProblem(p, want) || p.Title == "" || p.Detail == "" {
			t.Errorf("%s: %+v", lang, p)
		}
	}
}

func equalProblem(a, b httpapi.Problem) bool {
	return a.Type == b.Type && a.Title == b.Title && a.Status == b.Status && a.Detail == b.Detail && a.Code == b.Code &&
		a.Instance == b.Instance && len(a.Errors) == len(b.Errors)
}

// Misconfiguration fails at start-up: an idempotent route needs a guard.
func TestIdempotentRouteNeedsAGuard(t *testing.T) {
	_, err := httpapi.New(httpapi.Options{}, []httpapi.Route{{Method: "POST", Path: "/x", Access: httpapi.Public, Idempotent: true,
		Handle: func(http.ResponseWriter, *http.Request) error { return nil }}})
	if err == nil {
		t.Fatal("an idempotent route without a guard was accepted")
	}
}

// A path served for any other method answers 405, whichever method that is.
func TestWrongMethodForEachMethod(t *testing.T) {
	noop := func(w http.ResponseWriter, r *http.Request) error { w.WriteHeader(204); return nil }
	h := mustNew(t, route("GET", "/g", noop), route("PUT", "/u", noop), route("DELETE", "/d", noop), route("PATCH", "/p", noop))
	for _, path := range []string{"/g", "/u", "/d", "/p"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", path, nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d, want 405", path, rec.Code)
		}
	}
}

// ?limit is 1 to 50 (default 20); anything else is a field error on "limit".
func TestPageLimits(t *testing.T) {
	h := mustNew(t, route("GET", "/p", func(w http.ResponseWriter, r *http.Request) error {
		p, err := httpapi.PageFrom(r)
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, 200, p)
		return nil
	}))
	for _, c := range []struct {
		limit string
		want  int // 0: refused
	}{{"", 20}, {"1", 1}, {"50", 50}, {"0", 0}, {"51", 0}, {"-1", 0}, {"ten", 0}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/p?limit="+c.limit, nil))
		if c.want == 0 {
			var p httpapi.Problem
			_ = json.Unmarshal(rec.Body.Bytes(), &p)
			if rec.Code != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "limit" || p.Errors[0].Code != "invalid" {
				t.Errorf("limit %q: %d %s", c.limit, rec.Code, rec.Body.String())
			}
			continue
		}
		var p httpapi.Page
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 200 || p.Limit != c.want {
			t.Errorf("limit %q: %d %s, want limit %d", c.limit, rec.Code, rec.Body.String(), c.want)
		}
	}
}

type decodeTarget struct {
	Name     string `json:"name" validate:"required"`
	Quantity int    `json:"quantity"`
	Internal string `json:"-" validate:"max=3"`
}

// How request bodies fail: the wrong JSON type names its field with code "type", an unknown field "unknown",
// a body that is not an object at all is malformed JSON, and a body of exactly MaxBodyBytes is still read.
func TestDecodeFailures(t *testing.T) {
	decode := func(body string, dst any) (*failure.Error, bool) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		return failure.As(httpapi.Decode(r, dst))
	}
	for _, c := range []struct {
		body, code, field, fieldCode string
	}{
		{`{"name":"a","quantity":"one"}`, "validation_failed", "quantity", "type"},
		{`{"name":"a","admin":true}`, "validation_failed", "admin", "unknown"},
		{`"just a string"`, "malformed_json", "", ""},
		{`[1,2]`, "malformed_json", "", ""},
	} {
		fe, ok := decode(c.body, &decodeTarget{})
		if !ok || fe.Code != c.code {
			t.Errorf("%s: %+v, want %s", c.body, fe, c.code)
			continue
		}
		if c.field == "" && len(fe.Fields) != 0 || c.field != "" && (len(fe.Fields) != 1 || fe.Fields[0].Field != c.field || fe.Fields[0].Code != c.fieldCode) {
			t.Errorf("%s: fields %+v, want %s:%s", c.body, fe.Fields, c.field, c.fieldCode)
		}
	}

	full := `{"name":"a"}`
	full += strings.Repeat(" ", httpapi.MaxBodyBytes-len(full))
	var dst decodeTarget
	if _, failed := decode(full, &dst); failed || dst.Name != "a" {
		t.Errorf("a body of exactly %d bytes was refused", httpapi.MaxBodyBytes)
	}

	// A field clients cannot send (json:"-") is named by its Go name, never "-".
	err := httpapi.Validate(&decodeTarget{Name: "a", Internal: "toolong"})
	if fe, ok := failure.As(err); !ok || len(fe.Fields) != 1 || fe.Fields[0].Field != "Internal" {
		t.Errorf("json:\"-\" field: %v", err)
	}
}

// Every log line a request writes carries the API Gateway request id, the one a problem's instance names.
func TestLogLinesCarryTheAPIRequestID(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(logging.New(&buf, slog.LevelInfo))
	t.Cleanup(func() { slog.SetDefault(old) })

	h := mustNew(t, route("GET", "/hello", func(w http.ResponseWriter, r *http.Request) error {
		slog.InfoContext(r.Context(), "handling")
		w.WriteHeader(204)
		return nil
	}))
	ev := apitest.Event(apitest.Request{Method: "GET", Path: "/hello"})
	ev.RequestContext.RequestID = "c0ffee00-5678"
	if _, err := httpapi.LambdaHandler(h)(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	var line struct {
		Msg          string `json:"msg"`
		APIRequestID string `json:"apiRequestId"`
	}
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line.Msg != "handling" || line.APIRequestID != "c0ffee00-5678" {
		t.Fatalf("log %q (%v), want the handler's line with apiRequestId", buf.String(), err)
	}
}
