package escalation

import (
	"errors"
	"strings"
	"testing"
)

// The values the message contract documents (README, escalation pipeline) are the ones accepted.
func TestDocumentedEnumValuesAreValid(t *testing.T) {
	for _, r := range []string{"priority_high", "priority_urgent", "service_recovery"} {
		if !Reason(r).Valid() {
			t.Errorf("reason %s is refused", r)
		}
	}
	for _, s := range []string{"ticket", "survey", "return", "order"} {
		if !SubjectType(s).Valid() {
			t.Errorf("subject type %s is refused", s)
		}
	}
	for _, p := range []string{"low", "normal", "high", "urgent"} {
		if !Priority(p).Valid() {
			t.Errorf("priority %s is refused", p)
		}
	}
	if Reason("priority_low").Valid() || SubjectType("customer").Valid() {
		t.Error("an undocumented value is accepted")
	}
}

// A ticket id on a non-ticket subject is still an id: it must be printable and bounded.
func TestTicketIDOnAnotherSubjectIsChecked(t *testing.T) {
	e := sample()
	e.Reason, e.SubjectType, e.SubjectID = ReasonServiceRecovery, SubjectSurvey, "ticket#T1"
	e.DedupKey = DedupKey(SubjectSurvey, e.SubjectID, ReasonServiceRecovery)
	e.TicketID = "T 1"
	if err := e.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "ticketId") {
		t.Fatalf("ticket id with a space: %v", err)
	}
	e.TicketID = "T1"
	if err := e.Validate(); err != nil {
		t.Fatalf("good ticket id: %v", err)
	}
}

// Keys of exactly MaxKeyLength bytes are accepted (one more is refused, see TestValidateRejects).
func TestKeyOfMaxLengthIsAccepted(t *testing.T) {
	e := sample()
	e.DedupKey = strings.Repeat("k", MaxKeyLength)
	if err := e.Validate(); err != nil {
		t.Fatalf("key of %d bytes: %v", MaxKeyLength, err)
	}
}

// The size bound holds for a body that is otherwise valid: padding a good message past MaxBodyBytes makes it
// malformed, padding it to exactly MaxBodyBytes does not.
func TestBodySizeBound(t *testing.T) {
	m, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	pad := func(n int) Message { return Message{Body: m.Body + strings.Repeat(" ", n-len(m.Body))} }
	if _, err := Decode(pad(MaxBodyBytes)); err != nil {
		t.Fatalf("%d bytes: %v", MaxBodyBytes, err)
	}
	if _, err := Decode(pad(MaxBodyBytes + 1)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("%d bytes: %v, want ErrMalformed", MaxBodyBytes+1, err)
	}
}
