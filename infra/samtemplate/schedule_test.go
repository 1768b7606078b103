package samtemplate

import (
	"testing"
	"time"
)

// A rate(...) schedule is read into how often it fires, which the local stack uses as EventBridge would.
func TestScheduleRate(t *testing.T) {
	for expr, want := range map[string]time.Duration{
		"rate(1 minute)": time.Minute, "rate(5 minutes)": 5 * time.Minute, "rate(2 hours)": 2 * time.Hour, "rate(1 day)": 24 * time.Hour,
	} {
		if got, err := scheduleRate(expr); err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", expr, got, err, want)
		}
	}
	for _, expr := range []string{"rate(0 minutes)", "rate(1 minutes)", "rate(2 minute)", "rate(1 week)", "rate(1minute)", "rate(x minutes)", "rate(1 minute"} {
		if got, err := scheduleRate(expr); err == nil {
			t.Errorf("%s: %v, want an error", expr, got)
		}
	}
}

// The template's schedules carry their rates: the relay sweep and the SLA monitor every minute.
func TestTemplateSchedulesCarryTheirRates(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	schedules, err := tpl.Schedules()
	if err != nil {
		t.Fatal(err)
	}
	if len(schedules) == 0 {
		t.Fatal("no schedules in the template")
	}
	for _, s := range schedules {
		if s.Rate != time.Minute {
			t.Errorf("%s %s: %s read as %v, want 1m", s.FunctionLogicalID, s.EventName, s.Expression, s.Rate)
		}
	}
}
