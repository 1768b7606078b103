// Package idempotency makes retried requests safe: the first response to an Idempotency-Key is kept
// and replayed, a reused key with a different payload is refused, and a key still in flight is
// reported as such. Locks expire, so a crashed invocation cannot block retries forever.
//
// A request that changes something commits its change and its completed record in one transaction
// (Store.Commit): the change is planned, not written, while the request runs (see Plan). So once a change
// has committed, its answer is stored with it, and no crash, timeout or lost answer can make a retry
// run the change again.
package idempotency

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Status of a record.
type Status string

const (
	InProgress Status = "in_progress"
	Completed  Status = "completed"
)

// Response is what gets replayed.
type Response struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers,omitempty"`
	Body       []byte            `json:"body,omitempty"`
}

// Record is the stored state of one key.
type Record struct {
	Key         string
	Fingerprint string
	Status      Status
	// Token identifies the claim that wrote the record: only that claim may complete or release it.
	Token         string
	Response      *Response
	LockExpiresAt time.Time
	ExpiresAt     time.Time
}

// Store persists records. Implementations must make Claim atomic, and every write after the claim
// conditional on the record still being in progress under the claim's token.
type Store interface {
	// Claim takes key for a new request with fingerprint. It succeeds (nil, nil) when no live record
	// exists, or when an in-progress record with the same fingerprint has an expired lock. Otherwise it
	// returns the existing record and takes nothing.
	Claim(ctx context.Context, rec Record, now time.Time) (existing *Record, err error)
	// Commit writes the planned change (what a store captured in a Plan) and the completed record in one
	// transaction. When the claim is no longer the caller's it changes nothing and returns a
	// *ClaimLostError; when the change's own conditions fail it returns the store's explanation, marked
	// Stale when reading again may decide differently.
	Commit(ctx context.Context, key, token string, change any, resp Response, expiresAt time.Time) error
	// Complete stores the response of a request that changed nothing.
	Complete(ctx context.Context, key, token string, resp Response, expiresAt time.Time) error
	// Release forgets a claim that is still in progress under token, so a retry runs the request again.
	// A completed record is never released.
	Release(ctx context.Context, key, token string) error
}

// ClaimLostError says the claim expired and another request took the key over; Existing is the record
// as it is now (nil when unknown).
type ClaimLostError struct{ Existing *Record }

func (e *ClaimLostError) Error() string { return "idempotency: the claim was taken over" }

// ErrStale marks a planned change whose conditions no longer held: the request should read and decide again.
var ErrStale = errors.New("idempotency: the planned change is stale")

type staleError struct{ err error }

func (e staleError) Error() string        { return "stale: " + e.err.Error() }
func (e staleError) Unwrap() []error      { return []error{ErrStale, e.err} }
func (e staleError) Is(target error) bool { return target == ErrStale }

// Stale marks err (the store's explanation of a failed planned change) as worth a fresh read.
func Stale(err error) error { return staleError{err} }

// CodeInProgress is the failure code of a key held by a request still in flight.
const CodeInProgress = "idempotency_in_progress"

// Defaults: records outlive any sane client retry schedule; locks outlive a Lambda invocation (max 15 min,
// configured to 10 s here, with margin for retries inside the SDK).
const (
	DefaultRetention = 24 * time.Hour
	DefaultLock      = 60 * time.Second
)

// Guard applies the idempotency rules over a Store.
type Guard struct {
	Store     Store
	Now       func() time.Time
	Lock      time.Duration
	Retention time.Duration
}

// NewGuard returns a Guard with the default lock and retention.
func NewGuard(store Store) *Guard {
	return &Guard{Store: store, Now: time.Now, Lock: DefaultLock, Retention: DefaultRetention}
}

// Claim is a key this request holds.
type Claim struct {
	Key         string
	Fingerprint string
	Token       string
}

// Begin claims key. It returns the claim, or a response to replay. Failures are *failure.Error values
// ready for the client.
func (g *Guard) Begin(ctx context.Context, key, fingerprint string) (*Claim, *Response, error) {
	now := g.Now()
	c := &Claim{Key: key, Fingerprint: fingerprint, Token: newToken()}
	existing, err := g.Store.Claim(ctx, Record{
		Key: key, Fingerprint: fingerprint, Status: InProgress, Token: c.Token,
		LockExpiresAt: now.Add(g.Lock), ExpiresAt: now.Add(g.Retention),
	}, now)
	if err != nil {
		return nil, nil, failure.Unavailable("service_unavailable").Wrap(err)
	}
	if existing == nil {
		return c, nil, nil
	}
	replay, err := judge(existing, fingerprint)
	return nil, replay, err
}

// judge answers a request that found its key taken: replay a completed record of the same payload.
func judge(existing *Record, fingerprint string) (*Response, error) {
	if existing.Fingerprint != fingerprint {
		return nil, failure.Rejected("idempotency_key_reused")
	}
	if existing.Status == Completed && existing.Response != nil {
		return existing.Response, nil
	}
	return nil, failure.Conflict(CodeInProgress)
}

// Finish stores resp for the claim: with the planned change in one transaction when plan holds one,
// else on its own. When the claim was lost to another request meanwhile, nothing is written and the
// other request's outcome is returned instead (a response to replay, or an in-progress conflict).
// An error marked ErrStale means the change did not commit because what it was decided on changed.
func (g *Guard) Finish(ctx context.Context, c *Claim, plan *Plan, resp Response) (*Response, error) {
	expires := g.Now().Add(g.Retention)
	var change any
	if plan != nil {
		change = plan.change
	}
	var err error
	if change != nil {
		err = g.Store.Commit(ctx, c.Key, c.Token, change, resp, expires)
		if err == nil {
			plan.committed()
		}
	} else {
		err = g.Store.Complete(ctx, c.Key, c.Token, resp, expires)
	}
	var lost *ClaimLostError
	if errors.As(err, &lost) {
		if lost.Existing == nil {
			return nil, failure.Conflict(CodeInProgress)
		}
		return judge(lost.Existing, c.Fingerprint)
	}
	return nil, err
}

// Abandon releases the claim so a retry runs the request again. It never removes a completed record.
func (g *Guard) Abandon(ctx context.Context, c *Claim) error {
	return g.Store.Release(ctx, c.Key, c.Token)
}

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go >= 1.24)
	return hex.EncodeToString(b[:])
}

// Fingerprint identifies a request payload independently of JSON whitespace and key order.
// Bodies that are not JSON are hashed as they are.
func Fingerprint(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(CanonicalJSON(body))
	return hex.EncodeToString(h.Sum(nil))
}

// CanonicalJSON re-encodes one JSON value with sorted object keys and no insignificant whitespace. Anything
// else, including a value followed by more input, is returned as it is.
func CanonicalJSON(body []byte) []byte {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return body
	}
	if _, err := dec.Token(); err != io.EOF {
		return body // trailing input: {"a":1}{"b":2} must not fingerprint like {"a":1}
	}
	out, err := json.Marshal(v) // encoding/json sorts map keys
	if err != nil {
		return body
	}
	return out
}

// ValidKey reports whether k is an acceptable Idempotency-Key: 1-255 visible ASCII characters.
func ValidKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}
