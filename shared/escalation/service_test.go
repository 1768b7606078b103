package escalation

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// In-memory stand-ins for the ports: pure domain tests only (the adapters run against the real services).

type memOutbox struct {
	pending  []Escalation
	sent     map[string]string
	failures map[string]int
}

func (m *memOutbox) ListPending(_ context.Context, before time.Time, limit int) ([]Escalation, error) {
	var out []Escalation
	for _, e := range m.pending {
		if _, sent := m.sent[e.DedupKey]; !sent && !e.CreatedAt.After(before) && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memOutbox) MarkSent(_ context.Context, key, id string, _ time.Time) (bool, error) {
	if _, ok := m.sent[key]; ok {
		return false, nil
	}
	m.sent[key] = id
	return true, nil
}

func (m *memOutbox) RecordFailure(_ context.Context, key string, _ time.Time, _ string) error {
	m.failures[key]++
	return nil
}

type memQueue struct {
	down bool
	sent []Escalation
}

func (q *memQueue) Send(_ context.Context, e Escalation) (string, error) {
	if q.down {
		return "", errors.New("connection refused")
	}
	q.sent = append(q.sent, e)
	return fmt.Sprintf("m-%d", len(q.sent)), nil
}

func newRelay(n int, at time.Time) (*Relay, *memOutbox, *memQueue) {
	ob := &memOutbox{sent: map[string]string{}, failures: map[string]int{}}
	for i := range n {
		e := sample()
		e.SubjectID = fmt.Sprintf("T%d", i)
		e.TicketID = e.SubjectID
		e.DedupKey = DedupKey(SubjectTicket, e.SubjectID, e.Reason)
		e.CreatedAt = at.Add(time.Duration(i) * time.Second)
		ob.pending = append(ob.pending, e)
	}
	q := &memQueue{}
	return &Relay{Outbox: ob, Publisher: q, Now: func() time.Time { return at.Add(time.Hour) }}, ob, q
}

func TestSweepSendsPendingOnceAndKeepsFailures(t *testing.T) {
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	r, ob, q := newRelay(5, at)
	q.down = true
	res, err := r.Sweep(context.Background(), SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Three failures in a row end the run: the queue is down, the other two wait for the next run.
	if res != (SweepResult{Found: 5, Failed: 3}) || len(ob.sent) != 0 || ob.failures["ticket:T0:priority_urgent"] != 1 {
		t.Fatalf("down: %+v sent=%v failures=%v", res, ob.sent, ob.failures)
	}
	q.down = false
	if res, err = r.Sweep(context.Background(), SweepOptions{}); err != nil || res != (SweepResult{Found: 5, Sent: 5}) {
		t.Fatalf("up: %+v %v", res, err)
	}
	if res, err = r.Sweep(context.Background(), SweepOptions{}); err != nil || res != (SweepResult{}) || len(q.sent) != 5 {
		t.Fatalf("again: %+v %v, %d sent", res, err, len(q.sent))
	}
	if q.sent[0].SubjectID != "T0" || q.sent[4].SubjectID != "T4" {
		t.Fatalf("not oldest first: %v", q.sent)
	}
}

func TestSweepLeavesYoungItemsToTheStream(t *testing.T) {
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	r, _, q := newRelay(3, at)
	r.Now = func() time.Time { return at.Add(30 * time.Second) }
	res, err := r.Sweep(context.Background(), SweepOptions{MinAge: 29 * time.Second, Limit: 10})
	if err != nil || res.Sent != 2 || len(q.sent) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestDeliverFailureIsErrSendFailed(t *testing.T) {
	r, ob, q := newRelay(1, time.Now())
	q.down = true
	if err := r.Deliver(context.Background(), ob.pending[0]); !errors.Is(err, ErrSendFailed) {
		t.Fatalf("%v", err)
	}
}

type memLedger struct {
	records  map[string]bool // dedupKey → notified
	counted  int
	failMark bool
}

func (l *memLedger) Record(_ context.Context, e Escalation, _ time.Time) (Recorded, error) {
	notified, ok := l.records[e.DedupKey]
	if ok {
		return Recorded{Notified: notified}, nil
	}
	l.records[e.DedupKey] = false
	l.counted++
	return Recorded{First: true}, nil
}

func (l *memLedger) MarkNotified(_ context.Context, key string, _ time.Time) error {
	if l.failMark {
		return errors.New("throttled")
	}
	l.records[key] = true
	return nil
}

type memTickets struct{ escalations map[string][]string }

func (m *memTickets) RecordEscalation(_ context.Context, ticketID, key, _ string, _ time.Time) (bool, error) {
	for _, k := range m.escalations[ticketID] {
		if k == key {
			return false, nil
		}
	}
	m.escalations[ticketID] = append(m.escalations[ticketID], key)
	return true, nil
}

type memNotifier struct {
	down bool
	sent []Escalation
}

func (n *memNotifier) Notify(_ context.Context, e Escalation) error {
	if n.down {
		return errors.New("sns unavailable")
	}
	n.sent = append(n.sent, e)
	return nil
}

func TestConsumerRedeliveryChangesNothing(t *testing.T) {
	l, tk, n := &memLedger{records: map[string]bool{}}, &memTickets{escalations: map[string][]string{}}, &memNotifier{}
	c := &Consumer{Ledger: l, Tickets: tk, Notifier: n}
	e := sample()
	out, err := c.Process(context.Background(), e)
	if err != nil || out != (Outcome{TicketUpdated: true, FirstRecord: true, Notified: true}) {
		t.Fatalf("first: %+v %v", out, err)
	}
	out, err = c.Process(context.Background(), e)
	if err != nil || out != (Outcome{}) {
		t.Fatalf("redelivery: %+v %v", out, err)
	}
	if len(tk.escalations["T1"]) != 1 || len(n.sent) != 1 || l.counted != 1 {
		t.Fatalf("ticket %v, notifications %d, counted %d", tk.escalations, len(n.sent), l.counted)
	}
}

func TestConsumerNotifiesOnRedeliveryAfterFailedPublish(t *testing.T) {
	l, tk, n := &memLedger{records: map[string]bool{}}, &memTickets{escalations: map[string][]string{}}, &memNotifier{down: true}
	c := &Consumer{Ledger: l, Tickets: tk, Notifier: n}
	e := sample()
	if _, err := c.Process(context.Background(), e); err == nil {
		t.Fatal("publish failure must fail the message")
	}
	n.down = false
	out, err := c.Process(context.Background(), e)
	if err != nil || out != (Outcome{Notified: true}) {
		t.Fatalf("retry: %+v %v", out, err)
	}
	if _, err := c.Process(context.Background(), e); err != nil || len(n.sent) != 1 || l.counted != 1 || len(tk.escalations["T1"]) != 1 {
		t.Fatalf("%v notifications=%d counted=%d", err, len(n.sent), l.counted)
	}
}

func TestConsumerWithoutTicket(t *testing.T) {
	l, tk, n := &memLedger{records: map[string]bool{}}, &memTickets{escalations: map[string][]string{}}, &memNotifier{}
	c := &Consumer{Ledger: l, Tickets: tk, Notifier: n}
	e := sample()
	e.Reason, e.SubjectType, e.SubjectID, e.TicketID = ReasonServiceRecovery, SubjectReturn, "R1", ""
	e.DedupKey = DedupKey(SubjectReturn, "R1", ReasonServiceRecovery)
	if out, err := c.Process(context.Background(), e); err != nil || out.TicketUpdated || !out.Notified {
		t.Fatalf("%+v %v", out, err)
	}
	if len(tk.escalations) != 0 {
		t.Fatalf("ticket touched: %v", tk.escalations)
	}
}

func TestConsumerRejectsInvalid(t *testing.T) {
	c := &Consumer{Ledger: &memLedger{records: map[string]bool{}}, Tickets: &memTickets{}, Notifier: &memNotifier{}}
	e := sample()
	e.Team = "nobody"
	if _, err := c.Process(context.Background(), e); !errors.Is(err, ErrMalformed) {
		t.Fatalf("%v", err)
	}
}
