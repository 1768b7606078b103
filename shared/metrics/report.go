package metrics

import (
	"math"
	"strconv"
	"time"
)

// More counter names, written by surveys.
const (
	// Surveys that queued a service-recovery escalation, counted when the survey is submitted. Escalations
	// counts them again once the escalation consumer records them (on the day they escalated).
	ServiceRecoveries = "service_recoveries"
)

// SurveyCounters are the counter deltas one survey response adds. ces and nps are optional (nil).
// Satisfied is CSAT 4–5; promoters NPS 9–10, detractors 0–6, passives (7–8) are the rest.
func SurveyCounters(csat int, ces, nps *int, serviceRecovery bool) map[string]int64 {
	d := map[string]int64{Surveys: 1, CSATResponses: 1, CSATScoreSum: int64(csat)}
	if csat >= 4 {
		d[CSATSatisfied] = 1
	}
	if ces != nil {
		d[CESResponses], d[CESScoreSum] = 1, int64(*ces)
	}
	if nps != nil {
		d[NPSResponses] = 1
		switch {
		case *nps >= 9:
			d[NPSPromoters] = 1
		case *nps <= 6:
			d[NPSDetractors] = 1
		}
	}
	if serviceRecovery {
		d[ServiceRecoveries] = 1
	}
	return d
}

// TicketPriorities are the suffixes of TicketsPriorityPfx counters.
var TicketPriorities = []string{"low", "normal", "high", "urgent"}

// Totals are counters summed over a range of days. A counter never written reads as zero.
type Totals map[string]int64

// Add sums other into t.
func (t Totals) Add(other Totals) {
	for k, v := range other {
		t[k] += v
	}
}

// MaxRangeDays bounds a report: 92 days is a quarter, and costs at most 92 × Shards item reads.
const MaxRangeDays = 92

// Report is the support figures of a range of counter days (both ends inclusive, days in Zone).
// Rates are percentages rounded to one decimal; a rate or mean with nothing to divide by is null.
type Report struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Days     int    `json:"days"`
	TimeZone string `json:"timeZone"`

	CSAT              CSAT             `json:"csat"`
	CES               CES              `json:"ces"`
	NPS               NPS              `json:"nps"`
	FirstResponseTime DurationFigure   `json:"firstResponseTime"`
	ResolutionTime    DurationFigure   `json:"resolutionTime"`
	Retention         RetentionFigures `json:"retention"`
	Counts            Counts           `json:"counts"`
	ReturnRate        ReturnRate       `json:"returnRate"`
	HelpCenter        HelpCenter       `json:"helpCenter"`
	// SurveyResponseRate: invited vs answered surveys per subject type (survey_invitations.go).
	SurveyResponseRate SurveyResponseRates `json:"surveyResponseRate"`
	SLA                SLAFigures          `json:"sla"`
}

// CSAT: share of responses scoring 4 or 5 on the 1–5 scale.
type CSAT struct {
	Responses int64    `json:"responses"`
	Satisfied int64    `json:"satisfied"`
	Percent   *float64 `json:"percent"`   // satisfied ÷ responses × 100
	MeanScore *float64 `json:"meanScore"` // sum of scores ÷ responses
}

// CES: mean Customer Effort Score on the 1–7 scale (lower is less effort).
type CES struct {
	Responses int64    `json:"responses"`
	Mean      *float64 `json:"mean"`
}

// NPS: % promoters (9–10) − % detractors (0–6) of the responses, from −100 to 100.
type NPS struct {
	Responses  int64    `json:"responses"`
	Promoters  int64    `json:"promoters"`
	Passives   int64    `json:"passives"`
	Detractors int64    `json:"detractors"`
	Score      *float64 `json:"score"`
}

// PercentileMethod names how percentiles are read from the fixed buckets.
const PercentileMethod = "bucket_upper_bound"

// DurationFigure describes a time-to-X distribution kept as fixed buckets.
type DurationFigure struct {
	Count       int64       `json:"count"`
	MeanSeconds *int64      `json:"meanSeconds"` // exact: sum ÷ count, rounded to the second
	P50         *Percentile `json:"p50"`
	P90         *Percentile `json:"p90"`
	// Method: the reported value is the upper bound of the bucket holding the nearest-rank percentile
	// (rank ⌈p/100 × count⌉), so the true value is at most that bound and above the previous bound.
	Method string `json:"method"`
	// BucketUpperBoundsSeconds are the bucket bounds; one more, open-ended bucket holds longer durations.
	BucketUpperBoundsSeconds []int64 `json:"bucketUpperBoundsSeconds"`
	// BucketCounts has len(bounds)+1 entries, the last for the open bucket.
	BucketCounts []int64 `json:"bucketCounts"`
}

// Percentile is a bucket-resolution percentile. In the open last bucket UpperBoundSeconds is null and
// OverSeconds says the value exceeds the last bound.
type Percentile struct {
	UpperBoundSeconds *int64 `json:"upperBoundSeconds"`
	OverSeconds       *int64 `json:"overSeconds,omitempty"`
}

// Counts are events by the WIB day they happened.
type Counts struct {
	Surveys           int64            `json:"surveys"`           // survey responses submitted
	Orders            int64            `json:"orders"`            // orders placed (first upsert, on placedAt's day)
	UnitsOrdered      int64            `json:"unitsOrdered"`      // units on those orders
	Tickets           int64            `json:"tickets"`           // complaints filed
	TicketsByPriority map[string]int64 `json:"ticketsByPriority"` // by priority at filing
	FirstResponses    int64            `json:"firstResponses"`    // first agent replies (day of the reply)
	Resolutions       int64            `json:"resolutions"`       // first resolutions (day resolved; re-resolving does not count)
	Escalations       int64            `json:"escalations"`       // recorded once per dedupKey by the consumer, on the day it escalated
	ServiceRecoveries int64            `json:"serviceRecoveries"` // surveys that asked for service recovery (day submitted)
	Returns           int64            `json:"returns"`           // return requests
	UnitsReturned     int64            `json:"unitsReturned"`     // units requested, less units of returns cancelled or rejected (on that day)
	Refunds           int64            `json:"refunds"`           // returns refunded (day refunded)
}

