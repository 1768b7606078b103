package idempotency_test

import (
	"context"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/failure"
	"github.com/tanggap/tanggap/shared/idempotency"
	"github.com/tanggap/tanggap/shared/idempotency/idempotencytest"
)

func TestMemoryStoreMeetsContract(t *testing.T) {
	idempotencytest.Run(t, idempotency.NewMemoryStore())
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

func TestGuardRules(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	g := idempotency.NewGuard(idempotency.NewMemoryStore())
	g.Now = func() time.Time { return now }

	if replay, err := g.Begin(ctx, "k", "fp"); replay != nil || err != nil {
		t.Fatalf("first begin: %v %v", replay, err)
	}
	if _, err := g.Begin(ctx, "k", "fp"); !failure.IsKind(err, failure.KindConflict) {
		t.Fatalf("in-flight duplicate: want conflict, got %v", err)
	}
	if _, err := g.Begin(ctx, "k", "other"); !failure.IsKind(err, failure.KindRejected) {
		t.Fatalf("different payload: want rejected, got %v", err)
	}
	if err := g.Finish(ctx, "k", idempotency.Response{StatusCode: 201, Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	replay, err := g.Begin(ctx, "k", "fp")
	if err != nil || replay == nil || replay.StatusCode != 201 || string(replay.Body) != "x" {
		t.Fatalf("replay: %+v %v", replay, err)
	}
}

func TestValidKey(t *testing.T) {
	for k, want := range map[string]bool{"": false, "abc-123": true, "has space": false, "ünï": false} {
		if idempotency.ValidKey(k) != want {
			t.Errorf("ValidKey(%q) != %v", k, want)
		}
	}
}
