package orderapi_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func newAPI(t *testing.T) http.Handler {
	t.Helper()
	env := testenv.DynamoDB(t)
	svc := order.NewService(dynamostore.NewOrders(env.Client, env.SupportTable), returnpolicy.Default(), func() time.Time { return now })
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))}, orderapi.Routes(svc))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func upsertBody(customer string, placed time.Time) map[string]any {
	delivered := placed.Add(48 * time.Hour)
	return map[string]any{
		"customerId": customer, "email": customer + "@example.co.id", "status": "delivered",
		"placedAt": placed, "updatedAt": delivered, "currency": "IDR", "paymentMethod": "ewallet", "shippingFee": 1500000,
		"shipment": map[string]any{"status": "delivered", "carrier": "JNE", "trackingNumber": "JNE1", "deliveredAt": delivered},
		"lines": []map[string]any{
			{"lineId": "L1", "sku": "BTK-1", "name": "Kemeja Batik", "quantity": 2, "unitPrice": 18900000},
			{"lineId": "L2", "sku": "SMB-1", "name": "Sambal Roa", "quantity": 1, "unitPrice": 4500000, "finalSale": true},
		},
	}
}

func put(t *testing.T, h http.Handler, id string, body any, want int) apitest.Response {
	t.Helper()
	return apitest.Expect(t, h, apitest.Request{Method: "PUT", Path: "/ops/orders/" + id, Resource: "/ops/orders/{orderId}",
		Body: body, As: apitest.AsOperator("integration")}, want)
}

func TestCustomerSeesOnlyOwnOrders(t *testing.T) {
	h := newAPI(t)
	put(t, h, "TGP-1", upsertBody("budi", now.Add(-5*24*time.Hour)), 201)
	put(t, h, "TGP-2", upsertBody("budi", now.Add(-2*24*time.Hour)), 201)
	put(t, h, "TGP-3", upsertBody("siti", now.Add(-1*24*time.Hour)), 201)

	var list orderapi.ListResponse
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/orders", As: apitest.AsCustomer("budi")}, 200).JSON(&list)
	if len(list.Items) != 2 || list.Items[0].OrderID != "TGP-2" || list.Items[1].OrderID != "TGP-1" {
		t.Fatalf("budi's list: %+v", list)
	}
	if list.Items[0].Total.Amount != 2*18900000+4500000+1500000 || list.Items[0].ItemCount != 3 {
		t.Fatalf("summary: %+v", list.Items[0])
	}

	var v order.View
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/orders/TGP-1", Resource: "/orders/{orderId}", As: apitest.AsCustomer("budi")}, 200).JSON(&v)
	if v.Lines[0].ReturnableQuantity != 2 || v.Lines[0].ReturnDeadline == nil || v.Lines[1].NotReturnableReason != "final_sale" {
		t.Fatalf("view: %+v", v.Lines)
	}

	// Siti's order does not exist for Budi: same answer as a missing order.
	other := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/orders/TGP-3", Resource: "/orders/{orderId}", As: apitest.AsCustomer("budi")}, 404).Problem()
	missing := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/orders/TGP-404", Resource: "/orders/{orderId}", As: apitest.AsCustomer("budi")}, 404).Problem()
	if other.Code != "order_not_found" || other.Detail != missing.Detail || other.Title != missing.Title {
		t.Fatalf("another's order answers differently from a missing one: %+v vs %+v", other, missing)
	}
	// No signed-in customer: 401 even with a forged header.
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/orders", As: apitest.AsGuest(), Headers: map[string]string{"X-Customer-Id": "budi"}}, 401)
}

func TestPaginationWithCursor(t *testing.T) {
	h := newAPI(t)
	for i := 0; i < 5; i++ {
		put(t, h, fmt.Sprintf("P-%d", i), upsertBody("andi", now.Add(-time.Duration(10-i)*24*time.Hour)), 201)
	}
	var seen []string
	cursor := ""
	for pages := 0; pages < 4; pages++ {
		q := map[string]string{"limit": "2"}
		if cursor != "" {
			q["cursor"] = cursor
		}
		var page orderapi.ListResponse
		apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/orders", Query: q, As: apitest.AsCustomer("andi")}, 200).JSON(&page)
		for _, s := range page.Items {
			seen = append(seen, s.OrderID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if strings.Join(seen, ",") != "P-4,P-3,P-2,P-1,P-0" {
		t.Fatalf("pages: %v", seen)
	}
	p := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/orders", Query: map[string]string{"cursor": "%%%"}, As: apitest.AsCustomer("andi")}, 400).Problem()
	if p.Errors[0].Field != "cursor" {
		t.Fatalf("%+v", p)
	}
}

func TestGuestLookupWrongPairLooksLikeMissingOrder(t *testing.T) {
	h := newAPI(t)
	put(t, h, "TGP-9", upsertBody("budi", now.Add(-3*24*time.Hour)), 201)
	var v order.View
	apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/orders/lookup", As: apitest.AsGuest(),
		Body: map[string]string{"orderId": "TGP-9", "email": "BUDI@example.co.id"}}, 200).JSON(&v)
	if v.OrderID != "TGP-9" || len(v.Lines) != 2 {
		t.Fatalf("%+v", v)
	}
	wrongEmail := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/orders/lookup", As: apitest.AsGuest(),
		Body: map[string]string{"orderId": "TGP-9", "email": "siti@example.co.id"}}, 404)
	missing := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/orders/lookup", As: apitest.AsGuest(),
		Body: map[string]string{"orderId": "TGP-404", "email": "budi@example.co.id"}}, 404)
	a, b := wrongEmail.Problem(), missing.Problem()
	a.Instance, b.Instance = "", ""
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("wrong pair %+v differs from missing order %+v", a, b)
	}
	p := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/orders/lookup", As: apitest.AsGuest(),
		Headers: map[string]string{"Accept-Language": "id"}, Body: map[string]string{"orderId": "TGP-9", "email": "not-an-email"}}, 400).Problem()
	if p.Errors[0].Field != "email" || p.Errors[0].Message != "Alamat email tidak valid." {
		t.Fatalf("%+v", p)
	}
}

