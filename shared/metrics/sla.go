package metrics

import (
	"strconv"
	"time"
)

// SLA counters. Each ticket's target is counted once: achieved when it was met, or breached when the SLA
// monitor marked it breached or it was met late before the monitor saw it; by the priority at that moment.
const (
	SLATargetFirstResponse = "first_response"
	SLATargetResolution    = "resolution"

	SLAAchieved = "achieved"
	SLABreached = "breached"

	// Business-time duration histograms of the same first responses and first resolutions that
	// FirstResponseBucket and ResolutionBucket count in calendar time.
	FirstResponseBusinessSecs   = "first_response_business_seconds"
	FirstResponseBusinessBucket = "frt_business_bucket_" // + bucket index (FirstResponseBounds)
	ResolutionBusinessSecs      = "resolution_business_seconds"
	ResolutionBusinessBucket    = "resolution_business_bucket_" // + bucket index (ResolutionBounds)
)

// SLATargets are the measured targets, in report order.
var SLATargets = []string{SLATargetFirstResponse, SLATargetResolution}

// SLACounter names the counter of one target's outcome at one priority: sla_first_response_breached_high.
func SLACounter(target, outcome, priority string) string {
	return "sla_" + target + "_" + outcome + "_" + priority
}

// SLAFigures is SLA attainment per priority and target, and first-response and resolution medians in
// business time next to calendar time.
type SLAFigures struct {
	// ByPriority: low, normal, high, urgent -> first_response, resolution -> outcome.
	ByPriority map[string]map[string]SLAAttainment `json:"byPriority"`
	// Total is every priority together, per target.
	Total   map[string]SLAAttainment `json:"total"`
	Medians SLAMedians               `json:"medians"`
}

// SLAAttainment counts one target's outcomes. AttainmentPercent = achieved ÷ (achieved + breached) × 100.
type SLAAttainment struct {
	Achieved          int64    `json:"achieved"`
	Breached          int64    `json:"breached"`
	AttainmentPercent *float64 `json:"attainmentPercent"`
}

func attainment(achieved, breached int64) SLAAttainment {
	return SLAAttainment{Achieved: achieved, Breached: breached, AttainmentPercent: percent(achieved, achieved+breached)}
}

// SLAMedians are p50s read from the fixed buckets (the bucket upper bound, like the other percentiles).
type SLAMedians struct {
	FirstResponse MedianPair `json:"firstResponse"`
	Resolution    MedianPair `json:"resolution"`
}

// MedianPair is one median measured on the wall clock and counting only business hours.
type MedianPair struct {
	Count    int64       `json:"count"`
	Calendar *Percentile `json:"calendar"`
	Business *Percentile `json:"business"`
}

func summarizeSLA(t Totals) SLAFigures {
	f := SLAFigures{ByPriority: map[string]map[string]SLAAttainment{}, Total: map[string]SLAAttainment{}}
	for _, target := range SLATargets {
		var achieved, breached int64
		for _, p := range TicketPriorities {
			a, b := t[SLACounter(target, SLAAchieved, p)], t[SLACounter(target, SLABreached, p)]
			if f.ByPriority[p] == nil {
				f.ByPriority[p] = map[string]SLAAttainment{}
			}
			f.ByPriority[p][target] = attainment(a, b)
			achieved, breached = achieved+a, breached+b
		}
		f.Total[target] = attainment(achieved, breached)
	}
	f.Medians = SLAMedians{
		FirstResponse: medianPair(t, FirstResponses, FirstResponseBucket, FirstResponseBusinessBucket, FirstResponseBounds),
		Resolution:    medianPair(t, Resolutions, ResolutionBucket, ResolutionBusinessBucket, ResolutionBounds),
	}
	return f
}

func medianPair(t Totals, countName, calendarPrefix, businessPrefix string, bounds []time.Duration) MedianPair {
	read := func(prefix string) []int64 {
		counts := make([]int64, len(bounds)+1)
		for i := range counts {
			counts[i] = t[prefix+strconv.Itoa(i)]
		}
		return counts
	}
	return MedianPair{Count: t[countName], Calendar: BucketPercentile(read(calendarPrefix), bounds, 50),
		Business: BucketPercentile(read(businessPrefix), bounds, 50)}
}
