// Package metrics defines the support figures ops read: daily counters that every write bumps in the
// same transaction as the change itself, so reading a date range costs a fixed number of item reads.
package metrics

import (
	"strconv"
	"time"
)

// Counter names. Sums of seconds and histogram buckets make mean and percentiles derivable from counters.
const (
	OrdersCreated = "orders_created"
	UnitsOrdered  = "units_ordered"

	ReturnsRequested = "returns_requested"
	UnitsReturned    = "units_returned" // units on requested returns (cancelled/rejected ones are subtracted)
	ReturnsRefunded  = "returns_refunded"

	TicketsCreated      = "tickets_created"
	TicketsPriorityPfx  = "tickets_priority_" // + low|normal|high|urgent
	Escalations         = "escalations"
	FirstResponses      = "first_responses"
	FirstResponseSecs   = "first_response_seconds"
	FirstResponseBucket = "frt_bucket_" // + bucket index
	Resolutions         = "resolutions"
	ResolutionSecs      = "resolution_seconds"
	ResolutionBucket    = "resolution_bucket_" // + bucket index

	Surveys       = "surveys"
	CSATResponses = "csat_responses"
	CSATSatisfied = "csat_satisfied" // scores 4 and 5
	CSATScoreSum  = "csat_score_sum"
	CESResponses  = "ces_responses"
	CESScoreSum   = "ces_score_sum"
	NPSResponses  = "nps_responses"
	NPSPromoters  = "nps_promoters"  // 9-10
	NPSDetractors = "nps_detractors" // 0-6
)

// FirstResponseBounds are the upper bounds of the first-response-time buckets; the last bucket is open.
var FirstResponseBounds = []time.Duration{
	5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour,
	4 * time.Hour, 8 * time.Hour, 24 * time.Hour, 48 * time.Hour,
}

// ResolutionBounds are the upper bounds of the resolution-time buckets; the last bucket is open.
var ResolutionBounds = []time.Duration{
	time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour, 48 * time.Hour,
	72 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour,
}

// Bucket returns the index of the first bucket whose upper bound is >= d (len(bounds) for the open bucket).
func Bucket(bounds []time.Duration, d time.Duration) int {
	for i, b := range bounds {
		if d <= b {
			return i
		}
	}
	return len(bounds)
}

// BucketCounter names the counter of d's bucket, e.g. "frt_bucket_3".
func BucketCounter(prefix string, bounds []time.Duration, d time.Duration) string {
	return prefix + strconv.Itoa(Bucket(bounds, d))
}

// Zone is the day boundary for daily counters: Western Indonesian Time (UTC+7), where the shops are.
// A fixed offset needs no tzdata in the Lambda image, and Indonesia has no daylight saving.
var Zone = time.FixedZone("WIB", 7*60*60)

// Day is the counter day of t, as YYYY-MM-DD in Zone.
func Day(t time.Time) string { return t.In(Zone).Format(time.DateOnly) }

// Shards spreads each day's counters over this many items, so a busy day is not one hot partition.
// Readers sum all shards; writers pick one at random.
const Shards = 4
