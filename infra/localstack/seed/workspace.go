package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Late files a complaint as if it had been filed hoursAgo, so the demo has tickets already past their
// first-response promise. No route backdates a ticket: the caller files it through the ticket service and
// store (same items, index keys and counters as the function writes) with its clock set back.
type Late func(ctx context.Context, customer Customer, category, subject, description string, hoursAgo int) error

// Workspace fills the ops work queues with demo tickets and returns in varied states, so every queue view
// shows something: open and unanswered, assigned, answered, resolved, closed then reopened, raised,
// already late (through late), and returns waiting for a decision, the parcel or the refund, plus some no
// longer waiting. Everything but the late tickets goes through the local API as customers and as ops
// (dev-ops:seed). It runs only while the queues are empty, so a restart does not file the demo again.
func Workspace(ctx context.Context, api http.Handler, d Data, late Late, logf func(string, ...any)) error {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	w := &workspaceSeeder{ctx: ctx, api: api}
	var counts struct {
		TicketTotals struct{ Open int } `json:"ticketTotals"`
		Returns      []struct{ Count int }
	}
	if err := w.call("GET", "/ops/queues", opsAuth, "", &counts); err != nil {
		return err
	}
	waiting := counts.TicketTotals.Open
	for _, r := range counts.Returns {
		waiting += r.Count
	}
	if waiting > 0 {
		logf("seed: work queues already hold %d item(s); demo tickets and returns not filed again", waiting)
		return nil
	}
	customer := func(id string) Customer {
		for _, c := range d.Customers {
			if c.ID == id {
				return c
			}
		}
		return Customer{ID: id}
	}
	budi, siti, andi := "Bearer dev-customer:cust-budi", "Bearer dev-customer:cust-siti", "Bearer dev-customer:cust-andi"
	const agent = `"arn:aws:iam::000000000000:user/dewi"`

	// Tickets.
	file := func(auth, channel, category, subject, description string) string {
		var t struct {
			TicketID string `json:"ticketId"`
		}
		w.must(w.call("POST", "/complaints", auth, fmt.Sprintf(`{"channel":%q,"category":%q,"subject":%q,"description":%q}`,
			channel, category, subject, description), &t))
		return t.TicketID
	}
	ops := func(path, body string) { w.must(w.call("POST", path, opsAuth, body, nil)) }
	file(budi, "web", "delivery", "Paket belum sampai", "Pesanan saya sudah lewat estimasi pengiriman tapi paket belum sampai.")
	t := file(andi, "chat", "technical", "Aplikasi keluar sendiri", "Aplikasi selalu keluar sendiri saat saya buka halaman pembayaran.")
	ops("/ops/complaints/"+t+"/assign", `{"agent":`+agent+`}`)
	t = file(budi, "web", "product_quality", "Warna kemeja luntur", "Kemeja batik luntur setelah dicuci sekali.")
	ops("/ops/complaints/"+t+"/responses", `{"message":"Mohon maaf atas ketidaknyamanannya. Boleh kirimkan foto kemejanya?"}`)
	t = file(siti, "email", "refund", "Dana pengembalian belum masuk", "Pengembalian dana sudah disetujui minggu lalu tapi belum masuk.")
	ops("/ops/complaints/"+t+"/resolve", `{"message":"Dana sudah kami kirim ulang ke e-wallet Anda."}`)
	t = file(andi, "phone", "other", "Pertanyaan ukuran", "Apakah ukuran L cocok untuk tinggi 175 cm?")
	ops("/ops/complaints/"+t+"/resolve", `{}`)
	ops("/ops/complaints/"+t+"/close", `{}`)
	ops("/ops/complaints/"+t+"/reopen", `{"reason":"Pelanggan bertanya lagi lewat telepon."}`)
	t = file(budi, "email", "account", "Tidak bisa masuk akun", "Kode OTP tidak pernah masuk ke nomor saya.")
	ops("/ops/complaints/"+t+"/priority", `{"priority":"high","reason":"Pelanggan tidak bisa berbelanja sama sekali."}`)
	t = file(siti, "social", "delivery", "Kurir minta ongkos tambahan", "Kurir meminta biaya tambahan saat mengantar paket.")
	ops("/ops/complaints/"+t+"/assign", `{"team":"customer_care"}`)
	if late != nil {
		w.must(late(ctx, customer("cust-siti"), "product_quality", "Kompor meledak",
			"Kompor yang saya beli meledak saat dipakai, tangan saya terluka.", 3))
		w.must(late(ctx, customer("cust-andi"), "fraud", "Transaksi yang tidak saya kenal",
			"Ada transaksi dari akun saya yang tidak pernah saya lakukan.", 5))
	}

	// Returns on the demo orders TGP-10801..10803 (seed file 30-workspace.json).
	ret := func(auth, orderID, lineID, reason, resolution string) string {
		var r struct {
			ReturnID string `json:"returnId"`
		}
		w.must(w.call("POST", "/orders/"+orderID+"/returns", auth, fmt.Sprintf(
			`{"lines":[{"lineId":%q,"quantity":1,"reason":%q,"condition":"opened"}],"resolution":%q}`, lineID, reason, resolution), &r))
		return r.ReturnID
	}
	ret(budi, "TGP-10801", "L1", "defective", "refund")
	ret(siti, "TGP-10802", "L1", "size_or_fit", "store_credit")
	r := ret(andi, "TGP-10803", "L1", "wrong_item", "exchange")
	ops("/ops/returns/"+r+"/approve", `{}`)
	r = ret(budi, "TGP-10801", "L2", "changed_mind", "refund")
	ops("/ops/returns/"+r+"/approve", `{}`)
	ops("/ops/returns/"+r+"/receive", `{"lines":[{"lineId":"L2","condition":"opened"}]}`)
	r = ret(siti, "TGP-10802", "L2", "defective", "refund")
	ops("/ops/returns/"+r+"/approve", `{}`)
	ops("/ops/returns/"+r+"/receive", `{"lines":[{"lineId":"L2","condition":"defective"}]}`)
	ops("/ops/returns/"+r+"/refund", `{}`)
	r = ret(andi, "TGP-10803", "L2", "changed_mind", "refund")
	ops("/ops/returns/"+r+"/reject", `{"reason":"condition","note":"Segel sudah dibuka dan barang terpakai."}`)
	if w.err != nil {
		return w.err
	}
	logf("seed: demo work queues filed: %d requests", w.n)
	return nil
}

