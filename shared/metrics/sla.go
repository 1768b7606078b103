package metrics

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

// MedianPair is one median measured on the wall clock and counting only business hours, with the exact
// business-hours mean (the calendar-time mean is in the report's firstResponseTime and resolutionTime).
type MedianPair struct {
	Count               int64       `json:"count"`
	Calendar            *Percentile `json:"calendar"`
	Business            *Percentile `json:"business"`
	BusinessMeanSeconds *int64      `json:"businessMeanSeconds"` // sum ÷ count, rounded to the second; null when none
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
		FirstResponse: medianPair(
			durationFigure(t, FirstResponses, FirstResponseSecs, FirstResponseBucket, FirstResponseBounds),
			durationFigure(t, FirstResponses, FirstResponseBusinessSecs, FirstResponseBusinessBucket, FirstResponseBounds)),
		Resolution: medianPair(
			durationFigure(t, Resolutions, ResolutionSecs, ResolutionBucket, ResolutionBounds),
			durationFigure(t, Resolutions, ResolutionBusinessSecs, ResolutionBusinessBucket, ResolutionBounds)),
	}
	return f
}

// medianPair puts the same durations side by side, measured on the wall clock and in business hours.
func medianPair(calendar, business DurationFigure) MedianPair {
	return MedianPair{Count: calendar.Count, Calendar: calendar.P50, Business: business.P50, BusinessMeanSeconds: business.MeanSeconds}
}
