package returnapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnapi"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

var (
	now       = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	delivered = now.Add(-5 * 24 * time.Hour)
)

// testAPI is the returns handler and the order lookup handler over the same fresh tables.
type testAPI struct {
	env     *testenv.DynamoEnv
	returns http.Handler
	orders  http.Handler
	orderSv *order.Service
}

func newAPI(t *testing.T, wrap ...func(returns.Store) returns.Store) *testAPI {
	t.Helper()
	env := testenv.DynamoDB(t)
	clock := func() time.Time { return now }
	guard := idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))
	var store returns.Store = dynamostore.NewReturns(env.Client, env.SupportTable)
	for _, w := range wrap {
		store = w(store)
	}
	rh, err := httpapi.New(httpapi.Options{Idempotency: guard},
		returnapi.Routes(returns.NewService(store, returnpolicy.Default(), clock)))
	if err != nil {
		t.Fatal(err)
	}
	orderSv := order.NewService(dynamostore.NewOrders(env.Client, env.SupportTable), returnpolicy.Default(), clock)
	oh, err := httpapi.New(httpapi.Options{Idempotency: guard}, orderapi.Routes(orderSv))
	if err != nil {
		t.Fatal(err)
	}
	return &testAPI{env: env, returns: rh, orders: oh, orderSv: orderSv}
}

// seedOrder stores a delivered order for customer: L1 2 × 189.000,00; L2 final sale; L3 qty3 × 85.000,00;
// shipping 15.000,00. edit adjusts it first.
func (a *testAPI) seedOrder(t *testing.T, id, customer string, edit ...func(*order.Order)) {
	t.Helper()
	d := delivered
	o := order.Order{
		ID: id, CustomerID: customer, Email: customer + "@example.co.id", Status: order.StatusDelivered,
		PlacedAt: delivered.Add(-72 * time.Hour), UpdatedAt: delivered, Currency: "IDR", PaymentMethod: "ewallet", ShippingFee: 1500000,
		Shipment: order.Shipment{Status: order.ShipmentDelivered, Carrier: "JNE", TrackingNumber: "JNE" + id, DeliveredAt: &d},
		Lines: []order.Line{
			{ID: "L1", SKU: "BTK-PKL-L", Name: "Kemeja Batik", Quantity: 2, UnitPrice: 18900000},
			{ID: "L2", SKU: "SMB-ROA", Name: "Sambal Roa", Quantity: 1, UnitPrice: 4500000, FinalSale: true},
			{ID: "L3", SKU: "KOPI-GAYO", Name: "Kopi Gayo", Quantity: 3, UnitPrice: 8500000},
		},
	}
	for _, e := range edit {
		e(&o)
	}
	if _, _, err := a.orderSv.Upsert(context.Background(), o); err != nil {
		t.Fatal(err)
	}
}

type lineReq = map[string]any

func ln(id string, qty int, reason, cond string) lineReq {
	return lineReq{"lineId": id, "quantity": qty, "reason": reason, "condition": cond}
}

func body(resolution string, lines ...lineReq) map[string]any {
	return map[string]any{"lines": lines, "resolution": resolution}
}

func createReq(customer, orderID string, b any, headers map[string]string) apitest.Request {
	return apitest.Request{Method: "POST", Path: "/orders/" + orderID + "/returns", Resource: "/orders/{orderId}/returns",
		Body: b, Headers: headers, As: apitest.AsCustomer(customer)}
}

func (a *testAPI) create(t *testing.T, customer, orderID string, b any, want int) (returnapi.ReturnView, apitest.Response) {
	t.Helper()
	resp := apitest.Expect(t, a.returns, createReq(customer, orderID, b, nil), want)
	var v returnapi.ReturnView
	if want == http.StatusCreated {
		resp.JSON(&v)
	}
	return v, resp
}

func opsReq(action, id string, b any, headers map[string]string) apitest.Request {
	return apitest.Request{Method: "POST", Path: "/ops/returns/" + id + "/" + action, Resource: "/ops/returns/{returnId}/" + action,
		Body: b, Headers: headers, As: apitest.AsOperator("dewi")}
}

func (a *testAPI) ops(t *testing.T, action, id string, b any, want int) (returnapi.ReturnView, apitest.Response) {
	t.Helper()
	resp := apitest.Expect(t, a.returns, opsReq(action, id, b, nil), want)
	var v returnapi.ReturnView
	if want == http.StatusOK {
		resp.JSON(&v)
	}
	return v, resp
}

func cancelReq(customer, id string, headers map[string]string) apitest.Request {
	return apitest.Request{Method: "POST", Path: "/returns/" + id + "/cancel", Resource: "/returns/{returnId}/cancel",
		Headers: headers, As: apitest.AsCustomer(customer)}
}

func (a *testAPI) orderView(t *testing.T, customer, id string) order.View {
	t.Helper()
	var v order.View
	apitest.Expect(t, a.orders, apitest.Request{Method: "GET", Path: "/orders/" + id, Resource: "/orders/{orderId}", As: apitest.AsCustomer(customer)}, 200).JSON(&v)
	return v
}

func returnable(v order.View, lineID string) int {
	for _, l := range v.Lines {
		if l.LineID == lineID {
			return l.ReturnableQuantity
		}
	}
	return -1
}

func (a *testAPI) countReturns(t *testing.T, orderID string) int {
	t.Helper()
	page, err := dynamostore.NewReturns(a.env.Client, a.env.SupportTable).ListByOrder(context.Background(), orderID, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Returns)
}

func (a *testAPI) counter(t *testing.T, name string) int64 {
	t.Helper()
	var sum int64
	for shard := 0; shard < metrics.Shards; shard++ {
		out, err := a.env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(a.env.SupportTable), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{
				"PK": &types.AttributeValueMemberS{Value: "METRICS#" + metrics.Day(now) + "#" + strconv.Itoa(shard)},
				"SK": &types.AttributeValueMemberS{Value: "#COUNTERS"},
			}})
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := out.Item[name].(*types.AttributeValueMemberN); ok {
			v, _ := strconv.ParseInt(n.Value, 10, 64)
			sum += v
		}
	}
	return sum
}

