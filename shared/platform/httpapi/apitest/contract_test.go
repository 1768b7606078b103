package apitest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// collector stands in for *testing.T so the tests can see what the contract check reports.
type collector struct{ errs, logs []string }

func (c *collector) Helper()                      {}
func (c *collector) Errorf(f string, args ...any) { c.errs = append(c.errs, fmt.Sprintf(f, args...)) }
func (c *collector) Logf(f string, args ...any)   { c.logs = append(c.logs, fmt.Sprintf(f, args...)) }

func projectContract(t *testing.T, extra ...samtemplate.Route) *contract {
	t.Helper()
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	root, err := samtemplate.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	c, err := newContract(filepath.Join(root, "openapi.yaml"), append(routes, extra...))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func reply(status int, contentType, body string, headers ...string) events.APIGatewayProxyResponse {
	h := map[string]string{"Content-Type": contentType, "Content-Language": "id"}
	for i := 0; i+1 < len(headers); i += 2 {
		h[headers[i]] = headers[i+1]
	}
	return events.APIGatewayProxyResponse{StatusCode: status, Headers: h, Body: body}
}

const (
	money     = `{"amount":18900000,"currency":"IDR","display":"Rp189.000"}`
	orderJSON = `{"orderId":"TGP-1","status":"delivered","statusLabel":"Diterima","placedAt":"2026-11-01T10:00:00Z",` +
		`"paymentMethod":"ewallet","paymentMethodLabel":"Dompet digital",` +
		`"shipment":{"status":"delivered","statusLabel":"Terkirim","carrier":"JNE","deliveredAt":"2026-11-03T10:00:00Z"},` +
		`"lines":[{"lineId":"L1","sku":"BTK-1","name":"Kemeja","quantity":1,"unitPrice":` + money + `,"lineTotal":` + money +
		`,"finalSale":false,"returnedOrPendingQuantity":0,"returnableQuantity":1,"returnDeadline":"2026-11-10T10:00:00Z"}],` +
		`"subtotal":` + money + `,"shippingFee":{"amount":0,"currency":"IDR","display":"Rp0"},"total":` + money +
		`,"returnPolicy":{"version":"2026-01","windowDays":7,"timeZone":"WIB"}}`
	notFound = `{"type":"urn:tanggap:problem:order_not_found","title":"Tidak ditemukan","status":404,` +
		`"detail":"Pesanan tidak ditemukan.","code":"order_not_found"}`
	// template.yaml's GatewayResponses UNAUTHORIZED document, as API Gateway renders it.
	gatewayUnauthenticated = `{"type":"urn:tanggap:problem:unauthenticated","title":"Belum masuk","status":401, ` +
		`"detail":"Anda perlu masuk terlebih dahulu.", "instance":"urn:tanggap:request:c6af9ac6-7b61-11e6-9a41-93e8deadbeef",` +
		`"code":"unauthenticated"}`
	upsertJSON = `{"customerId":"budi","email":"budi@example.co.id","status":"delivered","placedAt":"2026-11-01T10:00:00Z",` +
		`"updatedAt":"2026-11-03T10:00:00Z","currency":"IDR","paymentMethod":"ewallet","shippingFee":0,` +
		`"shipment":{"status":"delivered","deliveredAt":"2026-11-03T10:00:00Z"},` +
		`"lines":[{"lineId":"L1","sku":"BTK-1","name":"Kemeja","quantity":1,"unitPrice":18900000}]}`
)

func TestContractCheck(t *testing.T) {
	c := projectContract(t)
	listMine := Request{Method: "GET", Path: "/orders", As: AsCustomer("budi")}
	getMine := Request{Method: "GET", Path: "/orders/TGP-1", Resource: "/orders/{orderId}", As: AsCustomer("budi")}
	upsert := Request{Method: "PUT", Path: "/ops/orders/TGP-1", Resource: "/ops/orders/{orderId}", As: AsOperator("dewi"), Body: upsertJSON}
	lookup := Request{Method: "POST", Path: "/orders/lookup", As: AsGuest()}

	cases := []struct {
		name string
		req  Request
		resp events.APIGatewayProxyResponse
		want string // substring of the one reported error; "" for none
	}{
		{"valid page", listMine, reply(200, "application/json", `{"items":[],"nextCursor":"abc"}`), ""},
		{"valid order", getMine, reply(200, "application/json", orderJSON), ""},
		{"valid problem", getMine, reply(404, "application/problem+json", notFound), ""},
		{"valid create", upsert, reply(201, "application/json", orderJSON, "Location", "/ops/orders/TGP-1"), ""},
		{"valid replay", upsert, reply(201, "application/json", orderJSON, "Location", "/ops/orders/TGP-1", "Idempotent-Replayed", "true"), ""},
		{"gateway refusal", Request{Method: "GET", Path: "/orders", As: AsGuest()}, reply(401, "application/problem+json", gatewayUnauthenticated), ""},
		{"gateway throttling", listMine, reply(429, "application/problem+json", strings.NewReplacer("401", "429", "unauthenticated", "rate_limited").Replace(gatewayUnauthenticated)), ""},
		{"gateway refusal without GatewayResponses", Request{Method: "GET", Path: "/orders", As: AsGuest()},
			reply(401, "application/json", `{"message":"Unauthorized"}`), "response does not match"},

		{"unknown member in a response", listMine, reply(200, "application/json", `{"items":[],"total":3}`), "response does not match"},
		{"money as a float", getMine, reply(200, "application/json", strings.Replace(orderJSON, `"amount":0`, `"amount":0.5`, 1)), "response does not match"},
		{"time not RFC 3339", getMine, reply(200, "application/json", strings.Replace(orderJSON, "2026-11-01T10:00:00Z", "kemarin", 1)), "response does not match"},
		{"status not documented", getMine, reply(418, "application/problem+json", notFound), "status is not supported"},
		{"problem without code", getMine, reply(404, "application/problem+json", strings.Replace(notFound, `,"code":"order_not_found"`, "", 1)), "response does not match"},
		{"problem sent as plain JSON", getMine, reply(404, "application/json", notFound), "response does not match"},
		{"created without Location", upsert, reply(201, "application/json", orderJSON), "response does not match"},

		{"customer route served to a guest", Request{Method: "GET", Path: "/orders", As: AsGuest()},
			reply(200, "application/json", `{"items":[]}`), "accepted a request"},
		{"ops route served to a customer", Request{Method: "GET", Path: "/ops/orders/TGP-1", Resource: "/ops/orders/{orderId}", As: AsCustomer("budi")},
			reply(200, "application/json", orderJSON), "accepted a request"},
		{"limit out of range accepted", Request{Method: "GET", Path: "/orders", Query: map[string]string{"limit": "500"}, As: AsCustomer("budi")},
			reply(200, "application/json", `{"items":[]}`), "accepted a request"},
		{"incomplete body accepted", Request{Method: lookup.Method, Path: lookup.Path, As: lookup.As, Body: `{"orderId":"TGP-1"}`},
			reply(200, "application/json", orderJSON), "accepted a request"},
		{"incomplete body refused", Request{Method: lookup.Method, Path: lookup.Path, As: lookup.As, Body: `{"orderId":"TGP-1"}`},
			reply(400, "application/problem+json", `{"type":"urn:tanggap:problem:validation_failed","title":"t","status":400,"detail":"d","code":"validation_failed",`+
				`"errors":[{"field":"email","code":"required","message":"m"}]}`), ""},

		{"fixture route outside the API", Request{Method: "GET", Path: "/widgets/1"}, reply(200, "application/json", `{"anything":true}`), ""},
		{"bad problem outside the API", Request{Method: "GET", Path: "/nope"}, reply(404, "application/problem+json", `{"status":404}`), "components.schemas.Problem"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got collector
			c.check(&got, Event(tc.req), tc.resp)
			switch {
			case tc.want == "" && len(got.errs) > 0:
				t.Fatalf("unexpected contract errors: %v", got.errs)
			case tc.want != "" && len(got.errs) != 1:
				t.Fatalf("want one contract error containing %q, got %d: %v", tc.want, len(got.errs), got.errs)
			case tc.want != "" && !strings.Contains(got.errs[0], tc.want):
				t.Fatalf("error %q does not contain %q", got.errs[0], tc.want)
			}
		})
	}
}

