package ticket

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
)

// A breach found by the monitor queues the escalation of exactly this ticket and target to the ticket's
// team, at its priority, with the breach's internal entry and count in the same change.
func TestMonitorBreachEscalatesThisTicket(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	team := store.tickets[id].Team
	now = wib(2026, 11, 3, 10, 0) // first response was due Tuesday 08:00
	did, err := svc.CheckSLA(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(did, Checked{Marks: []string{"first_response:breached"}, Escalated: []string{TargetFirstResponse}}) {
		t.Errorf("checked %+v", did)
	}
	ch := lastUpdate(t, store)
	key := escalation.DedupKey(escalation.SubjectTicket, id, escalation.ReasonSLABreach, TargetFirstResponse)
	want := escalation.Escalation{DedupKey: key, Reason: escalation.ReasonSLABreach, Team: team, Priority: escalation.PriorityNormal,
		SubjectType: escalation.SubjectTicket, SubjectID: id, TicketID: id, CustomerID: "budi", CreatedAt: now}
	if ch.Escalation == nil || !reflect.DeepEqual(*ch.Escalation, want) {
		t.Errorf("escalation\n got %+v\nwant %+v", ch.Escalation, want)
	}
	if ch.After.EscalationStatus != EscalationPending || ch.After.EscalationDedupKey != key {
		t.Errorf("ticket escalation %s %q", ch.After.EscalationStatus, ch.After.EscalationDedupKey)
	}
	wantChange(t, "breach", store, []Event{{Type: EventSLABreached, Visibility: Internal, Author: AuthorSystem,
		Target: TargetFirstResponse, Priority: PriorityNormal, At: now}},
		map[string]int64{metrics.SLACounter(TargetFirstResponse, metrics.SLABreached, "normal"): 1})

	// Checked again at once: nothing is left to do, and nothing is written.
	writes := len(store.updated)
	if did, err := svc.CheckSLA(ctx, id); err != nil || len(did.Marks) != 0 || len(store.updated) != writes {
		t.Errorf("second check: %+v %v, %d writes", did, err, len(store.updated)-writes)
	}
}

// A ticket left waiting past its automatic resolution is resolved by the monitor with a public entry,
// and its resolution is counted like any other.
func TestMonitorAutoResolvesWithItsEntry(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = wib(2026, 11, 2, 9, 30)
	if _, err := svc.RequestInfo(ctx, "dewi", id, "Nomor pesanannya?"); err != nil {
		t.Fatal(err)
	}
	now = wib(2026, 11, 9, 10, 0) // five business days later
	did, err := svc.CheckSLA(ctx, id)
	if err != nil || !did.AutoResolved {
		t.Fatalf("checked %+v %v", did, err)
	}
	ch := lastUpdate(t, store)
	if n := len(ch.Events); n == 0 || !reflect.DeepEqual(ch.Events[n-1], Event{Type: EventAutoResolved, Visibility: Public,
		Author: AuthorSystem, FromStatus: StatusWaitingOnCustomer, ToStatus: StatusResolved, At: now}) {
		t.Errorf("entries %+v, want the auto_resolved entry last", ch.Events)
	}
	if ch.After.Status != StatusResolved || ch.Counters[metrics.Resolutions] != 1 {
		t.Errorf("after: %s, counters %v", ch.After.Status, ch.Counters)
	}
}

// A reopened ticket that misses its new resolution promise is marked and escalated, but its resolution
// was counted at the first resolution, so no breach is counted.
func TestMonitorReopenedResolutionBreachIsNotCountedAgain(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = wib(2026, 11, 2, 10, 0)
	if _, err := svc.Resolve(ctx, "sari", id, "Sudah beres"); err != nil {
		t.Fatal(err)
	}
	now = wib(2026, 11, 2, 11, 0)
	if _, err := svc.Reopen(ctx, "sari", id, ""); err != nil {
		t.Fatal(err)
	}
	now = store.tickets[id].ResolutionDueAt.Add(time.Minute)
	did, err := svc.CheckSLA(ctx, id)
	if err != nil || !reflect.DeepEqual(did.Escalated, []string{TargetResolution}) {
		t.Fatalf("checked %+v %v", did, err)
	}
	for _, ch := range store.updated {
		if n := ch.Counters[metrics.SLACounter(TargetResolution, metrics.SLABreached, "normal")]; n != 0 {
			t.Errorf("a resolution breach was counted (%d) although the first resolution was counted on time", n)
		}
	}
	if !store.tickets[id].HasMark(TargetResolution, MarkBreached) {
		t.Error("the breach is not marked")
	}
}

// A check that loses a race reads again and reports what the winning attempt did, once.
func TestMonitorRetryReportsOnce(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	id := fileNormalAt(t, clockedService(store, &now))
	race := &racingUpdates{fileStore: store, lose: 1}
	svc := clockedService(store, &now)
	svc.store = race
	now = wib(2026, 11, 3, 10, 0)
	did, err := svc.CheckSLA(ctx, id)
	if err != nil || race.tries != 2 {
		t.Fatalf("%v after %d tries", err, race.tries)
	}
	if !reflect.DeepEqual(did, Checked{Marks: []string{"first_response:breached"}, Escalated: []string{TargetFirstResponse}}) {
		t.Errorf("checked %+v, want the breach once", did)
	}
}

// Both targets missed while the monitor was away: each breach escalates in its own change, in one check.
func TestMonitorTwoBreachesInOneCheck(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = store.tickets[id].ResolutionDueAt.Add(time.Hour)
	did, err := svc.CheckSLA(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(did.Escalated, []string{TargetFirstResponse, TargetResolution}) || len(store.updated) != 2 {
		t.Errorf("checked %+v in %d changes; want both breaches, one change each", did, len(store.updated))
	}
	if next := store.tickets[id].NextSLACheckAt; next != nil {
		t.Errorf("next check %v, want none: nothing is left to watch", next)
	}
}

// The check time is compared as an instant, and a missing one only equals a missing one.
func TestSameTime(t *testing.T) {
	a := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	b := a.In(wibZone)
	c := a.Add(time.Second)
	for _, tc := range []struct {
		x, y *time.Time
		want bool
	}{{nil, nil, true}, {&a, nil, false}, {nil, &a, false}, {&a, &b, true}, {&a, &c, false}} {
		if got := sameTime(tc.x, tc.y); got != tc.want {
			t.Errorf("sameTime(%v, %v) = %v", tc.x, tc.y, got)
		}
	}
}