func TestUpsertValidationAndRules(t *testing.T) {
	h := newAPI(t)
	bad := upsertBody("budi", now)
	bad["status"] = "teleported"
	bad["language"] = "fr"
	bad["lines"] = []map[string]any{{"lineId": "L1", "sku": "X", "name": "X", "quantity": 0, "unitPrice": -5}, {"lineId": "L1", "sku": "Y", "name": "Y", "quantity": 1, "unitPrice": 1}}
	delete(bad, "email")
	p := put(t, h, "TGP-X", bad, 400).Problem()
	fields := map[string]string{}
	for _, e := range p.Errors {
		fields[e.Field] = e.Code
	}
	for field, code := range map[string]string{"email": "required", "status": "oneof", "language": "oneof", "lines[0].quantity": "gte", "lines[0].unitPrice": "gte"} {
		if fields[field] != code {
			t.Errorf("field %s: got %q, want %q (all: %v)", field, fields[field], code, fields)
		}
	}
	dup := upsertBody("budi", now)
	dup["lines"] = []map[string]any{{"lineId": "L1", "sku": "X", "name": "X", "quantity": 1, "unitPrice": 1}, {"lineId": "L1", "sku": "Y", "name": "Y", "quantity": 1, "unitPrice": 1}}
	if p := put(t, h, "TGP-X", dup, 400).Problem(); len(p.Errors) != 1 || p.Errors[0].Field != "lines[1].lineId" || p.Errors[0].Code != "unique" {
		t.Fatalf("duplicate line id: %+v", p.Errors)
	}
	// Nothing was stored half-way.
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/ops/orders/TGP-X", Resource: "/ops/orders/{orderId}", As: apitest.AsOperator("x")}, 404)

	body := upsertBody("budi", now.Add(-24*time.Hour))
	put(t, h, "TGP-R", body, 201)
	body["shipment"] = map[string]any{"status": "delivered", "carrier": "AnterAja", "deliveredAt": now}
	body["updatedAt"] = now.Add(48 * time.Hour) // later than the stored update
	var v order.View
	put(t, h, "TGP-R", body, 200).JSON(&v)
	if v.Shipment.Carrier != "AnterAja" {
		t.Fatalf("update not applied: %+v", v.Shipment)
	}
	body["lines"] = []map[string]any{{"lineId": "L1", "sku": "BTK-1", "name": "Kemeja Batik", "quantity": 9, "unitPrice": 18900000}}
	if p := put(t, h, "TGP-R", body, 409).Problem(); p.Code != "order_lines_immutable" {
		t.Fatalf("%+v", p)
	}
	// Customers cannot reach ops routes.
	apitest.Expect(t, h, apitest.Request{Method: "PUT", Path: "/ops/orders/TGP-R", Resource: "/ops/orders/{orderId}", Body: body, As: apitest.AsCustomer("budi")}, 403)
}

func TestUpsertReplaysWithIdempotencyKey(t *testing.T) {
	h := newAPI(t)
	req := apitest.Request{Method: "PUT", Path: "/ops/orders/TGP-I", Resource: "/ops/orders/{orderId}", Body: upsertBody("budi", now),
		As: apitest.AsOperator("oms"), Headers: map[string]string{"Idempotency-Key": "push-1"}}
	first := apitest.Expect(t, h, req, 201)
	again := apitest.Expect(t, h, req, 201)
	if again.Header(httpapi.ReplayedHeader) != "true" || again.Body != first.Body || again.Header("Location") != "/ops/orders/TGP-I" {
		t.Fatalf("not a replay: %v %q", again.Header(httpapi.ReplayedHeader), again.Header("Location"))
	}
	changed := req
	changed.Body = upsertBody("siti", now)
	if p := apitest.Expect(t, h, changed, 422).Problem(); p.Code != "idempotency_key_reused" {
		t.Fatalf("%+v", p)
	}
}