func TestUndocumentedAPIRouteIsReportedWhenStrict(t *testing.T) {
	c := projectContract(t, samtemplate.Route{Method: "POST", Path: "/widgets/{id}/polish", FunctionLogicalID: "WidgetsFunction"})
	ev := Event(Request{Method: "POST", Path: "/widgets/w1/polish", As: AsCustomer("budi")})
	resp := reply(200, "application/json", `{}`)

	saved := requireDocumented
	t.Cleanup(func() { requireDocumented = saved })

	requireDocumented = false
	var soft collector
	c.check(&soft, ev, resp)
	if len(soft.errs) != 0 || len(soft.logs) != 1 || !strings.Contains(soft.logs[0], "does not document") {
		t.Fatalf("soft mode: errors %v, logs %v", soft.errs, soft.logs)
	}

	requireDocumented = true
	var strict collector
	c.check(&strict, ev, resp)
	if len(strict.errs) != 1 || !strings.Contains(strict.errs[0], "does not document the operation") {
		t.Fatalf("strict mode: errors %v", strict.errs)
	}
}

func TestServedByTemplateChoosesResourcesLikeAPIGateway(t *testing.T) {
	c := projectContract(t)
	cases := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/orders", true},
		{"GET", "/orders/TGP-1", true},
		{"POST", "/orders/lookup", true},
		// /orders/lookup is its own resource (POST only); API Gateway does not fall back to /orders/{orderId}.
		{"GET", "/orders/lookup", false},
		{"DELETE", "/orders/TGP-1", false},
		{"GET", "/orders/", false},
		{"GET", "/widgets", false},
	}
	for _, tc := range cases {
		if got := c.servedByTemplate(tc.method, tc.path); got != tc.want {
			t.Errorf("servedByTemplate(%s %s) = %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
}
