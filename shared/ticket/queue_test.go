package ticket

import (
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
)

func TestQueueLaneAndNextDue(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tk := Ticket{ID: "TKT-1", Status: StatusOpen, FirstResponseDueAt: at.Add(time.Hour), ResolutionDueAt: at.Add(72 * time.Hour)}
	for _, c := range []struct {
		status Status
		lane   Lane
	}{{"", LaneNone}, {StatusOpen, LaneActive}, {StatusInProgress, LaneActive}, {StatusResolved, LaneResolved}, {StatusClosed, LaneNone}} {
		tk.Status = c.status
		if got := tk.QueueLane(); got != c.lane {
			t.Errorf("%q: lane %q, want %q", c.status, got, c.lane)
		}
	}
	if !tk.NextDue().Equal(tk.FirstResponseDueAt) {
		t.Errorf("unanswered: next due %v, want the first-response due time", tk.NextDue())
	}
	tk.FirstRespondedAt = &at
	if !tk.NextDue().Equal(tk.ResolutionDueAt) {
		t.Errorf("answered: next due %v, want the resolution due time", tk.NextDue())
	}
}

func TestQueueDeltas(t *testing.T) {
	at := time.Now()
	open := Ticket{ID: "TKT-1", Status: StatusOpen, Team: escalation.TeamPayments, Priority: PriorityNormal}
	payNormal := QueueCell{escalation.TeamPayments, PriorityNormal}
	answered := open
	answered.Status, answered.FirstRespondedAt = StatusInProgress, &at
	resolved := answered
	resolved.Status = StatusResolved
	moved := open
	moved.Team, moved.Priority = escalation.TeamLegal, PriorityUrgent
	cases := []struct {
		name          string
		before, after Ticket
		want          map[QueueCell]map[string]int64
	}{
		{"create", Ticket{}, open, map[QueueCell]map[string]int64{payNormal: {CounterOpen: 1, CounterUnanswered: 1}}},
		{"answer", open, answered, map[QueueCell]map[string]int64{payNormal: {CounterUnanswered: -1}}},
		{"resolve", answered, resolved, map[QueueCell]map[string]int64{payNormal: {CounterOpen: -1}}},
		{"resolve unanswered", open, func() Ticket { r := open; r.Status = StatusResolved; return r }(),
			map[QueueCell]map[string]int64{payNormal: {CounterOpen: -1, CounterUnanswered: -1}}},
		{"move", open, moved, map[QueueCell]map[string]int64{
			payNormal:                              {CounterOpen: -1, CounterUnanswered: -1},
			{escalation.TeamLegal, PriorityUrgent}: {CounterOpen: 1, CounterUnanswered: 1}}},
		{"note", open, open, map[QueueCell]map[string]int64{}},
	}
	for _, c := range cases {
		if got := QueueDeltas(c.before, c.after); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"budi.santoso@example.co.id": "b***@example.co.id",
		"  Éva@x.id ":                "É***@x.id",
		"a@b":                        "a***@b",
		"@example.co.id":             "***",
		"budi@":                      "***",
		"no-at-sign":                 "***",
		"":                           "",
	} {
		if got := MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
	if got := customerName("  Budi Santoso "); got != "Budi Santoso" {
		t.Errorf("customerName trims: %q", got)
	}
	long := string(make([]rune, 150))
	if got := []rune(customerName("x" + long)); len(got) != maxCustomerName {
		t.Errorf("customerName keeps %d runes, want %d", len(got), maxCustomerName)
	}
	if got := customerName("bad\xff"); got != "" {
		t.Errorf("customerName of invalid UTF-8 = %q", got)
	}
}
