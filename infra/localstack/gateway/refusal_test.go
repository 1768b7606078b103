package gateway

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// Every GatewayResponses entry of template.yaml is a problem document clients already know: exactly
// shared/platform/httpapi.Problem's members, its status equal to the HTTP status, a code with i18n text whose Indonesian
// title and detail are the functions' own, the request id, and the CORS origin browsers need to read it.
// So the template cannot drift from the Problem shape or from what the functions say.
func TestEveryGatewayResponseIsAProblem(t *testing.T) {
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	apis, err := APIsFromTemplate(tpl, samtemplate.Names{})
	if err != nil {
		t.Fatal(err)
	}
	api, ok := apis["SupportApi"]
	if !ok || api.CORS == nil {
		t.Fatalf("SupportApi with Cors not found in %v", apis)
	}
	for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN",
		"INVALID_SIGNATURE", "EXPIRED_TOKEN", "THROTTLED", "REQUEST_TOO_LARGE"} {
		if _, ok := api.Responses[typ]; !ok {
			t.Errorf("SupportApi GatewayResponses has no %s", typ)
		}
	}
	// Locally nothing falls back to API Gateway's uncustomized {"message": ...}.
	for _, rf := range []refusal{refuseMissingToken, refuseUnauthorized, refuseBadSignature, refuseBadRequest, refuseTooLarge,
		refuseFunctionFailed, refuseTimeout, refuseFunctionThrottled, refuseInternal} {
		if _, ok := api.Responses[rf.responseType]; !ok {
			t.Errorf("the local gateway refuses with %s, which SupportApi GatewayResponses does not customize", rf.responseType)
		}
	}

	titles := map[string]bool{}
	for _, code := range i18n.Codes() {
		if strings.HasPrefix(code, "title.") {
			text, _ := i18n.Lookup(code, i18n.Indonesian)
			titles[text] = true
		}
	}
	// DEFAULT_4XX/DEFAULT_5XX keep the status API Gateway chose; their bodies must match the refusals they stand
	// for (locally and on AWS): a malformed request and a failed or malformed function answer.
	usedWith := map[string]int{"DEFAULT_4XX": refuseBadRequest.status, "DEFAULT_5XX": refuseFunctionFailed.status}

	g, err := New(Config{Invoker: &fakeInvoker{}, APIs: apis})
	if err != nil {
		t.Fatal(err)
	}
	for typ, gr := range api.Responses {
		t.Run(typ, func(t *testing.T) {
			status := gr.StatusCode
			if status == 0 {
				if status = usedWith[typ]; status == 0 {
					t.Fatal("no StatusCode: only DEFAULT_4XX and DEFAULT_5XX may leave the status to API Gateway")
				}
			} else if _, isDefault := usedWith[typ]; isDefault {
				t.Fatalf("StatusCode %d on %s would rewrite the status of every type not listed", status, typ)
			}
			rec := httptest.NewRecorder()
			g.refuse(rec, httptest.NewRequest(http.MethodGet, "/orders", nil), api,
				refusal{responseType: typ, status: status, message: "API Gateway's text"}, "req-42")

			p := decodeProblem(t, rec)
			if rec.Code != status || p.Status != status {
				t.Errorf("HTTP status %d, body status %d, want %d", rec.Code, p.Status, status)
			}
			if !i18n.Has(p.Code) || strings.HasPrefix(p.Code, "title.") || strings.HasPrefix(p.Code, "field.") {
				t.Errorf("code %q has no i18n message", p.Code)
			}
			if p.Type != "urn:tanggap:problem:"+p.Code || p.Instance != "urn:tanggap:request:req-42" {
				t.Errorf("type %q instance %q", p.Type, p.Instance)
			}
			if want := i18n.Message(i18n.Indonesian, p.Code, nil); p.Detail != want {
				t.Errorf("detail %q, want the functions' Indonesian text %q", p.Detail, want)
			}
			if !titles[p.Title] {
				t.Errorf("title %q is not one of the i18n titles", p.Title)
			}
			if len(p.Errors) != 0 {
				t.Errorf("errors %v on a gateway refusal", p.Errors)
			}
			if got := rec.Header().Get("Content-Language"); got != string(i18n.Indonesian) {
				t.Errorf("Content-Language %q, want %q: the body is always Indonesian", got, i18n.Indonesian)
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != api.CORS.AllowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want the API's Cors origin %q", got, api.CORS.AllowOrigin)
			}
		})
	}
}