func TestRequestAnswers201WithEstimateAndOrderLookupReflectsItAtOnce(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-1", "budi")
	if got := returnable(a.orderView(t, "budi", "TGP-1"), "L1"); got != 2 {
		t.Fatalf("returnable before: %d", got)
	}
	b := body("refund", ln("L1", 1, "defective", "opened"))
	b["comment"] = "Jahitan lepas di bahu"
	v, resp := a.create(t, "budi", "TGP-1", b, 201)
	if !returns.IDs.Valid(v.ReturnID) || resp.Header("Location") != "/returns/"+v.ReturnID {
		t.Fatalf("id %q location %q", v.ReturnID, resp.Header("Location"))
	}
	if v.Status != "requested" || v.OrderID != "TGP-1" || v.Comment != "Jahitan lepas di bahu" || v.PolicyVersion != returnpolicy.Default().Version || v.CustomerID != "" {
		t.Fatalf("view %+v", v)
	}
	// Defective, and opened to find the fault: no restocking fee, and the order's shipping comes back.
	e := v.RefundEstimate
	if e.Method != "original_payment" || e.ItemsSubtotal.Amount != 18900000 || e.RestockingFee.Amount != 0 ||
		e.Shipping.Amount != 1500000 || e.Total.Amount != 20400000 || e.Total.Currency != "IDR" || e.Lines[0].Code != "full_refund" {
		t.Fatalf("estimate %+v", e)
	}
	if e.Total.Display != "Rp204.000" || e.RestockingFee.Display != "Rp0" || v.Lines[0].UnitPrice.Display != "Rp189.000" {
		t.Fatalf("display strings: total %q fee %q unit price %q", e.Total.Display, e.RestockingFee.Display, v.Lines[0].UnitPrice.Display)
	}
	if v.Lines[0].ReasonLabel != "Barang cacat/tidak berfungsi" || v.Lines[0].ConditionLabel != "Sudah dibuka, tidak rusak" ||
		v.ResolutionLabel != "Pengembalian dana" || v.StatusLabel != "Diajukan" || e.MethodLabel != "Ke metode pembayaran awal" ||
		e.Lines[0].CodeLabel != "Dikembalikan penuh" || v.History[0].ToLabel != "Diajukan" {
		t.Fatalf("default labels are not Indonesian: %+v", v)
	}
	if len(v.History) != 1 || v.History[0].To != "requested" || v.History[0].Actor != "customer" || v.History[0].PolicyVersion == "" {
		t.Fatalf("history %+v", v.History)
	}
	// The order lookup shows the held unit immediately.
	ov := a.orderView(t, "budi", "TGP-1")
	if got := returnable(ov, "L1"); got != 1 || ov.Lines[0].ReturnedOrPending != 1 {
		t.Fatalf("returnable after: %d (%+v)", got, ov.Lines[0])
	}

	var en returnapi.ReturnView
	apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/returns/" + v.ReturnID, Resource: "/returns/{returnId}",
		Headers: map[string]string{"Accept-Language": "en-US,en;q=0.9"}, As: apitest.AsCustomer("budi")}, 200).JSON(&en)
	if en.Lines[0].ReasonLabel != "Defective or not working" || en.Lines[0].ConditionLabel != "Opened, undamaged" ||
		en.RefundEstimate.Total.Amount != 20400000 || en.RefundEstimate.Total.Display != "IDR 204,000" || en.StatusLabel != "Requested" {
		t.Fatalf("english view %+v", en)
	}
	var list returnapi.ListResponse
	apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/orders/TGP-1/returns", Resource: "/orders/{orderId}/returns",
		As: apitest.AsCustomer("budi")}, 200).JSON(&list)
	if len(list.Items) != 1 || list.Items[0].ReturnID != v.ReturnID {
		t.Fatalf("list %+v", list)
	}
}

func TestOnlyTheCallersOwnReturnsAndOrders(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-1", "budi")
	a.seedOrder(t, "TGP-2", "siti")
	v, _ := a.create(t, "budi", "TGP-1", body("refund", ln("L1", 1, "size_or_fit", "unopened")), 201)

	get := func(who, id string) apitest.Request {
		return apitest.Request{Method: "GET", Path: "/returns/" + id, Resource: "/returns/{returnId}", As: apitest.AsCustomer(who)}
	}
	other := apitest.Expect(t, a.returns, get("siti", v.ReturnID), 404).Problem()
	missing := apitest.Expect(t, a.returns, get("siti", "RTN-AAAAAAAAAAAAAAAA"), 404).Problem()
	malformed := apitest.Expect(t, a.returns, get("siti", "RTN-.."), 404).Problem()
	// A "%" left after API Gateway's decoding never reaches the handler (httpapi refuses the path).
	escaped := apitest.Expect(t, a.returns, get("siti", "RTN-..%2F"), 404).Problem()
	if other.Code != "return_not_found" || other.Detail != missing.Detail || malformed.Code != "return_not_found" || escaped.Code != "route_not_found" {
		t.Fatalf("someone else's return answers differently from a missing one: %+v / %+v", other, missing)
	}
	// Siti can neither list nor request returns on Budi's order, nor cancel his return.
	apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/orders/TGP-1/returns", Resource: "/orders/{orderId}/returns", As: apitest.AsCustomer("siti")}, 404)
	if p := apitest.Expect(t, a.returns, createReq("siti", "TGP-1", body("refund", ln("L1", 1, "other", "unopened")), nil), 404).Problem(); p.Code != "order_not_found" {
		t.Fatalf("%+v", p)
	}
	apitest.Expect(t, a.returns, cancelReq("siti", v.ReturnID, nil), 404)
	if n := a.countReturns(t, "TGP-1"); n != 1 {
		t.Fatalf("%d returns", n)
	}
	// Signed-out callers and customers on ops routes.
	apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/returns/" + v.ReturnID, Resource: "/returns/{returnId}", As: apitest.AsGuest()}, 401)
	opsAsCustomer := opsReq("approve", v.ReturnID, nil, nil)
	opsAsCustomer.As = apitest.AsCustomer("budi")
	apitest.Expect(t, a.returns, opsAsCustomer, 403)
	// Ops see the customer and operator identities; customers do not.
	var ov returnapi.ReturnView
	apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/ops/returns/" + v.ReturnID, Resource: "/ops/returns/{returnId}", As: apitest.AsOperator("dewi")}, 200).JSON(&ov)
	if ov.CustomerID != "budi" || ov.History[0].ActorID != "budi" {
		t.Fatalf("ops view %+v", ov)
	}
}

