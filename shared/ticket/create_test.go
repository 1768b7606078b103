package ticket

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// fileStore is an in-memory Store for the service's rules (not storage): it keeps what Create and Update
// were given and counts earlier tickets by their creation time.
type fileStore struct {
	Store
	created, updated []Change
	tickets          map[string]Ticket
	events           map[string][]Event
	earlier          []time.Time // creation times of the customer's earlier tickets
	countErr         error
	asked            [2]time.Time // the window CountByCustomer was asked for
}

func newFileStore() *fileStore {
	return &fileStore{tickets: map[string]Ticket{}, events: map[string][]Event{}}
}

func (s *fileStore) Create(_ context.Context, c Change) error {
	s.created = append(s.created, c)
	s.tickets[c.After.ID] = c.After
	s.events[c.After.ID] = append(s.events[c.After.ID], c.Events...)
	return nil
}

func (s *fileStore) Read(_ context.Context, id string) (Ticket, []Event, error) {
	t, ok := s.tickets[id]
	if !ok {
		return Ticket{}, nil, ErrNotFound
	}
	return t, append([]Event(nil), s.events[id]...), nil
}

func (s *fileStore) Update(_ context.Context, c Change) error {
	if s.tickets[c.After.ID].Version != c.Before.Version {
		return ErrChanged
	}
	s.updated = append(s.updated, c)
	s.tickets[c.After.ID] = c.After
	s.events[c.After.ID] = append(s.events[c.After.ID], c.Events...)
	return nil
}

func (s *fileStore) CountByCustomer(_ context.Context, _ string, from, to time.Time) (int, error) {
	s.asked = [2]time.Time{from, to}
	n := 0
	for _, at := range s.earlier {
		if !at.Before(from) && !at.After(to) {
			n++
		}
	}
	return n, s.countErr
}

type fileOrders map[string]order.Order

func (o fileOrders) Get(_ context.Context, id string) (order.Order, error) {
	if ord, ok := o[id]; ok {
		return ord, nil
	}
	return order.Order{}, order.ErrNotFound
}

var filedAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func fileService(store *fileStore, orders fileOrders) *Service {
	return NewService(store, orders, DefaultRules(), DefaultSLA(), func() time.Time { return filedAt })
}

// A filed complaint is stored whole: who, what (trimmed), how it was classified, its SLA promises, one
// public "created" entry, and the day's counters; the customer sees the same ticket and that entry.
func TestCreateStoresTheWholeComplaint(t *testing.T) {
	store := newFileStore()
	d, err := fileService(store, nil).Create(context.Background(), "budi", NewComplaint{Channel: ChannelChat, Category: CategoryTechnical,
		Subject: "  Pertanyaan aplikasi ", Description: "\tBagaimana cara mengganti foto profil?\n"})
	if err != nil {
		t.Fatal(err)
	}
	if len(store.created) != 1 {
		t.Fatalf("%d changes stored", len(store.created))
	}
	ch := store.created[0]
	got := ch.After
	if !IDs.Valid(got.ID) {
		t.Errorf("id %q", got.ID)
	}
	want := Ticket{
		ID: got.ID, CustomerID: "budi", Channel: ChannelChat, Category: CategoryTechnical,
		Subject: "Pertanyaan aplikasi", Description: "Bagaimana cara mengganti foto profil?",
		Status: StatusOpen, Priority: PriorityNormal, PriorityReasons: got.PriorityReasons, Team: escalation.TeamTechnical,
		// Filed Friday 17:00 WIB, normal priority in business hours (Mon-Fri 08:00-17:00 WIB by default): 8 h
		// is Monday 16:00 WIB, 72 h (8 days of 9 h) Wednesday 2 December 17:00 WIB; at risk with 2 h left.
		CreatedAt: filedAt, UpdatedAt: filedAt, FirstResponseDueAt: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		ResolutionDueAt: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), NextSLACheckAt: ptr(time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)),
		EscalationStatus: EscalationNone, Version: 1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ticket\n got %+v\nwant %+v", got, want)
	}
	created := []Event{{Type: EventCreated, Visibility: Public, Author: AuthorCustomer, ToStatus: StatusOpen, Priority: PriorityNormal, At: filedAt}}
	if !reflect.DeepEqual(ch.Events, created) || !ch.At.Equal(filedAt) || ch.Escalation != nil {
		t.Errorf("stored change: events %+v at %v escalation %+v", ch.Events, ch.At, ch.Escalation)
	}
	if want := map[string]int64{metrics.TicketsCreated: 1, metrics.TicketsPriorityPfx + "normal": 1}; !reflect.DeepEqual(ch.Counters, want) {
		t.Errorf("counters %v, want %v", ch.Counters, want)
	}
	if !reflect.DeepEqual(d, Detail{Ticket: got, Timeline: created}) {
		t.Errorf("answer\n got %+v\nwant the stored ticket and its created entry", d)
	}
}

