package inboxapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/customerevent/inbox"
	"github.com/tanggap/tanggap/shared/customerevent/inboxapi"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
)

// env is the complaints API (which writes the events) and the inbox API on one fresh table, both through
// the production path (proxy event -> adapter -> handler) against DynamoDB Local.
type env struct {
	ddb        *testenv.DynamoEnv
	complaints func(now func() time.Time) http.Handler
	inbox      http.Handler
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ddb := testenv.DynamoDB(t)
	guard := idempotency.NewGuard(dynamostore.NewIdempotency(ddb.Client, ddb.IdempotencyTable))
	e := &env{ddb: ddb}
	e.complaints = func(now func() time.Time) http.Handler {
		svc := ticket.NewService(dynamostore.NewTickets(ddb.Client, ddb.SupportTable), dynamostore.NewOrders(ddb.Client, ddb.SupportTable),
			ticket.DefaultRules(), ticket.DefaultSLA(), now)
		h, err := httpapi.New(httpapi.Options{Idempotency: guard}, complaintapi.Routes(svc))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h, err := httpapi.New(httpapi.Options{Idempotency: guard},
		inboxapi.Routes(inbox.NewService(dynamostore.NewInbox(ddb.Client, ddb.SupportTable), time.Now)))
	if err != nil {
		t.Fatal(err)
	}
	e.inbox = h
	return e
}

var keys int

func key() string { keys++; return fmt.Sprintf("k-%d-%d", time.Now().UnixNano(), keys) }

// ticketLife files a complaint in lang as customer and has ops reply and resolve it: two inbox items.
func (e *env) ticketLife(t *testing.T, api http.Handler, customer, lang string) string {
	t.Helper()
	var created struct {
		ID string `json:"ticketId"`
	}
	apitest.Expect(t, api, apitest.Request{Method: "POST", Path: "/complaints", As: apitest.AsCustomer(customer),
		Headers: map[string]string{"Idempotency-Key": key(), "Accept-Language": lang},
		Body:    map[string]string{"channel": "web", "category": "delivery", "subject": "Paket telat", "description": "Paket belum datang."},
	}, http.StatusCreated).JSON(&created)
	for _, step := range []struct{ path, body string }{{"responses", `{"message":"Sedang kami cek."}`}, {"resolve", `{}`}} {
		apitest.Expect(t, api, apitest.Request{Method: "POST", Path: "/ops/complaints/" + created.ID + "/" + step.path,
			Resource: "/ops/complaints/{ticketId}/" + step.path, As: apitest.AsOperator("dewi"),
			Headers: map[string]string{"Idempotency-Key": key()}, Body: step.body}, http.StatusOK)
	}
	return created.ID
}

type page struct {
	Items []struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		TypeLabel   string `json:"typeLabel"`
		SubjectID   string `json:"subjectId"`
		Language    string `json:"language"`
		Title       string `json:"title"`
		Read        bool   `json:"read"`
		Sequence    int64  `json:"sequence"`
		SubjectType string `json:"subjectType"`
	} `json:"items"`
	NextCursor  string `json:"nextCursor"`
	UnreadCount int64  `json:"unreadCount"`
}

func (e *env) list(t *testing.T, customer, query string) page {
	t.Helper()
	var p page
	req := apitest.Request{Method: "GET", Path: "/notifications", As: apitest.AsCustomer(customer), Headers: map[string]string{"Accept-Language": "en"}}
	if query != "" {
		req.Query = map[string]string{}
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			req.Query[k] = v
		}
	}
	apitest.Expect(t, e.inbox, req, http.StatusOK).JSON(&p)
	return p
}

type readResult struct {
	Marked      int   `json:"marked"`
	UnreadCount int64 `json:"unreadCount"`
	More        bool  `json:"more"`
}

func (e *env) read(t *testing.T, customer, idemKey string, body any, want int) (readResult, apitest.Response) {
	t.Helper()
	resp := apitest.Expect(t, e.inbox, apitest.Request{Method: "POST", Path: "/notifications/read", As: apitest.AsCustomer(customer),
		Headers: map[string]string{"Idempotency-Key": idemKey}, Body: body}, want)
	var r readResult
	if want == http.StatusOK {
		resp.JSON(&r)
	}
	return r, resp
}

