package idempotency_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/platform/idempotency/idempotencytest"
)

func TestMemoryStoreMeetsContract(t *testing.T) {
	idempotencytest.Run(t, idempotency.NewMemoryStore(), func(t *testing.T) (any, func() bool) {
		var written atomic.Bool
		return func() error { written.Store(true); return nil }, written.Load
	})
}

func TestFingerprintIgnoresWhitespaceAndKeyOrder(t *testing.T) {
	a := idempotency.Fingerprint("POST", "/x", []byte(`{"a":1,"b":{"c":[1,2],"d":"e"}}`))
	b := idempotency.Fingerprint("POST", "/x", []byte("{ \"b\": {\"d\":\"e\", \"c\": [1, 2]},\n \"a\": 1 }"))
	if a != b {
		t.Fatal("same payload, different fingerprints")
	}
	if a == idempotency.Fingerprint("POST", "/x", []byte(`{"a":2,"b":{"c":[1,2],"d":"e"}}`)) {
		t.Fatal("different payload, same fingerprint")
	}
	if a == idempotency.Fingerprint("POST", "/y", []byte(`{"a":1,"b":{"c":[1,2],"d":"e"}}`)) {
		t.Fatal("different path, same fingerprint")
	}
}

func TestFingerprintSeesTrailingInput(t *testing.T) {
	one := idempotency.Fingerprint("POST", "/x", []byte(`{"a":1}`))
	for _, body := range []string{`{"a":1}{"b":2}`, `{"a":1}}`, `{"a":1} 2`, `{"a":1}]`} {
		if idempotency.Fingerprint("POST", "/x", []byte(body)) == one {
			t.Errorf("%s fingerprints like {\"a\":1}", body)
		}
	}
	if idempotency.Fingerprint("POST", "/x", []byte("{\"a\":1}\n \t")) != one {
		t.Error("trailing whitespace changed the fingerprint")
	}
}

func TestGuardRules(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	g := idempotency.NewGuard(idempotency.NewMemoryStore())
	g.Now = func() time.Time { return now }

	claim, replay, err := g.Begin(ctx, "k", "fp")
	if claim == nil || replay != nil || err != nil {
		t.Fatalf("first begin: %v %v %v", claim, replay, err)
	}
	if _, replay, err := g.Begin(ctx, "k", "fp"); replay != nil || !failure.IsKind(err, failure.KindConflict) {
		t.Fatalf("in-flight duplicate: want conflict, got %v %v", replay, err)
	}
	if _, _, err := g.Begin(ctx, "k", "other"); !failure.IsKind(err, failure.KindRejected) {
		t.Fatalf("different payload: want rejected, got %v", err)
	}
	if replay, err := g.Finish(ctx, claim, nil, idempotency.Response{StatusCode: 201, Body: []byte("x")}); replay != nil || err != nil {
		t.Fatal(replay, err)
	}
	again, replay, err := g.Begin(ctx, "k", "fp")
	if again != nil || err != nil || replay == nil || replay.StatusCode != 201 || string(replay.Body) != "x" {
		t.Fatalf("replay: %+v %+v %v", again, replay, err)
	}
	if _, _, err := g.Begin(ctx, "k", "other"); !failure.IsKind(err, failure.KindRejected) {
		t.Fatalf("different payload after completion: want rejected, got %v", err)
	}
}

// A retry that takes over an expired claim owns the key: the first request can no longer complete or
// release it, and learns the retry's outcome instead.
func TestExpiredClaimBelongsToTheRetry(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	g := idempotency.NewGuard(idempotency.NewMemoryStore())
	g.Now = func() time.Time { return now }

	first, _, _ := g.Begin(ctx, "k", "fp")
	now = now.Add(idempotency.DefaultLock + time.Second)
	retry, replay, err := g.Begin(ctx, "k", "fp")
	if retry == nil || replay != nil || err != nil {
		t.Fatalf("takeover after the lock expired: %v %v %v", retry, replay, err)
	}
	changes := 0
	plan := &idempotency.Plan{}
	_ = plan.Capture(func() error { changes++; return nil })
	if _, err := g.Finish(ctx, first, plan, idempotency.Response{StatusCode: 201}); !failure.IsKind(err, failure.KindConflict) || changes != 0 {
		t.Fatalf("the first request committed over the retry's claim: %v, %d changes", err, changes)
	}
	if err := g.Abandon(ctx, first); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Begin(ctx, "k", "fp"); !failure.IsKind(err, failure.KindConflict) {
		t.Fatalf("the first request released the retry's claim: %v", err)
	}

	committed := 0
	plan = &idempotency.Plan{}
	_ = plan.Capture(func() error { changes++; return nil })
	plan.AfterCommit(func() { committed++ })
	if replay, err := g.Finish(ctx, retry, plan, idempotency.Response{StatusCode: 201, Body: []byte("r")}); replay != nil || err != nil {
		t.Fatal(replay, err)
	}
	if changes != 1 || committed != 1 {
		t.Fatalf("changes %d, after-commit %d; want 1 and 1", changes, committed)
	}
	replay, err = g.Finish(ctx, first, nil, idempotency.Response{StatusCode: 500})
	if err != nil || replay == nil || string(replay.Body) != "r" {
		t.Fatalf("the first request must learn the retry's answer: %+v %v", replay, err)
	}
	if err := g.Abandon(ctx, retry); err != nil {
		t.Fatal(err)
	}
	if _, replay, _ := g.Begin(ctx, "k", "fp"); replay == nil || string(replay.Body) != "r" {
		t.Fatal("a completed record was released")
	}
}

func TestPlanTakesOneChange(t *testing.T) {
	p := &idempotency.Plan{}
	if p.Planned() {
		t.Fatal("empty plan reports a change")
	}
	if err := p.Capture("tx1"); err != nil || !p.Planned() {
		t.Fatal(err)
	}
	if err := p.Capture("tx2"); !errors.Is(err, idempotency.ErrSecondChange) {
		t.Fatalf("second change: %v", err)
	}
	var nilPlan *idempotency.Plan
	ran := false
	nilPlan.AfterCommit(func() { ran = true })
	if !ran {
		t.Fatal("outside a plan AfterCommit must run at once")
	}
}

func TestValidKey(t *testing.T) {
	for k, want := range map[string]bool{"": false, "abc-123": true, "has space": false, "ünï": false} {
		if idempotency.ValidKey(k) != want {
			t.Errorf("ValidKey(%q) != %v", k, want)
		}
	}
}

// oddStore answers every claim with rec, whatever it holds.
type oddStore struct {
	idempotency.Store
	rec idempotency.Record
}

func (o oddStore) Claim(context.Context, idempotency.Record, time.Time) (*idempotency.Record, error) {
	r := o.rec
	return &r, nil
}

// Only a completed record with a response is replayed: an in-progress one is 409 even if it carries a
// response, and a completed one without a response is not a replay of nothing.
func TestOnlyACompletedResponseIsReplayed(t *testing.T) {
	resp := &idempotency.Response{StatusCode: 201, Body: []byte("x")}
	for name, rec := range map[string]idempotency.Record{
		"in progress with a response": {Fingerprint: "fp", Status: idempotency.InProgress, Response: resp},
		"completed without response":  {Fingerprint: "fp", Status: idempotency.Completed},
	} {
		g := idempotency.NewGuard(oddStore{rec: rec})
		claim, replay, err := g.Begin(context.Background(), "k", "fp")
		if claim != nil || replay != nil || !failure.IsKind(err, failure.KindConflict) {
			t.Errorf("%s: claim %v, replay %v, err %v; want an in-progress conflict", name, claim, replay, err)
		}
	}
}
