package idempotency

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"
)

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// MemoryStore is an in-process Store for unit tests of code that uses a Guard.
type MemoryStore struct {
	mu      sync.Mutex
	records map[string]Record
}

var _ Store = (*MemoryStore)(nil)

func NewMemoryStore() *MemoryStore { return &MemoryStore{records: map[string]Record{}} }

func (m *MemoryStore) Claim(_ context.Context, rec Record, now time.Time) (*Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.records[rec.Key]
	live := ok && now.Before(old.ExpiresAt)
	takeover := live && old.Status == InProgress && !now.Before(old.LockExpiresAt) && old.Fingerprint == rec.Fingerprint
	if live && !takeover {
		c := old
		return &c, nil
	}
	m.records[rec.Key] = rec
	return nil, nil
}

func (m *MemoryStore) Complete(_ context.Context, key string, resp Response, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec, ok := m.records[key]
	if !ok {
		return errors.New("idempotency: completing an unclaimed key")
	}
	rec.Status, rec.Response, rec.ExpiresAt = Completed, &resp, expiresAt
	m.records[key] = rec
	return nil
}

func (m *MemoryStore) Release(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.records, key)
	return nil
}
