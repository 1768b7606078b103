package workqueue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/ticket"
)

// oneTeamDown fails the due-time Query of one team.
type oneTeamDown struct {
	*fakeStore
	team escalation.Team
}

func (o oneTeamDown) DueBefore(ctx context.Context, team escalation.Team, until time.Time) ([]Due, error) {
	if team == o.team {
		return nil, errors.New("dynamodb: throttled")
	}
	return o.fakeStore.DueBefore(ctx, team, until)
}

// Counts are all or nothing: one team's due times that could not be read fail the answer, rather than show
// that team with nothing breached or due.
func TestCountsFailWhenOneTeamCannotBeRead(t *testing.T) {
	store := oneTeamDown{fakeStore: &fakeStore{}, team: escalation.Teams[len(escalation.Teams)-1]}
	if c, err := NewService(store, func() time.Time { return now }).Counts(context.Background()); err == nil {
		t.Fatalf("counts %+v despite a failed read", c)
	}
}

// The counts view shows each cell's tickets due within the hour, and sums them.
func TestCountsViewShowsWhatIsDueWithinTheHour(t *testing.T) {
	c := Counts{AsOf: now, Tickets: []TicketCount{
		{Team: escalation.TeamPayments, Priority: ticket.PriorityHigh, Open: 4, Unanswered: 2, Breached: 1, DueSoon: 2},
		{Team: escalation.TeamLegal, Priority: ticket.PriorityUrgent, Open: 1, DueSoon: 1},
	}}
	v := CountsViewOf(c, i18n.English)
	if len(v.Tickets) != 2 || v.Tickets[0].DueWithinHour != 2 || v.Tickets[1].DueWithinHour != 1 || v.TicketTotals.DueWithinHour != 3 {
		t.Fatalf("view %+v", v)
	}
}

// A refused filter names its field with the code the problem explains ("invalid").
func TestRefusedFilterSaysInvalid(t *testing.T) {
	_, _, err := svc(&fakeStore{}).Tickets(context.Background(), TicketFilter{Teams: []escalation.Team{"marketing"}}, 20, "")
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) != 1 || fe.Fields[0] != (failure.FieldError{Field: "team", Code: "invalid"}) {
		t.Fatalf("err %v", err)
	}
}
