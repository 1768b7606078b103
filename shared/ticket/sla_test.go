package ticket

import (
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// alwaysOpen counts every hour, so business and calendar time agree.
var alwaysOpen = calendar.MustNew("UTC", calendar.Week{time.Sunday: {{Start: 0, End: 0}}, time.Monday: {{Start: 0, End: 0}},
	time.Tuesday: {{Start: 0, End: 0}}, time.Wednesday: {{Start: 0, End: 0}}, time.Thursday: {{Start: 0, End: 0}},
	time.Friday: {{Start: 0, End: 0}}, time.Saturday: {{Start: 0, End: 0}}}, nil)

func TestDefaultSLADueTimes(t *testing.T) {
	created := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	cases := map[Priority][2]time.Duration{
		PriorityUrgent: {30 * time.Minute, 4 * time.Hour},
		PriorityHigh:   {2 * time.Hour, 24 * time.Hour},
		PriorityNormal: {8 * time.Hour, 72 * time.Hour},
		PriorityLow:    {24 * time.Hour, 120 * time.Hour},
	}
	for p, want := range cases {
		fr, res := DefaultSLA().Due(alwaysOpen, p, created)
		if !fr.Equal(created.Add(want[0])) || !res.Equal(created.Add(want[1])) {
			t.Errorf("%s: due %v / %v", p, fr, res)
		}
	}
	if err := DefaultSLA().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadSLAFromEnvironment(t *testing.T) {
	env := config.FromMap(map[string]string{"SLA_URGENT_FIRST_RESPONSE_MINUTES": "15", "SLA_LOW_RESOLUTION_MINUTES": "10080"})
	sla := LoadSLA(env.Int, env.Optional)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	if sla[PriorityUrgent].FirstResponse != 15*time.Minute || sla[PriorityUrgent].Resolution != 4*time.Hour ||
		sla[PriorityLow].Resolution != 7*24*time.Hour || sla[PriorityHigh] != DefaultSLA()[PriorityHigh] {
		t.Fatalf("got %+v", sla)
	}

	bad := config.FromMap(map[string]string{"SLA_HIGH_FIRST_RESPONSE_MINUTES": "soon"})
	LoadSLA(bad.Int, bad.Optional)
	if bad.Err() == nil {
		t.Fatal("a non-number must be reported")
	}

	invertedEnv := config.FromMap(map[string]string{"SLA_NORMAL_FIRST_RESPONSE_MINUTES": "9000", "SLA_LOW_RESOLUTION_MINUTES": "0"})
	inverted := LoadSLA(invertedEnv.Int, invertedEnv.Optional)
	err := inverted.Validate()
	if err == nil || !strings.Contains(err.Error(), "normal first response") || !strings.Contains(err.Error(), "low targets must be positive") {
		t.Fatalf("validate: %v", err)
	}
}

func TestBreaches(t *testing.T) {
	created := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	tk := Ticket{FirstResponseDueAt: created.Add(time.Hour), ResolutionDueAt: created.Add(4 * time.Hour)}
	if fr, res := Breaches(tk, created.Add(59*time.Minute)); fr || res {
		t.Fatal("nothing is late yet")
	}
	if fr, res := Breaches(tk, created.Add(2*time.Hour)); !fr || res {
		t.Fatal("unanswered after its due time is a breach")
	}
	answered := created.Add(30 * time.Minute)
	tk.FirstRespondedAt = &answered
	if fr, _ := Breaches(tk, created.Add(48*time.Hour)); fr {
		t.Fatal("an answer in time stays in time")
	}
	resolved := created.Add(5 * time.Hour)
	tk.ResolvedAt = &resolved
	if _, res := Breaches(tk, created.Add(5*time.Hour)); !res {
		t.Fatal("a late resolution is a breach")
	}
}

// A zero target is no promise and fails validation; the smallest positive targets, equal to each other,
// pass (an answer may be the resolution).
func TestValidateSLABoundaries(t *testing.T) {
	for _, bad := range []Target{{0, time.Hour, ClockBusiness}, {time.Minute, 0, ClockBusiness}, {0, 0, ClockCalendar}} {
		s := DefaultSLA()
		s[PriorityHigh] = bad
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "high targets must be positive") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	s := DefaultSLA()
	s[PriorityLow] = Target{1, 1, ClockBusiness}
	s[PriorityNormal] = Target{time.Hour, time.Hour, ClockCalendar}
	if err := s.Validate(); err != nil {
		t.Fatalf("positive, equal targets must pass: %v", err)
	}
	s[PriorityHigh] = Target{time.Hour, time.Hour, "wall"}
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), `high clock "wall"`) {
		t.Fatalf("unknown clock: %v", err)
	}
	s[PriorityHigh] = DefaultSLA()[PriorityHigh]
	delete(s, PriorityUrgent)
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "no target for urgent") {
		t.Fatalf("missing priority: %v", err)
	}
}

// SLA_DEMO_MINUTES shortens only the low priority's targets, on the wall clock; clocks are read per priority.
func TestLoadSLADemoAndClocks(t *testing.T) {
	env := config.FromMap(map[string]string{"SLA_DEMO_MINUTES": "2", "SLA_HIGH_CLOCK": "calendar"})
	s := LoadSLA(env.Int, env.Optional)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	if s[PriorityLow] != (Target{2 * time.Minute, 4 * time.Minute, ClockCalendar}) || s[PriorityNormal] != DefaultSLA()[PriorityNormal] ||
		s[PriorityHigh].Clock != ClockCalendar || s[PriorityUrgent].Clock != ClockCalendar || s[PriorityNormal].Clock != ClockBusiness {
		t.Fatalf("%+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	p := LoadSLAPolicy(config.FromMap(map[string]string{"SLA_AT_RISK_PERCENT": "80"}).Int)
	if p.AtRiskPercent != 80 || p.AutoResolveDays != 5 || p.Validate() != nil {
		t.Fatalf("%+v", p)
	}
	if (SLAPolicy{AtRiskPercent: 100, AutoResolveDays: 5}).Validate() == nil || (SLAPolicy{AtRiskPercent: 75, AutoResolveDays: 0}).Validate() == nil {
		t.Fatal("out-of-range policy accepted")
	}
}