const opsAuth = "Bearer dev-ops:" + Operator

type workspaceSeeder struct {
	ctx context.Context
	api http.Handler
	n   int
	err error
}

func (w *workspaceSeeder) must(err error) {
	if w.err == nil {
		w.err = err
	}
}

// call sends one request (a POST with its own Idempotency-Key) and decodes a 2xx answer into out.
func (w *workspaceSeeder) call(method, path, auth, body string, out any) error {
	if w.err != nil {
		return w.err
	}
	req, err := http.NewRequestWithContext(w.ctx, method, path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.RemoteAddr, req.Host = "127.0.0.1:0", "localhost"
	req.Header.Set("Authorization", auth)
	req.Header.Set("User-Agent", "tanggap-localstack-seed")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if method == http.MethodPost {
		// Only POSTs take a number, so a GET or PUT that a restart skips cannot shift the keys that follow.
		w.n++
		req.Header.Set("Idempotency-Key", fmt.Sprintf("seed-workspace-%d", w.n))
	}
	rec := httptest.NewRecorder()
	w.api.ServeHTTP(rec, req)
	if rec.Code/100 != 2 {
		return fmt.Errorf("seed workspace: %s %s: %d %s", method, path, rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			return fmt.Errorf("seed workspace: %s %s: %w", method, path, err)
		}
	}
	return nil
}
