package workspaceapi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/workspace/workqueue"
	"github.com/tanggap/tanggap/shared/workspace/workspaceapi"
)

var ops = returns.Actor{Kind: returns.ActorOperator, ID: agentDewi}

// order puts a delivered order with three returnable lines.
func (f *fixture) order(id, customer string) {
	f.t.Helper()
	o := ordertest.Sample(id, customer, start.Add(-5*24*time.Hour))
	o.Lines = []order.Line{
		{ID: "L1", SKU: "BATIK-M", Name: "Kemeja Batik", Quantity: 10, UnitPrice: 25000000},
		{ID: "L2", SKU: "KOPI-1", Name: "Kopi Toraja", Quantity: 10, UnitPrice: 9000000},
		{ID: "L3", SKU: "TAS-1", Name: "Tas Rotan", Quantity: 10, UnitPrice: 15000000},
	}
	if _, _, err := f.orders.Upsert(context.Background(), o); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) request(orderID, customer string, res returns.Resolution, lines ...returns.LineRequest) returns.Return {
	f.t.Helper()
	r, err := f.returns.Request(context.Background(), returns.Request{OrderID: orderID, CustomerID: customer, Lines: lines, Resolution: res})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func line(id string, reason returnpolicy.Reason) returns.LineRequest {
	return returns.LineRequest{LineID: id, Quantity: 1, Reason: reason, Condition: returnpolicy.ConditionOpened}
}

func (f *fixture) returnQueue(q map[string]string, limit string) (ids []string, items []workqueue.ReturnItem) {
	f.t.Helper()
	q = copyQuery(q)
	q["limit"] = limit
	for pages := 0; ; pages++ {
		if pages > 50 {
			f.t.Fatalf("return queue %v does not end", q)
		}
		var p workspaceapi.ReturnPage
		f.db.reset()
		f.page("/ops/returns", q, &p)
		if n, b, o := f.db.reset(); n != 1 || b+o != 0 {
			f.t.Errorf("return queue %v page %d: %d Queries, %d other reads; want one Query", q, pages, n, b+o)
		}
		for _, it := range p.Items {
			ids = append(ids, it.ReturnID)
			items = append(items, it)
		}
		if p.NextCursor == "" {
			return ids, items
		}
		q["cursor"] = p.NextCursor
	}
}

// Each return queue holds exactly its returns, oldest first, narrowed by resolution and reason; returns
// that no longer wait on the shop (refunded, rejected, cancelled) are in none; the counts agree.
func TestReturnQueues(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		f.order(fmt.Sprintf("TGP-Q%d", i), "cust-a")
	}
	step := func() { f.clock.Advance(time.Minute) }
	reqRefund := f.request("TGP-Q1", "cust-a", returns.ResolutionRefund, line("L1", returnpolicy.ReasonDefective))
	step()
	reqCredit := f.request("TGP-Q1", "cust-a", returns.ResolutionStoreCredit, line("L2", returnpolicy.ReasonSizeOrFit),
		line("L3", returnpolicy.ReasonChangedMind))
	step()
	reqExchange := f.request("TGP-Q2", "cust-a", returns.ResolutionExchange, line("L1", returnpolicy.ReasonWrongItem))
	step()
	approved := f.request("TGP-Q2", "cust-a", returns.ResolutionRefund, line("L2", returnpolicy.ReasonChangedMind))
	step()
	received := f.request("TGP-Q3", "cust-a", returns.ResolutionRefund, line("L1", returnpolicy.ReasonDefective))
	step()
	refunded := f.request("TGP-Q3", "cust-a", returns.ResolutionRefund, line("L2", returnpolicy.ReasonDefective))
	step()
	rejected := f.request("TGP-Q3", "cust-a", returns.ResolutionRefund, line("L3", returnpolicy.ReasonChangedMind))
	step()
	cancelled := f.request("TGP-Q1", "cust-a", returns.ResolutionRefund, line("L3", returnpolicy.ReasonDefective))
	step()
	approved2 := f.request("TGP-Q2", "cust-a", returns.ResolutionStoreCredit, line("L3", returnpolicy.ReasonDefective))
	for _, id := range []string{approved.ID, received.ID, refunded.ID, approved2.ID} {
		if _, err := f.returns.Approve(ctx, ops, id, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []returns.Return{received, refunded} {
		if _, err := f.returns.Receive(ctx, ops, r.ID, []returns.ReceivedLine{{LineID: r.Lines[0].LineID, Condition: returnpolicy.ConditionOpened}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.returns.Refund(ctx, ops, refunded.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.returns.Reject(ctx, ops, rejected.ID, returns.RejectOther, "Tidak sesuai foto."); err != nil {
		t.Fatal(err)
	}
	if _, err := f.returns.Cancel(ctx, "cust-a", cancelled.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)

	for _, c := range []struct {
		q    map[string]string
		want []string
	}{
		{map[string]string{}, []string{reqRefund.ID, reqCredit.ID, reqExchange.ID}},
		{map[string]string{"status": "requested"}, []string{reqRefund.ID, reqCredit.ID, reqExchange.ID}},
		{map[string]string{"status": "approved"}, []string{approved.ID, approved2.ID}},
		{map[string]string{"status": "received"}, []string{received.ID}},
		{map[string]string{"resolution": "store_credit,exchange"}, []string{reqCredit.ID, reqExchange.ID}},
		{map[string]string{"reason": "changed_mind"}, []string{reqCredit.ID}},
		{map[string]string{"reason": "defective,wrong_item"}, []string{reqRefund.ID, reqExchange.ID}},
		{map[string]string{"status": "approved", "resolution": "refund", "reason": "changed_mind"}, []string{approved.ID}},
		{map[string]string{"status": "approved", "reason": "wrong_item"}, nil},
	} {
		for _, limit := range []string{"1", "20"} {
			got, _ := f.returnQueue(c.q, limit)
			if joined(got) != joined(c.want) {
				t.Errorf("return queue %v (limit %s): %v, want %v", c.q, limit, got, c.want)
			}
		}
	}

	_, items := f.returnQueue(map[string]string{"status": "received"}, "20")
	it := items[0]
	if it.OrderID != "TGP-Q3" || it.CustomerID != "cust-a" || it.Resolution != "refund" || it.AgeSeconds != int64((64*time.Minute)/time.Second) ||
		len(it.Lines) != 1 || it.Lines[0].Reason != "defective" || it.Lines[0].ReasonLabel != "Defective or not working" ||
		!it.RefundIsFinal || // Rp250.000 for the shirt and the order's Rp15.000 shipping (defective)
		it.Refund.Amount != 26500000 || it.Refund.Display != "IDR 265,000" {
		t.Errorf("received item %+v", it)
	}
	_, items = f.returnQueue(map[string]string{}, "20")
	if items[0].RefundIsFinal || items[0].Refund.Amount == 0 {
		t.Errorf("requested item shows %+v, want the estimate", items[0])
	}

	var c workqueue.CountsView
	f.page("/ops/queues", nil, &c)
	got := map[string]int64{}
	for _, r := range c.Returns {
		got[r.Status] = r.Count
	}
	if got["requested"] != 3 || got["approved"] != 2 || got["received"] != 1 || len(c.Returns) != 3 {
		t.Errorf("return counts %+v", c.Returns)
	}
}
