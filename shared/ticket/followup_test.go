package ticket

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// fileOne files a plain complaint for budi and returns the service, its store and the ticket id.
func fileOne(t *testing.T) (*Service, *fileStore, string) {
	t.Helper()
	store := newFileStore()
	svc := fileService(store, nil)
	d, err := svc.Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: CategoryTechnical,
		Subject: "Aplikasi", Description: "Pertanyaan tentang aplikasi."})
	if err != nil {
		t.Fatal(err)
	}
	return svc, store, d.Ticket.ID
}

// A follow-up is one public customer entry, stamped with its time; the ticket moves one version on; the
// customer gets the ticket and the public timeline including the new entry.
func TestFollowUpAddsThePublicEntry(t *testing.T) {
	_, store, id := fileOne(t)
	before := store.tickets[id]
	store.events[id] = append(store.events[id], Event{Type: EventInternalNote, Visibility: Internal, Author: AuthorAgent, Body: "vip", At: filedAt})

	later := filedAt.Add(time.Hour)
	svc := NewService(store, nil, DefaultRules(), DefaultSLA(), func() time.Time { return later })
	d, err := svc.PostMessage(context.Background(), "budi", id, "  Mohon kabari saya. ")
	if err != nil {
		t.Fatal(err)
	}
	msg := Event{Type: EventCustomerMessage, Visibility: Public, Author: AuthorCustomer, Body: "Mohon kabari saya.", At: later}
	if len(store.updated) != 1 {
		t.Fatalf("%d updates", len(store.updated))
	}
	ch := store.updated[0]
	if !reflect.DeepEqual(ch.Events, []Event{msg}) || !ch.At.Equal(later) || ch.Before.Version != before.Version {
		t.Errorf("stored change: events %+v at %v before v%d", ch.Events, ch.At, ch.Before.Version)
	}
	after := ch.After
	if after.Version != before.Version+1 || !after.UpdatedAt.Equal(later) || after.Status != StatusOpen ||
		!reflect.DeepEqual(after.PriorityReasons, before.PriorityReasons) {
		t.Errorf("ticket after: %+v", after)
	}
	if !reflect.DeepEqual(d.Ticket, after) {
		t.Errorf("answered ticket %+v, want the stored one", d.Ticket)
	}
	if n := len(d.Timeline); n != 2 || d.Timeline[0].Type != EventCreated || !reflect.DeepEqual(d.Timeline[1], msg) {
		t.Errorf("answered timeline %+v, want created + the message, no internal note", d.Timeline)
	}
}

// A follow-up on a resolved ticket reopens it; on a closed one it is refused, as it is from anyone but
// the ticket's customer, on a ticket at its change limit, and when it is blank.
func TestFollowUpRules(t *testing.T) {
	svc, store, id := fileOne(t)
	tk := store.tickets[id]
	tk.Status, tk.Version = StatusResolved, 5
	store.tickets[id] = tk
	d, err := svc.PostMessage(context.Background(), "budi", id, "Masih rusak.")
	if err != nil || d.Ticket.Status != StatusOpen || d.Ticket.ResolvedAt != nil {
		t.Fatalf("resolved: %v %+v", err, d.Ticket)
	}
	if last := d.Timeline[len(d.Timeline)-1]; last.Type != EventReopened || last.FromStatus != StatusResolved {
		t.Errorf("resolved: last entry %+v, want reopened", last)
	}

	for _, c := range []struct {
		name    string
		status  Status
		version int64
		who     string
		message string
		want    error
	}{
		{"closed", StatusClosed, 6, "budi", "Halo", ErrClosed},
		{"someone else's", StatusOpen, 6, "siti", "Halo", ErrNotFound},
		{"at the change limit", StatusOpen, MaxVersion, "budi", "Halo", ErrTooManyChanges},
		{"one below the limit", StatusOpen, MaxVersion - 1, "budi", "Halo", nil},
	} {
		tk := store.tickets[id]
		tk.Status, tk.Version = c.status, c.version
		store.tickets[id] = tk
		n := len(store.updated)
		_, err := svc.PostMessage(context.Background(), c.who, id, c.message)
		if err != c.want || (c.want != nil) != (len(store.updated) == n) {
			t.Errorf("%s: %v (%d writes), want %v", c.name, err, len(store.updated)-n, c.want)
		}
	}
	n := len(store.updated)
	if _, err := svc.PostMessage(context.Background(), "budi", id, "  "); err == nil || len(store.updated) != n {
		t.Errorf("blank message: %v", err)
	} else if fe, _ := failure.As(err); fe == nil || len(fe.Fields) != 1 || fe.Fields[0].Field != "message" || fe.Fields[0].Code != "required" {
		t.Errorf("blank message: %v", err)
	}
	if _, err := svc.PostMessage(context.Background(), "budi", "TKT-AAAAAAAAAAAAAAAA", "Halo"); err != ErrNotFound {
		t.Errorf("missing ticket: %v", err)
	}
}

