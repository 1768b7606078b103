package metrics

import (
	"encoding/json"
	"testing"
)

// Attainment per priority and target and in total; medians from the calendar and business buckets.
func TestSummarizeSLA(t *testing.T) {
	totals := Totals{
		SLACounter("first_response", "achieved", "normal"): 3, SLACounter("first_response", "breached", "normal"): 1,
		SLACounter("first_response", "breached", "urgent"): 2, SLACounter("resolution", "achieved", "low"): 1,
		FirstResponses: 3, FirstResponseBucket + "2": 2, FirstResponseBucket + "9": 1,
		FirstResponseBusinessBucket + "0": 2, FirstResponseBusinessBucket + "4": 1, FirstResponseBusinessSecs: 1000,
	}
	r := Summarize("2026-03-01", "2026-03-01", 1, totals).SLA
	if a := r.ByPriority["normal"]["first_response"]; a.Achieved != 3 || a.Breached != 1 || *a.AttainmentPercent != 75 {
		t.Fatalf("normal: %+v", a)
	}
	if a := r.ByPriority["urgent"]["first_response"]; a.Achieved != 0 || *a.AttainmentPercent != 0 {
		t.Fatalf("urgent: %+v", a)
	}
	if a := r.ByPriority["high"]["resolution"]; a.AttainmentPercent != nil {
		t.Fatalf("nothing decided is null: %+v", a)
	}
	if a := r.Total["first_response"]; a.Achieved != 3 || a.Breached != 3 || *a.AttainmentPercent != 50 {
		t.Fatalf("total: %+v", a)
	}
	if a := r.Total["resolution"]; a.Achieved != 1 || *a.AttainmentPercent != 100 {
		t.Fatalf("total resolution: %+v", a)
	}
	fr := r.Medians.FirstResponse
	if fr.Count != 3 || *fr.Calendar.UpperBoundSeconds != 1800 || *fr.Business.UpperBoundSeconds != 300 || r.Medians.Resolution.Business != nil {
		raw, _ := json.Marshal(r.Medians)
		t.Fatalf("medians %s", raw)
	}
	// The business-hours mean is the exact sum over the count (1000 s over 3, rounded), null without values.
	if m := fr.BusinessMeanSeconds; m == nil || *m != 333 || r.Medians.Resolution.BusinessMeanSeconds != nil {
		raw, _ := json.Marshal(r.Medians)
		t.Fatalf("business means %s, want 333 s for first responses and null for resolutions", raw)
	}
}

// Resolutions have medians of their own, from their own buckets, beside the first responses'.
func TestSummarizeSLAResolutionMedians(t *testing.T) {
	totals := Totals{Resolutions: 2, ResolutionBucket + "3": 2, ResolutionBusinessBucket + "1": 2, ResolutionBusinessSecs: 7200}
	m := Summarize("2026-03-01", "2026-03-01", 1, totals).SLA.Medians
	res := m.Resolution
	if res.Count != 2 || res.Calendar == nil || res.Business == nil || res.BusinessMeanSeconds == nil || *res.BusinessMeanSeconds != 3600 ||
		m.FirstResponse.Count != 0 {
		raw, _ := json.Marshal(m)
		t.Fatalf("medians %s, want two resolutions with calendar and business medians and a 3600 s business mean", raw)
	}
}
