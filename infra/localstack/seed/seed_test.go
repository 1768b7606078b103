package seed

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 3, 10, 8, 15, 30, 999, time.UTC)

func TestRelativeTime(t *testing.T) {
	for expr, want := range map[string]string{
		"${now}":        "2026-03-10T08:15:30Z",
		"${now-3d}":     "2026-03-07T08:15:30Z",
		"${now-40d+2h}": "2026-01-29T10:15:30Z",
		"${now+30m}":    "2026-03-10T08:45:30Z",
		"${now-5s}":     "2026-03-10T08:15:25Z",
	} {
		got, err := RelativeTime(expr, now)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("%s = %s (%v), want %s", expr, got.Format(time.RFC3339), err, want)
		}
	}
	for _, bad := range []string{"${now-3w}", "${later}", "${now - 3d}", "now-3d"} {
		if _, err := RelativeTime(bad, now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

type upsertBody struct {
	CustomerID string `json:"customerId"`
	Email      string `json:"email"`
	Status     string `json:"status"`
	PlacedAt   string `json:"placedAt"`
	Currency   string `json:"currency"`
	Shipment   struct {
		Status      string `json:"status"`
		DeliveredAt string `json:"deliveredAt"`
	} `json:"shipment"`
	Lines []struct {
		UnitPrice json.Number `json:"unitPrice"`
		FinalSale bool        `json:"finalSale"`
	} `json:"lines"`
}

// The demo data the local stack ships: what the brief of the demo promises is really in it.
func TestProjectSeedData(t *testing.T) {
	d, err := Load(".", now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Email("cust-budi") != "budi.santoso@example.co.id" || d.Email("cust-siti") != "siti.rahayu@example.co.id" ||
		d.Email("cust-andi") == "" || d.Email("nobody") != "" {
		t.Errorf("customers %+v", d.Customers)
	}
	var orders []Request
	articles, published := map[string]bool{}, map[string]bool{}
	macros := 0 // 40-macros.json puts the demo saved replies under fixed ids (a restart keeps them)
	for _, r := range d.Requests {
		switch {
		case r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/ops/orders/"):
			orders = append(orders, r)
		case r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/ops/macros/MAC-"):
			macros++
		case r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/ops/help/articles/"):
			articles[strings.TrimPrefix(r.Path, "/ops/help/articles/")] = true
		case r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/ops/help/articles/") && strings.HasSuffix(r.Path, "/publish"):
			slug := strings.TrimSuffix(strings.TrimPrefix(r.Path, "/ops/help/articles/"), "/publish")
			if !articles[slug] {
				t.Errorf("seed publishes %s before writing it", slug)
			}
			published[slug] = true
		default:
			t.Errorf("seed request %s %s is neither an ops order upsert, a saved reply nor a help article write or publish", r.Method, r.Path)
		}
	}
	// About 20 help articles (issue 12), every one published.
	if len(articles) < 18 || len(articles) > 25 || len(published) != len(articles) {
		t.Errorf("%d help articles, %d published; want 18-25, all published", len(articles), len(published))
	}
	if macros < 2 {
		t.Errorf("%d demo saved replies, want some", macros)
	}
	if len(orders) < 6 || len(orders) > 12 { // 30-workspace.json adds three for the demo return queues
		t.Fatalf("%d seed orders, want 6-12", len(orders))
	}
	perCustomer := map[string]int{}
	var finalSale, inTransit, deliveredLongAgo, deliveredRecently int
	for _, r := range orders {
		if strings.Contains(string(r.Body), "${") {
			t.Errorf("%s: unresolved time in %s", r.Path, r.Body)
		}
		var b upsertBody
		dec := json.NewDecoder(strings.NewReader(string(r.Body)))
		dec.UseNumber()
		if err := dec.Decode(&b); err != nil {
			t.Fatalf("%s: %v", r.Path, err)
		}
		perCustomer[b.CustomerID]++
		if b.Email != d.Email(b.CustomerID) || b.Currency != "IDR" {
			t.Errorf("%s: email %s currency %s", r.Path, b.Email, b.Currency)
		}
		if _, err := time.Parse(time.RFC3339, b.PlacedAt); err != nil {
			t.Errorf("%s: placedAt %q", r.Path, b.PlacedAt)
		}
		for _, l := range b.Lines {
			if _, err := l.UnitPrice.Int64(); err != nil {
				t.Errorf("%s: unit price %s is not whole rupiah", r.Path, l.UnitPrice)
			}
			if l.FinalSale {
				finalSale++
			}
		}
		if b.Shipment.Status == "in_transit" {
			inTransit++
		}
		if b.Shipment.Status == "delivered" {
			at, err := time.Parse(time.RFC3339, b.Shipment.DeliveredAt)
			if err != nil {
				t.Fatalf("%s: deliveredAt %q", r.Path, b.Shipment.DeliveredAt)
			}
			switch age := now.Sub(at); {
			case age >= 35*24*time.Hour:
				deliveredLongAgo++
			case age <= 14*24*time.Hour:
				deliveredRecently++
			}
		}
	}
	if perCustomer["cust-budi"] == 0 || perCustomer["cust-siti"] == 0 || perCustomer["cust-andi"] == 0 {
		t.Errorf("orders per customer %v", perCustomer)
	}
	if finalSale == 0 || inTransit == 0 || deliveredLongAgo == 0 || deliveredRecently < 2 {
		t.Errorf("final-sale lines %d, in transit %d, delivered 35+ days ago %d, recently %d", finalSale, inTransit, deliveredLongAgo, deliveredRecently)
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	for name, content := range map[string]string{
		"unknown field": `{"orders": []}`,
		"bad time":      `{"requests": [{"method": "PUT", "path": "/x", "body": {"at": "${yesterday}"}}]}`,
		"relative path": `{"requests": [{"method": "PUT", "path": "x", "body": {}}]}`,
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "a.json"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(dir, now); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLoadKeepsLargeAmountsExact(t *testing.T) {
	dir := t.TempDir()
	body := `{"requests": [{"method": "put", "path": "/ops/orders/X", "body": {"amount": 123456789012345678, "at": "${now-1d}"}}]}`
	if err := os.WriteFile(filepath.Join(dir, "a.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Requests[0]; r.Method != "PUT" || string(r.Body) != `{"amount":123456789012345678,"at":"2026-03-09T08:15:30Z"}` {
		t.Errorf("request %s %s", r.Method, r.Body)
	}
}

// api is a fake local API: it remembers what was PUT and answers GETs from that.
type api struct {
	stored map[string]string
	calls  []string
	status int
}

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.calls = append(a.calls, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
	switch r.Method {
	case http.MethodGet:
		if _, ok := a.stored[r.URL.Path]; ok {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	case http.MethodPut:
		if a.status != 0 {
			w.WriteHeader(a.status)
			_, _ = io.WriteString(w, `{"code":"validation_failed"}`)
			return
		}
		b, _ := io.ReadAll(r.Body)
		a.stored[r.URL.Path] = string(b)
		w.WriteHeader(http.StatusCreated)
	}
}

func TestApplySkipsExistingAndSendsAsOps(t *testing.T) {
	d := Data{Requests: []Request{
		{Method: "PUT", Path: "/ops/orders/A", Body: json.RawMessage(`{"n":1}`)},
		{Method: "PUT", Path: "/ops/orders/B", Body: json.RawMessage(`{"n":2}`)},
	}}
	a := &api{stored: map[string]string{"/ops/orders/A": "old"}}
	res, err := Apply(context.Background(), a, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1 || res.Kept != 1 || a.stored["/ops/orders/A"] != "old" || a.stored["/ops/orders/B"] != `{"n":2}` {
		t.Errorf("result %+v stored %v", res, a.stored)
	}
	for _, c := range a.calls {
		if !strings.HasSuffix(c, "Bearer dev-ops:seed") {
			t.Errorf("call %q not sent as the ops identity", c)
		}
	}
	// A second run changes nothing.
	if res, err := Apply(context.Background(), a, d, nil); err != nil || res.Created != 0 || res.Kept != 2 {
		t.Errorf("second run %+v %v", res, err)
	}

	failing := &api{stored: map[string]string{}, status: http.StatusBadRequest}
	if _, err := Apply(context.Background(), failing, d, nil); err == nil || !strings.Contains(err.Error(), "validation_failed") {
		t.Errorf("rejected seed request: err %v", err)
	}
}
