package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestCountEventWritesOneEMFLine(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 11, 20, 3, 4, 5, 0, time.UTC)
	CountEvent(context.Background(), &buf, at, TicketsCreatedMetric, "complaints", Dimension{Name: "Priority", Value: "high"})

	want := `{"_aws":{"Timestamp":` + strconv.FormatInt(at.UnixMilli(), 10) + `,"CloudWatchMetrics":[{"Namespace":"Tanggap","Dimensions":[["Service","Priority"]],` +
		`"Metrics":[{"Name":"TicketsCreated","Unit":"Count"}]}]},"Service":"complaints","Priority":"high","TicketsCreated":1}` + "\n"
	if buf.String() != want {
		t.Fatalf("got  %s\nwant %s", buf.String(), want)
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
}

func TestCountEventWithoutWriterWritesNothing(t *testing.T) {
	CountEvent(context.Background(), nil, time.Now(), ReturnsRequestedMetric, "returns") // must not panic
}

// The survey line carries the business metric the dashboard graphs under the same name.
func TestSurveyValuesCarrySurveyResponses(t *testing.T) {
	vs := SurveyValues(5, nil, nil, false)
	if !reflect.DeepEqual(vs[0], Value{Name: SurveyResponsesMetric, Unit: UnitCount, Value: 1}) {
		t.Fatalf("first survey value %+v", vs[0])
	}
}
