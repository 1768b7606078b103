package metrics

import (
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want int
	}{
		{0, 0}, {5 * time.Minute, 0}, {5*time.Minute + time.Second, 1}, {45 * time.Minute, 3},
		{48 * time.Hour, 8}, {49 * time.Hour, 9},
	}
	for _, c := range cases {
		if got := Bucket(FirstResponseBounds, c.d); got != c.want {
			t.Errorf("Bucket(%v) = %d, want %d", c.d, got, c.want)
		}
	}
	if got := BucketCounter(ResolutionBucket, ResolutionBounds, 30*24*time.Hour); got != "resolution_bucket_8" {
		t.Fatalf("got %s", got)
	}
}

func TestDayIsWesternIndonesianTime(t *testing.T) {
	// 18:30 UTC on the 1st is 01:30 WIB on the 2nd.
	if got := Day(time.Date(2026, 11, 1, 18, 30, 0, 0, time.UTC)); got != "2026-11-02" {
		t.Fatalf("got %s", got)
	}
	if got := Day(time.Date(2026, 11, 1, 16, 59, 0, 0, time.UTC)); got != "2026-11-01" {
		t.Fatalf("got %s", got)
	}
}
