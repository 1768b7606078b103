// Package idempotencytest is the contract every idempotency.Store must meet. Run it against each
// implementation: the in-memory one and the DynamoDB adapter.
package idempotencytest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// Planner plans one change the way a request does (under idempotency.WithPlan) and returns what was
// captured, and a check of whether the change has been written.
type Planner func(t *testing.T) (change any, written func() bool)

// Run exercises store; plan makes changes of the kind store commits.
func Run(t *testing.T, store idempotency.Store, plan Planner) {
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

	t.Run("commit writes the change and the completed record together", func(t *testing.T) {
		k := key()
		if _, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil {
			t.Fatal(err)
		}
		change, written := plan(t)
		if written() {
			t.Fatal("a planned change was written before its commit")
		}
		resp := idempotency.Response{StatusCode: 201, Headers: map[string]string{"Location": "/x/1"}, Body: []byte(`{"id":"1"}`)}
		if err := store.Commit(ctx, k, "token-fp", change, resp, now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if !written() {
			t.Fatal("the committed change is not there")
		}
		got, err := store.Claim(ctx, rec(k, "fp", now), now.Add(2*time.Minute))
		if err != nil || got == nil || got.Status != idempotency.Completed || got.Fingerprint != "fp" || got.Response == nil ||
			got.Response.Headers["Location"] != "/x/1" || string(got.Response.Body) != `{"id":"1"}` {
			t.Fatalf("record after commit: %v %+v", err, got)
		}
		if err := store.Release(ctx, k, "token-fp"); err != nil {
			t.Fatal(err)
		}
		if got, _ := store.Claim(ctx, rec(k, "fp", now), now.Add(3*time.Minute)); got == nil || got.Status != idempotency.Completed {
			t.Fatalf("a completed record was released: %+v", got)
		}
	})

	t.Run("a claim taken over cannot commit, complete or release", func(t *testing.T) {
		k := key()
		if _, err := store.Claim(ctx, rec(k, "fp", now), now); err != nil {
			t.Fatal(err)
		}
		later := now.Add(2 * time.Minute)
		retry := rec(k, "fp", later)
		retry.Token = "token-retry"
		if got, err := store.Claim(ctx, retry, later); err != nil || got != nil {
			t.Fatalf("takeover: %v %+v", err, got)
		}
		change, written := plan(t)
		var lost *idempotency.ClaimLostError
		err := store.Commit(ctx, k, "token-fp", change, idempotency.Response{StatusCode: 201}, now.Add(24*time.Hour))
		if !errors.As(err, &lost) || lost.Existing == nil || lost.Existing.Status != idempotency.InProgress || lost.Existing.Token != "token-retry" {
			t.Fatalf("commit under a lost claim: %v %+v", err, lost)
		}
		if written() {
			t.Fatal("the change of a lost claim was written")
		}
		if err := store.Complete(ctx, k, "token-fp", idempotency.Response{StatusCode: 400}, now.Add(24*time.Hour)); !errors.As(err, &lost) {
			t.Fatalf("complete under a lost claim: %v", err)
		}
		if err := store.Release(ctx, k, "token-fp"); err != nil {
			t.Fatal(err)
		}
		if got, _ := store.Claim(ctx, rec(k, "fp", later), later); got == nil || got.Token != "token-retry" {
			t.Fatalf("the old claim released the retry's: %+v", got)
		}
		if err := store.Commit(ctx, k, "token-retry", change, idempotency.Response{StatusCode: 201}, now.Add(24*time.Hour)); err != nil || !written() {
			t.Fatalf("the retry's commit: %v, written %v", err, written())
		}
		err = store.Commit(ctx, k, "token-fp", change, idempotency.Response{StatusCode: 201}, now.Add(24*time.Hour))
		if !errors.As(err, &lost) || lost.Existing == nil || lost.Existing.Status != idempotency.Completed {
			t.Fatalf("commit after the retry completed: %v %+v", err, lost)
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