// One refusal per policy rule, in both languages: status, code, the refused line's field error with its
// localized message, and nothing stored.
func TestPolicyRefusalsInBothLanguages(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-OK", "budi")
	a.seedOrder(t, "TGP-SHIPPED", "budi", func(o *order.Order) {
		o.Status, o.Shipment = order.StatusShipped, order.Shipment{Status: order.ShipmentInTransit, Carrier: "JNE"}
	})
	a.seedOrder(t, "TGP-OLD", "budi", func(o *order.Order) {
		d := now.Add(-31 * 24 * time.Hour)
		o.Shipment.DeliveredAt, o.PlacedAt, o.UpdatedAt = &d, d.Add(-48*time.Hour), d
	})
	// Two of L3's three units are already on a return.
	a.create(t, "budi", "TGP-OK", body("refund", ln("L3", 2, "changed_mind", "unopened")), 201)

	cases := []struct {
		name, orderID string
		body          any
		status        int
		code          string
		field, fcode  string
		param         string
	}{
		{"not delivered", "TGP-SHIPPED", body("refund", ln("L1", 1, "defective", "opened")), 422, "return_not_allowed", "lines[0].lineId", "not_delivered", ""},
		{"return period ended", "TGP-OLD", body("refund", ln("L1", 1, "defective", "opened")), 422, "return_not_allowed", "lines[0].lineId", "return_period_ended", ""},
		{"final sale", "TGP-OK", body("refund", ln("L1", 1, "defective", "opened"), ln("L2", 1, "changed_mind", "unopened")), 422, "return_not_allowed", "lines[1].lineId", "final_sale", ""},
		{"line not on the order", "TGP-OK", body("refund", ln("L7", 1, "other", "unopened")), 422, "return_not_allowed", "lines[0].lineId", "unknown_line", ""},
		{"more than bought", "TGP-OK", body("refund", ln("L1", 3, "other", "unopened")), 422, "return_not_allowed", "lines[0].quantity", "exceeds_returnable", "2"},
		{"returned plus pending would exceed bought", "TGP-OK", body("refund", ln("L3", 2, "other", "unopened")), 409, "return_quantity_unavailable", "lines[0].quantity", "exceeds_returnable", "1"},
		{"unknown reason", "TGP-OK", body("refund", ln("L1", 1, "bored", "unopened")), 400, "validation_failed", "lines[0].reason", "oneof",
			"defective wrong_item damaged_in_transit not_as_described size_or_fit changed_mind other"},
		{"unknown resolution", "TGP-OK", body("cash", ln("L1", 1, "other", "unopened")), 400, "validation_failed", "resolution", "oneof", "refund exchange store_credit"},
		{"line twice", "TGP-OK", body("refund", ln("L1", 1, "other", "unopened"), ln("L1", 1, "other", "unopened")), 400, "validation_failed", "lines[1].lineId", "unique", ""},
		{"zero quantity", "TGP-OK", body("refund", ln("L1", 0, "other", "unopened")), 400, "validation_failed", "lines[0].quantity", "gte", "1"},
		{"no lines", "TGP-OK", body("refund", []lineReq{}...), 400, "validation_failed", "lines", "required", ""},
		{"null lines (not nullable in the contract)", "TGP-OK", body("refund"), 400, "validation_failed", "lines", "type", ""},
		{"unknown field", "TGP-OK", map[string]any{"lines": []lineReq{ln("L1", 1, "other", "unopened")}, "resolution": "refund", "refundTo": "bank"}, 400, "validation_failed", "refundTo", "unknown", ""},
	}
	tooMany := make([]lineReq, 51)
	for i := range tooMany {
		tooMany[i] = ln(fmt.Sprintf("X%d", i), 1, "other", "unopened")
	}
	cases = append(cases, struct {
		name, orderID string
		body          any
		status        int
		code          string
		field, fcode  string
		param         string
	}{"more than 50 lines", "TGP-OK", body("refund", tooMany...), 400, "validation_failed", "lines", "max", "50"})

	before := a.countReturns(t, "TGP-OK")
	for _, c := range cases {
		var details []string
		for _, lang := range []i18n.Lang{i18n.Indonesian, i18n.English} {
			resp := apitest.Expect(t, a.returns, createReq("budi", c.orderID, c.body, map[string]string{"Accept-Language": string(lang)}), c.status)
			p := resp.Problem()
			if p.Code != c.code || p.Detail != i18n.Message(lang, c.code, nil) || resp.Header("Content-Language") != string(lang) {
				t.Errorf("%s (%s): problem %+v", c.name, lang, p)
				continue
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field || p.Errors[0].Code != c.fcode ||
				p.Errors[0].Message != i18n.Message(lang, "field."+c.fcode, map[string]string{"param": c.param}) {
				t.Errorf("%s (%s): errors %+v, want %s=%s(%s)", c.name, lang, p.Errors, c.field, c.fcode, c.param)
				continue
			}
			details = append(details, p.Errors[0].Message)
		}
		if len(details) == 2 && details[0] == details[1] {
			t.Errorf("%s: same message in both languages: %q", c.name, details[0])
		}
	}
	if n := a.countReturns(t, "TGP-OK"); n != before {
		t.Fatalf("refused requests created %d returns", n-before)
	}
	if n := a.countReturns(t, "TGP-OLD") + a.countReturns(t, "TGP-SHIPPED"); n != 0 {
		t.Fatalf("refused requests created %d returns", n)
	}
	ov := a.orderView(t, "budi", "TGP-OK")
	if returnable(ov, "L1") != 2 || returnable(ov, "L3") != 1 {
		t.Fatalf("refusals changed returnable quantities: %+v", ov.Lines)
	}
}

// Shipping is refunded only for defective / wrong item / damaged in transit, once per order; a cancelled
// return gives it back for the next one. Exchanges pay nothing, store credit pays the same as a refund.
func TestShippingAndResolutionRules(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-S", "budi")
	noReason, _ := a.create(t, "budi", "TGP-S", body("refund", ln("L3", 1, "changed_mind", "unopened")), 201)
	if noReason.RefundEstimate.Shipping.Amount != 0 || noReason.RefundEstimate.Total.Amount != 8500000 {
		t.Fatalf("changed mind got shipping: %+v", noReason.RefundEstimate)
	}
	first, _ := a.create(t, "budi", "TGP-S", body("store_credit", ln("L1", 1, "wrong_item", "unopened")), 201)
	if first.RefundEstimate.Method != "store_credit" || first.RefundEstimate.Shipping.Amount != 1500000 || first.RefundEstimate.Total.Amount != 18900000+1500000 {
		t.Fatalf("store credit with shipping: %+v", first.RefundEstimate)
	}
	second, _ := a.create(t, "budi", "TGP-S", body("refund", ln("L3", 1, "defective", "opened")), 201)
	if second.RefundEstimate.Shipping.Amount != 0 || second.RefundEstimate.Total.Amount != 8500000 {
		t.Fatalf("shipping refunded twice: %+v", second.RefundEstimate)
	}
	apitest.Expect(t, a.returns, cancelReq("budi", first.ReturnID, nil), 200)
	third, _ := a.create(t, "budi", "TGP-S", body("refund", ln("L1", 1, "damaged_in_transit", "defective")), 201)
	if third.RefundEstimate.Shipping.Amount != 1500000 {
		t.Fatalf("shipping not available after the holder was cancelled: %+v", third.RefundEstimate)
	}
	exch, _ := a.create(t, "budi", "TGP-S", body("exchange", ln("L1", 1, "defective", "opened")), 201)
	e := exch.RefundEstimate
	if e.Method != "exchange" || e.Total.Amount != 0 || e.Shipping.Amount != 0 || len(e.ExchangeItems) != 1 || e.ExchangeItems[0].SKU != "BTK-PKL-L" || e.Lines[0].Code != "exchange" {
		t.Fatalf("exchange estimate %+v", e)
	}
}

// The whole life of a return, with the final refund recomputed from the received condition, the refund
// record and payment event stored once, and every step in the audit trail.
func TestLifecycleToRefund(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-L", "budi")
	v, _ := a.create(t, "budi", "TGP-L", body("refund", ln("L1", 2, "defective", "unopened")), 201)
	if v.RefundEstimate.Total.Amount != 37800000+1500000 {
		t.Fatalf("estimate %+v", v.RefundEstimate)
	}
	a.ops(t, "approve", v.ReturnID, nil, 200) // no body at all
	recv, _ := a.ops(t, "receive", v.ReturnID, map[string]any{"lines": []map[string]string{{"lineId": "L1", "condition": "damaged_by_customer"}}, "note": "segel rusak"}, 200)
	if recv.Status != "received" || recv.Refund == nil || recv.Lines[0].ReceivedCondition != "damaged_by_customer" {
		t.Fatalf("received %+v", recv)
	}
	// Found damaged through use, not defective: 10% of 378.000,00 withheld; the estimate keeps what was promised.
	if recv.Refund.RestockingFee.Amount != 3780000 || recv.Refund.Total.Amount != 37800000-3780000+1500000 || recv.Refund.Lines[0].Code != "restocking_fee" ||
		recv.RefundEstimate.RestockingFee.Amount != 0 {
		t.Fatalf("final refund %+v estimate %+v", recv.Refund, recv.RefundEstimate)
	}
	done, _ := a.ops(t, "refund", v.ReturnID, map[string]string{"note": "OVO ref 123"}, 200)
	if done.Status != "refunded" {
		t.Fatalf("status %s", done.Status)
	}
	var steps []string
	for _, h := range done.History {
		steps = append(steps, h.From+">"+h.To+"@"+h.Actor)
	}
	if strings.Join(steps, " ") != ">requested@customer requested>approved@operator approved>received@operator received>refunded@operator" {
		t.Fatalf("audit trail %v", steps)
	}
	if done.History[3].ActorID != "arn:aws:iam::123456789012:user/dewi" || done.History[2].Note != "segel rusak" || done.History[2].PolicyVersion == "" {
		t.Fatalf("ops history %+v", done.History)
	}
	var mine returnapi.ReturnView
	apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/returns/" + v.ReturnID, Resource: "/returns/{returnId}", As: apitest.AsCustomer("budi")}, 200).JSON(&mine)
	if mine.Status != "refunded" || mine.History[2].Note != "" || mine.History[3].ActorID != "" {
		t.Fatalf("customer sees internal notes or operator identities: %+v", mine.History)
	}
	// The refund record and the payment event exist once, with the final amount.
	for _, sk := range []string{"REFUND", "REFUND_EVENT"} {
		out, err := a.env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(a.env.SupportTable), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "RETURN#" + v.ReturnID}, "SK": &types.AttributeValueMemberS{Value: sk}}})
		if err != nil {
			t.Fatal(err)
		}
		amount, _ := out.Item["amount"].(*types.AttributeValueMemberN)
		method, _ := out.Item["method"].(*types.AttributeValueMemberS)
		if amount == nil || amount.Value != strconv.Itoa(37800000-3780000+1500000) || method == nil || method.Value != "original_payment" {
			t.Fatalf("%s item %+v", sk, out.Item)
		}
	}
	if a.counter(t, metrics.ReturnsRefunded) != 1 {
		t.Fatalf("returns_refunded %d", a.counter(t, metrics.ReturnsRefunded))
	}
	// Refunded units stay returned.
	if got := returnable(a.orderView(t, "budi", "TGP-L"), "L1"); got != 0 {
		t.Fatalf("returnable after refund: %d", got)
	}
}

