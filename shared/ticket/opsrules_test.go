package ticket

import (
	"context"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// fieldCode is the one field error of err, as "field:code".
func fieldCode(err error) string {
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) != 1 {
		return ""
	}
	return fe.Fields[0].Field + ":" + fe.Fields[0].Code
}

func isInvalidTransition(err error) bool {
	fe, ok := failure.As(err)
	return ok && fe.Code == errInvalidTransition.Code
}

// Ops actions refuse what they cannot do, and write nothing when they do.
func TestOpsActionsRefuse(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	empty := func(context.Context, Ticket) (string, string, error) { return "  ", "MAC-1", nil }
	long := func(context.Context, Ticket) (string, string, error) {
		return strings.Repeat("a", MaxMessage+1), "MAC-1", nil
	}

	for _, c := range []struct {
		name string
		do   func() error
		want string
	}{
		{"assign nobody", func() error { _, err := svc.Assign(ctx, "sari", id, "", ""); return err }, "agent:required"},
		{"assign an unknown team", func() error { _, err := svc.Assign(ctx, "sari", id, "", "marketing"); return err }, "team:invalid"},
		{"an empty reply", func() error { _, err := svc.Respond(ctx, "sari", id, " \n "); return err }, "message:required"},
		{"an empty question", func() error { _, err := svc.RequestInfo(ctx, "sari", id, ""); return err }, "message:required"},
		{"an empty saved reply", func() error { _, err := svc.RespondWith(ctx, "sari", id, empty); return err }, "message:required"},
		{"a saved reply too long", func() error { _, err := svc.RespondWith(ctx, "sari", id, long); return err }, "message:max"},
	} {
		if got := fieldCode(c.do()); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := svc.Close(ctx, "sari", id); !isInvalidTransition(err) {
		t.Errorf("closing an open ticket: %v", err)
	}
	if len(store.updated) != 0 {
		t.Fatalf("%d changes written by refused actions", len(store.updated))
	}

	if _, err := svc.Resolve(ctx, "sari", id, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Close(ctx, "sari", id); err != nil {
		t.Fatal(err)
	}
	writes := len(store.updated)
	for name, do := range map[string]func() error{
		"assign a closed ticket": func() error {
			_, err := svc.Assign(ctx, "sari", id, "arn:aws:iam::1:user/sari", escalation.TeamPayments)
			return err
		},
		"resolve a closed ticket": func() error { _, err := svc.Resolve(ctx, "sari", id, ""); return err },
		"close it again":          func() error { _, err := svc.Close(ctx, "sari", id); return err },
		"reply to a closed one":   func() error { _, err := svc.Respond(ctx, "sari", id, "Halo"); return err },
	} {
		if err := do(); !isInvalidTransition(err) {
			t.Errorf("%s: %v, want an invalid transition", name, err)
		}
	}
	if len(store.updated) != writes {
		t.Errorf("%d changes written to a closed ticket", len(store.updated)-writes)
	}
}

// Asking again while the ticket waits restarts the automatic resolution but not the pause: no second
// "paused" entry, and the clock stays stopped from the first question.
func TestAskingTwiceKeepsTheFirstPause(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = wib(2026, 11, 2, 10, 0)
	if _, err := svc.RequestInfo(ctx, "dewi", id, "Nomor pesanannya?"); err != nil {
		t.Fatal(err)
	}
	first := now
	now = wib(2026, 11, 3, 10, 0)
	if _, err := svc.RequestInfo(ctx, "dewi", id, "Masih kami tunggu"); err != nil {
		t.Fatal(err)
	}
	ch := lastUpdate(t, store)
	if got := types(ch.Events); len(got) != 1 || got[0] != EventAgentReply {
		t.Errorf("second question wrote %v, want the reply alone", got)
	}
	if a := ch.After; a.WaitingSince == nil || !a.WaitingSince.Equal(first) || a.AutoResolveAt == nil || !a.AutoResolveAt.Equal(wib(2026, 11, 10, 10, 0)) {
		t.Errorf("waiting since %v (want %v), resolves by itself at %v", a.WaitingSince, first, a.AutoResolveAt)
	}
}

// A ticket resolved without an answer and reopened still owes its first response: missing it is
// counted as a breach (only the resolution was counted at the first resolution).
func TestFirstResponseBreachAfterReopenIsCounted(t *testing.T) {
	ctx := context.Background()
	store := newFileStore()
	now := wib(2026, 11, 2, 9, 0)
	svc := clockedService(store, &now)
	id := fileNormalAt(t, svc)
	now = wib(2026, 11, 2, 9, 30)
	if _, err := svc.Resolve(ctx, "sari", id, ""); err != nil {
		t.Fatal(err)
	}
	now = wib(2026, 11, 2, 9, 40)
	if _, err := svc.Reopen(ctx, "budi", id, ""); err != nil {
		t.Fatal(err)
	}
	now = wib(2026, 11, 3, 10, 0)
	did, err := svc.CheckSLA(ctx, id)
	if err != nil || len(did.Escalated) == 0 || did.Escalated[0] != TargetFirstResponse {
		t.Fatalf("checked %+v %v", did, err)
	}
	if n := store.updated[len(store.updated)-1].Counters[metrics.SLACounter(TargetFirstResponse, metrics.SLABreached, "normal")]; n != 1 {
		t.Errorf("first-response breach counted %d times, want 1", n)
	}
}
