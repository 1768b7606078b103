package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestEveryRouteUnderItsTemplatePolicy walks every function's code paths through the local API, as a shop's
// customers and ops would, with each function reaching DynamoDB only through its template policy (dynamoiam):
// order upserts (create and update), returns through every step, complaints from filing to resolution with
// their escalation through relay and consumer, surveys with service recovery, and the ops metrics. Any
// request a policy refuses fails the step and is reported by startTestStack.
func TestEveryRouteUnderItsTemplatePolicy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s, _, _ := startTestStack(ctx, t, "pol", func(o *options) {
		o.Functions = nil // all of them
		o.ScheduleInterval = 5 * time.Second
	})
	for _, id := range []string{"OrdersFunction", "ReturnsFunction", "ComplaintsFunction", "SurveysFunction", "MetricsFunction",
		"WorkspaceFunction", "EscalationRelayFunction", "EscalationConsumerFunction", "HelpCenterFunction"} {
		if _, ok := s.functions[id]; !ok {
			t.Fatalf("%s is not running: %s", id, s.skipped[id])
		}
	}
	const budi, dewi = "Bearer dev-customer:cust-budi", "Bearer dev-ops:dewi"
	n := 0
	step := func(method, path, auth, body string) map[string]any {
		t.Helper()
		n++
		req, err := http.NewRequestWithContext(ctx, method, s.URL()+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", auth)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if method != "GET" {
			req.Header.Set("Idempotency-Key", fmt.Sprintf("policy-flow-%d", n))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		out := map[string]any{}
		_ = json.Unmarshal(raw, &out)
		return out
	}
	id := func(m map[string]any, key string) string {
		t.Helper()
		v, _ := m[key].(string)
		if v == "" {
			t.Fatalf("no %s in %v", key, m)
		}
		return v
	}

	// Orders: the shop creates an order and updates it; customers and guests read.
	order := `{"customerId":"cust-budi","email":"budi.santoso@example.co.id","status":"%s","placedAt":"%s","updatedAt":"%s",
		"currency":"IDR","paymentMethod":"ewallet","shippingFee":1500000,"shipment":{"status":"%s"%s},
		"lines":[{"lineId":"L1","sku":"SKU-1","name":"Sarung tenun","quantity":3,"unitPrice":12500000}]}`
	placed := time.Now().UTC().Add(-72 * time.Hour)
	stamp := func(d time.Duration) string { return placed.Add(d).Format(time.RFC3339) }
	step("PUT", "/ops/orders/TGP-POL-1", dewi, fmt.Sprintf(order, "shipped", stamp(0), stamp(time.Hour), "in_transit", ""))
	step("PUT", "/ops/orders/TGP-POL-1", dewi, fmt.Sprintf(order, "delivered", stamp(0), stamp(48*time.Hour), "delivered",
		`,"deliveredAt":"`+stamp(47*time.Hour)+`"`))
	step("GET", "/orders", budi, "")
	step("GET", "/orders/TGP-POL-1", budi, "")
	step("GET", "/ops/orders/TGP-POL-1", dewi, "")
	step("POST", "/orders/lookup", "", `{"orderId":"TGP-POL-1","email":"budi.santoso@example.co.id"}`)

	// Returns: one through approve, receive and refund; one rejected; one cancelled.
	ret := `{"lines":[{"lineId":"L1","quantity":1,"reason":"defective","condition":"opened"}],"resolution":"refund"}`
	refunded := id(step("POST", "/orders/TGP-POL-1/returns", budi, ret), "returnId")
	step("GET", "/returns/"+refunded, budi, "")
	step("GET", "/orders/TGP-POL-1/returns", budi, "")
	step("POST", "/ops/returns/"+refunded+"/approve", dewi, `{}`)
	step("POST", "/ops/returns/"+refunded+"/receive", dewi, `{"lines":[{"lineId":"L1","condition":"opened"}]}`)
	step("POST", "/ops/returns/"+refunded+"/refund", dewi, `{}`)
	step("GET", "/ops/returns/"+refunded, dewi, "")
	rejected := id(step("POST", "/orders/TGP-POL-1/returns", budi, strings.Replace(ret, "defective", "changed_mind", 1)), "returnId")
	step("POST", "/ops/returns/"+rejected+"/reject", dewi, `{"reason":"other","note":"Barang tidak sesuai foto."}`)
	cancelled := id(step("POST", "/orders/TGP-POL-1/returns", budi, strings.Replace(ret, "defective", "size_or_fit", 1)), "returnId")
	step("POST", "/returns/"+cancelled+"/cancel", budi, `{}`)

	// Complaints: an urgent one (escalated by relay and consumer), worked by ops to resolution.
	ticketID := id(step("POST", "/complaints", budi, `{"channel":"web","category":"product_quality","subject":"Kompor meledak",
		"description":"Kompor yang saya beli meledak dan tangan saya terluka.","orderId":"TGP-POL-1"}`), "ticketId")
	step("GET", "/complaints", budi, "")
	step("POST", "/complaints/"+ticketID+"/messages", budi, `{"message":"Mohon segera ditindaklanjuti."}`)
	step("POST", "/ops/complaints/"+ticketID+"/assign", dewi, `{"agent":"arn:aws:iam::000000000000:user/dewi","team":"quality"}`)
	step("POST", "/ops/complaints/"+ticketID+"/notes", dewi, `{"note":"Hubungi pelanggan hari ini."}`)
	step("POST", "/ops/complaints/"+ticketID+"/priority", dewi, `{"priority":"urgent","reason":"keselamatan"}`)
	step("POST", "/ops/complaints/"+ticketID+"/responses", dewi, `{"message":"Mohon maaf, tim kami segera menghubungi Anda."}`)
	step("POST", "/ops/complaints/"+ticketID+"/resolve", dewi, `{"message":"Penggantian unit sudah dikirim."}`)
	step("POST", "/ops/complaints/"+ticketID+"/reopen", dewi, `{"reason":"pelanggan belum menerima"}`)
	step("POST", "/ops/complaints/"+ticketID+"/resolve", dewi, `{"message":"Unit pengganti diterima."}`)
	step("POST", "/ops/complaints/"+ticketID+"/close", dewi, `{}`)

	// Surveys: a poor one on the ticket (service recovery escalation), a good one on the order and the return.
	step("POST", "/surveys", budi, `{"subjectType":"ticket","subjectId":"`+ticketID+`","csat":1,"comment":"Sangat lambat."}`)
	step("POST", "/surveys", budi, `{"subjectType":"order","subjectId":"TGP-POL-1","csat":5,"ces":2,"nps":9}`)
	step("POST", "/surveys", budi, `{"subjectType":"return","subjectId":"`+refunded+`","csat":4}`)
	step("GET", "/surveys/ticket/"+ticketID, budi, "")

	// Both escalations reach the ticket through the stream (or the sweep), the queue and the consumer.
	deadline := time.Now().Add(90 * time.Second)
	for {
		view := step("GET", "/ops/complaints/"+ticketID, dewi, "")
		raw, _ := json.Marshal(view)
		if strings.Count(string(raw), `"type":"escalated"`) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ticket %s not escalated twice in time: %s", ticketID, raw)
		}
		time.Sleep(500 * time.Millisecond)
	}
	step("GET", "/complaints/"+ticketID, budi, "")

	// Workspace: the demo seed filled every queue (make run); customers are refused at the gateway.
	items := func(m map[string]any) int { l, _ := m["items"].([]any); return len(l) }
	for _, q := range []string{"/ops/complaints", "/ops/complaints?sla=breached", "/ops/complaints?status=resolved",
		"/ops/complaints?assignee=unassigned&team=logistics", "/ops/complaints?sla=unanswered&priority=high,urgent",
		"/ops/returns", "/ops/returns?status=approved", "/ops/returns?status=received"} {
		if n := items(step("GET", q, dewi, "")); n == 0 {
			t.Errorf("GET %s: the demo seed left this queue empty", q)
		}
	}
	counts := step("GET", "/ops/queues", dewi, "")
	if totals, _ := counts["ticketTotals"].(map[string]any); totals["open"] == float64(0) || totals["breached"] == float64(0) {
		t.Errorf("/ops/queues after the demo seed: %v", counts)
	}
	// Each demo ticket at high or urgent escalated once, besides the two escalations of this flow's ticket.
	demoEscalations := items(step("GET", "/ops/complaints?priority=high,urgent&status=open,in_progress,resolved&limit=50", dewi, ""))
	for _, path := range []string{"/ops/queues", "/ops/complaints", "/ops/returns"} {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+path, nil)
		req.Header.Set("Authorization", budi)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("customer token on GET %s: %d, want the gateway's 403", path, resp.StatusCode)
		}
	}

	// Help center: ops write, publish, edit, unpublish and delete; guests list, read, search, suggest and vote
	// (the index build, its chunks and the view counter run under the same policy).
	article := `{"category":"returns","tags":["retur"],"content":{"id":{"title":"Kebijakan retur","body":"Barang Toko Zamrud dapat dikembalikan dalam 30 hari."},` +
		`"en":{"title":"Return policy","body":"Items can be returned within 30 days."}}}`
	step("PUT", "/ops/help/articles/kebijakan-retur-pol", dewi, article)
	step("POST", "/ops/help/articles/kebijakan-retur-pol/publish", dewi, "")
	step("PUT", "/ops/help/articles/kebijakan-retur-pol", dewi, strings.Replace(article, "30 hari.", "30 hari sejak diterima.", 1))
	step("GET", "/ops/help/articles", dewi, "")
	step("GET", "/ops/help/articles/kebijakan-retur-pol", dewi, "")
	step("GET", "/ops/help/articles/kebijakan-retur-pol/versions", dewi, "")
	step("GET", "/help/categories", "", "")
	step("GET", "/help/articles/kebijakan-retur-pol", "", "")
	if found := step("GET", "/help/search?q=zamrud", "", ""); !strings.Contains(fmt.Sprint(found), "kebijakan-retur-pol") {
		t.Errorf("search did not find the published article: %v", found)
	}
	step("GET", "/help/suggest?q=return+policy", "", "")
	// Issue 12, done when: through make run (the demo articles are seeded), a guest's search in either language
	// finds the right article first.
	for q, want := range map[string]string{"cara+mengembalikan+barang": "cara-mengembalikan-barang", "refund+belum+masuk": "waktu-refund-per-metode-pembayaran",
		"how+to+return+an+item": "cara-mengembalikan-barang", "my+refund+hasn%27t+arrived": "waktu-refund-per-metode-pembayaran"} {
		items, _ := step("GET", "/help/search?q="+q, "", "")["items"].([]any)
		if len(items) == 0 {
			t.Errorf("search %s found nothing, want %s first", q, want)
			continue
		}
		if first, _ := items[0].(map[string]any); first["slug"] != want {
			t.Errorf("search %s: %v, want %s first", q, items, want)
		}
	}
	step("POST", "/help/articles/kebijakan-retur-pol/feedback", "", `{"helpful":true,"context":"complaint_form"}`)
	step("POST", "/ops/help/articles/kebijakan-retur-pol/unpublish", dewi, "")
	step("POST", "/ops/help/articles/kebijakan-retur-pol/delete", dewi, "")

	// Customer history, lookup by email and saved replies (WorkspaceFunction); a reply with a saved reply
	// (ComplaintsFunction) reads the macro, the profile and the order's latest return, and counts the use.
	if found := step("GET", "/ops/customers?email=%20Budi.Santoso%40example.co.id", dewi, ""); items(found) != 1 {
		t.Errorf("lookup by email: %v", found)
	}
	if hist := step("GET", "/ops/customers/cust-budi?limit=5", dewi, ""); hist["name"] != "Budi Santoso" {
		t.Errorf("customer history: %v", hist)
	}
	if n := items(step("GET", "/ops/macros", dewi, "")); n < 3 {
		t.Errorf("the demo seed has %d saved replies", n)
	}
	macroID := id(step("POST", "/ops/macros", dewi, `{"title":"Cek","bodyId":"Halo {{customer.firstName}}, tiket {{ticket.id}}.",
		"bodyEn":"Hi {{customer.firstName}}, ticket {{ticket.id}}."}`), "macroId")
	step("PUT", "/ops/macros/"+macroID, dewi, `{"title":"Cek pesanan","bodyId":"Halo {{customer.firstName}}, pesanan {{order.id}}.",
		"bodyEn":"Hi {{customer.firstName}}, order {{order.id}}."}`)
	step("GET", "/ops/macros/"+macroID, dewi, "")
	asked := id(step("POST", "/complaints", budi, `{"channel":"web","category":"refund","subject":"Dana belum masuk",
		"description":"Dana pengembalian belum masuk.","orderId":"TGP-POL-1"}`), "ticketId")
	step("POST", "/ops/complaints/"+asked+"/responses", dewi, `{"macroId":"MAC-REFUNDDIPROSES22","message":"Terima kasih."}`)
	step("POST", "/ops/complaints/"+asked+"/responses", dewi, `{"macroId":"`+macroID+`"}`)
	step("DELETE", "/ops/macros/"+macroID, dewi, "")
	for _, path := range []string{"/ops/customers?email=budi.santoso%40example.co.id", "/ops/customers/cust-budi", "/ops/macros"} {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+path, nil)
		req.Header.Set("Authorization", budi)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("customer token on GET %s: %d, want the gateway's 403", path, resp.StatusCode)
		}
	}

	// Metrics read the days' counters (days are WIB, UTC+7): this flow's two escalations and the demo's, plus
	// the SLA monitor's sla_breach escalations, which it makes on its own schedule (one per breached ticket
	// and target, so at most two per ticket in the breached view).
	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format("2006-01-02")
	least := 2 + demoEscalations
	for deadline := time.Now().Add(60 * time.Second); ; {
		m := step("GET", "/ops/metrics?from="+placed.Format("2006-01-02")+"&to="+today, dewi, "")
		breached := items(step("GET", "/ops/complaints?sla=breached&status=open,in_progress,resolved&limit=50", dewi, ""))
		counts, _ := m["counts"].(map[string]any)
		got, _ := counts["escalations"].(float64)
		if int(got) >= least && int(got) <= least+2*breached {
			break
		}
		if time.Now().After(deadline) {
			raw, _ := json.Marshal(m)
			t.Fatalf("metrics count %v escalations, want %d to %d: %s", got, least, least+2*breached, raw)
		}
		time.Sleep(time.Second)
	}
}
