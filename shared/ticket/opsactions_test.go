package ticket

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
)

// wantChange checks the last change written: exactly these timeline entries and counters.
func wantChange(t *testing.T, step string, store *fileStore, events []Event, counters map[string]int64) Change {
	t.Helper()
	ch := lastUpdate(t, store)
	if !reflect.DeepEqual(ch.Events, events) {
		t.Errorf("%s: entries\n got %+v\nwant %+v", step, ch.Events, events)
	}
	if len(ch.Counters) != 0 || len(counters) != 0 {
		if !reflect.DeepEqual(ch.Counters, counters) {
			t.Errorf("%s: counters\n got %v\nwant %v", step, ch.Counters, counters)
		}
	}
	return ch
}

// The ops actions on one ticket in business hours (Monday, default calendar): each writes its audit
// entries with who did it, the status it moved from and to, and the counters it owes, once.
func TestOpsActionsWriteTheirTrailAndCounters(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	created := now
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	const agent = "arn:aws:iam::1:user/sari"

	now = created.Add(10 * time.Minute)
	if _, err := svc.Assign(ctx, "sari", id, agent, escalation.TeamPayments); err != nil {
		t.Fatal(err)
	}
	ch := wantChange(t, "assign", store, []Event{{Type: EventAssigned, Visibility: Internal, Author: AuthorAgent, Actor: "sari",
		Agent: agent, Team: escalation.TeamPayments, FromStatus: StatusOpen, ToStatus: StatusInProgress, At: now}}, nil)
	if a := ch.After; a.Status != StatusInProgress || a.AssignedAgent != agent || a.Team != escalation.TeamPayments || a.Version != 2 {
		t.Errorf("after assign: %s %q %s v%d", a.Status, a.AssignedAgent, a.Team, a.Version)
	}

	now = created.Add(15 * time.Minute) // a team alone: the agent and status stay
	if _, err := svc.Assign(ctx, "rina", id, "", escalation.TeamLogistics); err != nil {
		t.Fatal(err)
	}
	ch = wantChange(t, "assign team", store, []Event{{Type: EventAssigned, Visibility: Internal, Author: AuthorAgent, Actor: "rina",
		Team: escalation.TeamLogistics, FromStatus: StatusInProgress, ToStatus: StatusInProgress, At: now}}, nil)
	if a := ch.After; a.AssignedAgent != agent || a.Team != escalation.TeamLogistics {
		t.Errorf("after assigning a team: %q %s", a.AssignedAgent, a.Team)
	}

	now = created.Add(20 * time.Minute)
	if _, err := svc.Note(ctx, "sari", id, " cek log pembayaran "); err != nil {
		t.Fatal(err)
	}
	wantChange(t, "note", store, []Event{{Type: EventInternalNote, Visibility: Internal, Author: AuthorAgent, Actor: "sari",
		Body: "cek log pembayaran", At: now}}, nil)

	now = created.Add(30 * time.Minute)
	d, err := svc.Respond(ctx, "sari", id, "Sedang kami cek")
	if err != nil {
		t.Fatal(err)
	}
	reply := Event{Type: EventAgentReply, Visibility: Public, Author: AuthorAgent, Actor: "sari", Body: "Sedang kami cek",
		FromStatus: StatusInProgress, ToStatus: StatusInProgress, At: now}
	ch = wantChange(t, "first reply", store, []Event{reply}, map[string]int64{
		metrics.FirstResponses: 1, metrics.FirstResponseSecs: 1800, metrics.FirstResponseBusinessSecs: 1800,
		metrics.BucketCounter(metrics.FirstResponseBucket, metrics.FirstResponseBounds, 30*time.Minute):         1,
		metrics.BucketCounter(metrics.FirstResponseBusinessBucket, metrics.FirstResponseBounds, 30*time.Minute): 1,
		metrics.SLACounter(TargetFirstResponse, metrics.SLAAchieved, "normal"):                                  1,
	})
	if ch.After.FirstRespondedAt == nil || !ch.After.FirstRespondedAt.Equal(now) {
		t.Errorf("first responded at %v, want %v", ch.After.FirstRespondedAt, now)
	}
	if n := len(d.Timeline); n != 5 || !reflect.DeepEqual(d.Timeline[n-1], reply) {
		t.Errorf("the answer's timeline (%d entries) does not end with the reply: %+v", n, d.Timeline)
	}

	now = created.Add(40 * time.Minute) // a second reply counts nothing
	if _, err := svc.Respond(ctx, "rina", id, "Sudah kami teruskan"); err != nil {
		t.Fatal(err)
	}
	wantChange(t, "second reply", store, []Event{{Type: EventAgentReply, Visibility: Public, Author: AuthorAgent, Actor: "rina",
		Body: "Sudah kami teruskan", FromStatus: StatusInProgress, ToStatus: StatusInProgress, At: now}}, nil)

	now = created.Add(2 * time.Hour)
	if _, err := svc.Resolve(ctx, "sari", id, "Dana sudah kembali"); err != nil {
		t.Fatal(err)
	}
	ch = wantChange(t, "resolve", store, []Event{{Type: EventResolved, Visibility: Public, Author: AuthorAgent, Actor: "sari",
		Body: "Dana sudah kembali", FromStatus: StatusInProgress, ToStatus: StatusResolved, At: now}}, map[string]int64{
		metrics.Resolutions: 1, metrics.ResolutionSecs: 7200, metrics.ResolutionBusinessSecs: 7200,
		metrics.BucketCounter(metrics.ResolutionBucket, metrics.ResolutionBounds, 2*time.Hour):         1,
		metrics.BucketCounter(metrics.ResolutionBusinessBucket, metrics.ResolutionBounds, 2*time.Hour): 1,
		metrics.SLACounter(TargetResolution, metrics.SLAAchieved, "normal"):                            1,
	})
	if a := ch.After; a.Status != StatusResolved || a.ResolvedAt == nil || !a.ResolvedAt.Equal(now) ||
		a.FirstResolvedAt == nil || !a.FirstResolvedAt.Equal(now) {
		t.Errorf("after resolving: %s resolved %v first %v", a.Status, a.ResolvedAt, a.FirstResolvedAt)
	}

	now = created.Add(3 * time.Hour)
	if _, err := svc.Close(ctx, "sari", id); err != nil {
		t.Fatal(err)
	}
	ch = wantChange(t, "close", store, []Event{{Type: EventClosed, Visibility: Public, Author: AuthorAgent, Actor: "sari",
		FromStatus: StatusResolved, ToStatus: StatusClosed, At: now}}, nil)
	if a := ch.After; a.Status != StatusClosed || a.ClosedAt == nil || !a.ClosedAt.Equal(now) {
		t.Errorf("after closing: %s %v", a.Status, a.ClosedAt)
	}

	now = created.Add(4 * time.Hour)
	if _, err := svc.Reopen(ctx, "rina", id, "pelanggan belum terima"); err != nil {
		t.Fatal(err)
	}
	ch = wantChange(t, "reopen", store, []Event{
		{Type: EventReopened, Visibility: Public, Author: AuthorAgent, Actor: "rina", FromStatus: StatusClosed, ToStatus: StatusOpen, At: now},
		{Type: EventInternalNote, Visibility: Internal, Author: AuthorAgent, Actor: "rina", Body: "pelanggan belum terima", At: now},
	}, nil)
	if a := ch.After; a.Status != StatusOpen || a.ResolvedAt != nil || a.ClosedAt != nil || a.FirstResolvedAt == nil {
		t.Errorf("after reopening: %s resolved %v closed %v first %v", a.Status, a.ResolvedAt, a.ClosedAt, a.FirstResolvedAt)
	}

	now = created.Add(5 * time.Hour) // resolved again: no second count, and the answer is an entry of its own
	if _, err := svc.Resolve(ctx, "sari", id, ""); err != nil {
		t.Fatal(err)
	}
	wantChange(t, "resolve again", store, []Event{{Type: EventResolved, Visibility: Public, Author: AuthorAgent, Actor: "sari",
		FromStatus: StatusOpen, ToStatus: StatusResolved, At: now}}, nil)
}

