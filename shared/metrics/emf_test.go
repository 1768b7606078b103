package metrics

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

func fieldCodes(err error) string {
	fe, ok := failure.As(err)
	if !ok {
		return "no failure: " + errString(err)
	}
	var parts []string
	for _, f := range fe.Fields {
		parts = append(parts, f.Field+":"+f.Code)
	}
	return strings.Join(parts, " ")
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

// The exact line, per the CloudWatch Embedded Metric Format specification: `_aws` with Timestamp in epoch
// milliseconds and one CloudWatchMetrics directive naming the namespace, the dimension set and each
// metric with its unit; dimension and metric values as top-level members.
func TestEMFLineShape(t *testing.T) {
	var buf bytes.Buffer
	ts := time.Date(2026, 11, 2, 3, 4, 5, 678_000_000, time.UTC)
	err := EMF(&buf, ts, Namespace, []Dimension{{Name: "Service", Value: "surveys"}}, []Value{
		{Name: "CSATScore", Unit: UnitNone, Value: 4},
		{Name: "FirstResponseTime", Unit: UnitSeconds, Value: 90.5},
		{Name: "CSATPercent", Value: 62.5},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"_aws":{"Timestamp":1793588645678,"CloudWatchMetrics":[{"Namespace":"Tanggap","Dimensions":[["Service"]],` +
		`"Metrics":[{"Name":"CSATScore","Unit":"None"},{"Name":"FirstResponseTime","Unit":"Seconds"},{"Name":"CSATPercent","Unit":"None"}]}]},` +
		`"Service":"surveys","CSATScore":4,"FirstResponseTime":90.5,"CSATPercent":62.5}` + "\n"
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
	var parsed map[string]any
	if err := json.Unmarshal(buf.Bytes(), &parsed); err != nil {
		t.Fatal(err)
	}
}

func TestEMFRejectsWhatCloudWatchWouldDrop(t *testing.T) {
	dims := []Dimension{{Name: "Service", Value: "x"}}
	many := make([]Value, 101)
	for i := range many {
		many[i] = Value{Name: "M" + itoa64(int64(i)), Value: 1}
	}
	for name, values := range map[string][]Value{
		"no metrics":            nil,
		"over 100 metrics":      many,
		"NaN":                   {{Name: "A", Value: math.NaN()}},
		"infinite":              {{Name: "A", Value: math.Inf(1)}},
		"repeated name":         {{Name: "A", Value: 1}, {Name: "A", Value: 2}},
		"metric named as a dim": {{Name: "Service", Value: 1}},
		"reserved _aws":         {{Name: "_aws", Value: 1}},
	} {
		var buf bytes.Buffer
		if err := EMF(&buf, time.Now(), Namespace, dims, values); err == nil || buf.Len() != 0 {
			t.Errorf("%s: err %v, wrote %q", name, err, buf.String())
		}
	}
}

func TestSurveyValues(t *testing.T) {
	var buf bytes.Buffer
	nps := 6
	ts := time.UnixMilli(1000)
	if err := EMF(&buf, ts, Namespace, []Dimension{{Name: "Service", Value: "surveys"}}, SurveyValues(2, nil, &nps, true)); err != nil {
		t.Fatal(err)
	}
	want := `{"_aws":{"Timestamp":1000,"CloudWatchMetrics":[{"Namespace":"Tanggap","Dimensions":[["Service"]],"Metrics":[` +
		`{"Name":"SurveyResponses","Unit":"Count"},{"Name":"CSATScore","Unit":"None"},{"Name":"CSATSatisfied","Unit":"Count"},` +
		`{"Name":"NPSScore","Unit":"None"},{"Name":"NPSPromoter","Unit":"Count"},{"Name":"NPSDetractor","Unit":"Count"},` +
		`{"Name":"ServiceRecovery","Unit":"Count"}]}]},"Service":"surveys","SurveyResponses":1,"CSATScore":2,"CSATSatisfied":0,` +
		`"NPSScore":6,"NPSPromoter":0,"NPSDetractor":1,"ServiceRecovery":1}` + "\n"
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
