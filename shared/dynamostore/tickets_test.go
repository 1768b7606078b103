package dynamostore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

var ticketBase = time.Date(2026, 10, 1, 3, 0, 0, 0, time.UTC)

func sampleTicket(id, customer string, at time.Time, p ticket.Priority) ticket.Ticket {
	fr, res := ticket.DefaultSLA().Due(calendar.Default(), p, at)
	return ticket.Ticket{
		ID: id, CustomerID: customer, Channel: ticket.ChannelWeb, Category: ticket.CategoryPayment,
		Subject: "Saldo terpotong dua kali", Description: "Pembayaran saya terpotong dua kali.",
		Status: ticket.StatusOpen, Priority: p, PriorityReasons: []string{"keyword:penipuan"}, Team: escalation.TeamPayments,
		CreatedAt: at, UpdatedAt: at, FirstResponseDueAt: fr, ResolutionDueAt: res,
		EscalationStatus: ticket.EscalationNone, Version: 1,
	}
}

func createTicket(t *testing.T, store *dynamostore.Tickets, tk ticket.Ticket, esc *escalation.Escalation) {
	t.Helper()
	if esc != nil {
		tk.EscalationStatus, tk.EscalatedPriority, tk.EscalationDedupKey = ticket.EscalationPending, tk.Priority, esc.DedupKey
	}
	err := store.Create(context.Background(), ticket.Change{
		After: tk, At: tk.CreatedAt, Escalation: esc,
		Events: []ticket.Event{{Type: ticket.EventCreated, Visibility: ticket.Public, Author: ticket.AuthorCustomer,
			ToStatus: ticket.StatusOpen, At: tk.CreatedAt}},
		Counters: map[string]int64{"tickets_created": 1},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ticketEscalation(tk ticket.Ticket) *escalation.Escalation {
	return &escalation.Escalation{
		DedupKey: escalation.DedupKey(escalation.SubjectTicket, tk.ID, escalation.ReasonPriorityHigh),
		Reason:   escalation.ReasonPriorityHigh, Team: tk.Team, Priority: escalation.Priority(tk.Priority),
		SubjectType: escalation.SubjectTicket, SubjectID: tk.ID, TicketID: tk.ID, CustomerID: tk.CustomerID, CreatedAt: tk.CreatedAt,
	}
}

func getRaw(t *testing.T, env *testenv.DynamoEnv, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := env.Client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(env.SupportTable), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: pk}, "SK": &types.AttributeValueMemberS{Value: sk}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func sAttr(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func TestTicketRoundTripsWithTimeline(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewTickets(env.Client, env.SupportTable)
	ctx := context.Background()
	tk := sampleTicket("TKT-ROUNDTRIP", "budi", ticketBase, ticket.PriorityNormal)
	tk.OrderID, tk.OrderTotal, tk.OrderCurrency = "TGP-1", 15_000_000, "IDR"
	createTicket(t, store, tk, nil)

	got, err := store.Get(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CustomerID != "budi" || got.Priority != ticket.PriorityNormal || got.OrderTotal != 15_000_000 ||
		!got.FirstResponseDueAt.Equal(tk.FirstResponseDueAt) || got.Version != 1 || got.Team != escalation.TeamPayments ||
		len(got.PriorityReasons) != 1 || got.EscalationStatus != ticket.EscalationNone {
		t.Fatalf("round trip: %+v", got)
	}
	if _, err := store.Get(ctx, "TKT-MISSING"); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("missing ticket: %v", err)
	}

	// An internal note and a public reply; customers only ever read the public one.
	after := got
	after.Version, after.Status, after.UpdatedAt = 2, ticket.StatusInProgress, ticketBase.Add(time.Hour)
	err = store.Update(ctx, ticket.Change{Before: got, After: after, At: after.UpdatedAt, Events: []ticket.Event{
		{Type: ticket.EventInternalNote, Visibility: ticket.Internal, Author: ticket.AuthorAgent, Actor: "dewi", Body: "cek mutasi", At: after.UpdatedAt},
		{Type: ticket.EventAgentReply, Visibility: ticket.Public, Author: ticket.AuthorAgent, Actor: "dewi", Body: "Kami cek.", At: after.UpdatedAt},
	}})
	if err != nil {
		t.Fatal(err)
	}
	read, all, err := store.Read(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if read.Version != 2 || read.Status != ticket.StatusInProgress {
		t.Fatalf("header read with the timeline: %+v", read)
	}
	if len(all) != 3 || all[0].Type != ticket.EventCreated || all[1].Visibility != ticket.Internal || all[2].Type != ticket.EventAgentReply {
		t.Fatalf("full timeline, oldest first: %+v", all)
	}
}

// Update is conditional on the version and status read: a stale writer gets ErrChanged and writes nothing.
func TestTicketUpdateRefusesStaleState(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewTickets(env.Client, env.SupportTable)
	ctx := context.Background()
	tk := sampleTicket("TKT-STALE", "budi", ticketBase, ticket.PriorityNormal)
	createTicket(t, store, tk, nil)

	first := tk
	first.Version, first.Status = 2, ticket.StatusResolved
	if err := store.Update(ctx, ticket.Change{Before: tk, After: first, At: ticketBase}); err != nil {
		t.Fatal(err)
	}
	second := tk
	second.Version, second.Status = 2, ticket.StatusClosed
	err := store.Update(ctx, ticket.Change{Before: tk, After: second, At: ticketBase, Events: []ticket.Event{
		{Type: ticket.EventClosed, Visibility: ticket.Public, Author: ticket.AuthorAgent, At: ticketBase.Add(time.Minute)},
	}})
	if !errors.Is(err, ticket.ErrChanged) || !failure.IsKind(err, failure.KindConflict) {
		t.Fatalf("stale update: %v", err)
	}
	got, events, _ := store.Read(ctx, tk.ID)
	if got.Status != ticket.StatusResolved || len(events) != 1 {
		t.Fatalf("stale update left %s with %d events", got.Status, len(events))
	}
}

// A high ticket and its outbox item are written together; the outbox item is pending in the sparse index.
func TestTicketCreateWritesEscalationOutbox(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewTickets(env.Client, env.SupportTable)
	tk := sampleTicket("TKT-HIGH", "budi", ticketBase, ticket.PriorityHigh)
	esc := ticketEscalation(tk)
	createTicket(t, store, tk, esc)

	outbox := getRaw(t, env, "ESCALATION#"+esc.DedupKey, "#ESCALATION")
	if sAttr(outbox, "GSI1PK") != "OUTBOX#PENDING" || sAttr(outbox, "team") != "payments" || sAttr(outbox, "ticketId") != tk.ID {
		t.Fatalf("outbox item: %v", outbox)
	}
	got, _ := store.Get(context.Background(), tk.ID)
	if got.EscalationStatus != ticket.EscalationPending || got.EscalationDedupKey != esc.DedupKey {
		t.Fatalf("ticket escalation state: %+v", got)
	}

	// The same dedup key cannot be queued twice: the whole second transaction is refused.
	again := sampleTicket("TKT-HIGH2", "budi", ticketBase, ticket.PriorityHigh)
	err := store.Create(context.Background(), ticket.Change{After: again, At: ticketBase, Escalation: esc})
	if err == nil {
		t.Fatal("second outbox put with the same dedup key succeeded")
	}
	if _, err := store.Get(context.Background(), again.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("ticket of the refused transaction exists: %v", err)
	}
}

// RecordEscalation is what the escalation consumer calls: it applies once per dedup key.
func TestRecordEscalationAppliesOncePerKey(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewTickets(env.Client, env.SupportTable)
	ctx := context.Background()
	tk := sampleTicket("TKT-ESC", "budi", ticketBase, ticket.PriorityHigh)
	esc := ticketEscalation(tk)
	createTicket(t, store, tk, esc)

	at := ticketBase.Add(2 * time.Minute)
	applied, err := store.RecordEscalation(ctx, tk.ID, esc.DedupKey, "payments", at)
	if err != nil || !applied {
		t.Fatalf("first record: %v %v", applied, err)
	}
	applied, err = store.RecordEscalation(ctx, tk.ID, esc.DedupKey, "payments", at.Add(time.Minute))
	if err != nil || applied {
		t.Fatalf("redelivery: applied=%v err=%v", applied, err)
	}
	got, _ := store.Get(ctx, tk.ID)
	if got.EscalationStatus != ticket.EscalationEscalated || got.EscalationTeam != escalation.TeamPayments ||
		got.EscalatedAt == nil || !got.EscalatedAt.Equal(at) || got.Version != 1 {
		t.Fatalf("ticket after escalation: %+v", got)
	}
	_, events, _ := store.Read(ctx, tk.ID)
	n := 0
	for _, e := range events {
		if e.Type == ticket.EventEscalated {
			n++
			if e.Team != escalation.TeamPayments || e.Author != ticket.AuthorSystem {
				t.Fatalf("escalated entry: %+v", e)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d escalated entries, want 1", n)
	}

	// A later escalation of the same ticket (raised to urgent) is a new key and applies.
	urgentKey := escalation.DedupKey(escalation.SubjectTicket, tk.ID, escalation.ReasonPriorityUrgent)
	if applied, err := store.RecordEscalation(ctx, tk.ID, urgentKey, "legal", at.Add(time.Hour)); err != nil || !applied {
		t.Fatalf("second key: %v %v", applied, err)
	}
	if _, err := store.RecordEscalation(ctx, "TKT-NOPE", esc.DedupKey, "payments", at); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("missing ticket: %v", err)
	}
}

// An escalation recorded by the consumer survives later ops changes that do not escalate again.
func TestOpsChangeKeepsConsumerEscalationState(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewTickets(env.Client, env.SupportTable)
	ctx := context.Background()
	tk := sampleTicket("TKT-KEEP", "budi", ticketBase, ticket.PriorityHigh)
	esc := ticketEscalation(tk)
	createTicket(t, store, tk, esc)
	before, _ := store.Get(ctx, tk.ID) // read before the consumer ran: escalation pending
	if _, err := store.RecordEscalation(ctx, tk.ID, esc.DedupKey, "payments", ticketBase.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	after := before
	after.Version, after.Status, after.AssignedAgent = 2, ticket.StatusInProgress, "arn:aws:iam::123456789012:user/dewi"
	if err := store.Update(ctx, ticket.Change{Before: before, After: after, At: ticketBase.Add(2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	got, _ := store.Get(ctx, tk.ID)
	if got.EscalationStatus != ticket.EscalationEscalated || got.AssignedAgent == "" || got.Status != ticket.StatusInProgress {
		t.Fatalf("after ops change: %+v", got)
	}
}

func TestTicketsListAndCountByCustomer(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewTickets(env.Client, env.SupportTable)
	ctx := context.Background()
	ids := []string{"TKT-L1", "TKT-L2", "TKT-L3"}
	for i, id := range ids {
		createTicket(t, store, sampleTicket(id, "budi", ticketBase.Add(time.Duration(i)*24*time.Hour), ticket.PriorityNormal), nil)
	}
	createTicket(t, store, sampleTicket("TKT-S1", "siti", ticketBase, ticket.PriorityNormal), nil)

	page, err := store.ListByCustomer(ctx, "budi", 2, "")
	if err != nil || len(page.Tickets) != 2 || page.Tickets[0].ID != "TKT-L3" || page.NextCursor == "" {
		t.Fatalf("first page: %v %+v", err, page)
	}
	rest, err := store.ListByCustomer(ctx, "budi", 2, page.NextCursor)
	if err != nil || len(rest.Tickets) != 1 || rest.Tickets[0].ID != "TKT-L1" || rest.NextCursor != "" {
		t.Fatalf("second page: %v %+v", err, rest)
	}
	stolen, err := store.ListByCustomer(ctx, "siti", 10, page.NextCursor)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range stolen.Tickets {
		if tk.CustomerID != "siti" {
			t.Fatalf("siti saw %s through budi's cursor", tk.ID)
		}
	}
	if _, err := store.ListByCustomer(ctx, "budi", 2, "not-a-cursor"); !failure.IsKind(err, failure.KindInvalid) {
		t.Fatalf("bad cursor: %v", err)
	}

	n, err := store.CountByCustomer(ctx, "budi", ticketBase.Add(time.Hour), ticketBase.Add(3*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("count in window: %d %v", n, err)
	}
	n, err = store.CountByCustomer(ctx, "budi", ticketBase, ticketBase)
	if err != nil || n != 1 {
		t.Fatalf("count at the boundary: %d %v", n, err)
	}
}
