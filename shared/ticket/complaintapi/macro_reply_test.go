package complaintapi_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
	"github.com/tanggap/tanggap/shared/workspace/customer"
	"github.com/tanggap/tanggap/shared/workspace/macro"
)

// An agent replies with a saved reply: it renders in the language the customer filed in, with the name
// from the customer's profile and the refund of the return on the ticket's order in that language's money
// format, the agent's own words after it; each use is counted in the reply's transaction.
func TestReplyWithASavedReplyInTheCustomersLanguage(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := t.Context()
	clock := func() time.Time { return start }
	orders := dynamostore.NewOrders(env.Client, env.SupportTable)
	svc := ticket.NewService(dynamostore.NewTickets(env.Client, env.SupportTable), orders, ticket.DefaultRules(), ticket.DefaultSLA(), clock)
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))},
		complaintapi.Routes(svc, complaintapi.WithReplies(dynamostore.NewMacroSources(env.Client, env.SupportTable)),
			complaintapi.WithCustomerContext(dynamostore.NewCustomers(env.Client, env.SupportTable))))
	if err != nil {
		t.Fatal(err)
	}
	o := ordertest.Sample("TGP-MACRO-1", "cust-lia", start.Add(-5*24*time.Hour))
	o.CustomerName = "Lia  Anggraini"
	if _, _, err := orders.Upsert(ctx, o); err != nil {
		t.Fatal(err)
	}
	rets := returns.NewService(dynamostore.NewReturns(env.Client, env.SupportTable), returnpolicy.Default(), clock)
	ret, err := rets.Request(ctx, returns.Request{OrderID: "TGP-MACRO-1", CustomerID: "cust-lia", Resolution: returns.ResolutionRefund,
		Lines: []returns.LineRequest{{LineID: "L1", Quantity: 1, Reason: returnpolicy.ReasonSizeOrFit, Condition: returnpolicy.ConditionUnopened}}})
	if err != nil {
		t.Fatal(err)
	}
	macros := macro.NewService(dynamostore.NewMacros(env.Client, env.SupportTable), clock)
	m, err := macros.Create(ctx, "dewi", macro.Draft{Title: "Refund",
		BodyID: "Halo {{customer.firstName}}, dana {{return.refund}} untuk {{return.id}} (pesanan {{order.id}}) sedang kami proses.",
		BodyEN: "Hi {{customer.firstName}}, the {{return.refund}} refund for {{return.id}} (order {{order.id}}) is on its way."})
	if err != nil {
		t.Fatal(err)
	}

	file := func(lang string, orderID string) string {
		body := complaint("Dana belum masuk", "Dana pengembalian belum masuk.")
		if orderID != "" {
			body["orderId"] = orderID
		}
		r := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/complaints", Body: body, As: apitest.AsCustomer("cust-lia"),
			Headers: map[string]string{"Accept-Language": lang}}, 201)
		var v ticket.CustomerView
		r.JSON(&v)
		return v.TicketID
	}
	reply := func(id string, body map[string]any, key string, want int) apitest.Response {
		return apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/ops/complaints/" + id + "/responses", Body: body,
			As: apitest.AsOperator("dewi"), Headers: map[string]string{"Idempotency-Key": key}}, want)
	}
	lastReply := func(r apitest.Response) string {
		var v ticket.OpsView
		r.JSON(&v)
		for i := len(v.Timeline) - 1; i >= 0; i-- {
			if v.Timeline[i].Type == ticket.EventAgentReply {
				return v.Timeline[i].Body
			}
		}
		return ""
	}

	en := file("en-US,en;q=0.9", "TGP-MACRO-1")
	got := lastReply(reply(en, map[string]any{"macroId": m.ID, "message": "  Thanks for your patience.  "}, "mr-en", 200))
	if want := "Hi Lia, the IDR 250,000 refund for " + ret.ID + " (order TGP-MACRO-1) is on its way.\n\nThanks for your patience."; got != want {
		t.Fatalf("english reply\n%q\nwant\n%q", got, want)
	}
	id := file("id", "TGP-MACRO-1")
	got = lastReply(reply(id, map[string]any{"macroId": m.ID}, "mr-id", 200))
	if want := "Halo Lia, dana Rp250.000 untuk " + ret.ID + " (pesanan TGP-MACRO-1) sedang kami proses."; got != want {
		t.Fatalf("indonesian reply\n%q\nwant\n%q", got, want)
	}
	// A replay counts nothing again.
	reply(id, map[string]any{"macroId": m.ID}, "mr-id", 200)
	if stored, err := macros.Get(ctx, m.ID); err != nil || stored.Usage != 2 {
		t.Fatalf("usage %d (%v), want 2", stored.Usage, err)
	}

	// A ticket without an order has no refund to show: refused, nothing stored, usage unchanged.
	bare := file("id", "")
	if p := reply(bare, map[string]any{"macroId": m.ID}, "mr-bare", 422).Problem(); p.Code != "macro_data_missing" {
		t.Fatalf("%+v", p)
	}
	reply(bare, map[string]any{"macroId": "MAC-AAAAAAAAAAAAAAAA"}, "mr-missing", http.StatusNotFound)
	reply(bare, map[string]any{}, "mr-empty", 400)
	if stored, _ := macros.Get(ctx, m.ID); stored.Usage != 2 {
		t.Fatalf("usage %d after refusals, want 2", stored.Usage)
	}
	// Without a macro it is the plain reply it always was.
	if got := lastReply(reply(bare, map[string]any{"message": "Kami cek dulu."}, "mr-plain", 200)); got != "Kami cek dulu." {
		t.Fatalf("%q", got)
	}

	// The ops view of the last ticket shows its customer: name, the order, the open return, the earlier
	// tickets newest first (not itself).
	r := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/ops/complaints/" + bare, As: apitest.AsOperator("dewi"),
		Headers: map[string]string{"Accept-Language": "en"}}, 200)
	var v complaintapi.OpsTicketView
	r.JSON(&v)
	c := v.Customer
	if c == nil || c.Name != "Lia Anggraini" || c.History != "/ops/customers/cust-lia" || c.Orders != 1 || c.Returns != 1 || c.Tickets != 3 {
		t.Fatalf("%s", r.Body)
	}
	if len(c.RecentOrders) != 1 || c.RecentOrders[0].OrderID != "TGP-MACRO-1" || c.RecentOrders[0].Total.Display != "IDR 650,000" {
		t.Fatalf("orders %+v", c.RecentOrders)
	}
	if len(c.OpenReturns) != 1 || c.OpenReturns[0].ReturnID != ret.ID || c.OpenReturns[0].Refund.Display != "IDR 250,000" ||
		c.OpenReturns[0].StatusLabel == "" {
		t.Fatalf("returns %+v", c.OpenReturns)
	}
	// All three were filed at the same instant here, so only membership is checked, not order.
	if len(c.EarlierTickets) != 2 || !slices.ContainsFunc(c.EarlierTickets, func(e customer.ContextTicketed) bool { return e.TicketID == id }) ||
		!slices.ContainsFunc(c.EarlierTickets, func(e customer.ContextTicketed) bool { return e.TicketID == en }) {
		t.Fatalf("tickets %+v", c.EarlierTickets)
	}
	// Once the return is settled it is no longer open.
	op := returns.Actor{Kind: returns.ActorOperator, ID: "arn:aws:iam::123456789012:user/dewi"}
	if _, err := rets.Reject(ctx, op, ret.ID, returns.RejectCondition, "Segel rusak."); err != nil {
		t.Fatal(err)
	}
	r = apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/ops/complaints/" + bare, As: apitest.AsOperator("dewi")}, 200)
	v = complaintapi.OpsTicketView{}
	r.JSON(&v)
	if v.Customer == nil || len(v.Customer.OpenReturns) != 0 {
		t.Fatalf("%s", r.Body)
	}
}