// The inbox lists the customer's notifications newest first in the language recorded at filing, pages by
// cursor, and keeps unreadCount; marking read by id is idempotent, replays by Idempotency-Key, and "up to a
// time" marks the rest.
func TestInboxListsPagesAndMarksRead(t *testing.T) {
	e := newEnv(t)
	api := e.complaints(time.Now)
	first := e.ticketLife(t, api, "budi", "id")
	second := e.ticketLife(t, api, "budi", "en")

	p := e.list(t, "budi", "")
	if len(p.Items) != 4 || p.UnreadCount != 4 || p.NextCursor != "" {
		t.Fatalf("inbox %+v", p)
	}
	wantOrder := []struct{ typ, subject, lang, title string }{
		{"ticket.resolved", second, "en", "Your complaint is resolved"},
		{"ticket.replied", second, "en", "New reply to your complaint"},
		{"ticket.resolved", first, "id", "Keluhan Anda sudah diselesaikan"},
		{"ticket.replied", first, "id", "Balasan baru untuk keluhan Anda"},
	}
	for i, w := range wantOrder {
		it := p.Items[i]
		if it.Type != w.typ || it.SubjectID != w.subject || it.Language != w.lang || it.Title != w.title || it.Read || it.SubjectType != "ticket" {
			t.Errorf("item %d = %+v, want %+v", i, it, w)
		}
	}
	if p.Items[0].TypeLabel != "Complaint resolved" || p.Items[0].Sequence <= p.Items[1].Sequence {
		t.Errorf("labels or sequence: %+v", p.Items[:2])
	}

	// Pages of 3 and 1, the cursor resuming where the first stopped.
	p1 := e.list(t, "budi", "limit=3")
	if len(p1.Items) != 3 || p1.NextCursor == "" {
		t.Fatalf("first page %+v", p1)
	}
	p2 := e.list(t, "budi", "limit=3&cursor="+p1.NextCursor)
	if len(p2.Items) != 1 || p2.NextCursor != "" || p2.Items[0].ID != p.Items[3].ID {
		t.Fatalf("second page %+v", p2)
	}

	// Mark one read by id; the same key replays, a new key with the same ids marks nothing more.
	k := key()
	r, resp := e.read(t, "budi", k, map[string]any{"ids": []string{p.Items[3].ID}}, http.StatusOK)
	if r != (readResult{Marked: 1, UnreadCount: 3}) || resp.Header(httpapi.ReplayedHeader) != "" {
		t.Fatalf("mark by id: %+v", r)
	}
	r2, resp := e.read(t, "budi", k, map[string]any{"ids": []string{p.Items[3].ID}}, http.StatusOK)
	if r2 != r || resp.Header(httpapi.ReplayedHeader) != "true" {
		t.Fatalf("replay: %+v %q", r2, resp.Header(httpapi.ReplayedHeader))
	}
	if r, _ := e.read(t, "budi", key(), map[string]any{"ids": []string{p.Items[3].ID}}, http.StatusOK); r != (readResult{Marked: 0, UnreadCount: 3}) {
		t.Fatalf("mark again: %+v", r)
	}
	if got := e.list(t, "budi", ""); got.UnreadCount != 3 || !got.Items[3].Read || got.Items[2].Read {
		t.Fatalf("after marking one: %+v", got)
	}

	// Everything up to the second-newest item's time: two more, the newest stays unread.
	upTo := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(5 * time.Millisecond)
	third := e.ticketLife(t, api, "budi", "id")
	if r, _ := e.read(t, "budi", key(), map[string]any{"upTo": upTo}, http.StatusOK); r != (readResult{Marked: 3, UnreadCount: 2}) {
		t.Fatalf("mark up to: %+v", r)
	}
	got := e.list(t, "budi", "")
	if got.UnreadCount != 2 || got.Items[0].SubjectID != third || got.Items[0].Read || got.Items[1].Read || !got.Items[2].Read {
		t.Fatalf("after marking up to a time: %+v", got)
	}
}

