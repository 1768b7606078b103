package complaintapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

var wib = time.FixedZone("WIB", 7*3600)

// newCalendarFixture reads the calendar ops put through the table on every change (no cache).
func newCalendarFixture(t *testing.T) *fixture {
	return newFixtureOn(t, func(env *testenv.DynamoEnv, clk *clock) ticket.CalendarSource {
		return calendar.NewCached(dynamostore.NewCalendars(env.Client, env.SupportTable, clk.Now, nil), 0, clk.Now)
	})
}

func (f *fixture) putCalendar(body any, want int) apitest.Response {
	f.t.Helper()
	return apitest.Expect(f.t, f.h, apitest.Request{Method: "PUT", Path: "/ops/calendar", Body: body, As: apitest.AsOperator("dewi"),
		Headers: map[string]string{"Idempotency-Key": fmt.Sprintf("cal-%d", time.Now().UnixNano())}}, want)
}

// The example through the API: a normal ticket filed Friday 16:55 WIB with Mon-Fri 08:00-17:00
// hours is due for its first response Monday 15:55, in the customer's and the ops view; with Monday a
// holiday (set by ops), Tuesday 15:55. Urgent targets stay on the wall clock.
func TestDueTimesFollowTheCalendar(t *testing.T) {
	f := newCalendarFixture(t)
	f.clock.t = time.Date(2026, 12, 4, 16, 55, 0, 0, wib) // Friday
	var got struct {
		IsDefault bool   `json:"isDefault"`
		TimeZone  string `json:"timeZone"`
	}
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/calendar", As: apitest.AsOperator("dewi")}, 200).JSON(&got)
	if !got.IsDefault || got.TimeZone != "Asia/Jakarta" {
		t.Fatalf("default calendar: %+v", got)
	}
	v := f.fileOK("budi", complaint("Paket", "Belum sampai"))
	if v.Priority != ticket.PriorityNormal || !v.SLA.FirstResponseDueAt.Equal(time.Date(2026, 12, 7, 15, 55, 0, 0, wib)) {
		t.Fatalf("customer view due %s", v.SLA.FirstResponseDueAt.In(wib))
	}
	if o := f.ops("", v.TicketID, nil, 200); !o.SLA.FirstResponseDueAt.Equal(v.SLA.FirstResponseDueAt) || !o.SLA.ResolutionDueAt.Equal(v.SLA.ResolutionDueAt) {
		t.Fatalf("ops view %+v", o.SLA)
	}

	week := []string{"08:00-17:00"}
	f.putCalendar(map[string]any{"timeZone": "Asia/Jakarta",
		"weeklyHours": map[string]any{"monday": week, "tuesday": week, "wednesday": week, "thursday": week, "friday": week},
		"holidays":    []any{map[string]any{"date": "2026-12-07", "name": "Cuti bersama"}}}, 200)
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/calendar", As: apitest.AsOperator("dewi")}, 200).JSON(&got)
	if got.IsDefault {
		t.Fatal("the saved calendar is not in force")
	}
	v = f.fileOK("siti", complaint("Paket", "Belum sampai"))
	if !v.SLA.FirstResponseDueAt.Equal(time.Date(2026, 12, 8, 15, 55, 0, 0, wib)) {
		t.Fatalf("holiday not skipped: due %s", v.SLA.FirstResponseDueAt.In(wib))
	}
	u := f.fileOK("andi", complaint("Kompor meledak", "Kompor meledak dan tangan saya terluka.", "category", "product_quality"))
	if u.Priority != ticket.PriorityUrgent || !u.SLA.FirstResponseDueAt.Equal(f.clock.Now().Add(30*time.Minute)) {
		t.Fatalf("urgent counts the wall clock: %s %s", u.Priority, u.SLA.FirstResponseDueAt)
	}

	p := f.putCalendar(map[string]any{"timeZone": "Mars/Base", "weeklyHours": map[string]any{"monday": []string{"08:00-12:00", "11:00-13:00"}, "friday": []string{"8-17"}},
		"holidays": []any{map[string]any{"date": "2026-02-30"}}}, 400).Problem()
	want := map[string]bool{"timeZone": true, "weeklyHours.monday": true, "weeklyHours.friday[0]": true, "holidays[0].date": true}
	for _, e := range p.Errors {
		delete(want, e.Field)
	}
	if len(want) != 0 {
		t.Fatalf("fields not reported: %v in %+v", want, p.Errors)
	}
}

// An agent's request for information puts the ticket in waiting_on_customer, labelled in both
// languages; the timeline shows the pause and the resume; the customer's answer moves the due time by
// the paused business time.
func TestWaitingOnCustomerThroughTheAPI(t *testing.T) {
	f := newCalendarFixture(t)
	f.clock.t = time.Date(2026, 12, 7, 9, 0, 0, 0, wib) // Monday
	v := f.fileOK("budi", complaint("Paket", "Belum sampai"))
	due := v.SLA.ResolutionDueAt
	f.clock.Advance(time.Hour)
	o := f.ops("responses", v.TicketID, map[string]any{"message": "Boleh minta nomor resinya?", "waitForCustomer": true}, 200)
	if o.Status != ticket.StatusWaitingOnCustomer || !o.SLA.ResolutionPaused || o.SLA.AutoResolveAt == nil ||
		!o.SLA.AutoResolveAt.Equal(time.Date(2026, 12, 14, 10, 0, 0, 0, wib)) {
		t.Fatalf("waiting: %+v", o)
	}
	for lang, label := range map[string]string{"id": "Menunggu balasan Anda", "en": "Waiting for your reply"} {
		var c ticket.CustomerView
		apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/complaints/" + v.TicketID, As: apitest.AsCustomer("budi"),
			Headers: map[string]string{"Accept-Language": lang}}, 200).JSON(&c)
		if c.Status != ticket.StatusWaitingOnCustomer || c.StatusLabel != label || c.Timeline[len(c.Timeline)-1].Type != ticket.EventSLAPaused {
			t.Fatalf("%s: %s %q %+v", lang, c.Status, c.StatusLabel, c.Timeline)
		}
	}
	if f.counter(metrics.SLACounter("first_response", "achieved", "normal")) != 1 || f.counter(metrics.FirstResponseBusinessSecs) != 3600 {
		t.Fatal("first response SLA counters")
	}
	f.clock.t = time.Date(2026, 12, 8, 10, 0, 0, 0, wib) // Tuesday: 7 h Monday + 2 h Tuesday paused
	var c ticket.CustomerView
	apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/complaints/" + v.TicketID + "/messages", As: apitest.AsCustomer("budi"),
		Body: map[string]any{"message": "Resinya JNE123"}}, 201).JSON(&c)
	if c.Status != ticket.StatusInProgress || c.SLA.ResolutionPaused || c.Timeline[len(c.Timeline)-1].Type != ticket.EventSLAResumed {
		t.Fatalf("resumed: %+v", c)
	}
	if want := calendar.Default().Add(due, 9*time.Hour); !c.SLA.ResolutionDueAt.Equal(want) {
		t.Fatalf("due moved to %s, want %s", c.SLA.ResolutionDueAt.In(wib), want.In(wib))
	}
	stored := f.item("TICKET#"+v.TicketID, "SLA_CHECK")
	if attr(stored, "GSI2PK") == "" || attr(stored, "entity") != "sla_check" {
		t.Fatalf("SLA check item: %v", stored)
	}
}