type action struct {
	name string
	to   string
	req  func(id string) apitest.Request
}

var actions = []action{
	{"approve", "approved", func(id string) apitest.Request { return opsReq("approve", id, map[string]string{"note": "ok"}, nil) }},
	{"reject", "rejected", func(id string) apitest.Request {
		return opsReq("reject", id, map[string]string{"reason": "condition", "note": "Barang tergores"}, nil)
	}},
	{"receive", "received", func(id string) apitest.Request {
		return opsReq("receive", id, map[string]any{"lines": []map[string]string{{"lineId": "L3", "condition": "unopened"}}}, nil)
	}},
	{"refund", "refunded", func(id string) apitest.Request { return opsReq("refund", id, nil, nil) }},
	{"cancel", "cancelled", func(id string) apitest.Request { return cancelReq("budi", id, nil) }},
}

// Every status × every action through the API: allowed transitions move (and cancel/reject release the
// unit), refused ones answer 409 in both languages and change nothing.
func TestEveryTransitionAllowedAndRefused(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-T", "budi", func(o *order.Order) { o.Lines[2].Quantity = 200 })
	paths := map[string][]string{ // how to reach each status from requested
		"requested": nil,
		"approved":  {"approve"},
		"received":  {"approve", "receive"},
		"refunded":  {"approve", "receive", "refund"},
		"rejected":  {"reject"},
		"cancelled": {"cancel"},
	}
	allowed := map[string]string{
		"requested": "approve reject cancel",
		"approved":  "receive reject cancel",
		"received":  "refund reject",
	}
	byName := map[string]action{}
	for _, act := range actions {
		byName[act.name] = act
	}
	for from, path := range paths {
		for _, act := range actions {
			t.Run(from+"/"+act.name, func(t *testing.T) {
				v, _ := a.create(t, "budi", "TGP-T", body("refund", ln("L3", 1, "changed_mind", "unopened")), 201)
				for _, step := range path {
					apitest.Expect(t, a.returns, byName[step].req(v.ReturnID), 200)
				}
				held := returnable(a.orderView(t, "budi", "TGP-T"), "L3")
				if strings.Contains(" "+allowed[from]+" ", " "+act.name+" ") {
					var got returnapi.ReturnView
					apitest.Expect(t, a.returns, act.req(v.ReturnID), 200).JSON(&got)
					if got.Status != act.to || got.History[len(got.History)-1].From != from || got.History[len(got.History)-1].To != act.to {
						t.Fatalf("%s from %s: %+v", act.name, from, got.History)
					}
					released := returnable(a.orderView(t, "budi", "TGP-T"), "L3") - held
					if want := map[bool]int{true: 1}[act.to == "rejected" || act.to == "cancelled"]; released != want {
						t.Fatalf("%s from %s released %d units, want %d", act.name, from, released, want)
					}
					return
				}
				wantCode := "return_status_conflict"
				if act.name == "cancel" {
					wantCode = "return_not_cancellable"
				}
				var details []string
				for _, lang := range []i18n.Lang{i18n.Indonesian, i18n.English} {
					req := act.req(v.ReturnID)
					req.Headers = map[string]string{"Accept-Language": string(lang)}
					p := apitest.Expect(t, a.returns, req, 409).Problem()
					if p.Code != wantCode || p.Detail != i18n.Message(lang, wantCode, nil) {
						t.Fatalf("%s from %s (%s): %+v", act.name, from, lang, p)
					}
					details = append(details, p.Detail)
				}
				if details[0] == details[1] {
					t.Fatal("same text in both languages")
				}
				var after returnapi.ReturnView
				apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/ops/returns/" + v.ReturnID, Resource: "/ops/returns/{returnId}",
					As: apitest.AsOperator("dewi")}, 200).JSON(&after)
				if after.Status != from || len(after.History) != len(path)+1 {
					t.Fatalf("refused %s changed the return: %s, %d steps", act.name, after.Status, len(after.History))
				}
				if returnable(a.orderView(t, "budi", "TGP-T"), "L3") != held {
					t.Fatal("refused step changed the order's quantities")
				}
			})
		}
	}
}

