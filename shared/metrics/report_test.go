package metrics

import (
	"encoding/json"
	"testing"
	"time"
)

func TestBucketPercentileIsNearestRankUpperBound(t *testing.T) {
	bounds := []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute}
	secs := func(p *Percentile) string {
		switch {
		case p == nil:
			return "nil"
		case p.UpperBoundSeconds != nil:
			return "≤" + itoa64(*p.UpperBoundSeconds)
		default:
			return ">" + itoa64(*p.OverSeconds)
		}
	}
	cases := []struct {
		counts []int64
		p      int
		want   string
	}{
		{[]int64{0, 0, 0, 0}, 50, "nil"},
		{[]int64{1, 0, 0, 0}, 50, "≤60"},
		{[]int64{1, 0, 0, 0}, 90, "≤60"},
		// 10 values: rank(50) = 5, rank(90) = 9.
		{[]int64{5, 4, 1, 0}, 50, "≤60"},
		{[]int64{5, 4, 1, 0}, 90, "≤120"},
		{[]int64{4, 4, 1, 1}, 50, "≤120"},
		{[]int64{4, 4, 1, 1}, 90, "≤180"},
		{[]int64{4, 4, 0, 2}, 90, ">180"},
		// 3 values: rank(50) = ⌈1.5⌉ = 2, rank(90) = ⌈2.7⌉ = 3.
		{[]int64{1, 1, 1, 0}, 50, "≤120"},
		{[]int64{1, 1, 1, 0}, 90, "≤180"},
		{[]int64{0, 0, 0, 7}, 50, ">180"},
	}
	for _, c := range cases {
		if got := secs(BucketPercentile(c.counts, bounds, c.p)); got != c.want {
			t.Errorf("p%d of %v = %s, want %s", c.p, c.counts, got, c.want)
		}
	}
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestSurveyCounters(t *testing.T) {
	three, nine, six, seven := 3, 9, 6, 7
	cases := []struct {
		csat     int
		ces, nps *int
		recovery bool
		want     map[string]int64
	}{
		{5, nil, nil, false, map[string]int64{Surveys: 1, CSATResponses: 1, CSATSatisfied: 1, CSATScoreSum: 5}},
		{3, &three, &nine, false, map[string]int64{Surveys: 1, CSATResponses: 1, CSATScoreSum: 3, CESResponses: 1, CESScoreSum: 3, NPSResponses: 1, NPSPromoters: 1}},
		{4, nil, &seven, false, map[string]int64{Surveys: 1, CSATResponses: 1, CSATSatisfied: 1, CSATScoreSum: 4, NPSResponses: 1}},
		{1, nil, &six, true, map[string]int64{Surveys: 1, CSATResponses: 1, CSATScoreSum: 1, NPSResponses: 1, NPSDetractors: 1, ServiceRecoveries: 1}},
	}
	for _, c := range cases {
		got := SurveyCounters(c.csat, c.ces, c.nps, c.recovery)
		if len(got) != len(c.want) {
			t.Errorf("csat %d: %v, want %v", c.csat, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("csat %d: %s = %d, want %d", c.csat, k, got[k], v)
			}
		}
	}
}

