package hostile_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnapi"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
)

type apis struct {
	env                                  *testenv.DynamoEnv
	orders, returns, complaints, surveys http.Handler
}

func newAPIs(t *testing.T) *apis {
	t.Helper()
	env := testenv.DynamoDB(t)
	opts := httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable)),
		AllowedOrigin: "https://shop.example"}
	policy := config.ReturnPolicy(config.FromMap(nil))
	ordersStore := dynamostore.NewOrders(env.Client, env.SupportTable)
	tickets := ticket.NewService(dynamostore.NewTickets(env.Client, env.SupportTable), ordersStore, ticket.DefaultRules(), ticket.DefaultSLA(), time.Now)
	a := &apis{env: env}
	for _, h := range []struct {
		dst    *http.Handler
		routes []httpapi.Route
	}{
		{&a.orders, orderapi.Routes(order.NewService(ordersStore, policy, time.Now))},
		{&a.returns, returnapi.Routes(returns.NewService(dynamostore.NewReturns(env.Client, env.SupportTable), policy, time.Now))},
		{&a.complaints, complaintapi.Routes(tickets)},
		{&a.surveys, surveyapi.Routes(survey.NewService(dynamostore.NewSurveys(env.Client, env.SupportTable), time.Now, io.Discard))},
	} {
		handler, err := httpapi.New(opts, h.routes)
		if err != nil {
			t.Fatal(err)
		}
		*h.dst = handler
	}
	return a
}

// seed stores TGP-10001, delivered yesterday to cust-budi, through the ops route the shop's order system uses.
func (a *apis) seed(t *testing.T) {
	t.Helper()
	delivered := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	body := map[string]any{
		"customerId": "cust-budi", "email": "budi.santoso@example.co.id", "status": "delivered",
		"placedAt": delivered.Add(-48 * time.Hour), "updatedAt": delivered, "currency": "IDR", "paymentMethod": "ewallet", "shippingFee": 1500000,
		"shipment": map[string]any{"status": "delivered", "carrier": "JNE", "trackingNumber": "JNE1", "deliveredAt": delivered},
		"lines":    []map[string]any{{"lineId": "L1", "sku": "BTK-1", "name": "Kemeja Batik", "quantity": 2, "unitPrice": 18900000}},
	}
	apitest.Expect(t, a.orders, apitest.Request{Method: "PUT", Path: "/ops/orders/TGP-10001", Resource: "/ops/orders/{orderId}",
		Body: body, As: apitest.AsOperator("integration")}, 201)
}

// snapshot is every item of SupportTable (a Scan is fine in a test: it proves nothing else was written).
func (a *apis) snapshot(t *testing.T) []string {
	t.Helper()
	var items []string
	p := dynamodb.NewScanPaginator(a.env.Client, &dynamodb.ScanInput{TableName: &a.env.SupportTable, ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			var m map[string]any
			if err := attributevalue.UnmarshalMap(it, &m); err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(m) // sorted keys
			items = append(items, string(raw))
		}
	}
	return items
}

// refused checks a response is a 4xx problem document with the edge's headers and no redirect.
func refused(t *testing.T, name string, resp events.APIGatewayProxyResponse, status int) httpapi.Problem {
	t.Helper()
	h := http.Header(resp.MultiValueHeaders)
	var p httpapi.Problem
	if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || resp.StatusCode != status || p.Status != status ||
		h.Get("Content-Type") != httpapi.ProblemContentType || h.Get("Location") != "" ||
		h.Get("Access-Control-Allow-Origin") != "https://shop.example" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("%s: %d %v %s, want a %d problem", name, resp.StatusCode, h, resp.Body, status)
	}
	return p
}