// Ops raising a ticket: the new priority's promises from now when they are sooner (the first response
// only while unanswered), the reason recorded, an internal note, and an escalation for high and urgent.
func TestSetPriorityRaisesPromisesAndRecordsWhy(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	filed := store.tickets[id]

	now = now.Add(time.Hour)
	if _, err := svc.SetPriority(ctx, "sari", id, PriorityUrgent, "pelanggan VIP"); err != nil {
		t.Fatal(err)
	}
	ch := wantChange(t, "raise", store, []Event{
		{Type: EventPriorityChanged, Visibility: Public, Author: AuthorAgent, Actor: "sari", Priority: PriorityUrgent, At: now},
		{Type: EventInternalNote, Visibility: Internal, Author: AuthorAgent, Actor: "sari", Body: "pelanggan VIP", At: now},
	}, nil)
	a := ch.After
	// urgent promises 30 minutes and 4 hours on the wall clock, both sooner than normal's
	if a.Priority != PriorityUrgent || !a.FirstResponseDueAt.Equal(now.Add(30*time.Minute)) || !a.ResolutionDueAt.Equal(now.Add(4*time.Hour)) {
		t.Errorf("after raising: %s due %v / %v", a.Priority, a.FirstResponseDueAt, a.ResolutionDueAt)
	}
	if want := append(append([]string(nil), filed.PriorityReasons...), "ops:urgent"); !reflect.DeepEqual(a.PriorityReasons, want) {
		t.Errorf("reasons %v, want %v", a.PriorityReasons, want)
	}
	if ch.Escalation == nil || ch.Escalation.Priority != escalation.PriorityUrgent || a.EscalationStatus != EscalationPending {
		t.Errorf("escalation %+v, status %s", ch.Escalation, a.EscalationStatus)
	}
	if !reflect.DeepEqual(store.tickets[id].PriorityReasons, a.PriorityReasons) || len(filed.PriorityReasons) == len(a.PriorityReasons) {
		t.Errorf("the filed ticket's reasons changed with the new one: %v / %v", filed.PriorityReasons, a.PriorityReasons)
	}

	now = now.Add(10 * time.Minute) // lowering keeps the promises made
	if _, err := svc.SetPriority(ctx, "sari", id, PriorityLow, ""); err != nil {
		t.Fatal(err)
	}
	ch = wantChange(t, "lower", store, []Event{
		{Type: EventPriorityChanged, Visibility: Public, Author: AuthorAgent, Actor: "sari", Priority: PriorityLow, At: now},
	}, nil)
	if l := ch.After; !l.FirstResponseDueAt.Equal(a.FirstResponseDueAt) || !l.ResolutionDueAt.Equal(a.ResolutionDueAt) || ch.Escalation != nil {
		t.Errorf("after lowering: due %v / %v, escalation %+v", l.FirstResponseDueAt, l.ResolutionDueAt, ch.Escalation)
	}
}