// Every figure of the report from a known set of counters, checked through its JSON form.
func TestSummarize(t *testing.T) {
	totals := Totals{
		Surveys: 8, CSATResponses: 8, CSATSatisfied: 5, CSATScoreSum: 29,
		CESResponses: 3, CESScoreSum: 8, NPSResponses: 6, NPSPromoters: 3, NPSDetractors: 2,
		OrdersCreated: 4, UnitsOrdered: 12, ReturnsRequested: 1, UnitsReturned: 2, ReturnsRefunded: 1,
		TicketsCreated: 3, TicketsPriorityPfx + "high": 1, TicketsPriorityPfx + "normal": 2, Escalations: 2, ServiceRecoveries: 1,
		FirstResponses: 3, FirstResponseSecs: 600 + 2400 + 200000, FirstResponseBucket + "1": 1, FirstResponseBucket + "3": 1, FirstResponseBucket + "9": 1,
		Resolutions: 2, ResolutionSecs: 7200 + 36000, ResolutionBucket + "1": 1, ResolutionBucket + "3": 1,
		HelpArticleViews: 40, HelpHelpful: 6, HelpNotHelpful: 2, HelpComplaintFormHelpful: 1, HelpComplaintFormNotHelpful: 1,
		SurveysInvitedPfx + "ticket": 4, SurveysAnsweredPfx + "ticket": 1, SurveysInvitedPfx + "order": 3, SurveysAnsweredPfx + "order": 3,
		SurveysAnsweredPfx + "return": 1,
	}
	raw, err := json.Marshal(Summarize("2026-03-01", "2026-03-07", 7, totals))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"from":"2026-03-01","to":"2026-03-07","days":7,"timeZone":"UTC+07:00 (WIB)",` +
		`"csat":{"responses":8,"satisfied":5,"percent":62.5,"meanScore":3.6},` +
		`"ces":{"responses":3,"mean":2.7},` +
		`"nps":{"responses":6,"promoters":3,"passives":1,"detractors":2,"score":16.7},` +
		`"firstResponseTime":{"count":3,"meanSeconds":67667,"p50":{"upperBoundSeconds":3600},"p90":{"upperBoundSeconds":null,"overSeconds":172800},` +
		`"method":"bucket_upper_bound","bucketUpperBoundsSeconds":[300,900,1800,3600,7200,14400,28800,86400,172800],"bucketCounts":[0,1,0,1,0,0,0,0,0,1]},` +
		`"resolutionTime":{"count":2,"meanSeconds":21600,"p50":{"upperBoundSeconds":14400},"p90":{"upperBoundSeconds":86400},` +
		`"method":"bucket_upper_bound","bucketUpperBoundsSeconds":[3600,14400,28800,86400,172800,259200,604800,1209600],"bucketCounts":[0,1,0,1,0,0,0,0,0]},` +
		`"retention":{"cohort":{"customers":0,"orderedAgainWithin":[{"days":30,"customers":0,"percent":null},{"days":60,"customers":0,"percent":null},{"days":90,"customers":0,"percent":null}]},` +
		`"afterSupport":{"customers":0,"orderedAgainWithin90Days":0,"percent":null,"byLastTicketSla":[{"outcome":"sla_met","customers":0,"orderedAgainWithin90Days":0,"percent":null},` +
		`{"outcome":"sla_missed","customers":0,"orderedAgainWithin90Days":0,"percent":null},{"outcome":"unresolved","customers":0,"orderedAgainWithin90Days":0,"percent":null},` +
		`{"outcome":"no_ticket","customers":0,"orderedAgainWithin90Days":0,"percent":null}]}},` +
		`"counts":{"surveys":8,"orders":4,"unitsOrdered":12,"tickets":3,"ticketsByPriority":{"high":1,"low":0,"normal":2,"urgent":0},` +
		`"firstResponses":3,"resolutions":2,"escalations":2,"serviceRecoveries":1,"returns":1,"unitsReturned":2,"refunds":1},` +
		`"returnRate":{"unitsPercent":16.7,"returnsPerOrdersPercent":25},` +
		`"helpCenter":{"articleViews":40,"feedback":{"helpful":6,"notHelpful":2,"helpfulPercent":75},` +
		`"deflection":{"complaintFormHelpful":1,"complaintFormNotHelpful":1,"complaintsFiled":3,"percent":25}},` +
		`"surveyResponseRate":{"overall":{"invited":7,"answered":5,"percent":71.4},"bySubjectType":{` +
		`"order":{"invited":3,"answered":3,"percent":100},"return":{"invited":0,"answered":1,"percent":null},` +
		`"ticket":{"invited":4,"answered":1,"percent":25}}}}`
	// The SLA section has tests of its own (sla_test.go) and is left out of this comparison.
	if got := withoutSections(t, raw, "sla"); got != withoutSections(t, []byte(want)) {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// With nothing counted, rates and percentiles are null rather than a misleading 0.
func TestSummarizeEmpty(t *testing.T) {
	r := Summarize("2026-03-01", "2026-03-01", 1, Totals{})
	if r.CSAT.Percent != nil || r.CES.Mean != nil || r.NPS.Score != nil || r.FirstResponseTime.P50 != nil ||
		r.ResolutionTime.MeanSeconds != nil || r.ReturnRate.UnitsPercent != nil || r.ReturnRate.ReturnsPerOrdersPercent != nil {
		t.Fatalf("%+v", r)
	}
	if len(r.FirstResponseTime.BucketCounts) != len(FirstResponseBounds)+1 || r.Counts.TicketsByPriority["urgent"] != 0 {
		t.Fatalf("%+v", r.FirstResponseTime)
	}
}

func TestDayRange(t *testing.T) {
	days, err := DayRange("2026-02-27", "2026-03-02")
	if err != nil || len(days) != 4 || days[0] != "2026-02-27" || days[3] != "2026-03-02" {
		t.Fatalf("%v %v", days, err)
	}
	if days, err := DayRange("2026-01-01", "2026-04-02"); err != nil || len(days) != MaxRangeDays {
		t.Fatalf("92 days: %d %v", len(days), err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"", "", "from:required to:required"},
		{"2026-02-30", "2026-3-1", "from:report_date to:report_date"},
		{"2026-03-02", "2026-03-01", "to:report_range_order"},
		{"2026-01-01", "2026-04-03", "to:report_range_days"},
		{"2026-01-01T00:00:00Z", "2026-01-02", "from:report_date"},
	} {
		_, err := DayRange(c.from, c.to)
		if got := fieldCodes(err); got != c.want {
			t.Errorf("%q..%q: %s, want %s", c.from, c.to, got, c.want)
		}
	}
}

// withoutSections is the JSON object raw without the named top-level keys, keys sorted.
func withoutSections(t *testing.T, raw []byte, keys ...string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		delete(m, k)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