func TestOpsBodiesAreValidated(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-V", "budi")
	v, _ := a.create(t, "budi", "TGP-V", body("refund", ln("L1", 1, "changed_mind", "unopened"), ln("L3", 1, "changed_mind", "unopened")), 201)
	check := func(req apitest.Request, field, code string) {
		t.Helper()
		p := apitest.Expect(t, a.returns, req, 400).Problem()
		if len(p.Errors) == 0 || p.Errors[0].Field != field || p.Errors[0].Code != code {
			t.Fatalf("%s: %+v", req.Path, p)
		}
	}
	check(opsReq("reject", v.ReturnID, map[string]string{"reason": "condition"}, nil), "note", "required")
	check(opsReq("reject", v.ReturnID, map[string]string{"reason": "ugly", "note": "x"}, nil), "reason", "oneof")
	check(opsReq("approve", v.ReturnID, map[string]string{"remark": "x"}, nil), "remark", "unknown")
	a.ops(t, "approve", v.ReturnID, map[string]string{}, 200)
	check(opsReq("receive", v.ReturnID, map[string]any{"lines": []map[string]string{{"lineId": "L1", "condition": "opened"}}}, nil), "lines", "all_lines_required")
	check(opsReq("receive", v.ReturnID, map[string]any{"lines": []map[string]string{{"lineId": "L1", "condition": "opened"}, {"lineId": "L2", "condition": "opened"}}}, nil),
		"lines[1].lineId", "unknown_line")
	check(opsReq("receive", v.ReturnID, map[string]any{"lines": []map[string]string{}}, nil), "lines", "all_lines_required")
	apitest.Expect(t, a.returns, opsReq("approve", "RTN-AAAAAAAAAAAAAAAA", nil, nil), 404)
	apitest.Expect(t, a.returns, opsReq("approve", "not-an-id", nil, nil), 404)
}

