package idempotency_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// A key is 1 to 255 visible ASCII characters, '!' to '~', wherever they stand in the key.
func TestValidKeyBoundaries(t *testing.T) {
	for k, want := range map[string]bool{
		strings.Repeat("k", 255): true,
		strings.Repeat("k", 256): false,
		"!":                      true,
		"~":                      true,
		"!key~":                  true,
		" key":                   false,
		"\x7fkey":                false,
		"key\x7f":                false,
		"key\x00":                false,
	} {
		if idempotency.ValidKey(k) != want {
			t.Errorf("ValidKey(%.20q, %d bytes) = %v, want %v", k, len(k), !want, want)
		}
	}
}

// Amounts are integers in minor units: two payloads that differ only far down a large number are different
// requests, not a replay.
func TestFingerprintKeepsLargeNumbersExact(t *testing.T) {
	a := idempotency.Fingerprint("POST", "/x", []byte(`{"amount":9007199254740993}`))
	b := idempotency.Fingerprint("POST", "/x", []byte(`{"amount":9007199254740992}`))
	if a == b {
		t.Fatal("payloads differing in a large integer have the same fingerprint")
	}
}

// As wired for production (NewGuard, real clock), a request that crashed holds its key for the lock time
// (60 s) and no longer: then a retry with the same payload runs again.
func TestCrashedRequestReleasesItsKeyAfterTheLock(t *testing.T) {
	ctx := context.Background()
	g := idempotency.NewGuard(idempotency.NewMemoryStore())
	if claim, replay, err := g.Begin(ctx, "k", "fp"); claim == nil || replay != nil || err != nil {
		t.Fatalf("first begin: %v %v %v", claim, replay, err)
	}
	if _, _, err := g.Begin(ctx, "k", "fp"); !failure.IsKind(err, failure.KindConflict) {
		t.Fatalf("retry while in flight: %v, want conflict", err)
	}

	start := time.Now()
	g.Now = func() time.Time { return start.Add(idempotency.DefaultLock - time.Second) }
	if _, _, err := g.Begin(ctx, "k", "fp"); !failure.IsKind(err, failure.KindConflict) {
		t.Fatalf("retry just inside the lock: %v, want conflict", err)
	}
	g.Now = func() time.Time { return start.Add(idempotency.DefaultLock + time.Second) }
	if claim, replay, err := g.Begin(ctx, "k", "fp"); claim == nil || replay != nil || err != nil {
		t.Fatalf("retry after the lock: %v %v %v, want to run again", claim, replay, err)
	}
}