// A customer sees only their own notifications and cannot mark anyone else's read: another customer's ids are
// left alone as if they did not exist.
func TestInboxIsTheCallersOwn(t *testing.T) {
	e := newEnv(t)
	api := e.complaints(time.Now)
	e.ticketLife(t, api, "budi", "id")
	e.ticketLife(t, api, "siti", "id")

	budi, siti := e.list(t, "budi", ""), e.list(t, "siti", "")
	if len(budi.Items) != 2 || len(siti.Items) != 2 || budi.Items[0].ID == siti.Items[0].ID {
		t.Fatalf("budi %+v siti %+v", budi, siti)
	}
	if r, _ := e.read(t, "siti", key(), map[string]any{"ids": []string{budi.Items[0].ID, budi.Items[1].ID}}, http.StatusOK); r != (readResult{Marked: 0, UnreadCount: 2}) {
		t.Fatalf("siti marking budi's: %+v", r)
	}
	if got := e.list(t, "budi", ""); got.UnreadCount != 2 || got.Items[0].Read || got.Items[1].Read {
		t.Fatalf("budi after siti's attempt: %+v", got)
	}
	// A cursor is only sort-key material: budi's cursor read by siti stays in siti's partition.
	p := e.list(t, "budi", "limit=1")
	if got := e.list(t, "siti", "limit=5&cursor="+p.NextCursor); len(got.Items) > 1 {
		t.Fatalf("siti with budi's cursor: %+v", got)
	} else {
		for _, it := range got.Items {
			if it.ID == budi.Items[1].ID {
				t.Fatalf("siti read budi's item through a cursor")
			}
		}
	}
	if r, _ := e.read(t, "siti", key(), map[string]any{"upTo": time.Now().UTC().Format(time.RFC3339Nano)}, http.StatusOK); r.Marked != 2 || r.UnreadCount != 0 {
		t.Fatalf("siti marking all: %+v", r)
	}
	if got := e.list(t, "budi", ""); got.UnreadCount != 2 {
		t.Fatalf("budi after siti marked all of hers: %+v", got)
	}
}

// Notifications past 90 days are neither listed nor counted; expiresAt (the table's TTL) deletes them.
func TestInboxForgetsAfterNinetyDays(t *testing.T) {
	e := newEnv(t)
	old := time.Now().Add(-92 * 24 * time.Hour)
	e.ticketLife(t, e.complaints(func() time.Time { return old }), "budi", "id")
	recent := e.ticketLife(t, e.complaints(time.Now), "budi", "id")
	p := e.list(t, "budi", "")
	if len(p.Items) != 2 || p.UnreadCount != 2 || p.Items[0].SubjectID != recent || p.Items[1].SubjectID != recent {
		t.Fatalf("inbox with expired items: %+v", p)
	}
	if r, _ := e.read(t, "budi", key(), map[string]any{"upTo": time.Now().UTC().Format(time.RFC3339Nano)}, http.StatusOK); r.Marked != 2 || r.UnreadCount != 0 {
		t.Fatalf("mark all: %+v", r)
	}
}

// Bad requests are 400 problems naming the field, and change nothing.
func TestMarkReadRefusesBadRequests(t *testing.T) {
	e := newEnv(t)
	e.ticketLife(t, e.complaints(time.Now), "budi", "id")
	cases := []struct {
		body  string
		field string
	}{
		{`{}`, "ids"},
		{`{"ids":["EVT-1796000000000-AAAAAAAAAAAAAAAA"],"upTo":"2026-12-01T00:00:00Z"}`, "ids"},
		{`{"ids":["TKT-1"]}`, "ids[0]"},
		{`{"upTo":"yesterday"}`, "upTo"},
		{`{"ids":"EVT-1"}`, "ids"},
		{`{"ids":["a","a"]}`, "ids"},
		{`{"read":true}`, "read"},
	}
	for _, c := range cases {
		_, resp := e.read(t, "budi", key(), c.body, http.StatusBadRequest)
		pr := resp.Problem()
		if len(pr.Errors) == 0 || pr.Errors[0].Field != c.field {
			t.Errorf("%s: problem %+v, want field %s", c.body, pr, c.field)
		}
	}
	if got := e.list(t, "budi", ""); got.UnreadCount != 2 {
		t.Fatalf("unread after refusals: %+v", got)
	}
}
