package idempotency

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// MemoryStore is an in-process Store for unit tests of code that uses a Guard. It commits a planned
// change that is a func() error by calling it, under the same lock as the record.
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

// ours returns the record of key if it is in progress under token.
func (m *MemoryStore) ours(key, token string) (Record, error) {
	rec, ok := m.records[key]
	if !ok || rec.Status != InProgress || rec.Token != token {
		var existing *Record
		if ok {
			existing = &rec
		}
		return Record{}, &ClaimLostError{Existing: existing}
	}
	return rec, nil
}

func (m *MemoryStore) Commit(_ context.Context, key, token string, change any, resp Response, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec, err := m.ours(key, token)
	if err != nil {
		return err
	}
	apply, ok := change.(func() error)
	if !ok {
		return fmt.Errorf("idempotency: memory store cannot commit %T", change)
	}
	if err := apply(); err != nil {
		return err
	}
	rec.Status, rec.Response, rec.ExpiresAt = Completed, &resp, expiresAt
	m.records[key] = rec
	return nil
}

func (m *MemoryStore) Complete(_ context.Context, key, token string, resp Response, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec, err := m.ours(key, token)
	if err != nil {
		return err
	}
	rec.Status, rec.Response, rec.ExpiresAt = Completed, &resp, expiresAt
	m.records[key] = rec
	return nil
}

func (m *MemoryStore) Release(_ context.Context, key, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.ours(key, token); err == nil {
		delete(m.records, key)
	}
	return nil
}
