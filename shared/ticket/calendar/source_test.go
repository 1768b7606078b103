package calendar

import (
	"context"
	"errors"
	"testing"
	"time"
)

type countingStore struct {
	cal   Calendar
	found bool
	err   error
	gets  int
}

func (s *countingStore) Get(context.Context) (Calendar, bool, error) {
	s.gets++
	return s.cal, s.found, s.err
}
func (s *countingStore) Put(_ context.Context, c Calendar) error {
	s.cal, s.found = c, true
	return nil
}

func TestCached(t *testing.T) {
	now := wib("2026-12-07 10:00")
	store := &countingStore{}
	c := NewCached(store, time.Minute, func() time.Time { return now })
	ctx := context.Background()
	got, err := c.Current(ctx)
	if err != nil || got.Zone() != DefaultZone || len(got.Hours(time.Monday)) != 1 || store.gets != 1 {
		t.Fatalf("nothing stored: %v %v gets=%d", got.Spec(), err, store.gets)
	}
	sat := MustNew("Asia/Makassar", Week{time.Saturday: {iv("09:00-12:00")}}, nil)
	_ = store.Put(ctx, sat)
	now = now.Add(59 * time.Second)
	if got, _ := c.Current(ctx); got.Zone() != DefaultZone || store.gets != 1 {
		t.Fatalf("cache not used within the ttl: %s gets=%d", got.Zone(), store.gets)
	}
	now = now.Add(time.Second)
	if got, _ := c.Current(ctx); got.Zone() != "Asia/Makassar" || store.gets != 2 {
		t.Fatalf("not read again after the ttl: %s gets=%d", got.Zone(), store.gets)
	}
	now = now.Add(-time.Hour) // a clock that went back reads again rather than trusting the cache for an hour
	if _, _ = c.Current(ctx); store.gets != 3 {
		t.Fatalf("clock went back: gets=%d", store.gets)
	}
	store.err = errors.New("down")
	now = now.Add(time.Hour)
	if got, err := c.Current(ctx); err != nil || got.Zone() != "Asia/Makassar" {
		t.Fatalf("outage with a cached calendar: %v %v", got.Zone(), err)
	}
	fresh := NewCached(store, time.Minute, func() time.Time { return now })
	if _, err := fresh.Current(ctx); err == nil {
		t.Fatal("outage without a cached calendar answered")
	}
	if got, _ := (Fixed(sat)).Current(ctx); got.Zone() != "Asia/Makassar" {
		t.Fatal("Fixed")
	}
}
