package httpapi_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

type widgetRequest struct {
	Name     string `json:"name" validate:"required,max=10"`
	Quantity int    `json:"quantity" validate:"gte=1,lte=5"`
	Lines    []struct {
		SKU string `json:"sku" validate:"required"`
	} `json:"lines" validate:"required,min=1,dive"`
}

func newAPI(t *testing.T, created *atomic.Int32) http.Handler {
	t.Helper()
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(idempotency.NewMemoryStore()), AllowedOrigin: "https://shop.example"},
		[]httpapi.Route{
			{Method: "POST", Path: "/widgets", Access: httpapi.Customer, Idempotent: true, Handle: func(w http.ResponseWriter, r *http.Request) error {
				var req widgetRequest
				if err := httpapi.Decode(r, &req); err != nil {
					return err
				}
				n := created.Add(1)
				httpapi.WriteJSON(w, http.StatusCreated, map[string]any{"name": req.Name, "serial": n})
				return nil
			}},
			{Method: "GET", Path: "/widgets/{id}", Access: httpapi.Customer, Handle: func(w http.ResponseWriter, r *http.Request) error {
				if httpapi.PathParam(r, "id") == "boom" {
					panic("database password is hunter2")
				}
				if httpapi.PathParam(r, "id") == "secret" {
					return errors.New("dial tcp 10.0.0.1:443: connection refused")
				}
				return failure.NotFound("route_not_found")
			}},
			{Method: "POST", Path: "/ops/widgets/{id}/approve", Access: httpapi.Operator, Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
			{Method: "POST", Path: "/flaky", Access: httpapi.Public, Idempotent: true, Handle: func(w http.ResponseWriter, r *http.Request) error {
				if created.Add(1) == 1 {
					return failure.Unavailable("service_unavailable")
				}
				w.WriteHeader(http.StatusAccepted)
				return nil
			}},
		})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestValidationProblemInBothLanguages(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	body := `{"name":"far too long a name","quantity":9,"lines":[{"sku":""}]}`
	for lang, want := range map[string]string{"en": "Must be at most 10.", "id-ID": "Maksimal 10."} {
		r := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: body, As: apitest.AsCustomer("c1"),
			Headers: map[string]string{"Accept-Language": lang}}, http.StatusBadRequest)
		p := r.Problem()
		if p.Code != "validation_failed" || len(p.Errors) != 3 {
			t.Fatalf("%s: %+v", lang, p)
		}
		byField := map[string]httpapi.ProblemField{}
		for _, e := range p.Errors {
			byField[e.Field] = e
		}
		if byField["name"].Message != want || byField["quantity"].Code != "lte" || byField["lines[0].sku"].Code != "required" {
			t.Fatalf("%s: field errors %+v", lang, p.Errors)
		}
		if r.Header("Access-Control-Allow-Origin") != "https://shop.example" {
			t.Fatal("missing CORS header on an error response")
		}
	}
}

