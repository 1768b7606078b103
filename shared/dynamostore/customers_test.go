package dynamostore_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/ticket"
)

// The order upsert, a ticket and a survey keep the profile and timeline in their own transactions;
// the email index finds the customer by any spelling of the address that normalizes to it, and
// nobody by a near miss.
func TestCustomerProfileHistoryAndEmailLookup(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := t.Context()
	orders := dynamostore.NewOrders(env.Client, env.SupportTable)
	tickets := dynamostore.NewTickets(env.Client, env.SupportTable)
	surveys := dynamostore.NewSurveys(env.Client, env.SupportTable)
	store := dynamostore.NewCustomers(env.Client, env.SupportTable)

	if _, err := store.Profile(ctx, "nobody"); !failure.IsKind(err, failure.KindNotFound) {
		t.Fatalf("missing profile: %v", err)
	}
	base := time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC)
	first := ordertest.Sample("CP-1", "cust-ayu", base)
	first.Email, first.CustomerName, first.CustomerPhone = "ayu.lestari@example.co.id", "Ayu Lestari", "+6281234567890"
	second := ordertest.Sample("CP-2", "cust-ayu", base.Add(10*24*time.Hour))
	second.Email = "ayu.lestari@example.co.id"
	// An older order arrives last (out of order): it becomes the first order, the contact stays.
	older := ordertest.Sample("CP-0", "cust-ayu", base.Add(-5*24*time.Hour))
	older.Email, older.UpdatedAt, older.CustomerName = "ayu.lestari@example.co.id", base.Add(-4*24*time.Hour), "A. Lestari (old)"
	for _, o := range []order.Order{first, second, older} {
		if _, _, err := orders.Upsert(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	// Re-pushing an order changes no total.
	if _, _, err := orders.Upsert(ctx, second); err != nil {
		t.Fatal(err)
	}
	tk := sampleTicket("TKT-CUSTPROFILE01", "cust-ayu", base.Add(12*24*time.Hour), ticket.PriorityNormal)
	createTicket(t, tickets, tk, nil)
	sv := survey.Survey{SubjectType: survey.SubjectOrder, SubjectID: "CP-1", CustomerID: "cust-ayu", CSAT: 2, SubmittedAt: base.Add(13 * 24 * time.Hour)}
	if err := surveys.Create(ctx, sv, []string{"delivered"}); err != nil {
		t.Fatal(err)
	}

	p, err := store.Profile(ctx, "cust-ayu")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Ayu Lestari" || p.Phone != "+6281234567890" || p.Email != "ayu.lestari@example.co.id" || p.FirstName() != "Ayu" {
		t.Fatalf("contact %q %q %q", p.Name, p.Phone, p.Email)
	}
	if p.FirstOrderID != "CP-0" || !p.FirstOrderAt.Equal(older.PlacedAt) || p.LastOrderID != "CP-2" {
		t.Fatalf("first %s %v last %s", p.FirstOrderID, p.FirstOrderAt, p.LastOrderID)
	}
	if p.Orders != 3 || p.Units != 15 || p.Tickets != 1 || p.Returns != 0 || p.Surveys != 1 || p.LatestCSAT != 2 {
		t.Fatalf("totals %+v", p)
	}

	for _, variant := range []string{"ayu.lestari@example.co.id", "  Ayu.Lestari@EXAMPLE.co.id\t"} {
		found, err := store.FindByEmail(ctx, variant)
		if err != nil || len(found) != 1 || found[0].ID != "cust-ayu" {
			t.Fatalf("%q: %v %+v", variant, err, found)
		}
	}
	for _, miss := range []string{"ayu.lestari@example.co", "ayu.lestari@example.co.id.", "ayu lestari@example.co.id", "ayu", ""} {
		found, err := store.FindByEmail(ctx, miss)
		if err != nil || len(found) != 0 {
			t.Fatalf("near miss %q found %+v (%v)", miss, found, err)
		}
	}

	// Timeline: newest first across kinds, two per page, with each item's current state.
	var got []string
	cur := ""
	for range 5 {
		page, err := store.History(ctx, "cust-ayu", 2, cur)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			got = append(got, e.Kind+":"+e.RefID+":"+e.Status)
		}
		if cur = page.NextCursor; cur == "" {
			break
		}
	}
	want := []string{"survey:order#CP-1:", "ticket:TKT-CUSTPROFILE01:open", "order:CP-2:delivered", "order:CP-1:delivered", "order:CP-0:delivered"}
	if len(got) != len(want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("history %v, want %v", got, want)
		}
	}
	page, _ := store.History(ctx, "cust-ayu", 5, "")
	if o := page.Entries[2]; o.Amount != 2*25000000+3*4500000+1500000 || o.Units != 5 || o.Currency != "IDR" {
		t.Fatalf("order entry %+v", o)
	}
	if page.Entries[0].CSAT != 2 || page.Entries[0].SurveySubjectID != "CP-1" {
		t.Fatalf("survey entry %+v", page.Entries[0])
	}
	// Another customer's cursor only pages that customer's timeline.
	if other, err := store.History(ctx, "cust-someone-else", 5, cur); err != nil || len(other.Entries) != 0 {
		t.Fatalf("cursor crossed customers: %v %+v", err, other)
	}
}

// Concurrent complaints by one customer all land, and the profile counts each once: a write that lost the
// profile's version condition reads it again. The customer is one after-support customer of the month.
func TestConcurrentTicketsKeepTheProfileExact(t *testing.T) {
	env := testenv.DynamoDB(t)
	tickets := dynamostore.NewTickets(env.Client, env.SupportTable)
	at := time.Date(2026, 10, 5, 3, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk := sampleTicket("TKT-RACE"+strconv.Itoa(i), "cust-race", at.Add(time.Duration(i)*time.Minute), ticket.PriorityNormal)
			errs <- tickets.Create(t.Context(), ticket.Change{After: tk, At: tk.CreatedAt, Events: []ticket.Event{{Type: ticket.EventCreated,
				Visibility: ticket.Public, Author: ticket.AuthorCustomer, ToStatus: ticket.StatusOpen, At: tk.CreatedAt}}})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := dynamostore.NewCustomers(env.Client, env.SupportTable).Profile(t.Context(), "cust-race")
	if err != nil || p.Tickets != 3 || p.Version != 3 {
		t.Fatalf("%+v %v", p, err)
	}
	totals, err := dynamostore.NewMetrics(env.Client, env.SupportTable).Sum(t.Context(), []string{"2026-10-05"})
	if err != nil || totals["retention_support_customers_unresolved"] != 1 {
		t.Fatalf("%v %v", totals, err)
	}
}
