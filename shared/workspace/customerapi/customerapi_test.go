package customerapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/workspace/customer"
	"github.com/tanggap/tanggap/shared/workspace/customerapi"
	"github.com/tanggap/tanggap/shared/workspace/macro"
)

var now = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

type fixture struct {
	t   *testing.T
	env *testenv.DynamoEnv
	h   http.Handler
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testenv.DynamoDB(t)
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))},
		customerapi.Routes(customer.NewService(dynamostore.NewCustomers(env.Client, env.SupportTable)),
			macro.NewService(dynamostore.NewMacros(env.Client, env.SupportTable), func() time.Time { return now })))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, env: env, h: h}
}

func ops(req apitest.Request) apitest.Request {
	req.As = apitest.AsOperator("dewi")
	return req
}

func TestLookupByEmailFindsEveryVariantAndNoNearMiss(t *testing.T) {
	f := newFixture(t)
	orders := dynamostore.NewOrders(f.env.Client, f.env.SupportTable)
	o := ordertest.Sample("TGP-LOOKUP-1", "cust-rina", now.Add(-48*time.Hour))
	o.Email, o.CustomerName, o.CustomerPhone = "Rina.Wijaya@Example.co.id", "Rina Wijaya", "+6281311112222"
	if _, _, err := orders.Upsert(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	for _, variant := range []string{"rina.wijaya@example.co.id", "RINA.WIJAYA@EXAMPLE.CO.ID", "  rina.wijaya@example.co.id  "} {
		r := apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/customers", Query: map[string]string{"email": variant}}), 200)
		var m customerapi.Matches
		r.JSON(&m)
		if len(m.Items) != 1 || m.Items[0].CustomerID != "cust-rina" || m.Items[0].Name != "Rina Wijaya" ||
			m.Items[0].Phone != "+6281311112222" || m.Items[0].Email != "rina.wijaya@example.co.id" || m.Items[0].Totals.Orders != 1 {
			t.Fatalf("%q: %s", variant, r.Body)
		}
	}
	for _, miss := range []string{"rina.wijaya@example.co", "rina.wijaya@example.co.id.x", "rina.wijaya+1@example.co.id", "ina.wijaya@example.co.id"} {
		r := apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/customers", Query: map[string]string{"email": miss}}), 200)
		if strings.TrimSpace(r.Body) != `{"items":[]}` {
			t.Fatalf("near miss %q found %s", miss, r.Body)
		}
	}
	// Not a whole address: refused, never searched.
	for _, partial := range []string{"rina", "@example.co.id", "rina.wijaya@", "rina wijaya@example.co.id", ""} {
		r := apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/customers", Query: map[string]string{"email": partial}}), 400)
		if p := r.Problem(); len(p.Errors) != 1 || p.Errors[0].Field != "email" {
			t.Fatalf("%q: %s", partial, r.Body)
		}
	}
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/customers"}), 400)
}

func TestCustomerHistoryMergesTheTimelineNewestFirst(t *testing.T) {
	f := newFixture(t)
	orders := dynamostore.NewOrders(f.env.Client, f.env.SupportTable)
	for i, id := range []string{"TGP-H1", "TGP-H2", "TGP-H3"} {
		o := ordertest.Sample(id, "cust-hana", now.Add(time.Duration(i-10)*24*time.Hour))
		o.CustomerName = "Hana Putri"
		if _, _, err := orders.Upsert(t.Context(), o); err != nil {
			t.Fatal(err)
		}
	}
	get := func(cursor string, lang string) customerapi.HistoryView {
		q := map[string]string{"limit": "2"}
		if cursor != "" {
			q["cursor"] = cursor
		}
		r := apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/customers/cust-hana", Resource: "/ops/customers/{customerId}",
			Query: q, Headers: map[string]string{"Accept-Language": lang}}), 200)
		var v customerapi.HistoryView
		r.JSON(&v)
		return v
	}
	first := get("", "en")
	if first.Name != "Hana Putri" || first.Totals.Orders != 3 || first.Totals.Units != 15 || first.FirstOrder.OrderID != "TGP-H1" ||
		first.LastOrder.OrderID != "TGP-H3" || first.LatestCSAT != nil {
		t.Fatalf("%+v", first.Summary)
	}
	if len(first.Timeline.Items) != 2 || first.Timeline.Items[0].ID != "TGP-H3" || first.Timeline.Items[1].ID != "TGP-H2" || first.Timeline.NextCursor == "" {
		t.Fatalf("%+v", first.Timeline)
	}
	it := first.Timeline.Items[0]
	if it.Kind != "order" || it.KindLabel != "Order" || it.Status != "delivered" || it.StatusLabel == "" || it.Amount == nil ||
		it.Amount.Display != "IDR 650,000" {
		t.Fatalf("%+v %+v", it, it.Amount)
	}
	second := get(first.Timeline.NextCursor, "id")
	if len(second.Timeline.Items) != 1 || second.Timeline.Items[0].ID != "TGP-H1" || second.Timeline.NextCursor != "" ||
		second.Timeline.Items[0].Amount.Display != "Rp650.000" || second.Timeline.Items[0].KindLabel != "Pesanan" {
		t.Fatalf("%+v", second.Timeline)
	}
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/customers/cust-nobody", Resource: "/ops/customers/{customerId}"}), 404)
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/customers/cust-hana", Resource: "/ops/customers/{customerId}",
		Query: map[string]string{"cursor": "bm90LWEtY3Vyc29y"}}), 400)
}