func TestMalformedAndUnknownFields(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	cases := []struct {
		body, code, field string
		status            int
	}{
		{`{"name":`, "malformed_json", "", 400},
		{`{"name":"a","quantity":1,"lines":[{"sku":"x"}],"admin":true}`, "validation_failed", "admin", 400},
		{`{"name":"a","quantity":"one","lines":[{"sku":"x"}]}`, "validation_failed", "quantity", 400},
		{`{"name":"a","quantity":1,"lines":[{"sku":"x"}]} {"again":1}`, "malformed_json", "", 400},
		{`{"name":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, "body_too_large", "", 413},
	}
	for _, c := range cases {
		p := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: c.body, As: apitest.AsCustomer("c1")}, c.status).Problem()
		if p.Code != c.code || (c.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != c.field)) {
			t.Errorf("body %.40q: got %+v", c.body, p)
		}
	}
	p := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: `name=x`, As: apitest.AsCustomer("c1"),
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415).Problem()
	if p.Code != "unsupported_media_type" {
		t.Fatalf("%+v", p)
	}
}

func TestInternalErrorsNeverLeak(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	for _, id := range []string{"boom", "secret"} {
		r := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/widgets/" + id, Resource: "/widgets/{id}", As: apitest.AsCustomer("c1")}, 500)
		if strings.Contains(r.Body, "hunter2") || strings.Contains(r.Body, "10.0.0.1") || r.Problem().Code != "internal_error" {
			t.Fatalf("leak: %s", r.Body)
		}
	}
}

func TestAccessIsEnforcedFromRequestContext(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/widgets/x", Resource: "/widgets/{id}", As: apitest.AsGuest(),
		Headers: map[string]string{"X-GoLambdaProxy-ApiGw-Context": `{"authorizer":{"claims":{"sub":"c1"}}}`}}, 401)
	apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/ops/widgets/x/approve", As: apitest.AsCustomer("c1")}, 403)
	apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/ops/widgets/x/approve", As: apitest.AsOperator("dewi")}, 204)
}

func TestUnknownRouteAndMethod(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	if p := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/nope", As: apitest.AsCustomer("c1")}, 404).Problem(); p.Code != "route_not_found" {
		t.Fatalf("%+v", p)
	}
	if p := apitest.Expect(t, h, apitest.Request{Method: "DELETE", Path: "/widgets", As: apitest.AsCustomer("c1")}, 405).Problem(); p.Code != "method_not_allowed" {
		t.Fatalf("%+v", p)
	}
}

func TestIdempotencyReplayMismatchAndScope(t *testing.T) {
	var created atomic.Int32
	h := newAPI(t, &created)
	send := func(who, key, body string) apitest.Response {
		return apitest.Do(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: body, As: apitest.AsCustomer(who),
			Headers: map[string]string{"Idempotency-Key": key, "Accept-Language": "en"}})
	}
	first := send("c1", "k-1", `{"name":"a","quantity":1,"lines":[{"sku":"x"}]}`)
	if first.StatusCode != 201 || first.Header(httpapi.ReplayedHeader) != "" {
		t.Fatalf("first: %d %s", first.StatusCode, first.Body)
	}
	// Same payload, different whitespace and key order: replayed, nothing new created.
	again := send("c1", "k-1", `{ "lines":[{"sku":"x"}], "quantity":1, "name":"a" }`)
	if again.StatusCode != 201 || again.Body != first.Body || again.Header(httpapi.ReplayedHeader) != "true" {
		t.Fatalf("replay: %d %q %q", again.StatusCode, again.Body, again.Header(httpapi.ReplayedHeader))
	}
	if again.Header("Content-Type") != "application/json" {
		t.Fatalf("replay content type %q", again.Header("Content-Type"))
	}
	if created.Load() != 1 {
		t.Fatalf("created %d widgets, want 1", created.Load())
	}
	if p := send("c1", "k-1", `{"name":"b","quantity":1,"lines":[{"sku":"x"}]}`).Problem(); p.Status != 422 || p.Code != "idempotency_key_reused" {
		t.Fatalf("mismatch: %+v", p)
	}
	// Another customer using the same key gets their own request, not c1's response.
	if other := send("c2", "k-1", `{"name":"a","quantity":1,"lines":[{"sku":"x"}]}`); other.StatusCode != 201 || other.Header(httpapi.ReplayedHeader) != "" {
		t.Fatalf("cross-customer replay: %d %v", other.StatusCode, other.Header(httpapi.ReplayedHeader))
	}
	if p := send("c1", strings.Repeat("k", 300), `{}`).Problem(); p.Status != 400 || p.Errors[0].Field != "Idempotency-Key" {
		t.Fatalf("bad key: %+v", p)
	}
}

// A 5xx is not stored: the retry runs the request again.
func TestIdempotencyReleasesOnServerError(t *testing.T) {
	var calls atomic.Int32
	h := newAPI(t, &calls)
	req := apitest.Request{Method: "POST", Path: "/flaky", Body: `{}`, As: apitest.AsGuest(), Headers: map[string]string{"Idempotency-Key": "f-1"}}
	apitest.Expect(t, h, req, 503)
	apitest.Expect(t, h, req, 202)
	if r := apitest.Expect(t, h, req, 202); r.Header(httpapi.ReplayedHeader) != "true" {
		t.Fatal("third call not replayed")
	}
	if calls.Load() != 2 {
		t.Fatalf("handler ran %d times, want 2", calls.Load())
	}
}

func TestPageFrom(t *testing.T) {
	h, _ := httpapi.New(httpapi.Options{}, []httpapi.Route{{Method: "GET", Path: "/p", Access: httpapi.Public, Handle: func(w http.ResponseWriter, r *http.Request) error {
		p, err := httpapi.PageFrom(r)
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, 200, p)
		return nil
	}}})
	var p httpapi.Page
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/p", Query: map[string]string{"limit": "5", "cursor": "abc"}}, 200).JSON(&p)
	if p.Limit != 5 || p.Cursor != "abc" {
		t.Fatalf("%+v", p)
	}
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/p", Query: map[string]string{"limit": "500"}}, 400)
}