// Concurrent steps on one return: exactly one wins, the others get 409. First ten approvals; then five
// rejections racing five customer cancellations (both final), which must release the units exactly once.
func TestConcurrentStepsOnlyOneWins(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-C", "budi")
	race := func(reqs []apitest.Request) (wins int) {
		t.Helper()
		statuses := make([]int, len(reqs))
		codes := make([]string, len(reqs))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, req := range reqs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i], codes[i] = invoke(t, a.returns, req)
			}()
		}
		close(start)
		wg.Wait()
		for i := range reqs {
			switch {
			case statuses[i] == 200:
				wins++
			case statuses[i] != 409 || (codes[i] != "return_status_conflict" && codes[i] != "return_not_cancellable"):
				t.Errorf("%s: %d %s", reqs[i].Path, statuses[i], codes[i])
			}
		}
		return wins
	}
	history := func(id string) int {
		var got returnapi.ReturnView
		apitest.Expect(t, a.returns, apitest.Request{Method: "GET", Path: "/ops/returns/" + id, Resource: "/ops/returns/{returnId}", As: apitest.AsOperator("x")}, 200).JSON(&got)
		return len(got.History)
	}

	v, _ := a.create(t, "budi", "TGP-C", body("refund", ln("L1", 1, "changed_mind", "unopened")), 201)
	var approvals []apitest.Request
	for i := range 10 {
		approvals = append(approvals, opsReq("approve", v.ReturnID, nil, map[string]string{"Idempotency-Key": fmt.Sprintf("approve-%d", i)}))
	}
	if wins := race(approvals); wins != 1 {
		t.Fatalf("%d concurrent approvals won", wins)
	}
	if n := history(v.ReturnID); n != 2 {
		t.Fatalf("%d audit entries after one approval", n)
	}

	w, _ := a.create(t, "budi", "TGP-C", body("refund", ln("L3", 2, "changed_mind", "unopened")), 201)
	before := returnable(a.orderView(t, "budi", "TGP-C"), "L3")
	var finals []apitest.Request
	for i := range 10 {
		if i%2 == 0 {
			finals = append(finals, opsReq("reject", w.ReturnID, map[string]string{"reason": "other", "note": "duplikat"}, map[string]string{"Idempotency-Key": fmt.Sprintf("reject-%d", i)}))
		} else {
			finals = append(finals, cancelReq("budi", w.ReturnID, map[string]string{"Idempotency-Key": fmt.Sprintf("cancel-%d", i)}))
		}
	}
	if wins := race(finals); wins != 1 {
		t.Fatalf("%d of reject/cancel won", wins)
	}
	if n := history(w.ReturnID); n != 2 {
		t.Fatalf("%d audit entries after one final step", n)
	}
	if got := returnable(a.orderView(t, "budi", "TGP-C"), "L3"); got != before+2 {
		t.Fatalf("released %d units, want exactly 2", got-before)
	}
}

// invoke runs one request through the Lambda adapter from any goroutine (apitest.Do may only fail the
// test from the test goroutine), checks it against openapi.yaml, and returns the status and problem code.
func invoke(t *testing.T, h http.Handler, req apitest.Request) (int, string) {
	ev := apitest.Event(req)
	resp, err := httpapi.LambdaHandler(h)(context.Background(), ev)
	if err != nil {
		return -1, err.Error()
	}
	apitest.CheckContract(t, ev, resp)
	ct := resp.Headers["Content-Type"]
	if ct == "" && len(resp.MultiValueHeaders["Content-Type"]) > 0 {
		ct = resp.MultiValueHeaders["Content-Type"][0]
	}
	if resp.StatusCode >= 300 {
		var p httpapi.Problem
		if ct != httpapi.ProblemContentType || json.Unmarshal([]byte(resp.Body), &p) != nil || p.Status != resp.StatusCode {
			return resp.StatusCode, "not problem+json: " + ct + " " + resp.Body
		}
		return resp.StatusCode, p.Code
	}
	var v returnapi.ReturnView
	if json.Unmarshal([]byte(resp.Body), &v) != nil {
		return resp.StatusCode, "bad body"
	}
	return resp.StatusCode, v.ReturnID
}

// lockstepStore holds every Create until n of them have arrived (every racer has read the order and decided
// on the same remaining quantity), then lets them write one at a time: no transaction conflicts, so only the
// reservation's condition can stop the stale ones. Retries after the gate opens pass straight through.
type lockstepStore struct {
	returns.Store
	n       int
	mu      sync.Mutex
	armed   bool
	arrived int
	gate    chan struct{}
	write   sync.Mutex
}

func (s *lockstepStore) arm() { s.mu.Lock(); s.armed = true; s.mu.Unlock() }

func (s *lockstepStore) Create(ctx context.Context, r returns.Return) error {
	s.mu.Lock()
	if !s.armed {
		s.mu.Unlock()
		return s.Store.Create(ctx, r)
	}
	s.arrived++
	if s.arrived == s.n {
		close(s.gate)
	}
	s.mu.Unlock()
	select {
	case <-s.gate:
	case <-time.After(20 * time.Second): // a racer that never writes must not hang the test
	}
	s.write.Lock()
	defer s.write.Unlock()
	return s.Store.Create(ctx, r)
}