func TestGatewayResponseFallbacks(t *testing.T) {
	routes := []samtemplate.Route{{Method: "GET", Path: "/things", FunctionLogicalID: "Things", Auth: samtemplate.AuthCognito, RestAPILogicalID: "Api"}}
	gateway := func(t *testing.T, responses map[string]samtemplate.GatewayResponse) *Gateway {
		t.Helper()
		g, err := New(Config{Routes: routes, Invoker: &fakeInvoker{}, APIs: map[string]API{"Api": {Stage: "v1", Responses: responses}}})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	default4xx := samtemplate.GatewayResponse{
		Type:      "DEFAULT_4XX",
		Headers:   map[string]string{"Content-Type": "'application/problem+json'", "Access-Control-Allow-Origin": "method.request.header.Origin"},
		Templates: map[string]string{"application/json": `{"m":$context.error.messageString,"t":"$context.error.responseType","id":"$context.requestId","x":"$context.nope"}`},
	}

	t.Run("a type the template leaves out gets its class default, keeping its own status", func(t *testing.T) {
		g := gateway(t, map[string]samtemplate.GatewayResponse{"DEFAULT_4XX": default4xx})
		rec := serve(g, http.MethodGet, "/things", "", nil, map[string]string{"Origin": "https://toko.example"})
		want := `{"m":"Unauthorized","t":"UNAUTHORIZED","id":"` + rec.Header().Get("x-amzn-RequestId") + `","x":""}`
		if rec.Code != 401 || rec.Body.String() != want {
			t.Errorf("got %d %s, want 401 %s", rec.Code, rec.Body, want)
		}
		h := rec.Header()
		if h.Get("Content-Type") != "application/problem+json" || h.Get("Access-Control-Allow-Origin") != "https://toko.example" ||
			h.Get("x-amzn-ErrorType") != "UnauthorizedException" {
			t.Errorf("headers %v", h)
		}
		if rec := serve(g, http.MethodGet, "/things", "", nil, nil); rec.Header().Values("Access-Control-Allow-Origin") != nil {
			t.Errorf("a mapping of an absent request header set %v", rec.Header().Values("Access-Control-Allow-Origin"))
		}
	})

	t.Run("a status code on the class default applies to the types it stands for", func(t *testing.T) {
		with := default4xx
		with.StatusCode = 400
		g := gateway(t, map[string]samtemplate.GatewayResponse{"DEFAULT_4XX": with})
		if rec := serve(g, http.MethodGet, "/things", "", nil, nil); rec.Code != 400 {
			t.Errorf("status %d, want DEFAULT_4XX's 400", rec.Code)
		}
	})

	t.Run("without a customization API Gateway's own message", func(t *testing.T) {
		for name, responses := range map[string]map[string]samtemplate.GatewayResponse{
			"none":             nil,
			"only 5xx default": {"DEFAULT_5XX": {Type: "DEFAULT_5XX", Templates: map[string]string{"application/json": `{}`}}},
			"no template":      {"UNAUTHORIZED": {Type: "UNAUTHORIZED", StatusCode: 401}},
		} {
			rec := serve(gateway(t, responses), http.MethodGet, "/things", "", nil, nil)
			if rec.Code != 401 || rec.Body.String() != `{"message":"Unauthorized"}` || rec.Header().Get("Content-Type") != "application/json" {
				t.Errorf("%s: got %d %s %v", name, rec.Code, rec.Body, rec.Header())
			}
		}
	})
}

func TestGatewayResponseHeaderMappingsAreChecked(t *testing.T) {
	tpl, err := samtemplate.Parse([]byte(`
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      GatewayResponses:
        THROTTLED:
          ResponseParameters:
            Headers:
              Retry-After: stageVariables.retryAfter
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := APIsFromTemplate(tpl, samtemplate.Names{}); err == nil || !strings.Contains(err.Error(), "Retry-After") {
		t.Errorf("an unsupported header mapping: got %v, want an error naming it", err)
	}
}
