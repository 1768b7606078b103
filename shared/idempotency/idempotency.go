// Package idempotency makes retried requests safe: the first response to an Idempotency-Key is kept
// and replayed, a reused key with a different payload is refused, and a key still in flight is
// reported as such. Locks expire, so a crashed invocation cannot block retries forever.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/tanggap/tanggap/shared/failure"
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
	Key           string
	Fingerprint   string
	Status        Status
	Response      *Response
	LockExpiresAt time.Time
	ExpiresAt     time.Time
}

// Store persists records. Implementations must make Claim atomic.
type Store interface {
	// Claim takes key for a new request with fingerprint. It succeeds (nil, nil) when no live record
	// exists, or when an in-progress record with the same fingerprint has an expired lock. Otherwise it
	// returns the existing record and takes nothing.
	Claim(ctx context.Context, rec Record, now time.Time) (existing *Record, err error)
	// Complete stores the response for a key this caller claimed.
	Complete(ctx context.Context, key string, resp Response, expiresAt time.Time) error
	// Release forgets a claim whose request failed in a way a retry may fix.
	Release(ctx context.Context, key string) error
}

// Defaults: records outlive any sane client retry schedule; locks outlive a Lambda invocation (max 15 min
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

// Begin claims key. It returns a response to replay, or nil when the caller should process the request
// and then call Finish or Abandon. Failures are *failure.Error values ready for the client.
func (g *Guard) Begin(ctx context.Context, key, fingerprint string) (*Response, error) {
	now := g.Now()
	existing, err := g.Store.Claim(ctx, Record{
		Key: key, Fingerprint: fingerprint, Status: InProgress,
		LockExpiresAt: now.Add(g.Lock), ExpiresAt: now.Add(g.Retention),
	}, now)
	if err != nil {
		return nil, failure.Unavailable("service_unavailable").Wrap(err)
	}
	if existing == nil {
		return nil, nil
	}
	if existing.Fingerprint != fingerprint {
		return nil, failure.Rejected("idempotency_key_reused")
	}
	if existing.Status == Completed && existing.Response != nil {
		return existing.Response, nil
	}
	return nil, failure.Conflict("idempotency_in_progress")
}

// Finish stores the response for replay.
func (g *Guard) Finish(ctx context.Context, key string, resp Response) error {
	return g.Store.Complete(ctx, key, resp, g.Now().Add(g.Retention))
}

// Abandon releases the key so a retry runs the request again.
func (g *Guard) Abandon(ctx context.Context, key string) error {
	return g.Store.Release(ctx, key)
}

// Fingerprint identifies a request payload independently of JSON whitespace and key order.
// Bodies that are not JSON are hashed as they are.
func Fingerprint(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(CanonicalJSON(body))
	return hex.EncodeToString(h.Sum(nil))
}

// CanonicalJSON re-encodes JSON with sorted object keys and no insignificant whitespace.
func CanonicalJSON(body []byte) []byte {
	var v any
	dec := json.NewDecoder(bytesReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return body
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