// The Done-when race: 50 concurrent requests for the last returnable unit of a line. Exactly one return is
// created; every other request gets a 409 problem+json. Run free, and in lockstep (all 50 decide on the
// same read before any writes), which only the conditional reservation inside the transaction can win.
func TestFiftyConcurrentRequestsForTheLastUnit(t *testing.T) {
	const n = 50
	for _, mode := range []string{"free", "lockstep"} {
		t.Run(mode, func(t *testing.T) {
			var wrap []func(returns.Store) returns.Store
			var lockstep *lockstepStore
			if mode == "lockstep" {
				wrap = append(wrap, func(s returns.Store) returns.Store {
					lockstep = &lockstepStore{Store: s, n: n, gate: make(chan struct{})}
					return lockstep
				})
			}
			a := newAPI(t, wrap...)
			a.seedOrder(t, "TGP-RACE", "budi")
			a.create(t, "budi", "TGP-RACE", body("refund", ln("L3", 2, "changed_mind", "unopened")), 201) // 1 of 3 left
			if got := returnable(a.orderView(t, "budi", "TGP-RACE"), "L3"); got != 1 {
				t.Fatalf("returnable before the race: %d", got)
			}
			if lockstep != nil {
				lockstep.arm()
			}
			statuses := make([]int, n)
			codes := make([]string, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					headers := map[string]string{}
					if i%2 == 0 { // half with their own Idempotency-Key, half without
						headers["Idempotency-Key"] = fmt.Sprintf("race-%d", i)
					}
					// size_or_fit takes no shipping refund: the line reservation alone must stop the losers.
					req := createReq("budi", "TGP-RACE", body("refund", ln("L3", 1, "size_or_fit", "opened")), headers)
					<-start
					statuses[i], codes[i] = invoke(t, a.returns, req)
				}()
			}
			close(start)
			wg.Wait()
			created, conflicts := 0, 0
			for i := range n {
				switch {
				case statuses[i] == 201:
					created++
				case statuses[i] == 409 && codes[i] == "return_quantity_unavailable":
					conflicts++
				default:
					t.Errorf("request %d: %d %s", i, statuses[i], codes[i])
				}
			}
			if created != 1 || conflicts != n-1 {
				t.Fatalf("%d created, %d conflicts; want 1 and %d", created, conflicts, n-1)
			}
			if lockstep != nil && lockstep.arrived < n {
				t.Fatalf("only %d requests reached the write together; the lockstep proved nothing", lockstep.arrived)
			}
			if got := a.countReturns(t, "TGP-RACE"); got != 2 {
				t.Fatalf("%d returns stored, want 2 (the earlier one and the race winner)", got)
			}
			if got := returnable(a.orderView(t, "budi", "TGP-RACE"), "L3"); got != 0 {
				t.Fatalf("returnable after the race: %d", got)
			}
			if a.counter(t, metrics.ReturnsRequested) != 2 || a.counter(t, metrics.UnitsReturned) != 3 {
				t.Fatalf("counters: requested %d units %d", a.counter(t, metrics.ReturnsRequested), a.counter(t, metrics.UnitsReturned))
			}
		})
	}
}

func TestIdempotencyReplayMismatchAndConcurrentDuplicates(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-I", "budi")
	key := map[string]string{"Idempotency-Key": "app-7f3c-return-1"}
	b := body("refund", ln("L1", 1, "defective", "unopened"))

	first := apitest.Expect(t, a.returns, createReq("budi", "TGP-I", b, key), 201)
	again := apitest.Expect(t, a.returns, createReq("budi", "TGP-I", b, key), 201)
	if again.Header(httpapi.ReplayedHeader) != "true" || again.Body != first.Body || again.Header("Location") != first.Header("Location") {
		t.Fatalf("replay differs: %s vs %s", again.Body, first.Body)
	}
	if n := a.countReturns(t, "TGP-I"); n != 1 {
		t.Fatalf("replay created a return: %d", n)
	}
	if got := returnable(a.orderView(t, "budi", "TGP-I"), "L1"); got != 1 {
		t.Fatalf("replay reserved again: returnable %d", got)
	}
	// Same key, different payload: refused, nothing created.
	for _, lang := range []i18n.Lang{i18n.Indonesian, i18n.English} {
		h := map[string]string{"Idempotency-Key": key["Idempotency-Key"], "Accept-Language": string(lang)}
		p := apitest.Expect(t, a.returns, createReq("budi", "TGP-I", body("refund", ln("L1", 1, "wrong_item", "unopened")), h), 422).Problem()
		if p.Code != "idempotency_key_reused" || p.Detail != i18n.Message(lang, "idempotency_key_reused", nil) {
			t.Fatalf("mismatch: %+v", p)
		}
	}
	// The key is the caller's: another customer using it runs their own request.
	a.seedOrder(t, "TGP-I2", "siti")
	apitest.Expect(t, a.returns, createReq("siti", "TGP-I2", b, key), 201)

	// Concurrent duplicates: one runs, the rest are told it is in progress or get the replay.
	const n = 10
	statuses := make([]int, n)
	results := make([]string, n)
	var wg sync.WaitGroup
	dup := map[string]string{"Idempotency-Key": "app-7f3c-return-2"}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], results[i] = invoke(t, a.returns, createReq("budi", "TGP-I", body("refund", ln("L3", 1, "changed_mind", "unopened")), dup))
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for i := range n {
		switch {
		case statuses[i] == 201:
			ids[results[i]] = true
		case statuses[i] == 409 && results[i] == "idempotency_in_progress":
		default:
			t.Errorf("duplicate %d: %d %s", i, statuses[i], results[i])
		}
	}
	if len(ids) != 1 {
		t.Fatalf("concurrent duplicates created %d distinct returns", len(ids))
	}
	if n := a.countReturns(t, "TGP-I"); n != 2 {
		t.Fatalf("%d returns on the order, want 2", n)
	}
	if got := returnable(a.orderView(t, "budi", "TGP-I"), "L3"); got != 2 {
		t.Fatalf("concurrent duplicates reserved %d units", 3-got)
	}
	if a.counter(t, metrics.ReturnsRequested) != 3 {
		t.Fatalf("returns_requested %d, want 3", a.counter(t, metrics.ReturnsRequested))
	}
}