// ReturnRate is given both ways. Both compare events of the same days (returns requested in the range
// against orders placed in the range), not a cohort of orders followed until their return window ends.
type ReturnRate struct {
	// UnitsPercent = units on return requests ÷ units ordered × 100 (cancelled/rejected returns excluded).
	UnitsPercent *float64 `json:"unitsPercent"`
	// ReturnsPerOrdersPercent = return requests ÷ orders placed × 100.
	ReturnsPerOrdersPercent *float64 `json:"returnsPerOrdersPercent"`
}

// Summarize computes the report of totals summed over the days from..to.
func Summarize(from, to string, days int, t Totals) Report {
	r := Report{From: from, To: to, Days: days, TimeZone: "UTC+07:00 (WIB)"}

	r.CSAT = CSAT{Responses: t[CSATResponses], Satisfied: t[CSATSatisfied],
		Percent: percent(t[CSATSatisfied], t[CSATResponses]), MeanScore: ratio(t[CSATScoreSum], t[CSATResponses], 10)}
	r.CES = CES{Responses: t[CESResponses], Mean: ratio(t[CESScoreSum], t[CESResponses], 10)}
	r.NPS = NPS{Responses: t[NPSResponses], Promoters: t[NPSPromoters], Detractors: t[NPSDetractors],
		Passives: t[NPSResponses] - t[NPSPromoters] - t[NPSDetractors]}
	if n := t[NPSResponses]; n > 0 {
		r.NPS.Score = round1(float64(t[NPSPromoters]-t[NPSDetractors]) * 100 / float64(n))
	}

	r.FirstResponseTime = durationFigure(t, FirstResponses, FirstResponseSecs, FirstResponseBucket, FirstResponseBounds)
	r.ResolutionTime = durationFigure(t, Resolutions, ResolutionSecs, ResolutionBucket, ResolutionBounds)
	r.Retention = RetentionOf(t)

	byPriority := make(map[string]int64, len(TicketPriorities))
	for _, p := range TicketPriorities {
		byPriority[p] = t[TicketsPriorityPfx+p]
	}
	r.Counts = Counts{
		Surveys: t[Surveys], Orders: t[OrdersCreated], UnitsOrdered: t[UnitsOrdered],
		Tickets: t[TicketsCreated], TicketsByPriority: byPriority, FirstResponses: t[FirstResponses],
		Resolutions: t[Resolutions], Escalations: t[Escalations], ServiceRecoveries: t[ServiceRecoveries],
		Returns: t[ReturnsRequested], UnitsReturned: t[UnitsReturned], Refunds: t[ReturnsRefunded],
	}
	r.ReturnRate = ReturnRate{
		UnitsPercent:            percent(t[UnitsReturned], t[UnitsOrdered]),
		ReturnsPerOrdersPercent: percent(t[ReturnsRequested], t[OrdersCreated]),
	}
	r.HelpCenter = helpCenterFigures(t)
	r.SurveyResponseRate = surveyResponseRates(t)
	r.SLA = summarizeSLA(t)
	return r
}

func durationFigure(t Totals, countName, sumName, bucketPrefix string, bounds []time.Duration) DurationFigure {
	f := DurationFigure{Count: t[countName], Method: PercentileMethod}
	for _, b := range bounds {
		f.BucketUpperBoundsSeconds = append(f.BucketUpperBoundsSeconds, int64(b/time.Second))
	}
	f.BucketCounts = make([]int64, len(bounds)+1)
	for i := range f.BucketCounts {
		f.BucketCounts[i] = t[bucketPrefix+strconv.Itoa(i)]
	}
	if f.Count > 0 {
		mean := int64(math.Round(float64(t[sumName]) / float64(f.Count)))
		f.MeanSeconds = &mean
	}
	f.P50 = BucketPercentile(f.BucketCounts, bounds, 50)
	f.P90 = BucketPercentile(f.BucketCounts, bounds, 90)
	return f
}

// BucketPercentile returns the p-th percentile (0 < p ≤ 100) of the bucketed values: the upper bound of
// the bucket holding the value of nearest rank ⌈p/100 × n⌉. counts has one more entry than bounds (the
// open bucket). Nil when there are no values.
func BucketPercentile(counts []int64, bounds []time.Duration, p int) *Percentile {
	var n int64
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return nil
	}
	rank := (int64(p)*n + 99) / 100 // ⌈p × n / 100⌉ in integers
	rank = max(rank, 1)
	var seen int64
	for i, c := range counts {
		seen += c
		if seen < rank {
			continue
		}
		if i < len(bounds) {
			s := int64(bounds[i] / time.Second)
			return &Percentile{UpperBoundSeconds: &s}
		}
		break
	}
	over := int64(bounds[len(bounds)-1] / time.Second)
	return &Percentile{OverSeconds: &over}
}

func percent(part, whole int64) *float64 {
	if whole <= 0 {
		return nil
	}
	return round1(float64(part) * 100 / float64(whole))
}

// ratio is part ÷ whole rounded to 1/scale (scale 10: one decimal).
func ratio(part, whole int64, scale float64) *float64 {
	if whole <= 0 {
		return nil
	}
	v := math.Round(float64(part)/float64(whole)*scale) / scale
	return &v
}

func round1(x float64) *float64 {
	v := math.Round(x*10) / 10
	return &v
}