// A high or urgent complaint queues its escalation in the same write, to the team that owns the ticket;
// the ticket shows it pending. A normal one queues nothing.
func TestCreateQueuesTheEscalationOfHighAndUrgentComplaints(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     NewComplaint
		p      Priority
		reason escalation.Reason
	}{
		{"high", NewComplaint{Channel: ChannelWeb, Category: CategoryFraud, Subject: "Transaksi", Description: "Ada transaksi yang tidak saya kenal."},
			PriorityHigh, escalation.ReasonPriorityHigh},
		{"urgent", NewComplaint{Channel: ChannelWeb, Category: CategoryProductQuality, Subject: "Kompor meledak", Description: "Kompor meledak dan tangan saya terluka."},
			PriorityUrgent, escalation.ReasonPriorityUrgent},
	} {
		store := newFileStore()
		d, err := fileService(store, nil).Create(context.Background(), "budi", c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		tk := d.Ticket
		key := escalation.DedupKey(escalation.SubjectTicket, tk.ID, c.reason)
		want := &escalation.Escalation{DedupKey: key, Reason: c.reason, Team: tk.Team, Priority: escalation.Priority(c.p),
			SubjectType: escalation.SubjectTicket, SubjectID: tk.ID, TicketID: tk.ID, CustomerID: "budi", CreatedAt: filedAt}
		if tk.Priority != c.p || !reflect.DeepEqual(store.created[0].Escalation, want) {
			t.Errorf("%s: priority %s, escalation\n got %+v\nwant %+v", c.name, tk.Priority, store.created[0].Escalation, want)
		}
		if tk.EscalationStatus != EscalationPending || tk.EscalatedPriority != c.p || tk.EscalationDedupKey != key {
			t.Errorf("%s: ticket escalation %s %s %s", c.name, tk.EscalationStatus, tk.EscalatedPriority, tk.EscalationDedupKey)
		}
		if err := want.Validate(); err != nil {
			t.Errorf("%s: the queued escalation is not valid: %v", c.name, err)
		}
	}
}

// A follow-up that changes nothing about the priority does not escalate a ticket again.
func TestFollowUpDoesNotEscalateTwice(t *testing.T) {
	store := newFileStore()
	svc := fileService(store, nil)
	d, err := svc.Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: CategoryFraud,
		Subject: "Transaksi", Description: "Ada transaksi yang tidak saya kenal."})
	if err != nil || store.created[0].Escalation == nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := svc.PostMessage(context.Background(), "budi", d.Ticket.ID, "Mohon kabari saya."); err != nil {
		t.Fatal(err)
	}
	if len(store.updated) != 1 || store.updated[0].Escalation != nil {
		t.Fatalf("follow-up escalated again: %+v", store.updated)
	}
}

