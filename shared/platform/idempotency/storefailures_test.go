package idempotency_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// brokenStore fails what it is told to, over a working memory store.
type brokenStore struct {
	*idempotency.MemoryStore
	claimErr, completeErr, releaseErr error
}

func (b brokenStore) Claim(ctx context.Context, rec idempotency.Record, now time.Time) (*idempotency.Record, error) {
	if b.claimErr != nil {
		return nil, b.claimErr
	}
	return b.MemoryStore.Claim(ctx, rec, now)
}

func (b brokenStore) Complete(ctx context.Context, key, token string, resp idempotency.Response, expiresAt time.Time) error {
	if b.completeErr != nil {
		return b.completeErr
	}
	return b.MemoryStore.Complete(ctx, key, token, resp, expiresAt)
}

func (b brokenStore) Release(ctx context.Context, key, token string) error {
	if b.releaseErr != nil {
		return b.releaseErr
	}
	return b.MemoryStore.Release(ctx, key, token)
}

// What the guard does when its store fails: a claim that cannot be taken is a retryable 503 and runs
// nothing; a completion or release that fails reports the store's error; a claim lost to a request
// still in progress is an in-progress conflict.
func TestGuardWhenTheStoreFails(t *testing.T) {
	ctx := context.Background()
	down := errors.New("dynamodb: throttled")

	g := idempotency.NewGuard(brokenStore{MemoryStore: idempotency.NewMemoryStore(), claimErr: down})
	c, replay, err := g.Begin(ctx, "k1", "fp")
	if fe, ok := failure.As(err); !ok || fe.Kind != failure.KindUnavailable || c != nil || replay != nil || !errors.Is(err, down) {
		t.Errorf("claim failed: claim %v replay %v err %v; want a 503 and nothing to run", c, replay, err)
	}

	for name, store := range map[string]brokenStore{
		"complete": {MemoryStore: idempotency.NewMemoryStore(), completeErr: down},
		"release":  {MemoryStore: idempotency.NewMemoryStore(), releaseErr: down},
	} {
		g := idempotency.NewGuard(store)
		c, _, err := g.Begin(ctx, "k1", "fp")
		if err != nil || c == nil {
			t.Fatalf("%s: begin %v", name, err)
		}
		if name == "complete" {
			if _, err := g.Finish(ctx, c, nil, idempotency.Response{StatusCode: 200}); !errors.Is(err, down) {
				t.Errorf("complete failed: %v, want the store's error", err)
			}
		} else if err := g.Abandon(ctx, c); !errors.Is(err, down) {
			t.Errorf("release failed: %v, want the store's error", err)
		}
	}

	lost := brokenStore{MemoryStore: idempotency.NewMemoryStore(), completeErr: &idempotency.ClaimLostError{}}
	g = idempotency.NewGuard(lost)
	c, _, err = g.Begin(ctx, "k1", "fp")
	if err != nil {
		t.Fatal(err)
	}
	if replay, err := g.Finish(ctx, c, nil, idempotency.Response{StatusCode: 200}); replay != nil || !isCode(err, idempotency.CodeInProgress) {
		t.Errorf("claim lost to a request in progress: %v %v", replay, err)
	}
}

func isCode(err error, code string) bool {
	fe, ok := failure.As(err)
	return ok && fe.Code == code
}

// A claim's token is 128 random bits in hex, different for every claim.
func TestClaimTokens(t *testing.T) {
	g := idempotency.NewGuard(idempotency.NewMemoryStore())
	seen := map[string]bool{}
	for i := range 50 {
		c, _, err := g.Begin(context.Background(), "k"+string(rune('a'+i%26))+string(rune('a'+i/26)), "fp")
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(c.Token) || seen[c.Token] {
			t.Fatalf("token %q (seen before: %v)", c.Token, seen[c.Token])
		}
		seen[c.Token] = true
	}
}

// After its change committed, a plan still answers, and what was to run after the commit ran once.
func TestPlanAfterCommit(t *testing.T) {
	g := idempotency.NewGuard(idempotency.NewMemoryStore())
	c, _, err := g.Begin(context.Background(), "k1", "fp")
	if err != nil {
		t.Fatal(err)
	}
	plan := &idempotency.Plan{}
	applied := 0
	change := func() error { applied++; return nil }
	if err := plan.Capture(change); err != nil {
		t.Fatal(err)
	}
	ran := 0
	plan.AfterCommit(func() { ran++ })
	if _, err := g.Finish(context.Background(), c, plan, idempotency.Response{StatusCode: 201}); err != nil {
		t.Fatal(err)
	}
	if ran != 1 || applied != 1 || !plan.Planned() || plan.Change() == nil {
		t.Errorf("after the commit: ran %d times, applied %d, planned %v", ran, applied, plan.Planned())
	}
}