// Ops and cancel POSTs replay too: a retried refund or cancel neither fails nor acts twice.
func TestIdempotentStepsReplay(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-J", "budi")
	v, _ := a.create(t, "budi", "TGP-J", body("refund", ln("L1", 1, "defective", "unopened")), 201)
	a.ops(t, "approve", v.ReturnID, nil, 200)
	a.ops(t, "receive", v.ReturnID, map[string]any{"lines": []map[string]string{{"lineId": "L1", "condition": "unopened"}}}, 200)
	key := map[string]string{"Idempotency-Key": "refund-" + v.ReturnID}
	first := apitest.Expect(t, a.returns, opsReq("refund", v.ReturnID, nil, key), 200)
	again := apitest.Expect(t, a.returns, opsReq("refund", v.ReturnID, nil, key), 200)
	if again.Header(httpapi.ReplayedHeader) != "true" || again.Body != first.Body {
		t.Fatal("refund replay differs")
	}
	// Without the key, a second refund is a status conflict: the first one is final.
	apitest.Expect(t, a.returns, opsReq("refund", v.ReturnID, nil, nil), 409)
	if a.counter(t, metrics.ReturnsRefunded) != 1 {
		t.Fatalf("returns_refunded %d", a.counter(t, metrics.ReturnsRefunded))
	}

	w, _ := a.create(t, "budi", "TGP-J", body("refund", ln("L3", 1, "changed_mind", "unopened")), 201)
	ck := map[string]string{"Idempotency-Key": "cancel-" + w.ReturnID}
	c1 := apitest.Expect(t, a.returns, cancelReq("budi", w.ReturnID, ck), 200)
	c2 := apitest.Expect(t, a.returns, cancelReq("budi", w.ReturnID, ck), 200)
	if c2.Header(httpapi.ReplayedHeader) != "true" || c1.Body != c2.Body {
		t.Fatal("cancel replay differs")
	}
	if got := returnable(a.orderView(t, "budi", "TGP-J"), "L3"); got != 3 {
		t.Fatalf("cancel released %d units", got-2)
	}
	if a.counter(t, metrics.UnitsReturned) != 1 {
		t.Fatalf("units_returned %d, want 1 (2 requested, 1 cancelled)", a.counter(t, metrics.UnitsReturned))
	}
}

// A COD order (paid in cash, nothing to refund to) is refunded to the bank account the customer gives:
// without one the request is a 400 that names the field and the way out; the customer sees the account
// masked, ops see it in full when they refund, and the payment event carries it.
func TestCODReturnIsRefundedToABankAccount(t *testing.T) {
	a := newAPI(t)
	a.seedOrder(t, "TGP-COD", "budi", func(o *order.Order) { o.PaymentMethod = "cod" })
	r := apitest.Expect(t, a.returns, createReq("budi", "TGP-COD", body("refund", ln("L1", 1, "defective", "opened")), nil), 400)
	if p := r.Problem(); len(p.Errors) != 1 || p.Errors[0].Field != "refundDestination" || p.Errors[0].Code != "destination_required_for_cod" ||
		!strings.Contains(p.Errors[0].Message, "Saldo toko") {
		t.Fatalf("COD refund without destination: %+v", p)
	}
	if a.countReturns(t, "TGP-COD") != 0 {
		t.Fatal("a refused request was stored")
	}
	b := body("refund", ln("L1", 1, "defective", "opened"))
	b["refundDestination"] = map[string]string{"type": "bank_account", "bank": "bca", "accountNumber": "123-456-7890", "holderName": "Budi Santoso"}
	v, _ := a.create(t, "budi", "TGP-COD", b, 201)
	d := v.RefundDestination
	if d == nil || d.AccountNumber != "••••••7890" || d.HolderName != "B••• S••••••" || d.BankLabel != "BCA" || d.TypeLabel != "Rekening bank" ||
		v.RefundEstimate.Method != "bank_transfer" || v.RefundEstimate.MethodLabel != "Transfer ke rekening Anda" {
		t.Fatalf("customer view %+v %+v", d, v.RefundEstimate)
	}
	a.ops(t, "approve", v.ReturnID, nil, 200)
	a.ops(t, "receive", v.ReturnID, map[string]any{"lines": []map[string]string{{"lineId": "L1", "condition": "defective"}}}, 200)
	done, _ := a.ops(t, "refund", v.ReturnID, nil, 200)
	if d := done.RefundDestination; d == nil || d.AccountNumber != "1234567890" || d.HolderName != "Budi Santoso" || done.Refund.Total.Amount%100 != 0 {
		t.Fatalf("ops view %+v", done)
	}
	out, err := a.env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(a.env.SupportTable), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "RETURN#" + v.ReturnID}, "SK": &types.AttributeValueMemberS{Value: "REFUND_EVENT"}}})
	if err != nil {
		t.Fatal(err)
	}
	dest, _ := out.Item["destination"].(*types.AttributeValueMemberM)
	if dest == nil {
		t.Fatalf("refund event without destination: %+v", out.Item)
	}
	if acct, _ := dest.Value["accountNumber"].(*types.AttributeValueMemberS); acct == nil || acct.Value != "1234567890" {
		t.Fatalf("refund event destination %+v", dest.Value)
	}
	// Store credit stays an option without any account.
	a.seedOrder(t, "TGP-COD2", "budi", func(o *order.Order) { o.PaymentMethod = "cod" })
	if credit, _ := a.create(t, "budi", "TGP-COD2", body("store_credit", ln("L1", 1, "defective", "opened")), 201); credit.RefundEstimate.MethodLabel != "Saldo toko" {
		t.Fatalf("store credit %+v", credit.RefundEstimate)
	}
}