// Raising an answered ticket moves only the resolution promise: the first response was already given.
func TestSetPriorityAfterTheFirstResponse(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = now.Add(10 * time.Minute)
	if _, err := svc.Respond(ctx, "sari", id, "Halo"); err != nil {
		t.Fatal(err)
	}
	answered := store.tickets[id]
	now = now.Add(10 * time.Minute)
	if _, err := svc.SetPriority(ctx, "sari", id, PriorityHigh, ""); err != nil {
		t.Fatal(err)
	}
	a := store.tickets[id]
	if !a.FirstResponseDueAt.Equal(answered.FirstResponseDueAt) {
		t.Errorf("first response due moved to %v from %v although answered", a.FirstResponseDueAt, answered.FirstResponseDueAt)
	}
	if !a.ResolutionDueAt.Before(answered.ResolutionDueAt) {
		t.Errorf("resolution due %v, want sooner than %v", a.ResolutionDueAt, answered.ResolutionDueAt)
	}
}

// Asking the customer pauses the resolution clock with a public entry; the customer's answer resumes it.
// A saved reply's id rides on the change that sends it, and a reply to an open ticket starts work.
func TestWaitingEntriesAndSavedReplies(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)

	now = now.Add(10 * time.Minute)
	compose := func(_ context.Context, tk Ticket) (string, string, error) {
		return "Halo, tiket " + tk.ID, "MAC-7", nil
	}
	if _, err := svc.RespondWith(ctx, "sari", id, compose); err != nil {
		t.Fatal(err)
	}
	ch := lastUpdate(t, store)
	if ch.MacroID != "MAC-7" || ch.After.Status != StatusInProgress || len(ch.Events) != 1 || ch.Events[0].Body != "Halo, tiket "+id ||
		ch.Events[0].FromStatus != StatusOpen || ch.Events[0].ToStatus != StatusInProgress {
		t.Errorf("saved reply to an open ticket: macro %q, %s, %+v", ch.MacroID, ch.After.Status, ch.Events)
	}

	now = now.Add(10 * time.Minute)
	if _, err := svc.RequestInfoWith(ctx, "sari", id, compose); err != nil {
		t.Fatal(err)
	}
	ch = wantChange(t, "ask", store, []Event{
		{Type: EventAgentReply, Visibility: Public, Author: AuthorAgent, Actor: "sari", Body: "Halo, tiket " + id,
			FromStatus: StatusInProgress, ToStatus: StatusWaitingOnCustomer, At: now},
		{Type: EventSLAPaused, Visibility: Public, Author: AuthorSystem, Target: TargetResolution,
			FromStatus: StatusInProgress, ToStatus: StatusWaitingOnCustomer, At: now},
	}, nil)
	if a := ch.After; a.Status != StatusWaitingOnCustomer || a.WaitingSince == nil || !a.WaitingSince.Equal(now) ||
		a.AutoResolveAt == nil || !a.AutoResolveAt.Equal(wib(2026, 11, 9, 9, 20)) /* 5 business days, over the weekend */ || ch.MacroID != "MAC-7" {
		t.Errorf("waiting: %s since %v auto %v macro %q", a.Status, a.WaitingSince, a.AutoResolveAt, ch.MacroID)
	}

	now = now.Add(time.Hour)
	if _, err := svc.PostMessage(ctx, "budi", id, "Ini tangkapan layarnya"); err != nil {
		t.Fatal(err)
	}
	ch = wantChange(t, "answer", store, []Event{
		{Type: EventCustomerMessage, Visibility: Public, Author: AuthorCustomer, Body: "Ini tangkapan layarnya", At: now},
		{Type: EventSLAResumed, Visibility: Public, Author: AuthorSystem, Target: TargetResolution,
			FromStatus: StatusWaitingOnCustomer, ToStatus: StatusInProgress, At: now},
	}, nil)
	if a := ch.After; a.Status != StatusInProgress || a.WaitingSince != nil || a.AutoResolveAt != nil {
		t.Errorf("answered: %s since %v auto %v", a.Status, a.WaitingSince, a.AutoResolveAt)
	}

	broken := func(context.Context, Ticket) (string, string, error) { return "", "", ErrNotFound }
	if _, err := svc.RespondWith(ctx, "sari", id, broken); err != ErrNotFound {
		t.Errorf("a composer that fails: %v, want its error", err)
	}
}

