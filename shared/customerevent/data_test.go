package customerevent

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/ticket"
)

// Each defect alone is enough to refuse an event: an event that cannot be keyed, addressed or read is
// never stored or published.
func TestValidateRefusesEachDefectAlone(t *testing.T) {
	good := func() Event {
		return New(TicketReplied, at, "budi", SubjectTicket, "TKT-1", 1, i18n.English, Data{TicketID: "TKT-1"})
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("good event: %v", err)
	}
	for name, spoil := range map[string]func(*Event){
		"no subject id":         func(e *Event) { e.SubjectID = "" },
		"subject id with space": func(e *Event) { e.SubjectID = "TKT 1" },
		"no customer id":        func(e *Event) { e.CustomerID = "" },
		"customer id too long":  func(e *Event) { e.CustomerID = strings.Repeat("c", MaxKeyLength+1) },
		"unknown language":      func(e *Event) { e.Language = "fr" },
		"no title":              func(e *Event) { e.Title = "" },
		"no text":               func(e *Event) { e.Text = "" },
		"unknown type":          func(e *Event) { e.Type = "ticket.deleted" },
		"sequence zero":         func(e *Event) { e.Sequence = 0 },
	} {
		e := good()
		spoil(&e)
		if err := e.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The time part of an id is decimal milliseconds: letters there are not an id.
func TestIDTimePartIsDecimal(t *testing.T) {
	id := NewID(at)
	rest := strings.TrimPrefix(id, "EVT-")
	for _, digit := range []string{"a", "A"} {
		bad := "EVT-" + rest[:12] + digit + rest[13:]
		if ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

// A ticket event carries the ticket's status after the change; the notice that a ticket waits on the
// customer carries the reply that says what to answer.
func TestTicketEventsCarryStatusAndTheQuestion(t *testing.T) {
	before := ticket.Ticket{ID: "TKT-7", CustomerID: "budi", Status: ticket.StatusInProgress, Version: 1, Language: "id"}
	after := before
	after.Version, after.Status = 2, ticket.StatusWaitingOnCustomer
	es := FromTicketChange(ticket.Change{Before: before, After: after, At: at, Events: []ticket.Event{
		{Type: ticket.EventAgentReply, Visibility: ticket.Public, Author: ticket.AuthorAgent, Body: "Mohon kirim foto paketnya.", At: at},
	}})
	if types(es) != "ticket.replied,ticket.waiting_on_customer" {
		t.Fatalf("asking the customer after the first change: %s", types(es))
	}
	for _, e := range es {
		if e.Data.Status != string(ticket.StatusWaitingOnCustomer) || e.Data.TicketID != "TKT-7" || e.Data.Message != "Mohon kirim foto paketnya." {
			t.Errorf("%s data %+v", e.Type, e.Data)
		}
	}
	// A ticket that is filed straight into waiting (version 0 before) has no change to announce.
	if got := FromTicketChange(ticket.Change{Before: ticket.Ticket{}, After: after, At: at}); len(got) != 0 {
		t.Errorf("a new ticket: %s", types(got))
	}
}

// Only ops reopening a ticket tells the customer; a customer reopening their own ticket needs no notice.
func TestReopenedNoticeOnlyWhenOpsReopen(t *testing.T) {
	before := ticket.Ticket{ID: "TKT-8", CustomerID: "budi", Status: ticket.StatusResolved, Version: 5}
	after := before
	after.Version, after.Status = 6, ticket.StatusOpen
	change := func(author string) []Event {
		return FromTicketChange(ticket.Change{Before: before, After: after, At: at, Events: []ticket.Event{
			{Type: ticket.EventReopened, Visibility: ticket.Public, Author: author, At: at},
		}})
	}
	if got := change(ticket.AuthorCustomer); len(got) != 0 {
		t.Errorf("the customer reopened: %s", types(got))
	}
	if got := change(ticket.AuthorAgent); types(got) != "ticket.reopened" || got[0].Data.Status != string(ticket.StatusOpen) {
		t.Errorf("ops reopened: %s %+v", types(got), got)
	}
}

// Return events name the return, its order and its new status; a rejection says why; only a refund
// issues a refund, although the refund's figures exist from receipt on.
func TestReturnEventsCarryOrderStatusAndReason(t *testing.T) {
	requested := returns.Return{ID: "RTN-2", OrderID: "TGP-9", CustomerID: "siti", Status: returns.StatusRequested, Version: 1}
	rejected := requested
	rejected.Status, rejected.Version, rejected.UpdatedAt = returns.StatusRejected, 2, at
	rejected.Rejection = &returns.Rejection{Reason: returns.RejectFinalSale}
	es := FromReturnTransition(requested, rejected)
	if types(es) != "return.rejected" {
		t.Fatalf("rejected: %s", types(es))
	}
	if d := es[0].Data; d.ReturnID != "RTN-2" || d.OrderID != "TGP-9" || d.Status != "rejected" || d.RejectionReason != "final_sale" {
		t.Errorf("rejected data %+v", d)
	}
	if !strings.Contains(es[0].Text, "TGP-9") {
		t.Errorf("rejected text %q names no order", es[0].Text)
	}

	approved := requested
	approved.Status, approved.Version = returns.StatusApproved, 2
	received := approved
	received.Status, received.Version = returns.StatusReceived, 3
	received.Final = &returns.Refund{Total: 100000, Currency: "IDR", Method: returns.MethodBankTransfer}
	es = FromReturnTransition(approved, received)
	if types(es) != "return.received" {
		t.Fatalf("received with the refund worked out: %s", types(es))
	}
	if d := es[0].Data; d.Status != "received" || d.Amount != nil || d.RejectionReason != "" {
		t.Errorf("received data %+v", d)
	}
}

// order.delivered names the order and its status, in its data and in its text.
func TestOrderDeliveredNamesTheOrder(t *testing.T) {
	o := order.Order{ID: "TGP-42", CustomerID: "andi", Status: order.StatusDelivered, UpdatedAt: at}
	es := FromOrderUpsert(nil, o, at)
	if len(es) != 1 {
		t.Fatalf("events %s", types(es))
	}
	if d := es[0].Data; d.OrderID != "TGP-42" || d.Status != "delivered" {
		t.Errorf("data %+v", d)
	}
	if !strings.Contains(es[0].Text, "TGP-42") {
		t.Errorf("text %q names no order", es[0].Text)
	}
}

// A survey invitation links to what it asks about, whatever kind of subject earned it.
func TestInvitationLinksItsSubject(t *testing.T) {
	amount := int64(5000)
	refunded := New(ReturnRefunded, at, "siti", SubjectReturn, "RTN-3", 41, i18n.English,
		Data{ReturnID: "RTN-3", OrderID: "TGP-3", Amount: &amount, Currency: "IDR"})
	inv := Invitation(refunded)
	if inv.Data.ReturnID != "RTN-3" || inv.Data.OrderID != "TGP-3" || inv.Text != "Rate how we handled return RTN-3." {
		t.Errorf("return invitation %+v", inv)
	}
	delivered := New(OrderDelivered, at, "andi", SubjectOrder, "TGP-4", 10, i18n.English, Data{OrderID: "TGP-4"})
	inv = Invitation(delivered)
	if inv.Data.OrderID != "TGP-4" || inv.Text != "Rate order TGP-4." || inv.Validate() != nil {
		t.Errorf("order invitation %+v", inv)
	}
}

// An event whose time JSON cannot write is not published as an empty body.
func TestEncodeRefusesAnUnwritableTime(t *testing.T) {
	e := New(TicketReplied, at, "budi", SubjectTicket, "TKT-1", 1, i18n.English, Data{TicketID: "TKT-1"})
	e.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if body, attrs, err := Encode(e); err == nil {
		t.Fatalf("Encode at year 10000: %q %v", body, attrs)
	}
}
