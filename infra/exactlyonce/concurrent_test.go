package exactlyonce_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
)

// Duplicates sent at once with one key make one change: each answer is the committed one (same id) or
// 409 "in progress", never a second ticket.
func TestConcurrentDuplicatesMakeOneChange(t *testing.T) {
	f := newFixture(t)
	s := &state{customer: "cust-" + f.run, order: "TGP-" + f.run, orderUpdatedAt: time.Now().Add(-time.Hour)}
	create := steps()[2]
	if create.name != "complaint create" {
		t.Fatalf("step 2 is %q", create.name)
	}
	const n = 8
	answers := make([]apitest.Response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = f.do(f.complaint, create.request(s), "dup-"+f.run)
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, a := range answers {
		switch a.StatusCode {
		case http.StatusCreated:
			ids[str(decodeBody(f, a)["ticketId"])] = true
		case http.StatusConflict:
			if p := a.Problem(); p.Code != "idempotency_in_progress" {
				t.Fatalf("conflict %q", p.Code)
			}
		default:
			t.Fatalf("answer %d %s", a.StatusCode, a.Body)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("answers name tickets %v, want exactly one", ids)
	}
	list := f.do(f.complaint, apitest.Request{Method: "GET", Path: "/complaints", As: apitest.AsCustomer(s.customer)}, "")
	var page struct {
		Items []struct {
			TicketID string `json:"ticketId"`
		} `json:"items"`
	}
	list.JSON(&page)
	if len(page.Items) != 1 || !ids[page.Items[0].TicketID] {
		t.Fatalf("stored tickets %+v, want the one answered %v", page.Items, ids)
	}
}
