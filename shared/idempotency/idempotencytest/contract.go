// Package idempotencytest is the contract every idempotency.Store must meet. Run it against each
// implementation: the in-memory one and the DynamoDB adapter.
package idempotencytest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/idempotency"
)

// Run exercises store. newKey must return a key unique to this run.
func Run(t *testing.T, store idempotency.Store) {
	ctx := context.Background()
	// The real clock, not a fixed date: a store with TTL (DynamoDB, and DynamoDB Local) deletes records whose
	// expiresAt has passed, which would make a fixed past date vanish records mid-test.
	now := time.Now().UTC().Truncate(time.Millisecond)
	n := 0
	key := func() string { n++; return fmt.Sprintf("contract-%d-%d", time.Now().UnixNano(), n) }
	rec := func(k, fp string, at time.Time) idempotency.Record {
		return idempotency.Record{Key: k, Fingerprint: fp, Status: idempotency.InProgress, Token: "token-" + fp,
			LockExpiresAt: at.Add(time.Minute), ExpiresAt: at.Add(24 * time.Hour)}
	}

	t.Run("first claim succeeds, second sees it in progress", func(t *testing.T) {
		k := key()
		if got, err := store.Claim(ctx, rec(k, "fp1", now), now); err != nil || got != nil {
			t.Fatalf("first claim: %v %+v", err, got)
		}
		got, err := store.Claim(ctx, rec(k, "fp1", now), now.Add(time.Second))
		if err != nil || got == nil || got.Status != idempotency.InProgress || got.Fingerprint != "fp1" {
			t.Fatalf("second claim: %v %+v", err, got)
		}
	})

	t.Run("completed response is returned to later claims", func(t *testing.T) {
		k := key()
		if _, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil {
			t.Fatal(err)
		}
		resp := idempotency.Response{StatusCode: 201, Headers: map[string]string{"Content-Type": "application/json"}, Body: []byte(`{"id":"r1"}`)}
		if err := store.Complete(ctx, k, "token-fp", resp, now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := store.Claim(ctx, rec(k, "fp", now), now.Add(2*time.Minute))
		if err != nil || got == nil || got.Status != idempotency.Completed || got.Response == nil {
			t.Fatalf("claim after complete: %v %+v", err, got)
		}
		if got.Response.StatusCode != 201 || string(got.Response.Body) != `{"id":"r1"}` || got.Response.Headers["Content-Type"] != "application/json" {
			t.Fatalf("response changed: %+v", got.Response)
		}
	})

	t.Run("expired lock with the same fingerprint can be taken over", func(t *testing.T) {
		k := key()
		if _, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil {
			t.Fatal(err)
		}
		later := now.Add(2 * time.Minute)
		if got, err := store.Claim(ctx, rec(k, "fp", later), later); err != nil || got != nil {
			t.Fatalf("takeover refused: %v %+v", err, got)
		}
	})

	t.Run("expired lock is not taken over by a different payload", func(t *testing.T) {
		k := key()
		if _, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil {
			t.Fatal(err)
		}
		later := now.Add(2 * time.Minute)
		got, err := store.Claim(ctx, rec(k, "other", later), later)
		if err != nil || got == nil || got.Fingerprint != "fp" {
			t.Fatalf("different payload took over: %v %+v", err, got)
		}
	})

	t.Run("records past retention are gone", func(t *testing.T) {
		k := key()
		if _, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil {
			t.Fatal(err)
		}
		if err := store.Complete(ctx, k, "token-fp", idempotency.Response{StatusCode: 200}, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		later := now.Add(2 * time.Hour)
		if got, err := store.Claim(ctx, rec(k, "new", later), later); err != nil || got != nil {
			t.Fatalf("expired record still blocks: %v %+v", err, got)
		}
	})

	t.Run("release lets the next claim run", func(t *testing.T) {
		k := key()
		if _, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil {
			t.Fatal(err)
		}
		if err := store.Release(ctx, k, "token-fp"); err != nil {
			t.Fatal(err)
		}
		if got, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil || got != nil {
			t.Fatalf("claim after release: %v %+v", err, got)
		}
	})

	t.Run("concurrent claims: exactly one wins", func(t *testing.T) {
		k := key()
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := store.Claim(ctx, rec(k, "fp", now), now)
				if err != nil {
					t.Error(err)
					return
				}
				if got == nil {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d claims won, want 1", wins.Load())
		}
	})
}
