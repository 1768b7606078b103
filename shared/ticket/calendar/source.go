package calendar

import (
	"context"
	"sync"
	"time"
)

// Store is the port to the calendar ops set. Get answers found=false until one was saved.
type Store interface {
	Get(ctx context.Context) (c Calendar, found bool, err error)
	Put(ctx context.Context, c Calendar) error
}

// CacheFor is how long a function keeps the calendar it read: ops changes reach every function within it.
const CacheFor = time.Minute

// Cached reads the calendar through a Store at most once per ttl; until ops save one it is Default().
// When a read fails it keeps answering the calendar it has, if any, so an outage does not stop tickets.
type Cached struct {
	store Store
	ttl   time.Duration
	now   func() time.Time

	mu     sync.Mutex
	cal    Calendar
	readAt time.Time
}

// NewCached wraps store with a cache of ttl.
func NewCached(store Store, ttl time.Duration, now func() time.Time) *Cached {
	return &Cached{store: store, ttl: ttl, now: now}
}

// Current is the calendar in force.
func (c *Cached) Current(ctx context.Context) (Calendar, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if !c.cal.IsZero() && now.Sub(c.readAt) < c.ttl && !now.Before(c.readAt) {
		return c.cal, nil
	}
	cal, found, err := c.store.Get(ctx)
	if err != nil {
		if !c.cal.IsZero() {
			return c.cal, nil
		}
		return Calendar{}, err
	}
	if !found {
		cal = Default()
	}
	c.cal, c.readAt = cal, now
	return cal, nil
}

// Fixed is a calendar source that never reads: for tests and for functions without a store.
type Fixed Calendar

// Current is the fixed calendar.
func (f Fixed) Current(context.Context) (Calendar, error) { return Calendar(f), nil }
