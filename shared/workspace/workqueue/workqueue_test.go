package workqueue

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/ticket"
)

var now = time.Date(2026, 11, 20, 5, 0, 0, 0, time.UTC)

// fakeStore records the queries it is asked and answers from fixed data (pure rules only; the DynamoDB
// adapter is tested against DynamoDB Local).
type fakeStore struct {
	ticketQ  []TicketQuery
	returnQ  []ReturnQuery
	counters Counters
	dues     map[escalation.Team][]Due
	err      error
}

func (f *fakeStore) Tickets(_ context.Context, q TicketQuery) (TicketPage, error) {
	f.ticketQ = append(f.ticketQ, q)
	return TicketPage{}, f.err
}
func (f *fakeStore) Returns(_ context.Context, q ReturnQuery) (ReturnPage, error) {
	f.returnQ = append(f.returnQ, q)
	return ReturnPage{}, f.err
}
func (f *fakeStore) Counters(context.Context) (Counters, error) { return f.counters, f.err }
func (f *fakeStore) DueBefore(_ context.Context, team escalation.Team, until time.Time) ([]Due, error) {
	if !until.Equal(now.Add(DueSoonWindow)) {
		return nil, errors.New("window does not end an hour from now")
	}
	return f.dues[team], nil
}

func svc(f *fakeStore) *Service {
	return NewService(f, func() time.Time { return now.In(time.FixedZone("WIB", 7*3600)) })
}

func parts(teams []escalation.Team, lanes ...ticket.Lane) []Partition {
	var out []Partition
	for _, t := range teams {
		for _, l := range lanes {
			out = append(out, Partition{Team: t, Lane: l})
		}
	}
	return out
}

func TestTicketFilterBecomesPartitionsWindowAndFilters(t *testing.T) {
	soon := now.Add(30 * time.Minute)
	pay := []escalation.Team{escalation.TeamPayments}
	cases := []struct {
		name string
		f    TicketFilter
		want TicketQuery
	}{
		{"default: every team's active lane, open and in progress", TicketFilter{},
			TicketQuery{Partitions: parts(escalation.Teams, ticket.LaneActive), Statuses: DefaultStatuses}},
		{"one status of a lane is a filter", TicketFilter{Statuses: []ticket.Status{ticket.StatusOpen}, Teams: pay},
			TicketQuery{Partitions: parts(pay, ticket.LaneActive), Statuses: []ticket.Status{ticket.StatusOpen}}},
		{"resolved is its own lane", TicketFilter{Statuses: []ticket.Status{ticket.StatusResolved}, Teams: pay},
			TicketQuery{Partitions: parts(pay, ticket.LaneResolved), Statuses: []ticket.Status{ticket.StatusResolved}}},
		{"every status: both lanes, teams once", TicketFilter{Teams: []escalation.Team{escalation.TeamPayments, escalation.TeamPayments},
			Statuses: []ticket.Status{ticket.StatusResolved, ticket.StatusOpen, ticket.StatusInProgress}},
			TicketQuery{Partitions: parts(pay, ticket.LaneResolved, ticket.LaneActive),
				Statuses: []ticket.Status{ticket.StatusResolved, ticket.StatusOpen, ticket.StatusInProgress}}},
		{"breached ends at now", TicketFilter{Teams: pay, Breached: true},
			TicketQuery{Partitions: parts(pay, ticket.LaneActive), Statuses: DefaultStatuses, DueBefore: &now}},
		{"due within starts at now", TicketFilter{Teams: pay, DueWithin: 30 * time.Minute},
			TicketQuery{Partitions: parts(pay, ticket.LaneActive), Statuses: DefaultStatuses, DueFrom: &now, DueBefore: &soon}},
		{"breached or due within: no start", TicketFilter{Teams: pay, DueWithin: 30 * time.Minute, Breached: true},
			TicketQuery{Partitions: parts(pay, ticket.LaneActive), Statuses: DefaultStatuses, DueBefore: &soon}},
		{"narrowing filters pass through", TicketFilter{Teams: pay, Priorities: []ticket.Priority{ticket.PriorityHigh},
			Channels: []ticket.Channel{ticket.ChannelEmail}, Categories: []ticket.Category{ticket.CategoryFraud}, Unassigned: true, Unanswered: true},
			TicketQuery{Partitions: parts(pay, ticket.LaneActive), Statuses: DefaultStatuses, Priorities: []ticket.Priority{ticket.PriorityHigh},
				Channels: []ticket.Channel{ticket.ChannelEmail}, Categories: []ticket.Category{ticket.CategoryFraud}, Unassigned: true, Unanswered: true}},
		{"assignee", TicketFilter{Teams: pay, Assignee: "arn:aws:iam::1:user/dewi"},
			TicketQuery{Partitions: parts(pay, ticket.LaneActive), Statuses: DefaultStatuses, Assignee: "arn:aws:iam::1:user/dewi"}},
	}
	for _, c := range cases {
		f := &fakeStore{}
		if _, at, err := svc(f).Tickets(context.Background(), c.f, 7, "cur"); err != nil || !at.Equal(now) || at.Location() != time.UTC {
			t.Fatalf("%s: %v at %v", c.name, err, at)
		}
		c.want.Limit, c.want.Cursor = 7, "cur"
		if got := f.ticketQ[0]; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %+v\n want %+v", c.name, got, c.want)
		}
	}
}