// "Some requests get 5xx, 3xx or text/html instead of a problem document": each path through the adapter.
func TestMalformedPathsAreProblemsNotErrorsOrRedirects(t *testing.T) {
	a := newAPIs(t)
	a.seed(t)
	before := a.snapshot(t)
	budi := apitest.AsCustomer("cust-budi")
	// API Gateway decodes the path once: the client's %25zz arrives as %zz, %00 as NUL, %0D%0A as CR LF,
	// %2F inside a segment as a slash in the path parameter.
	cases := []struct {
		name, path, resource string
		params               map[string]string
		handler              http.Handler
	}{
		{"bare % in a parameter (/orders/TGP-10001%25zz)", "/orders/TGP-10001%zz", "/orders/{orderId}", map[string]string{"orderId": "TGP-10001%zz"}, a.orders},
		{"%00 (/orders/%00)", "/orders/\x00", "/orders/{orderId}", map[string]string{"orderId": "\x00"}, a.orders},
		{"%00 left encoded", "/orders/%00", "/orders/{orderId}", map[string]string{"orderId": "%00"}, a.orders},
		{"CR/LF in a parameter", "/orders/TGP-10001\r\nX: y", "/orders/{orderId}", map[string]string{"orderId": "TGP-10001\r\nX: y"}, a.orders},
		{"email in a bad path", "/orders/budi.santoso@example.co.id%", "/orders/{orderId}", map[string]string{"orderId": "budi.santoso@example.co.id%"}, a.orders},
		{"bare %", "/returns/%", "/returns/{returnId}", map[string]string{"returnId": "%"}, a.returns},
		{"control character", "/complaints/TKT-\x1b[31m", "/complaints/{ticketId}", map[string]string{"ticketId": "TKT-\x1b[31m"}, a.complaints},
		{"encoded slash", "/surveys/order/TGP-10001/x", "/surveys/{subjectType}/{subjectId}", map[string]string{"subjectType": "order", "subjectId": "TGP-10001/x"}, a.surveys},
		{"//", "//orders/TGP-10001", "/orders/{orderId}", map[string]string{"orderId": "TGP-10001"}, a.orders},
		{"// inside", "/orders//TGP-10001", "/orders/{orderId}", map[string]string{"orderId": "TGP-10001"}, a.orders},
		{"..", "/orders/../orders/TGP-10001", "/orders/{orderId}", map[string]string{"orderId": "TGP-10001"}, a.orders},
		{"trailing ..", "/orders/TGP-10001/..", "/orders/{orderId}", nil, a.orders},
		{".", "/orders/./TGP-10001", "/orders/{orderId}", map[string]string{"orderId": "TGP-10001"}, a.orders},
		{"trailing slash", "/orders/", "/orders", nil, a.orders},
	}
	handle := func(h http.Handler, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
		resp, err := httpapi.LambdaHandler(h)(context.Background(), ev)
		if err != nil {
			t.Fatalf("%s: adapter error (a 502): %v", ev.Path, err)
		}
		return resp
	}
	// What the adapter would print goes to stdout, past the redacting logger; nothing may.
	stdout, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	printed := make(chan []byte)
	go func() { b, _ := io.ReadAll(stdout); printed <- b }()
	defer func() { os.Stdout = saved }()
	for _, c := range cases {
		ev := apitest.Event(apitest.Request{Method: "GET", Path: "/orders/x", Resource: c.resource, As: budi})
		ev.Path, ev.PathParameters = c.path, c.params
		if p := refused(t, c.name, handle(c.handler, ev), 404); p.Code != "route_not_found" {
			t.Errorf("%s: code %s", c.name, p.Code)
		}
		// The same on a POST with a body and an Idempotency-Key.
		ev.HTTPMethod, ev.Body = "POST", `{"lines":[]}`
		ev.MultiValueHeaders["Idempotency-Key"] = []string{"hostile-" + c.name}
		refused(t, c.name+" (POST)", handle(c.handler, ev), 404)
	}
	// A method the adapter cannot parse and a body that is not the base64 it claims to be.
	ev := apitest.Event(apitest.Request{Method: "GET", Path: "/orders/TGP-10001", Resource: "/orders/{orderId}", As: budi})
	ev.HTTPMethod = "GET\r\n"
	refused(t, "method with CR LF", handle(a.orders, ev), 405)
	ev = apitest.Event(apitest.Request{Method: "POST", Path: "/orders/TGP-10001/returns", Resource: "/orders/{orderId}/returns", As: budi, Body: "{}"})
	ev.IsBase64Encoded = true
	refused(t, "invalid base64", handle(a.returns, ev), 400)
	os.Stdout = saved
	_ = w.Close()
	if out := <-printed; len(out) > 0 {
		t.Errorf("printed to stdout: %q", out)
	}

	if after := a.snapshot(t); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused request stored something:\n%v\n%v", before, after)
	}
}

// "A 30 KB body with 15,000 empty lines gets a 4.7 MB list of field errors": now one small answer, for
// every array a customer or ops sends.
func TestHugeArraysGetSmallAnswers(t *testing.T) {
	a := newAPIs(t)
	a.seed(t)
	before := a.snapshot(t)
	lines := "[" + strings.Repeat("{},\n", 14999) + "{}]"
	for _, c := range []struct {
		name string
		h    http.Handler
		req  apitest.Request
	}{
		{"return request", a.returns, apitest.Request{Method: "POST", Path: "/orders/TGP-10001/returns", Resource: "/orders/{orderId}/returns",
			As: apitest.AsCustomer("cust-budi"), Body: `{"lines":` + lines + `,"resolution":"refund"}`}},
		{"ops order PUT", a.orders, apitest.Request{Method: "PUT", Path: "/ops/orders/TGP-10002", Resource: "/ops/orders/{orderId}",
			As: apitest.AsOperator("dewi"), Body: `{"lines":` + lines + `}`}},
		{"ops receive", a.returns, apitest.Request{Method: "POST", Path: "/ops/returns/RTN-AAAAAAAAAAAAAAAA/receive", Resource: "/ops/returns/{returnId}/receive",
			As: apitest.AsOperator("dewi"), Body: `{"lines":` + lines + `}`}},
	} {
		c.req.Headers = map[string]string{"Accept-Language": "en"}
		if len(c.req.Body.(string)) < 30_000 {
			t.Fatalf("%s: body is only %d bytes", c.name, len(c.req.Body.(string)))
		}
		r := apitest.Do(t, c.h, c.req)
		if r.StatusCode/100 != 4 || len(r.Body) > 2048 {
			t.Errorf("%s: %d, %d bytes: %.300s", c.name, r.StatusCode, len(r.Body), r.Body)
			continue
		}
		p := r.Problem()
		if len(p.Errors) > httpapi.MaxFieldErrors {
			t.Errorf("%s: %d field errors", c.name, len(p.Errors))
		}
	}
	// The return request names the array and its limit.
	r := apitest.Do(t, a.returns, apitest.Request{Method: "POST", Path: "/orders/TGP-10001/returns", Resource: "/orders/{orderId}/returns",
		As: apitest.AsCustomer("cust-budi"), Body: `{"lines":` + lines + `,"resolution":"refund"}`})
	if p := r.Problem(); len(p.Errors) != 1 || p.Errors[0].Field != "lines" || p.Errors[0].Code != "max" || p.ErrorCount != 1 {
		t.Errorf("15,000 lines: %+v", p)
	}
	if after := a.snapshot(t); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused request stored something")
	}
}