// A first answer after the promise is marked and counted breached in the same change, with its entry.
func TestLateFirstAnswerIsMarkedBreached(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = wib(2026, 11, 3, 10, 0) // normal promises 8 business hours: due Tuesday 08:00
	if _, err := svc.Respond(ctx, "sari", id, "Maaf lama"); err != nil {
		t.Fatal(err)
	}
	ch := lastUpdate(t, store)
	breached := Event{Type: EventSLABreached, Visibility: Internal, Author: AuthorSystem, Target: TargetFirstResponse, Priority: PriorityNormal, At: now}
	if len(ch.Events) != 2 || !reflect.DeepEqual(ch.Events[0], breached) || ch.Events[1].Type != EventAgentReply {
		t.Errorf("entries %+v, want %+v and the reply", ch.Events, breached)
	}
	if ch.Counters[metrics.SLACounter(TargetFirstResponse, metrics.SLABreached, "normal")] != 1 ||
		ch.Counters[metrics.SLACounter(TargetFirstResponse, metrics.SLAAchieved, "normal")] != 0 ||
		!reflect.DeepEqual(ch.AddMarks, []string{"first_response:breached"}) || !ch.After.HasMark(TargetFirstResponse, MarkBreached) {
		t.Errorf("counters %v, marks %v / %v", ch.Counters, ch.AddMarks, ch.After.SLAMarks)
	}
	if ch.Counters[metrics.FirstResponseBusinessSecs] != int64((8*time.Hour+2*time.Hour)/time.Second) ||
		ch.Counters[metrics.FirstResponseSecs] != int64(25*time.Hour/time.Second) {
		t.Errorf("first response took %d s (%d business), want 25 h (10 business h: Monday 09-17, Tuesday 08-10)", ch.Counters[metrics.FirstResponseSecs],
			ch.Counters[metrics.FirstResponseBusinessSecs])
	}
}

