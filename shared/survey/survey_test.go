package survey

import (
	"testing"
	"time"
)

func TestNeedsServiceRecovery(t *testing.T) {
	n := func(v int) *int { return &v }
	cases := []struct {
		csat    int
		nps     *int
		comment string
		want    bool
	}{
		{1, nil, "", true},
		{2, n(10), "", true},
		{3, nil, "buruk", false},
		{3, n(6), "Kemasan rusak.", true},
		{5, n(0), "x", true},
		{3, n(6), "  \n ", false}, // a blank comment is no comment
		{3, n(6), "", false},
		{4, n(7), "Lumayan.", false},
	}
	for _, c := range cases {
		s := Survey{CSAT: c.csat, NPS: c.nps, Comment: c.comment}
		if got := s.NeedsServiceRecovery(); got != c.want {
			t.Errorf("csat %d nps %v comment %q: %v", c.csat, c.nps, c.comment, got)
		}
	}
}

// The escalation is valid for the queue, names the ticket only for ticket surveys, and has one key per subject.
func TestRecoveryEscalation(t *testing.T) {
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	for _, s := range []Survey{
		{SubjectType: SubjectTicket, SubjectID: "TKT-ABCDEFGHIJKLMNOP", CustomerID: "budi", CSAT: 1, SubmittedAt: at},
		{SubjectType: SubjectReturn, SubjectID: "RTN-1", CustomerID: "siti", CSAT: 2, SubmittedAt: at},
	} {
		e := s.RecoveryEscalation()
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
		wantTicket := ""
		if s.SubjectType == SubjectTicket {
			wantTicket = s.SubjectID
		}
		if e.DedupKey != "survey:"+string(s.SubjectType)+":"+s.SubjectID+":service_recovery" || e.TicketID != wantTicket ||
			e.Team != "customer_care" || e.Reason != "service_recovery" || !e.CreatedAt.Equal(at) {
			t.Errorf("%+v", e)
		}
	}
}

func TestRateableStatuses(t *testing.T) {
	for st, want := range map[SubjectType]string{SubjectTicket: "resolved closed", SubjectReturn: "refunded rejected", SubjectOrder: "delivered"} {
		got := ""
		for i, s := range st.RateableStatuses() {
			if i > 0 {
				got += " "
			}
			got += s
		}
		if got != want {
			t.Errorf("%s: %s", st, got)
		}
	}
	if SubjectType("invoice").Valid() || len(SubjectType("invoice").RateableStatuses()) != 0 {
		t.Error("unknown subject type accepted")
	}
}