// "Bodies the contract should refuse are accepted" and "Field paths are wrong for type errors".
func TestBodiesTheContractRefusesNameTheField(t *testing.T) {
	a := newAPIs(t)
	a.seed(t)
	before := a.snapshot(t)
	budi := apitest.AsCustomer("cust-budi")
	ret := func(lines string) apitest.Request {
		return apitest.Request{Method: "POST", Path: "/orders/TGP-10001/returns", Resource: "/orders/{orderId}/returns", As: budi,
			Body: `{"lines":[` + lines + `],"resolution":"refund"}`}
	}
	const line = `"lineId":"L1","reason":"defective","condition":"opened"`
	cases := []struct {
		name        string
		h           http.Handler
		req         apitest.Request
		field, code string
	}{
		{"duplicate quantity", a.returns, ret(`{` + line + `,"quantity":1,"quantity":100}`), "lines[0].quantity", "duplicate"},
		{"duplicate top-level key", a.returns, apitest.Request{Method: "POST", Path: "/orders/TGP-10001/returns", Resource: "/orders/{orderId}/returns", As: budi,
			Body: `{"lines":[{` + line + `,"quantity":1}],"resolution":"refund","resolution":"store_credit"}`}, "resolution", "duplicate"},
		{"QUANTITY", a.returns, ret(`{` + line + `,"QUANTITY":1}`), "lines[0].QUANTITY", "unknown"},
		{"Email", a.orders, apitest.Request{Method: "POST", Path: "/orders/lookup", As: apitest.AsGuest(),
			Body: `{"orderId":"TGP-10001","Email":"budi.santoso@example.co.id"}`}, "Email", "unknown"},
		{"invalid UTF-8 in a comment", a.returns, apitest.Request{Method: "POST", Path: "/orders/TGP-10001/returns", Resource: "/orders/{orderId}/returns", As: budi,
			Body: "{\"lines\":[{" + line + ",\"quantity\":1}],\"resolution\":\"refund\",\"comment\":\"rusak \xff\xfe\"}"}, "comment", "utf8"},
		{"invalid UTF-8 in a complaint", a.complaints, apitest.Request{Method: "POST", Path: "/complaints", As: budi,
			Body: "{\"channel\":\"web\",\"category\":\"other\",\"subject\":\"Halo\",\"description\":\"\xc3\x28\"}"}, "description", "utf8"},
		{"lone surrogate in a survey comment", a.surveys, apitest.Request{Method: "POST", Path: "/surveys", As: budi,
			Body: `{"subjectType":"order","subjectId":"TGP-10001","csat":5,"comment":"\udc00"}`}, "comment", "utf8"},
		{`"1" as a quantity`, a.returns, ret(`{` + line + `,"quantity":"1"}`), "lines[0].quantity", "type"},
		{"1.5 as a quantity", a.returns, ret(`{` + line + `,"quantity":1.5}`), "lines[0].quantity", "type"},
		{"1e309 as a quantity", a.returns, ret(`{` + line + `,"quantity":1e309}`), "lines[0].quantity", "type"},
		{"unknown nested price", a.returns, ret(`{` + line + `,"quantity":1,"price":100}`), "lines[0].price", "unknown"},
		{"type error in the second line", a.returns, ret(`{` + line + `,"quantity":1},{"lineId":"L1","quantity":true}`), "lines[1].quantity", "type"},
	}
	for _, c := range cases {
		c.req.Headers = map[string]string{"Accept-Language": "en", "Idempotency-Key": "hostile-" + strings.ReplaceAll(c.name, " ", "-")}
		r := apitest.Do(t, c.h, c.req)
		if r.StatusCode != 400 {
			t.Errorf("%s: %d %s", c.name, r.StatusCode, r.Body)
			continue
		}
		p := r.Problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != c.field || p.Errors[0].Code != c.code {
			t.Errorf("%s: %+v, want %s %s", c.name, p.Errors, c.field, c.code)
		}
	}
	if after := a.snapshot(t); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused body stored something")
	}
	// The body without the hostile part is accepted, so the refusals above are about that part alone.
	apitest.Expect(t, a.returns, ret(`{`+line+`,"quantity":1}`), 201)
}