// racingStore loses the first n updates to another writer, then fails with what it is told.
type racingUpdates struct {
	*fileStore
	lose  int
	err   error
	tries int
}

func (r *racingUpdates) Update(ctx context.Context, c Change) error {
	r.tries++
	if r.lose > 0 {
		r.lose--
		return ErrChanged
	}
	if r.err != nil {
		return r.err
	}
	return r.fileStore.Update(ctx, c)
}

// A follow-up that loses a race reads again and retries, three times at most; other write failures are
// not retried.
func TestFollowUpRetriesOnlyLostRaces(t *testing.T) {
	_, store, id := fileOne(t)
	race := &racingUpdates{fileStore: store, lose: 2}
	svc := NewService(race, nil, DefaultRules(), DefaultSLA(), func() time.Time { return filedAt })
	if _, err := svc.PostMessage(context.Background(), "budi", id, "Halo"); err != nil || race.tries != 3 {
		t.Fatalf("two lost races: %v after %d tries", err, race.tries)
	}
	race.lose, race.tries = 5, 0
	if _, err := svc.PostMessage(context.Background(), "budi", id, "Halo"); !errors.Is(err, ErrChanged) || race.tries != 3 {
		t.Fatalf("always losing: %v after %d tries", err, race.tries)
	}
	outage := errors.New("dynamodb: throttled")
	race.lose, race.tries, race.err = 0, 0, outage
	if _, err := svc.PostMessage(context.Background(), "budi", id, "Halo"); err != outage || race.tries != 1 {
		t.Fatalf("outage: %v after %d tries", err, race.tries)
	}
}

// Words in a follow-up can raise the priority, and an urgent ticket escalates at once.
func TestFollowUpCanRaiseAndEscalate(t *testing.T) {
	svc, store, id := fileOne(t)
	d, err := svc.PostMessage(context.Background(), "budi", id, "Kompor meledak dan tangan saya terluka.")
	if err != nil {
		t.Fatal(err)
	}
	if d.Ticket.Priority != PriorityUrgent || store.updated[0].Escalation == nil || store.updated[0].Escalation.Reason != "priority_urgent" {
		t.Fatalf("priority %s, escalation %+v", d.Ticket.Priority, store.updated[0].Escalation)
	}
}

// readFails fails every read with err.
type readFails struct {
	*fileStore
	err error
}

func (r readFails) Read(context.Context, string) (Ticket, []Event, error) {
	return Ticket{}, nil, r.err
}

// A store that cannot read the ticket is a failure, not a "not found".
func TestFollowUpWhenTheStoreCannotRead(t *testing.T) {
	outage := errors.New("dynamodb: throttled")
	svc := NewService(readFails{newFileStore(), outage}, nil, DefaultRules(), DefaultSLA(), func() time.Time { return filedAt })
	if _, err := svc.PostMessage(context.Background(), "budi", "TKT-AAAAAAAAAAAAAAAA", "Halo"); err != outage {
		t.Fatalf("%v, want the outage", err)
	}
}