// Customers signed in with Cognito reach none of the ops customer or macro routes (the gateway refuses them
// first; infra/localstack shows that side).
func TestCustomersCannotReachOpsRoutes(t *testing.T) {
	f := newFixture(t)
	for _, req := range []apitest.Request{
		{Method: "GET", Path: "/ops/customers", Query: map[string]string{"email": "a@b.co"}},
		{Method: "GET", Path: "/ops/customers/cust-budi", Resource: "/ops/customers/{customerId}"},
		{Method: "GET", Path: "/ops/macros"},
		{Method: "POST", Path: "/ops/macros", Body: map[string]any{"title": "t", "bodyId": "b", "bodyEn": "b"}},
		{Method: "GET", Path: "/ops/macros/MAC-ABCDEFGHIJKLMNOP", Resource: "/ops/macros/{macroId}"},
		{Method: "PUT", Path: "/ops/macros/MAC-ABCDEFGHIJKLMNOP", Resource: "/ops/macros/{macroId}", Body: map[string]any{"title": "t", "bodyId": "b", "bodyEn": "b"}},
		{Method: "DELETE", Path: "/ops/macros/MAC-ABCDEFGHIJKLMNOP", Resource: "/ops/macros/{macroId}"},
	} {
		req.As = apitest.AsCustomer("cust-budi")
		if req.Method != "GET" {
			req.Headers = map[string]string{"Idempotency-Key": "k-" + req.Method}
		}
		apitest.Expect(t, f.h, req, 403)
	}
}

