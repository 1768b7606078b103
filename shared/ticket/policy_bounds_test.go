package ticket

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// The SLA policy's limits are inclusive: 1..99 percent at risk, 1..60 business days of waiting.
func TestSLAPolicyLimits(t *testing.T) {
	for _, c := range []struct {
		p  SLAPolicy
		ok bool
	}{
		{SLAPolicy{AtRiskPercent: 1, AutoResolveDays: 1}, true},
		{SLAPolicy{AtRiskPercent: 99, AutoResolveDays: 60}, true},
		{SLAPolicy{AtRiskPercent: 0, AutoResolveDays: 5}, false},
		{SLAPolicy{AtRiskPercent: 100, AutoResolveDays: 5}, false},
		{SLAPolicy{AtRiskPercent: 75, AutoResolveDays: 0}, false},
		{SLAPolicy{AtRiskPercent: 75, AutoResolveDays: 61}, false},
	} {
		if err := c.p.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v, want ok=%v", c.p, err, c.ok)
		}
	}
}

// The statuses ops filter and count by are exactly the five of the lifecycle, in its order.
func TestStatusesAreTheLifecycle(t *testing.T) {
	want := []Status{"open", "in_progress", "waiting_on_customer", "resolved", "closed"}
	if !reflect.DeepEqual(Statuses, want) {
		t.Errorf("Statuses %v, want %v", Statuses, want)
	}
}

// Who filed a complaint is kept for the ops queues: the name cut to 100 letters, the email masked, and
// the language it was filed in.
func TestCreateKeepsWhoFiledIt(t *testing.T) {
	store := newFileStore()
	long := strings.Repeat("é", 101)
	d, err := fileService(store, nil).Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: CategoryTechnical,
		Subject: "Aplikasi", Description: "Tidak bisa masuk", CustomerName: " " + long + " ", CustomerEmail: "budi.santoso@example.co.id",
		Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	tk := d.Ticket
	if tk.CustomerName != strings.Repeat("é", 100) || tk.CustomerContact != MaskEmail("budi.santoso@example.co.id") ||
		tk.CustomerContact == "budi.santoso@example.co.id" || tk.Language != "en" {
		t.Errorf("filed by %q (%d letters), contact %q, language %q", tk.CustomerName, len([]rune(tk.CustomerName)), tk.CustomerContact, tk.Language)
	}
	if !reflect.DeepEqual(store.created[0].After, tk) {
		t.Error("the stored ticket differs from the one answered")
	}
}

type calendarDown struct{}

func (calendarDown) Current(context.Context) (calendar.Calendar, error) {
	return calendar.Calendar{}, errCalendarDown
}

var errCalendarDown = errors.New("calendar unavailable")

// Without the business calendar no due time can be set: filing fails with the store's error and stores nothing.
func TestCreateWithoutTheCalendarStoresNothing(t *testing.T) {
	store := newFileStore()
	svc := fileService(store, nil)
	svc.Calendars = calendarDown{}
	_, err := svc.Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: CategoryTechnical,
		Subject: "Aplikasi", Description: "Tidak bisa masuk"})
	if !errors.Is(err, errCalendarDown) || len(store.created) != 0 {
		t.Errorf("%v, %d stored", err, len(store.created))
	}
}

// The monitor's next look: an urgent ticket (wall clock) is at risk once 75% of its 30 minutes has
// passed; once answered, the resolution target is still watched.
func TestNextCheckWatchesEachRunningTarget(t *testing.T) {
	filed := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	sla, policy, cal := DefaultSLA(), DefaultSLAPolicy(), calendar.Default()
	fr, res := sla.Due(cal, PriorityUrgent, filed)
	tk := Ticket{Status: StatusOpen, Priority: PriorityUrgent, CreatedAt: filed, FirstResponseDueAt: fr, ResolutionDueAt: res}
	if next := sla.NextCheck(cal, policy, tk); next == nil || !next.Equal(filed.Add(22*time.Minute+30*time.Second)) {
		t.Errorf("unanswered urgent ticket: next check %v, want 22m30s after filing", next)
	}
	answered := filed.Add(10 * time.Minute)
	tk.FirstRespondedAt, tk.Status = &answered, StatusInProgress
	if next := sla.NextCheck(cal, policy, tk); next == nil || !next.Equal(filed.Add(3*time.Hour)) {
		t.Errorf("answered urgent ticket: next check %v, want the resolution's at-risk time 3h after filing", next)
	}
}
