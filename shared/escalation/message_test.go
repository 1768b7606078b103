package escalation

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func sample() Escalation {
	return Escalation{
		DedupKey: DedupKey(SubjectTicket, "T1", ReasonPriorityUrgent), Reason: ReasonPriorityUrgent, Team: TeamPayments,
		Priority: PriorityUrgent, SubjectType: SubjectTicket, SubjectID: "T1", TicketID: "T1", CustomerID: "c1",
		CreatedAt: time.Date(2026, 11, 2, 3, 4, 5, 600_000_000, time.UTC),
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	e := sample()
	m, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"dedupKey":"ticket:T1:priority_urgent","reason":"priority_urgent","team":"payments","priority":"urgent",` +
		`"subjectType":"ticket","subjectId":"T1","ticketId":"T1","customerId":"c1","createdAt":"2026-11-02T03:04:05.6Z"}`
	if m.Body != want {
		t.Fatalf("body\n got %s\nwant %s", m.Body, want)
	}
	if m.Attributes[AttrTeam] != "payments" || m.Attributes[AttrReason] != "priority_urgent" || m.Attributes[AttrDedupKey] != e.DedupKey {
		t.Fatalf("attributes %v", m.Attributes)
	}
	got, err := Decode(m)
	if err != nil {
		t.Fatal(err)
	}
	if got != e {
		t.Fatalf("round trip\n got %+v\nwant %+v", got, e)
	}
}

func TestServiceRecoveryWithoutTicket(t *testing.T) {
	e := sample()
	e.Reason, e.Team, e.Priority = ReasonServiceRecovery, TeamCustomerCare, PriorityHigh
	e.SubjectType, e.SubjectID, e.TicketID = SubjectSurvey, "order#O1", ""
	e.DedupKey = DedupKey(SubjectSurvey, "order#O1", ReasonServiceRecovery)
	m, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Body, "ticketId") {
		t.Fatalf("empty ticketId is sent: %s", m.Body)
	}
	if got, err := Decode(m); err != nil || got != e {
		t.Fatalf("%v %+v", err, got)
	}
}

func TestValidateRejects(t *testing.T) {
	cases := map[string]func(*Escalation){
		"no dedup key":       func(e *Escalation) { e.DedupKey = "" },
		"space in dedup key": func(e *Escalation) { e.DedupKey = "a b" },
		"control char":       func(e *Escalation) { e.CustomerID = "c\x001" },
		"long key":           func(e *Escalation) { e.DedupKey = strings.Repeat("k", MaxKeyLength+1) },
		"unknown team":       func(e *Escalation) { e.Team = "marketing" },
		"unknown reason":     func(e *Escalation) { e.Reason = "bored" },
		"unknown priority":   func(e *Escalation) { e.Priority = "meh" },
		"unknown subject":    func(e *Escalation) { e.SubjectType = "cart" },
		"ticket id mismatch": func(e *Escalation) { e.TicketID = "T2" },
		"ticket id missing":  func(e *Escalation) { e.TicketID = "" },
		"no customer":        func(e *Escalation) { e.CustomerID = "" },
		"no creation time":   func(e *Escalation) { e.CreatedAt = time.Time{} },
		"no subject id":      func(e *Escalation) { e.SubjectID, e.TicketID = "", "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			e := sample()
			mutate(&e)
			if err := e.Validate(); !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want ErrInvalid", err)
			}
			if _, err := Encode(e); !errors.Is(err, ErrInvalid) {
				t.Fatalf("Encode() = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	good, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]Message{
		"not json":           {Body: "hello"},
		"empty":              {Body: ""},
		"array":              {Body: "[]"},
		"trailing data":      {Body: good.Body + "{}"},
		"bad time":           {Body: strings.Replace(good.Body, "2026-11-02T03:04:05.6Z", "yesterday", 1)},
		"unknown team":       {Body: strings.Replace(good.Body, `"payments"`, `"sales"`, 1)},
		"missing customer":   {Body: strings.Replace(good.Body, `"customerId":"c1",`, "", 1)},
		"contradicting team": {Body: good.Body, Attributes: map[string]string{AttrTeam: "legal"}},
		"huge":               {Body: `{"dedupKey":"` + strings.Repeat("x", MaxBodyBytes) + `"}`},
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Decode(m); !errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode() = %v, want ErrMalformed", err)
			}
		})
	}
	// Attributes are optional: the body alone is enough.
	if _, err := Decode(Message{Body: good.Body}); err != nil {
		t.Fatalf("body without attributes: %v", err)
	}
}

func TestEnumsAreKnown(t *testing.T) {
	for _, team := range []string{"payments", "logistics", "technical", "quality", "legal", "customer_care"} {
		if !Team(team).Valid() {
			t.Errorf("team %s", team)
		}
	}
	if Team("").Valid() || Reason("").Valid() || Priority("").Valid() || SubjectType("").Valid() {
		t.Fatal("empty values must be invalid")
	}
}