func TestTicketFilterRefusals(t *testing.T) {
	for field, f := range map[string]TicketFilter{
		"status":     {Statuses: []ticket.Status{ticket.StatusClosed}},
		"team":       {Teams: []escalation.Team{"marketing"}},
		"priority":   {Priorities: []ticket.Priority{"critical"}},
		"channel":    {Channels: []ticket.Channel{"fax"}},
		"category":   {Categories: []ticket.Category{"x"}},
		"due_within": {DueWithin: MaxDueWithin + time.Minute},
		"assignee":   {Assignee: "arn:x", Unassigned: true},
	} {
		fs := &fakeStore{}
		_, _, err := svc(fs).Tickets(context.Background(), f, 20, "")
		var fe *failure.Error
		if !errors.As(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != field || len(fs.ticketQ) != 0 {
			t.Errorf("%s: %v (queries %d)", field, err, len(fs.ticketQ))
		}
	}
	if _, _, err := svc(&fakeStore{}).Tickets(context.Background(), TicketFilter{DueWithin: MaxDueWithin}, 20, ""); err != nil {
		t.Errorf("a week ahead is allowed: %v", err)
	}
	if _, _, err := svc(&fakeStore{}).Tickets(context.Background(), TicketFilter{DueWithin: -time.Minute}, 20, ""); err == nil {
		t.Error("a negative window is refused")
	}
}

func TestReturnFilter(t *testing.T) {
	f := &fakeStore{}
	s := svc(f)
	if _, _, err := s.Returns(context.Background(), ReturnFilter{}, 5, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Returns(context.Background(), ReturnFilter{Status: returns.StatusReceived,
		Resolutions: []returns.Resolution{returns.ResolutionExchange}, Reasons: []returnpolicy.Reason{returnpolicy.ReasonDefective}}, 9, "c"); err != nil {
		t.Fatal(err)
	}
	want := []ReturnQuery{{Status: returns.StatusRequested, Limit: 5},
		{Status: returns.StatusReceived, Resolutions: []returns.Resolution{returns.ResolutionExchange}, Reasons: []string{"defective"}, Limit: 9, Cursor: "c"}}
	if !reflect.DeepEqual(f.returnQ, want) {
		t.Errorf("queries %+v", f.returnQ)
	}
	for field, rf := range map[string]ReturnFilter{
		"status":     {Status: returns.StatusRefunded},
		"resolution": {Resolutions: []returns.Resolution{"cash"}},
		"reason":     {Reasons: []returnpolicy.Reason{"bored"}},
	} {
		_, _, err := s.Returns(context.Background(), rf, 5, "")
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Fields[0].Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestCountsSplitOverdueFromDueSoonPerCell(t *testing.T) {
	f := &fakeStore{
		counters: Counters{
			Tickets: map[ticket.QueueCell]map[string]int64{
				{Team: escalation.TeamPayments, Priority: ticket.PriorityHigh}: {ticket.CounterOpen: 4, ticket.CounterUnanswered: 2},
			},
			Returns: map[returns.Status]int64{returns.StatusApproved: 3},
		},
		dues: map[escalation.Team][]Due{
			escalation.TeamPayments: {
				{Priority: ticket.PriorityHigh, At: now.Add(-time.Millisecond)}, // overdue
				{Priority: ticket.PriorityHigh, At: now},                        // due now: not yet late
				{Priority: ticket.PriorityUrgent, At: now.Add(59 * time.Minute)},
			},
		},
	}
	c, err := svc(f).Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tickets) != len(escalation.Teams)*len(ticket.Priorities) || c.Tickets[0].Priority != ticket.PriorityUrgent ||
		c.Tickets[0].Team != escalation.TeamPayments || c.Tickets[3].Priority != ticket.PriorityLow || c.Tickets[4].Team != escalation.TeamLogistics {
		t.Fatalf("cells %+v", c.Tickets)
	}
	if got := c.Tickets[1]; got != (TicketCount{Team: escalation.TeamPayments, Priority: ticket.PriorityHigh, Open: 4, Unanswered: 2, Breached: 1, DueSoon: 1}) {
		t.Errorf("payments/high %+v", got)
	}
	if got := c.Tickets[0]; got.DueSoon != 1 || got.Breached != 0 || got.Open != 0 {
		t.Errorf("payments/urgent %+v", got)
	}
	if !reflect.DeepEqual(c.Returns, []ReturnCount{{returns.StatusRequested, 0}, {returns.StatusApproved, 3}, {returns.StatusReceived, 0}}) {
		t.Errorf("returns %+v", c.Returns)
	}
	v := CountsViewOf(c, "en")
	if v.TicketTotals != (TicketTotals{Open: 4, Unanswered: 2, Breached: 1, DueWithinHour: 2}) || v.Returns[1].Count != 3 ||
		v.Tickets[1].TeamLabel == "" || v.Tickets[1].PriorityLabel == "" || v.Returns[1].StatusLabel == "" {
		t.Errorf("view %+v", v)
	}
	f.err = errors.New("down")
	if _, err := svc(f).Counts(context.Background()); err == nil {
		t.Error("a store failure is not a count of zero")
	}
}

// The counts view shows every cell with its own team, priority and figures, in the caller's language, and
// the return queues by status, as of the time the counts were read.
func TestCountsViewShowsEachCellAsCounted(t *testing.T) {
	c := Counts{AsOf: now,
		Tickets: []TicketCount{
			{Team: escalation.TeamPayments, Priority: ticket.PriorityHigh, Open: 5, Unanswered: 3, Breached: 2, DueSoon: 1},
			{Team: escalation.TeamLogistics, Priority: ticket.PriorityLow, Open: 7, Unanswered: 1, Breached: 0, DueSoon: 4},
		},
		Returns: []ReturnCount{{Status: returns.StatusRequested, Open: 6}, {Status: returns.StatusReceived, Open: 2}},
	}
	v := CountsViewOf(c, i18n.English)
	want := CountsView{AsOf: now,
		Tickets: []TicketCountView{
			{Team: "payments", TeamLabel: i18n.Label(i18n.English, "team", "payments"), Priority: "high",
				PriorityLabel: i18n.Label(i18n.English, "ticket_priority", "high"), Open: 5, Unanswered: 3, Breached: 2, DueWithinHour: 1},
			{Team: "logistics", TeamLabel: i18n.Label(i18n.English, "team", "logistics"), Priority: "low",
				PriorityLabel: i18n.Label(i18n.English, "ticket_priority", "low"), Open: 7, Unanswered: 1, Breached: 0, DueWithinHour: 4},
		},
		TicketTotals: TicketTotals{Open: 12, Unanswered: 4, Breached: 2, DueWithinHour: 5},
		Returns: []ReturnCountView{
			{Status: "requested", StatusLabel: i18n.Label(i18n.English, "return_status", "requested"), Count: 6},
			{Status: "received", StatusLabel: i18n.Label(i18n.English, "return_status", "received"), Count: 2},
		},
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("view\n got  %+v\n want %+v", v, want)
	}
	if in := CountsViewOf(c, i18n.Indonesian); in.Tickets[0].TeamLabel == v.Tickets[0].TeamLabel && in.Returns[0].StatusLabel == v.Returns[0].StatusLabel {
		t.Errorf("labels are not in the caller's language: %+v", in)
	}
	if got := CountsViewOf(Counts{}, i18n.English); got.Tickets == nil || got.Returns == nil || len(got.Tickets)+len(got.Returns) != 0 {
		t.Errorf("no queues is two empty lists, not null: %+v", got)
	}
}

// The default view is the work still owed, open and in progress; every status still in a queue, waiting on
// the customer included, and every channel may be asked for.
func TestViewsAcceptEveryQueuedStatusAndChannel(t *testing.T) {
	f := &fakeStore{}
	if _, _, err := svc(f).Tickets(context.Background(), TicketFilter{}, 10, ""); err != nil {
		t.Fatal(err)
	}
	if got := f.ticketQ[0].Statuses; !reflect.DeepEqual(got, []ticket.Status{"open", "in_progress"}) {
		t.Errorf("default statuses %v, want open and in_progress", got)
	}
	for _, st := range []ticket.Status{"open", "in_progress", "waiting_on_customer", "resolved"} {
		if _, _, err := svc(&fakeStore{}).Tickets(context.Background(), TicketFilter{Statuses: []ticket.Status{st}}, 10, ""); err != nil {
			t.Errorf("status %s: %v", st, err)
		}
	}
	for _, ch := range []ticket.Channel{"web", "email", "chat", "social", "phone"} {
		if _, _, err := svc(&fakeStore{}).Tickets(context.Background(), TicketFilter{Channels: []ticket.Channel{ch}}, 10, ""); err != nil {
			t.Errorf("channel %s: %v", ch, err)
		}
	}
}

// However short a due-within window, it bounds the view at now + window (alone: from now on).
func TestTheShortestDueWindowStillBounds(t *testing.T) {
	until := now.Add(time.Nanosecond)
	pay := []escalation.Team{escalation.TeamPayments}
	for _, c := range []struct {
		f          TicketFilter
		from, upTo *time.Time
	}{
		{TicketFilter{Teams: pay, DueWithin: time.Nanosecond}, &now, &until},
		{TicketFilter{Teams: pay, DueWithin: time.Nanosecond, Breached: true}, nil, &until},
	} {
		f := &fakeStore{}
		if _, _, err := svc(f).Tickets(context.Background(), c.f, 10, ""); err != nil {
			t.Fatal(err)
		}
		q := f.ticketQ[0]
		if !reflect.DeepEqual(q.DueFrom, c.from) || !reflect.DeepEqual(q.DueBefore, c.upTo) {
			t.Errorf("%+v: window %v .. %v, want %v .. %v", c.f, q.DueFrom, q.DueBefore, c.from, c.upTo)
		}
	}
}

// A view the store cannot read is a failure, not an empty queue; counts say when they were read.
func TestViewsFailWithTheStoreAndCountsAreDated(t *testing.T) {
	f := &fakeStore{err: errors.New("dynamodb: throttled")}
	if _, _, err := svc(f).Tickets(context.Background(), TicketFilter{}, 10, ""); err == nil {
		t.Error("tickets: a store failure is not an empty page")
	}
	if _, _, err := svc(f).Returns(context.Background(), ReturnFilter{}, 10, ""); err == nil {
		t.Error("returns: a store failure is not an empty page")
	}
	c, err := svc(&fakeStore{}).Counts(context.Background())
	if err != nil || !c.AsOf.Equal(now) || c.AsOf.Location() != time.UTC {
		t.Errorf("counts as of %v (%v), want %v in UTC", c.AsOf, err, now)
	}
}
