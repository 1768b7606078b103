package ticket

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/i18n"
)

var wibZone = time.FixedZone("WIB", 7*3600)

func wib(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, wibZone).UTC()
}

// clockedService runs on the default calendar (Mon-Fri 08:00-17:00 WIB) with a clock the test moves.
func clockedService(store *fileStore, now *time.Time) *Service {
	return NewService(store, nil, DefaultRules(), DefaultSLA(), func() time.Time { return *now })
}

func fileNormalAt(t *testing.T, svc *Service) string {
	t.Helper()
	d, err := svc.Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: CategoryTechnical,
		Subject: "Aplikasi", Description: "Pertanyaan tentang aplikasi."})
	if err != nil || d.Ticket.Priority != PriorityNormal {
		t.Fatalf("filing: %v %s", err, d.Ticket.Priority)
	}
	return d.Ticket.ID
}

func lastUpdate(t *testing.T, s *fileStore) Change {
	t.Helper()
	if len(s.updated) == 0 {
		t.Fatal("nothing written")
	}
	return s.updated[len(s.updated)-1]
}

func types(events []Event) []EventType {
	out := []EventType{}
	for _, e := range events {
		out = append(out, e.Type)
	}
	return out
}

// The worked example of waiting on the customer, on the default calendar: the resolution clock stops
// while the ticket waits and the due time moves by the business time paused; a second request resolves
// by itself after 5 business days; the customer's message reopens it.
func TestWaitingOnCustomerPausesAndResumes(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 23, 9, 0) // Monday
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	tk := store.tickets[id]
	// 72 business hours from Monday 09:00: Monday's 8 h, then 7 days of 9 h, then 1 h: Thursday 3 Dec 09:00.
	if want := wib(2026, 12, 3, 9, 0); !tk.ResolutionDueAt.Equal(want) || !tk.FirstResponseDueAt.Equal(wib(2026, 11, 23, 17, 0)) {
		t.Fatalf("due %s / %s", tk.FirstResponseDueAt, tk.ResolutionDueAt)
	}

	now = wib(2026, 11, 23, 10, 0)
	d, err := svc.RequestInfo(ctx, "dewi", id, "Boleh kirim tangkapan layarnya?")
	if err != nil {
		t.Fatal(err)
	}
	ch := lastUpdate(t, store)
	if got := types(ch.Events); !reflect.DeepEqual(got, []EventType{EventAgentReply, EventSLAPaused}) {
		t.Fatalf("entries %v", got)
	}
	if e := ch.Events[1]; e.Visibility != Public || e.FromStatus != StatusOpen || e.ToStatus != StatusWaitingOnCustomer || e.Author != AuthorSystem {
		t.Fatalf("pause entry %+v", e)
	}
	a := d.Ticket
	if a.Status != StatusWaitingOnCustomer || !a.WaitingSince.Equal(now) || !a.AutoResolveAt.Equal(wib(2026, 11, 30, 10, 0)) ||
		a.FirstRespondedAt == nil || ch.Counters[metrics.SLACounter("first_response", "achieved", "normal")] != 1 ||
		ch.Counters[metrics.FirstResponseBusinessSecs] != 3600 || ch.Counters[metrics.FirstResponseBusinessBucket+"3"] != 1 {
		t.Fatalf("after the request: %+v counters %v", a, ch.Counters)
	}
	// Only the auto-resolution is left to watch: the first response is done and the resolution clock stopped.
	if a.NextSLACheckAt == nil || !a.NextSLACheckAt.Equal(*a.AutoResolveAt) {
		t.Fatalf("next check %v", a.NextSLACheckAt)
	}
	if _, res := Breaches(a, wib(2026, 12, 10, 9, 0)); res {
		t.Fatal("a paused clock is not breached however long the customer takes")
	}

	now = wib(2026, 11, 24, 15, 0) // Tuesday: 7 h on Monday + 7 h on Tuesday paused
	d, err = svc.PostMessage(ctx, "budi", id, "Ini tangkapan layarnya.")
	if err != nil {
		t.Fatal(err)
	}
	ch = lastUpdate(t, store)
	if got := types(ch.Events); !reflect.DeepEqual(got, []EventType{EventCustomerMessage, EventSLAResumed}) {
		t.Fatalf("entries %v", got)
	}
	a = d.Ticket
	// Thursday 09:00 + 14 business hours = Friday 4 Dec 14:00.
	if a.Status != StatusInProgress || a.WaitingSince != nil || a.AutoResolveAt != nil || !a.ResolutionDueAt.Equal(wib(2026, 12, 4, 14, 0)) {
		t.Fatalf("after the answer: status %s due %s waiting %v", a.Status, a.ResolutionDueAt, a.WaitingSince)
	}

	now = wib(2026, 11, 25, 9, 0)
	if _, err := svc.RequestInfo(ctx, "dewi", id, "Satu lagi: versi aplikasinya?"); err != nil {
		t.Fatal(err)
	}
	a = store.tickets[id]
	if !a.AutoResolveAt.Equal(wib(2026, 12, 2, 9, 0)) {
		t.Fatalf("auto-resolve at %s", a.AutoResolveAt)
	}
	now = wib(2026, 12, 2, 8, 59)
	if got, err := svc.CheckSLA(ctx, id); err != nil || got.AutoResolved || len(got.Marks) != 0 {
		t.Fatalf("before the wait ends: %+v %v", got, err)
	}
	now = wib(2026, 12, 2, 9, 0)
	got, err := svc.CheckSLA(ctx, id)
	if err != nil || !got.AutoResolved {
		t.Fatalf("auto-resolve: %+v %v", got, err)
	}
	ch = lastUpdate(t, store)
	a = ch.After
	if a.Status != StatusResolved || a.WaitingSince != nil || a.NextSLACheckAt != nil || !a.ResolvedAt.Equal(now) ||
		!reflect.DeepEqual(types(ch.Events), []EventType{EventAutoResolved}) || ch.Events[0].Visibility != Public ||
		ch.Counters[metrics.SLACounter("resolution", "achieved", "normal")] != 1 || ch.Counters[metrics.Resolutions] != 1 {
		t.Fatalf("auto-resolved: %+v %+v %v", a, ch.Events, ch.Counters)
	}

	now = wib(2026, 12, 3, 10, 0)
	if d, err = svc.PostMessage(ctx, "budi", id, "Masalahnya belum selesai."); err != nil || d.Ticket.Status != StatusOpen {
		t.Fatalf("the customer reopens: %v %s", err, d.Ticket.Status)
	}
}

