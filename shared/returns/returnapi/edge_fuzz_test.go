package returnapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnapi"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// unreachableStore answers every call as unavailable and counts it: the fuzz target below is about the edge,
// so a request that gets as far as storage proves nothing either way and may answer 503.
type unreachableStore struct{ calls *atomic.Int64 }

var _ returns.Store = unreachableStore{}

func (s unreachableStore) fail() error {
	s.calls.Add(1)
	return failure.Unavailable("service_unavailable")
}
func (s unreachableStore) Order(context.Context, string) (returns.OrderRecord, error) {
	return returns.OrderRecord{}, s.fail()
}
func (s unreachableStore) Create(context.Context, returns.Return) error { return s.fail() }
func (s unreachableStore) Get(context.Context, string) (returns.Return, error) {
	return returns.Return{}, s.fail()
}
func (s unreachableStore) ListByOrder(context.Context, string, int, string) (returns.Page, error) {
	return returns.Page{}, s.fail()
}
func (s unreachableStore) Transition(context.Context, returns.Return, returns.Return) error {
	return s.fail()
}

// FuzzReturnsEdge sends arbitrary proxy events through the adapter into the real returns handlers. Whatever
// the method, path, parameters, headers and body: the adapter never fails (it prints the raw path only on
// failure, so no error also means nothing printed past the logger), nothing redirects, every error is a
// problem document, and nothing is 5xx unless the request reached storage.
func FuzzReturnsEdge(f *testing.F) {
	valid := `{"lines":[{"lineId":"L1","quantity":1,"reason":"defective","condition":"opened"}],"resolution":"refund"}`
	seeds := []struct {
		method, path, param, body, key, cursor string
		b64                                    bool
	}{
		{"POST", "/orders/TGP-10001/returns", "TGP-10001", valid, "k-1", "", false},
		{"GET", "/orders/TGP-10001%zz/returns", "TGP-10001%zz", "", "", "", false},
		{"GET", "/orders/\x00/returns", "\x00", "", "", "", false},
		{"GET", "/orders/a\r\nb/returns", "a\r\nb", "", "", "", false},
		{"GET", "//orders/TGP-1/returns", "TGP-1", "", "", "", false},
		{"GET", "/orders/../returns/RTN-1", "", "", "", "", false},
		{"GET", "/returns/a/b", "a/b", "", "", "", false},
		{"GET", "/orders/TGP-1/returns", "TGP-1", "", "", "!!", false},
		{"POST", "/orders/TGP-1/returns", "TGP-1", `{"lines":[` + strings.Repeat("\n{},", 15000) + `{}]}`, "", "", false},
		{"POST", "/orders/TGP-1/returns", "TGP-1", `{"lines":[{"lineId":"L1","quantity":1,"quantity":100}]}`, "", "", false},
		{"POST", "/orders/TGP-1/returns", "TGP-1", "{\"lines\":[],\"comment\":\"\xff\"}", "", "", false},
		{"POST", "/orders/TGP-1/returns", "TGP-1", `{"LINES":[]}`, "", "", false},
		{"POST", "/orders/TGP-1/returns", "TGP-1", "not base64", "k-2", "", true},
		{"POST", "/returns/RTN-AAAAAAAAAAAAAAAA/cancel", "RTN-AAAAAAAAAAAAAAAA", "", "\x7f", "", false},
		{"DELETE", "/returns/RTN-AAAAAAAAAAAAAAAA", "RTN-AAAAAAAAAAAAAAAA", "", "", "", false},
		{"G ET", "/returns/x", "x", "", "", "", false},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.param, s.body, s.key, s.cursor, s.b64)
	}
	var calls atomic.Int64
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(idempotency.NewMemoryStore())},
		returnapi.Routes(returns.NewService(unreachableStore{&calls}, returnpolicy.Default(), time.Now)))
	if err != nil {
		f.Fatal(err)
	}
	handle := httpapi.LambdaHandler(h)
	f.Fuzz(func(t *testing.T, method, path, param, body, key, cursor string, b64 bool) {
		ev := apitest.Event(apitest.Request{Method: method, Path: "/x", Resource: "/returns/{returnId}", As: apitest.AsCustomer("cust-budi"),
			Headers: map[string]string{"Idempotency-Key": key}, Query: map[string]string{"cursor": cursor}})
		ev.HTTPMethod, ev.Path, ev.Body = method, path, body
		ev.PathParameters = map[string]string{"returnId": param, "orderId": param}
		if b64 {
			ev.IsBase64Encoded = true
			if len(body)%2 == 0 {
				ev.Body = base64.StdEncoding.EncodeToString([]byte(body))
			}
		}
		if strings.HasPrefix(path, "/ops/") {
			apitest.AsOperator("dewi")(&ev.RequestContext)
		}
		before := calls.Load()
		resp, err := handle(context.Background(), ev)
		if err != nil {
			t.Fatalf("adapter error (a 502, printed to stdout): %v", err)
		}
		if resp.StatusCode < 200 || (resp.StatusCode >= 300 && resp.StatusCode < 400) {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp.StatusCode >= 500 && calls.Load() == before {
			t.Fatalf("%d without reaching storage: %s", resp.StatusCode, resp.Body)
		}
		if resp.StatusCode >= 400 {
			ct := resp.MultiValueHeaders["Content-Type"]
			var p httpapi.Problem
			if len(ct) != 1 || ct[0] != httpapi.ProblemContentType || json.Unmarshal([]byte(resp.Body), &p) != nil || p.Status != resp.StatusCode {
				t.Fatalf("status %d is not a problem: %v %s", resp.StatusCode, ct, resp.Body)
			}
			if len(p.Errors) > httpapi.MaxFieldErrors || len(resp.Body) > 16<<10 {
				t.Fatalf("unbounded problem: %d errors, %d bytes", len(p.Errors), len(resp.Body))
			}
		}
	})
}
