package customerevent

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// The enumerations hold exactly the documented values (written out here, not read from the lists).
func TestTypesAndSubjectTypesAreTheDocumentedOnes(t *testing.T) {
	want := []Type{"ticket.replied", "ticket.waiting_on_customer", "ticket.resolved", "ticket.reopened", "return.approved",
		"return.rejected", "return.received", "return.refunded", "return.cancelled", "refund.issued", "order.delivered", "survey.invited"}
	if !reflect.DeepEqual(Types, want) {
		t.Errorf("Types = %v, want %v", Types, want)
	}
	for _, ty := range want {
		if !ty.Valid() {
			t.Errorf("%s is not valid", ty)
		}
	}
	if want := []SubjectType{"ticket", "return", "order"}; !reflect.DeepEqual(SubjectTypes, want) {
		t.Errorf("SubjectTypes = %v, want %v", SubjectTypes, want)
	}
	for _, s := range []SubjectType{"ticket", "return", "order"} {
		if !s.Valid() {
			t.Errorf("subject type %s is not valid", s)
		}
	}
	if Type("ticket_deleted").Valid() || SubjectType("invoice").Valid() {
		t.Error("unknown values are valid")
	}
}

// An event is written in Indonesian unless English is asked for, and one defect is enough to refuse it.
func TestNewAndValidate(t *testing.T) {
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	good := func() Event {
		return New(TicketReplied, at, "budi", SubjectTicket, "TKT-1", 1, "fr", Data{TicketID: "TKT-1"})
	}
	e := good()
	if e.Language != i18n.Indonesian || e.Validate() != nil {
		t.Fatalf("language %q, validate %v", e.Language, e.Validate())
	}
	for name, spoil := range map[string]func(*Event){
		"bad id":               func(e *Event) { e.ID = "x" },
		"unknown subject type": func(e *Event) { e.SubjectType = "invoice" },
		"no time":              func(e *Event) { e.At = time.Time{} },
	} {
		e := good()
		spoil(&e)
		if err := e.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