// An agent's plain reply takes a waiting ticket back; resolving a waiting ticket judges it with the
// clock stopped; transitions from closed stay refused.
func TestWaitingTransitions(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 23, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	if _, err := svc.RequestInfo(ctx, "dewi", id, "Nomor pesanan?"); err != nil {
		t.Fatal(err)
	}
	now = wib(2026, 11, 23, 9, 30)
	if _, err := svc.Assign(ctx, "dewi", id, "arn:aws:iam::000000000000:user/dewi", ""); err != nil || store.tickets[id].Status != StatusWaitingOnCustomer {
		t.Fatalf("assigning keeps it waiting: %v %s", err, store.tickets[id].Status)
	}
	now = wib(2026, 11, 24, 9, 0)
	d, err := svc.Respond(ctx, "dewi", id, "Kami cek sendiri.")
	if err != nil || d.Ticket.Status != StatusInProgress || d.Ticket.WaitingSince != nil {
		t.Fatalf("reply: %v %+v", err, d.Ticket)
	}
	if got := types(lastUpdate(t, store).Events); !reflect.DeepEqual(got, []EventType{EventAgentReply, EventSLAResumed}) {
		t.Fatalf("entries %v", got)
	}
	// Paused Monday 09:00 to Tuesday 09:00 (8 h + 1 h): the due moved from Thursday 3 Dec 09:00 to Friday 09:00.
	if !d.Ticket.ResolutionDueAt.Equal(wib(2026, 12, 4, 9, 0)) {
		t.Fatalf("due %s", d.Ticket.ResolutionDueAt)
	}
	if _, err := svc.RequestInfo(ctx, "dewi", id, "Nomor pesanan?"); err != nil {
		t.Fatal(err)
	}
	now = wib(2026, 12, 8, 9, 0) // long after the first due, but the clock stood still since Tuesday 09:00
	if _, err := svc.Resolve(ctx, "dewi", id, ""); err != nil {
		t.Fatal(err)
	}
	ch := lastUpdate(t, store)
	if ch.Counters[metrics.SLACounter("resolution", "achieved", "normal")] != 1 || ch.After.WaitingSince != nil {
		t.Fatalf("resolved while waiting: %v", ch.Counters)
	}
	if _, err := svc.Close(ctx, "dewi", id); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RequestInfo(ctx, "dewi", id, "?"); err == nil {
		t.Fatal("a closed ticket cannot wait on the customer")
	}
}