func TestMacrosLifecycleAndUnknownPlaceholders(t *testing.T) {
	f := newFixture(t)
	body := map[string]any{"title": "Refund diproses", "team": "payments",
		"bodyId": "Halo {{customer.firstName}}, dana {{ return.refund }} untuk pesanan {{order.id}} sedang kami proses.",
		"bodyEn": "Hi {{customer.firstName}}, the {{return.refund}} refund for order {{order.id}} is on its way."}
	create := func(b map[string]any, key string, want int) apitest.Response {
		return apitest.Expect(t, f.h, ops(apitest.Request{Method: "POST", Path: "/ops/macros", Body: b,
			Headers: map[string]string{"Idempotency-Key": key}}), want)
	}
	r := create(body, "macro-1", 201)
	var m customerapi.MacroView
	r.JSON(&m)
	if !macro.IDs.Valid(m.MacroID) || r.Header("Location") != "/ops/macros/"+m.MacroID || m.Usage != 0 || m.UpdatedBy != "dewi" ||
		strings.Join(m.Placeholders, ",") != "customer.firstName,return.refund,order.id" || m.TeamLabel == "" {
		t.Fatalf("%s", r.Body)
	}
	// A retry with the same key replays; nothing new is created.
	if again := create(body, "macro-1", 201); again.Header("Idempotent-Replayed") != "true" || again.Body != r.Body {
		t.Fatalf("replay %s", again.Body)
	}

	for i, bad := range []struct {
		field, text, code string
	}{
		{"bodyEn", "Hi {{customer.first_name}}", "macro_placeholder_unknown"},
		{"bodyId", "Halo {{customer.email}}", "macro_placeholder_unknown"},
		{"bodyId", "Halo {{customer.firstName", "macro_placeholder_unclosed"},
		{"bodyEn", "Total {{}}", "macro_placeholder_unknown"},
	} {
		b := map[string]any{"title": "x", "bodyId": "Halo", "bodyEn": "Hi"}
		b[bad.field] = bad.text
		p := create(b, "bad-"+strconv.Itoa(i), 400).Problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != bad.field || p.Errors[0].Code != bad.code {
			t.Fatalf("%q: %+v", bad.text, p)
		}
	}
	// Refused in English too, naming the placeholder.
	rr := apitest.Expect(t, f.h, ops(apitest.Request{Method: "POST", Path: "/ops/macros", Body: map[string]any{"title": "x", "bodyId": "Halo", "bodyEn": "Hi {{agent.name}}"},
		Headers: map[string]string{"Idempotency-Key": "bad-en", "Accept-Language": "en"}}), 400)
	if p := rr.Problem(); !strings.Contains(p.Errors[0].Message, "agent.name") {
		t.Fatalf("%+v", p)
	}

	other := map[string]any{"title": "Salam", "bodyId": "Terima kasih, {{customer.name}}.", "bodyEn": "Thank you, {{customer.name}}."}
	create(other, "macro-2", 201)
	list := func(q map[string]string) customerapi.MacroPage {
		r := apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/macros", Query: q}), 200)
		var p customerapi.MacroPage
		r.JSON(&p)
		return p
	}
	if p := list(nil); len(p.Items) != 2 {
		t.Fatalf("%+v", p)
	}
	// logistics sees the macro for every team only.
	if p := list(map[string]string{"team": "logistics"}); len(p.Items) != 1 || p.Items[0].Title != "Salam" {
		t.Fatalf("%+v", p)
	}
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/macros", Query: map[string]string{"team": "marketing"}}), 400)

	path := "/ops/macros/" + m.MacroID
	res := "/ops/macros/{macroId}"
	upd := apitest.Expect(t, f.h, ops(apitest.Request{Method: "PUT", Path: path, Resource: res, Headers: map[string]string{"Idempotency-Key": "upd-1"},
		Body: map[string]any{"title": "Refund selesai", "bodyId": "Dana {{return.refund}} sudah dikirim.", "bodyEn": "The {{return.refund}} refund was sent."}}), 200)
	var u customerapi.MacroView
	upd.JSON(&u)
	if u.Title != "Refund selesai" || u.Team != "" || strings.Join(u.Placeholders, ",") != "return.refund" || !u.CreatedAt.Equal(m.CreatedAt) {
		t.Fatalf("%s", upd.Body)
	}
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "PUT", Path: path, Resource: res, Headers: map[string]string{"Idempotency-Key": "upd-bad"},
		Body: map[string]any{"title": "x", "bodyId": "{{order.total}}", "bodyEn": "x"}}), 400)
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "DELETE", Path: path, Resource: res, Headers: map[string]string{"Idempotency-Key": "del-1"}}), 200)
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: path, Resource: res}), 404)
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "DELETE", Path: path, Resource: res, Headers: map[string]string{"Idempotency-Key": "del-2"}}), 404)
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "GET", Path: "/ops/macros/nope", Resource: res}), 404)

	// PUT under an id nobody used creates the macro there (ops tooling and the demo seed choose ids).
	chosen := "/ops/macros/MAC-SALAMPEMBUKAAN22"
	put := apitest.Expect(t, f.h, ops(apitest.Request{Method: "PUT", Path: chosen, Resource: res, Headers: map[string]string{"Idempotency-Key": "put-new"},
		Body: map[string]any{"title": "Salam", "bodyId": "Halo {{customer.firstName}}", "bodyEn": "Hi {{customer.firstName}}"}}), 201)
	if put.Header("Location") != chosen {
		t.Fatalf("%s", put.Body)
	}
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "PUT", Path: chosen, Resource: res, Headers: map[string]string{"Idempotency-Key": "put-again"},
		Body: map[string]any{"title": "Salam!", "bodyId": "Halo {{customer.firstName}}", "bodyEn": "Hi {{customer.firstName}}"}}), 200)
	apitest.Expect(t, f.h, ops(apitest.Request{Method: "PUT", Path: "/ops/macros/nope", Resource: res, Headers: map[string]string{"Idempotency-Key": "put-bad-id"},
		Body: map[string]any{"title": "x", "bodyId": "x", "bodyEn": "x"}}), 404)
}
