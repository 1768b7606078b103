package main

import (
	"testing"
	"time"
)

// Schedules fire locally at the template's rate, as EventBridge fires them when deployed.
func TestScheduleRateFollowsTheTemplate(t *testing.T) {
	for expr, want := range map[string]time.Duration{
		"rate(1 minute)": time.Minute, "rate(5 minutes)": 5 * time.Minute, "rate(2 hours)": 2 * time.Hour, "rate(1 day)": 24 * time.Hour,
	} {
		if got, err := scheduleRate(expr); err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", expr, got, err, want)
		}
	}
	for _, expr := range []string{"rate(0 minutes)", "rate(1 minutes)", "rate(2 minute)", "rate(1 week)", "cron(0 * * * ? *)", "rate(1minute)", "rate(x minutes)"} {
		if got, err := scheduleRate(expr); err == nil {
			t.Errorf("%s: %v, want an error", expr, got)
		}
	}
}