// The monitor marks at risk once (2 of 8 business hours left), breached once at the due time with an
// sla_breach escalation to the ticket's team, and a later answer counts nothing more.
func TestCheckSLAMarksOnce(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 23, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	if at := store.tickets[id].NextSLACheckAt; at == nil || !at.Equal(wib(2026, 11, 23, 15, 0)) {
		t.Fatalf("first check at %v, want 15:00 (75%% of 8 h)", at)
	}
	check := func(at time.Time) Checked {
		t.Helper()
		now = at
		got, err := svc.CheckSLA(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	writes := len(store.updated)
	if got := check(wib(2026, 11, 23, 14, 59)); len(got.Marks) != 0 || len(store.updated) != writes {
		t.Fatalf("too early: %+v, %d writes", got, len(store.updated)-writes)
	}
	got := check(wib(2026, 11, 23, 15, 0))
	if !reflect.DeepEqual(got.Marks, []string{"first_response:at_risk"}) || len(got.Escalated) != 0 {
		t.Fatalf("at risk: %+v", got)
	}
	ch := lastUpdate(t, store)
	if ch.Escalation != nil || !reflect.DeepEqual(ch.AddMarks, []string{"first_response:at_risk"}) ||
		ch.Events[0].Type != EventSLAAtRisk || ch.Events[0].Visibility != Internal || ch.Events[0].Target != "first_response" ||
		!ch.After.NextSLACheckAt.Equal(wib(2026, 11, 23, 17, 0)) {
		t.Fatalf("at-risk change: %+v", ch)
	}
	writes = len(store.updated)
	if got := check(wib(2026, 11, 23, 16, 0)); len(got.Marks) != 0 || len(store.updated) != writes {
		t.Fatalf("repeat: %+v", got)
	}
	got = check(wib(2026, 11, 23, 17, 0))
	if !reflect.DeepEqual(got.Marks, []string{"first_response:breached"}) || !reflect.DeepEqual(got.Escalated, []string{"first_response"}) {
		t.Fatalf("breach: %+v", got)
	}
	ch = lastUpdate(t, store)
	e := ch.Escalation
	if e == nil || e.Reason != escalation.ReasonSLABreach || e.Team != escalation.TeamTechnical ||
		e.DedupKey != escalation.DedupKey(escalation.SubjectTicket, id, escalation.ReasonSLABreach, "first_response") ||
		ch.After.EscalationStatus != EscalationPending || ch.Counters[metrics.SLACounter("first_response", "breached", "normal")] != 1 {
		t.Fatalf("breach change: %+v %v", e, ch.Counters)
	}
	// Next: the resolution's at-risk point, 18 business hours before Thursday 3 Dec 09:00 (1 h Thursday,
	// 9 h Wednesday, 8 h Tuesday): Tuesday 1 Dec 09:00.
	if at := ch.After.NextSLACheckAt; at == nil || !at.Equal(wib(2026, 12, 1, 9, 0)) {
		t.Fatalf("next check %v", at)
	}
	now = wib(2026, 11, 23, 17, 30)
	if _, err := svc.Respond(ctx, "dewi", id, "Maaf terlambat."); err != nil {
		t.Fatal(err)
	}
	ch = lastUpdate(t, store)
	if len(ch.AddMarks) != 0 || ch.Counters[metrics.SLACounter("first_response", "breached", "normal")] != 0 ||
		ch.Counters[metrics.SLACounter("first_response", "achieved", "normal")] != 0 {
		t.Fatalf("the late answer counted again: %v %v", ch.AddMarks, ch.Counters)
	}
}

// Two breaches found at once escalate in two changes (one outbox item each), and a late answer the
// monitor never saw is marked and counted breached by the answer itself.
func TestCheckSLATwoBreachesAndLateAnswer(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 23, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	late := fileNormalAt(t, svc)
	now = wib(2026, 12, 10, 9, 0)
	got, err := svc.CheckSLA(ctx, id)
	if err != nil || !reflect.DeepEqual(got.Marks, []string{"first_response:breached", "resolution:breached"}) ||
		!reflect.DeepEqual(got.Escalated, []string{"first_response", "resolution"}) {
		t.Fatalf("both: %+v %v", got, err)
	}
	if a := store.tickets[id]; a.NextSLACheckAt != nil || len(a.SLAMarks) != 2 {
		t.Fatalf("nothing left to watch: %+v", a)
	}
	if _, err := svc.Respond(ctx, "dewi", late, "Maaf."); err != nil {
		t.Fatal(err)
	}
	ch := lastUpdate(t, store)
	if !reflect.DeepEqual(ch.AddMarks, []string{"first_response:breached"}) || ch.Counters[metrics.SLACounter("first_response", "breached", "normal")] != 1 ||
		!reflect.DeepEqual(types(ch.Events), []EventType{EventSLABreached, EventAgentReply}) {
		t.Fatalf("late answer: %v %v %v", ch.AddMarks, ch.Counters, types(ch.Events))
	}
}

// Every status and SLA target reads in both languages, and the views show the pause.
func TestWaitingInBothLanguages(t *testing.T) {
	for _, st := range Statuses {
		for _, lang := range []i18n.Lang{i18n.Indonesian, i18n.English} {
			if got := (labels{lang}).status(st); strings.Contains(got, "\u201c") {
				t.Errorf("%s has no %s label", st, lang)
			}
		}
	}
	paused := wib(2026, 11, 23, 10, 0)
	auto := wib(2026, 11, 30, 10, 0)
	d := Detail{Ticket: Ticket{ID: "TKT-1", Status: StatusWaitingOnCustomer, WaitingSince: &paused, AutoResolveAt: &auto,
		ResolutionDueAt: paused.Add(time.Hour)}, Timeline: []Event{
		{Type: EventSLAPaused, Visibility: Public, Author: AuthorSystem, Target: TargetResolution, ToStatus: StatusWaitingOnCustomer, At: paused},
		{Type: EventSLAAtRisk, Visibility: Internal, Author: AuthorSystem, Target: TargetFirstResponse, At: paused}}}
	v := CustomerViewOf(d, paused.Add(48*time.Hour), i18n.English)
	if v.StatusLabel != "Waiting for your reply" || !v.SLA.ResolutionPaused || v.SLA.ResolutionBreached || !v.SLA.AutoResolveAt.Equal(auto) ||
		len(v.Timeline) != 1 || v.Timeline[0].TargetLabel != "Resolution" || v.Timeline[0].StatusLabel != "Waiting for your reply" {
		t.Fatalf("customer view %+v", v)
	}
	if id := CustomerViewOf(d, paused, i18n.Indonesian); id.StatusLabel != "Menunggu balasan Anda" || id.Timeline[0].TargetLabel != "Penyelesaian" {
		t.Fatalf("Indonesian view %+v", id)
	}
	o := OpsViewOf(d, paused, i18n.English)
	if len(o.Timeline) != 2 || o.Timeline[1].Type != EventSLAAtRisk || o.Timeline[1].TargetLabel != "First response" || o.SLAMarks == nil {
		t.Fatalf("ops view %+v", o)
	}
}

// The monitor's breach mark moves the queue's breached counter of the ticket's cell (in the same change),
// and answering the breached first response takes it back out.
func TestBreachMovesTheQueueCounter(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 23, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = wib(2026, 11, 23, 17, 0)
	if _, err := svc.CheckSLA(ctx, id); err != nil {
		t.Fatal(err)
	}
	ch := lastUpdate(t, store)
	cell := QueueCell{Team: escalation.TeamTechnical, Priority: PriorityNormal}
	if d := QueueDeltas(ch.Before, ch.After); d[cell][CounterBreached] != 1 || d[cell][CounterOpen] != 0 {
		t.Fatalf("breach deltas %v", d)
	}
	now = wib(2026, 11, 23, 17, 5)
	if _, err := svc.Respond(ctx, "dewi", id, "Maaf."); err != nil {
		t.Fatal(err)
	}
	ch = lastUpdate(t, store)
	if d := QueueDeltas(ch.Before, ch.After); d[cell][CounterBreached] != -1 || d[cell][CounterUnanswered] != -1 {
		t.Fatalf("answer deltas %v", d)
	}
}