// A follow-up that raises an assigned ticket leaves it with its team: the agent who owns it and ops decide
// whether to move it. An unassigned ticket moves to the rule's team.
func TestFollowUpRaiseKeepsAnAssignedTicketsTeam(t *testing.T) {
	ctx := context.Background()
	for _, assigned := range []bool{false, true} {
		svc, store, id := fileOne(t)
		if assigned {
			if _, err := svc.Assign(ctx, "sari", id, "arn:aws:iam::1:user/sari", escalation.TeamPayments); err != nil {
				t.Fatal(err)
			}
		}
		d, err := svc.PostMessage(ctx, "budi", id, "Kompor meledak dan tangan saya terluka.")
		if err != nil {
			t.Fatal(err)
		}
		raised := store.updated[len(store.updated)-1]
		var changed Event
		for _, e := range raised.Events {
			if e.Type == EventPriorityChanged {
				changed = e
			}
		}
		switch {
		case d.Ticket.Priority != PriorityUrgent:
			t.Errorf("assigned=%v: priority %s", assigned, d.Ticket.Priority)
		case assigned && (d.Ticket.Team != escalation.TeamPayments || changed.Team != ""):
			t.Errorf("assigned: team %s, entry team %q; want it kept", d.Ticket.Team, changed.Team)
		case !assigned && (d.Ticket.Team == escalation.TeamPayments || d.Ticket.Team != changed.Team || changed.Team == ""):
			t.Errorf("unassigned: team %s, entry team %q; want the rule's team", d.Ticket.Team, changed.Team)
		}
	}
}

// Setting the priority a ticket already has writes nothing and answers the ticket with its timeline.
func TestSetPriorityToTheSameWritesNothing(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	d, err := svc.SetPriority(ctx, "sari", id, PriorityNormal, "")
	if err != nil || len(store.updated) != 0 {
		t.Fatalf("%v, %d writes", err, len(store.updated))
	}
	if d.Ticket.ID != id || len(d.Timeline) != 1 || d.Timeline[0].Type != EventCreated {
		t.Errorf("answered %+v", d)
	}
}
