package customerevent

import (
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/ticket"
)

var at = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func types(es []Event) string {
	var s []string
	for _, e := range es {
		s = append(s, string(e.Type))
	}
	return strings.Join(s, ",")
}

func TestIDsSortByTimeAndValidate(t *testing.T) {
	a, b := NewID(at), NewID(at.Add(time.Millisecond))
	if !(a < b) || !ValidID(a) || !ValidID(b) || a == NewID(at) {
		t.Fatalf("ids %s %s", a, b)
	}
	if !(a <= IDBound(at)) || !(IDBound(at) < b) {
		t.Fatalf("bound %s between %s and %s", IDBound(at), a, b)
	}
	for _, bad := range []string{"", "EVT-", "EVT-1795338000000-abcdefghijklmnop", "EVT-179533800000X-ABCDEFGHIJKLMNOP",
		"EVT-1795338000000_ABCDEFGHIJKLMNOP", "XVT-1795338000000-ABCDEFGHIJKLMNOP", "EVT-1795338000000-ABCDEFGHIJKLMNOPQ"} {
		if ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

func TestInboxExpiryIsTheStartOfTheNinetyFirstDay(t *testing.T) {
	if got := InboxExpiry(at); !got.Equal(time.Date(2027, 2, 21, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("expiry %s", got)
	}
	since := InboxVisibleSince(at)
	if !since.Equal(time.Date(2026, 8, 24, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("since %s", since)
	}
	// Visible exactly while not expired.
	if !InboxExpiry(since).After(at) || InboxExpiry(since.Add(-time.Millisecond)).After(at) {
		t.Fatalf("visibility and expiry disagree at the boundary")
	}
}

func TestTicketChangeEvents(t *testing.T) {
	before := ticket.Ticket{ID: "TKT-1", CustomerID: "budi", Status: ticket.StatusOpen, Version: 3, Language: "en"}
	after := before
	after.Version, after.Status = 4, ticket.StatusResolved
	c := ticket.Change{Before: before, After: after, At: at, Events: []ticket.Event{
		{Type: ticket.EventAgentReply, Visibility: ticket.Public, Author: ticket.AuthorAgent, Body: "Done", At: at},
		{Type: ticket.EventInternalNote, Visibility: ticket.Internal, Author: ticket.AuthorAgent, At: at},
		{Type: ticket.EventAgentReply, Visibility: ticket.Internal, Author: ticket.AuthorAgent, At: at},
		{Type: ticket.EventResolved, Visibility: ticket.Public, Author: ticket.AuthorAgent, At: at},
		{Type: ticket.EventReopened, Visibility: ticket.Public, Author: ticket.AuthorCustomer, At: at},
		{Type: ticket.EventReopened, Visibility: ticket.Public, Author: ticket.AuthorAgent, At: at},
	}}
	es := FromTicketChange(c)
	if types(es) != "ticket.replied,ticket.resolved,ticket.reopened" {
		t.Fatalf("events %s", types(es))
	}
	for i, e := range es {
		if e.Sequence != 40+int64(i) || e.Language != i18n.English || e.CustomerID != "budi" || e.SubjectID != "TKT-1" || e.Validate() != nil {
			t.Errorf("event %d %+v", i, e)
		}
	}
	if es[0].Data.Message != "Done" || es[0].Title != "New reply to your complaint" || es[0].Text != "Our team replied to complaint TKT-1." {
		t.Errorf("reply %+v", es[0])
	}
	waiting := after
	waiting.Status = ticket.StatusWaitingOnCustomer
	if got := FromTicketChange(ticket.Change{Before: before, After: waiting, At: at}); types(got) != "ticket.waiting_on_customer" || got[0].Language != i18n.English {
		t.Fatalf("waiting: %s", types(got))
	}
	if got := FromTicketChange(ticket.Change{Before: waiting, After: waiting, At: at}); len(got) != 0 {
		t.Fatalf("still waiting: %s", types(got))
	}
}

func TestReturnTransitionEvents(t *testing.T) {
	prev := returns.Return{ID: "RTN-1", OrderID: "TGP-1", CustomerID: "siti", Status: returns.StatusReceived, Version: 3, PaymentMethod: "cod"}
	next := prev
	next.Status, next.Version, next.UpdatedAt = returns.StatusRefunded, 4, at
	next.Final = &returns.Refund{Total: 18900000, Currency: "IDR", Method: returns.MethodBankTransfer}
	es := FromReturnTransition(prev, next)
	if types(es) != "return.refunded,refund.issued" {
		t.Fatalf("refund events %s", types(es))
	}
	r := es[1]
	if *r.Data.Amount != 18900000 || r.Data.Currency != "IDR" || r.Data.Method != "bank_transfer" || r.Data.PaymentMethod != "cod" || r.Sequence != 41 {
		t.Fatalf("refund issued %+v", r)
	}
	if es[0].Text != "Pengembalian dana Rp189.000 untuk pengembalian RTN-1 sudah kami proses." || es[0].Data.PaymentMethod != "" || es[0].Sequence != 40 {
		t.Fatalf("refunded %+v", es[0])
	}
	for st, want := range map[returns.Status]Type{returns.StatusApproved: ReturnApproved, returns.StatusRejected: ReturnRejected,
		returns.StatusReceived: ReturnReceived, returns.StatusCancelled: ReturnCancelled} {
		n := prev
		n.Status, n.Version = st, 4
		p := prev
		p.Status = returns.StatusRequested
		if got := FromReturnTransition(p, n); len(got) != 1 || got[0].Type != want {
			t.Errorf("%s: %s", st, types(got))
		}
	}
	if got := FromReturnTransition(prev, prev); len(got) != 0 {
		t.Errorf("no change: %s", types(got))
	}
}

func TestOrderDeliveredOnlyWhenItMovesThere(t *testing.T) {
	shipped := order.Order{ID: "TGP-1", CustomerID: "andi", Status: order.StatusShipped, UpdatedAt: at}
	delivered := shipped
	delivered.Status = order.StatusDelivered
	if got := FromOrderUpsert(&shipped, delivered, at); types(got) != "order.delivered" || got[0].Sequence != at.UnixMilli()*10 {
		t.Fatalf("shipped -> delivered: %+v", got)
	}
	if got := FromOrderUpsert(nil, delivered, at); types(got) != "order.delivered" {
		t.Fatalf("new delivered order: %s", types(got))
	}
	if got := FromOrderUpsert(&delivered, delivered, at); len(got) != 0 {
		t.Fatalf("delivered again: %s", types(got))
	}
	if got := FromOrderUpsert(nil, shipped, at); len(got) != 0 {
		t.Fatalf("shipped: %s", types(got))
	}
}

func TestInvitationFollowsItsTriggerInSequence(t *testing.T) {
	trig := New(TicketResolved, at, "budi", SubjectTicket, "TKT-1", SequenceOf(7, 2), i18n.Indonesian, Data{TicketID: "TKT-1"})
	inv := Invitation(trig)
	if inv.Type != SurveyInvited || inv.Sequence != 79 || inv.Data.InvitedBy != TicketResolved || inv.Title != "Bagaimana layanan kami?" ||
		inv.Text != "Beri nilai penanganan keluhan TKT-1." || inv.ID == trig.ID || inv.Validate() != nil {
		t.Fatalf("invitation %+v", inv)
	}
	// Below the next version's first event.
	if inv.Sequence >= SequenceOf(8, 0) || inv.Sequence <= trig.Sequence {
		t.Fatalf("sequence %d not between %d and %d", inv.Sequence, trig.Sequence, SequenceOf(8, 0))
	}
	for _, typ := range Types {
		want := typ == TicketResolved || typ == ReturnRefunded || typ == ReturnRejected || typ == OrderDelivered
		if typ.InvitesSurvey() != want || typ.InInbox() == (typ == RefundIssued) || !typ.Valid() {
			t.Errorf("%s: invites %v inbox %v", typ, typ.InvitesSurvey(), typ.InInbox())
		}
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	amount := int64(5000000)
	e := New(RefundIssued, at, "siti", SubjectReturn, "RTN-1", 41, i18n.English, Data{ReturnID: "RTN-1", Amount: &amount, Currency: "IDR"})
	body, attrs, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	if attrs[AttrType] != "refund.issued" || attrs[AttrSubjectType] != "return" || attrs[AttrEventID] != e.ID {
		t.Fatalf("attributes %v", attrs)
	}
	got, err := Decode(body)
	if err != nil || got.ID != e.ID || *got.Data.Amount != amount || got.Text != "Refund of IDR 50,000 for return RTN-1." || !got.At.Equal(at) {
		t.Fatalf("decoded %+v %v from %s", got, err, body)
	}
	for _, bad := range []string{``, `{}`, body + `{}`, strings.Replace(body, `"sequence":41`, `"sequence":0`, 1),
		strings.Replace(body, `"type":"refund.issued"`, `"type":"refund.maybe"`, 1), strings.Replace(body, `{"eventId"`, `{"extra":1,"eventId"`, 1)} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("Decode(%.60q) accepted", bad)
		}
	}
}

func FuzzDecodeCustomerEvent(f *testing.F) {
	amount := int64(1)
	body, _, _ := Encode(New(ReturnRefunded, at, "c", SubjectReturn, "RTN-1", 1, i18n.Indonesian, Data{Amount: &amount, Currency: "IDR"}))
	f.Add(body)
	f.Add(`{"eventId":"EVT-1795338000000-ABCDEFGHIJKLMNOP"}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Decode(s)
		if err != nil {
			return
		}
		if e.Validate() != nil {
			t.Fatalf("Decode accepted an invalid event %+v", e)
		}
		again, _, err := Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(again); err != nil {
			t.Fatalf("re-encoded event does not decode: %v", err)
		}
	})
}

// A retimed id keeps its random part and sorts with the ids of its new time, under that time's bound.
func TestRetimed(t *testing.T) {
	created := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	later := created.Add(time.Minute)
	id := NewID(created)
	got := Retimed(id, later)
	if !ValidID(got) || got[len(got)-16:] != id[len(id)-16:] || !(NewID(later.Add(-time.Millisecond)) < got) || !(got <= IDBound(later)) {
		t.Errorf("Retimed(%s, +1m) = %s", id, got)
	}
	if got := Retimed("not-an-id", later); got != "not-an-id" {
		t.Errorf("a malformed id became %q", got)
	}
}
