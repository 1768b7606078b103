package apicontract

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/infra/localstack/gateway"
	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
)

// headerSet reads a comma-separated header list, case-insensitively, sorted.
func headerSet(list string) []string {
	var out []string
	for _, h := range strings.Split(list, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// Browsers on another origin can read exactly the response headers openapi.yaml documents: every function
// response and every API Gateway refusal exposes the same list (shared/platform/httpapi.ExposedHeaders).
func TestBrowsersCanReadTheDocumentedHeaders(t *testing.T) {
	want := strings.Join(headerSet(httpapi.ExposedHeaders), ",")

	t.Run("openapi.yaml", func(t *testing.T) {
		doc := loadOpenAPI(t)
		documented := map[string]bool{}
		for _, op := range openAPIOperations(t, doc) {
			for _, resp := range op.Op.Responses.Map() {
				for name := range resp.Value.Headers {
					documented[strings.ToLower(name)] = true
				}
			}
		}
		var names []string
		for n := range documented {
			names = append(names, n)
		}
		sort.Strings(names)
		if got := strings.Join(names, ","); got != want {
			t.Errorf("openapi.yaml documents response headers %s; httpapi.ExposedHeaders exposes %s", got, want)
		}
	})

	t.Run("function responses", func(t *testing.T) {
		h, err := httpapi.New(httpapi.Options{AllowedOrigin: "https://toko.example"}, []httpapi.Route{{
			Method: http.MethodPost, Path: "/things", Access: httpapi.Public,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Location", "/things/1")
				w.WriteHeader(http.StatusCreated)
				return nil
			},
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/things", "/nowhere"} { // an answer and a refusal (problem)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, nil))
			if got := strings.Join(headerSet(rec.Header().Get("Access-Control-Expose-Headers")), ","); got != want {
				t.Errorf("POST %s (%d): Access-Control-Expose-Headers %q, want %s", path, rec.Code, got, want)
			}
		}
	})

	t.Run("GatewayResponses", func(t *testing.T) {
		tpl, err := samtemplate.LoadProject()
		if err != nil {
			t.Fatal(err)
		}
		apis, err := gateway.APIsFromTemplate(tpl, samtemplate.Names{})
		if err != nil {
			t.Fatal(err)
		}
		api := apis["SupportApi"]
		if len(api.Responses) == 0 {
			t.Fatal("SupportApi has no GatewayResponses")
		}
		for typ, gr := range api.Responses {
			v := gr.Headers["Access-Control-Expose-Headers"]
			if len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
				t.Errorf("%s: Access-Control-Expose-Headers %q, want the quoted literal list", typ, v)
				continue
			}
			if got := strings.Join(headerSet(v[1:len(v)-1]), ","); got != want {
				t.Errorf("%s: Access-Control-Expose-Headers %s, want %s", typ, got, want)
			}
		}
	})
}

// A browser-based ops tool signs /ops calls with SigV4, so the preflight must allow its headers.
func TestPreflightAllowsSigV4OnOpsRoutes(t *testing.T) {
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	apis, err := gateway.APIsFromTemplate(tpl, samtemplate.Names{})
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(gateway.Config{Routes: routes, APIs: apis, Invoker: gateway.InvokerFunc(
		func(context.Context, string, []byte) ([]byte, error) {
			return nil, gateway.ErrFunctionUnavailable
		})})
	if err != nil {
		t.Fatal(err)
	}
	ops := 0
	for _, rt := range routes {
		if rt.Auth != samtemplate.AuthIAM {
			continue
		}
		ops++
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodOptions, strings.NewReplacer("{", "", "}", "").Replace(rt.Path), nil)
		req.Header.Set("Origin", "https://ops.toko.example")
		req.Header.Set("Access-Control-Request-Method", rt.Method)
		g.ServeHTTP(rec, req)
		allowed := map[string]bool{}
		for _, h := range headerSet(rec.Header().Get("Access-Control-Allow-Headers")) {
			allowed[h] = true
		}
		for _, h := range []string{"authorization", "content-type", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"} {
			if rec.Code != http.StatusOK || !allowed[h] {
				t.Errorf("OPTIONS %s: %d, Access-Control-Allow-Headers %q lacks %s", rt.Path, rec.Code, rec.Header().Get("Access-Control-Allow-Headers"), h)
				break
			}
		}
	}
	if ops == 0 {
		t.Fatal("no ops routes in the template")
	}
}