// The order a complaint names is the caller's own; its total is kept on the ticket.
func TestCreateWithAnOrder(t *testing.T) {
	orders := fileOrders{
		"TGP-1": {ID: "TGP-1", CustomerID: "budi", Currency: "IDR", ShippingFee: 1500000, Lines: []order.Line{{ID: "L1", Quantity: 2, UnitPrice: 100000}}},
		"TGP-2": {ID: "TGP-2", CustomerID: "siti", Currency: "IDR"},
	}
	in := NewComplaint{Channel: ChannelWeb, Category: CategoryDelivery, Subject: "Paket", Description: "Di mana paket saya?", OrderID: "TGP-1"}
	d, err := fileService(newFileStore(), orders).Create(context.Background(), "budi", in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Ticket.OrderID != "TGP-1" || d.Ticket.OrderTotal != 1700000 || d.Ticket.OrderCurrency != "IDR" {
		t.Fatalf("order on ticket: %s %d %s", d.Ticket.OrderID, d.Ticket.OrderTotal, d.Ticket.OrderCurrency)
	}
	// A stated urgency is kept as the customer gave it.
	in.StatedUrgency = PriorityHigh
	if d, err := fileService(newFileStore(), orders).Create(context.Background(), "budi", in); err != nil || d.Ticket.StatedUrgency != PriorityHigh {
		t.Fatalf("stated urgency: %v %q", err, d.Ticket.StatedUrgency)
	}
	in.StatedUrgency = ""
	for _, id := range []string{"TGP-2", "TGP-404"} {
		in.OrderID = id
		if _, err := fileService(newFileStore(), orders).Create(context.Background(), "budi", in); err != ErrOrderNotFound {
			t.Errorf("order %s: %v, want order not found", id, err)
		}
	}
}

// Repeat complaints are counted over the 30 days before this one; a failed count fails the complaint
// rather than filing it with a guessed priority.
func TestCreateCountsEarlierComplaintsOverThirtyDays(t *testing.T) {
	store := newFileStore()
	in := NewComplaint{Channel: ChannelWeb, Category: CategoryTechnical, Subject: "Aplikasi", Description: "Pertanyaan tentang aplikasi."}
	if _, err := fileService(store, nil).Create(context.Background(), "budi", in); err != nil {
		t.Fatal(err)
	}
	if from, to := store.asked[0], store.asked[1]; !from.Equal(filedAt.Add(-30*24*time.Hour)) || !to.Equal(filedAt) {
		t.Fatalf("counted %v .. %v, want the 30 days up to %v", from, to, filedAt)
	}
	store = newFileStore()
	store.countErr = errors.New("dynamodb: throttled")
	if _, err := fileService(store, nil).Create(context.Background(), "budi", in); err != store.countErr || len(store.created) != 0 {
		t.Fatalf("count fails: %v, %d stored", err, len(store.created))
	}
}

// What a complaint must have: subject and description present (after trimming) and within their limits,
// a known category, and a known urgency if one is stated.
func TestCreateValidation(t *testing.T) {
	good := NewComplaint{Channel: ChannelWeb, Category: CategoryTechnical, Subject: "Aplikasi", Description: "Pertanyaan tentang aplikasi."}
	for _, c := range []struct {
		name string
		edit func(*NewComplaint)
		want string // "" accepted
	}{
		{"subject at its limit", func(n *NewComplaint) { n.Subject = strings.Repeat("s", MaxSubject) }, ""},
		{"subject over it", func(n *NewComplaint) { n.Subject = strings.Repeat("s", MaxSubject+1) }, "subject:max"},
		{"blank subject", func(n *NewComplaint) { n.Subject = "   " }, "subject:required"},
		{"blank description", func(n *NewComplaint) { n.Description = "\n" }, "description:required"},
		{"description over its limit", func(n *NewComplaint) { n.Description = strings.Repeat("d", MaxDescription+1) }, "description:max"},
		{"unknown category", func(n *NewComplaint) { n.Category = "gossip" }, "category:invalid"},
		{"unknown urgency", func(n *NewComplaint) { n.StatedUrgency = "asap" }, "urgency:invalid"},
		{"stated urgency", func(n *NewComplaint) { n.StatedUrgency = PriorityLow }, ""},
	} {
		in := good
		c.edit(&in)
		store := newFileStore()
		_, err := fileService(store, nil).Create(context.Background(), "budi", in)
		if c.want == "" {
			if err != nil || len(store.created) != 1 {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		fe, ok := failure.As(err)
		if !ok || len(fe.Fields) != 1 || fe.Fields[0].Field+":"+fe.Fields[0].Code != c.want || len(store.created) != 0 {
			t.Errorf("%s: %v, want %s and nothing stored", c.name, err, c.want)
		}
	}
}

// ordersDown fails every order read.
type ordersDown struct{ err error }

func (o ordersDown) Get(context.Context, string) (order.Order, error) { return order.Order{}, o.err }

// An order store that cannot answer fails the complaint; a high-value order raises its priority.
func TestCreateWithOrderFailuresAndValue(t *testing.T) {
	in := NewComplaint{Channel: ChannelWeb, Category: CategoryDelivery, Subject: "Paket", Description: "Di mana paket saya?", OrderID: "TGP-1"}
	outage := errors.New("dynamodb: throttled")
	svc := NewService(newFileStore(), ordersDown{outage}, DefaultRules(), DefaultSLA(), func() time.Time { return filedAt })
	if _, err := svc.Create(context.Background(), "budi", in); err != outage {
		t.Fatalf("orders down: %v", err)
	}
	big := fileOrders{"TGP-1": {ID: "TGP-1", CustomerID: "budi", Currency: "IDR", Lines: []order.Line{{ID: "L1", Quantity: 1, UnitPrice: DefaultRules().HighValueOrder}}}}
	small := fileOrders{"TGP-1": {ID: "TGP-1", CustomerID: "budi", Currency: "IDR", Lines: []order.Line{{ID: "L1", Quantity: 1, UnitPrice: 100000}}}}
	hi, err := fileService(newFileStore(), big).Create(context.Background(), "budi", in)
	if err != nil {
		t.Fatal(err)
	}
	lo, err := fileService(newFileStore(), small).Create(context.Background(), "budi", in)
	if err != nil {
		t.Fatal(err)
	}
	if hi.Ticket.Priority.Rank() <= lo.Ticket.Priority.Rank() {
		t.Fatalf("high-value order: %s, small order: %s; want the high-value one higher", hi.Ticket.Priority, lo.Ticket.Priority)
	}
}

func ptr[T any](v T) *T { return &v }
