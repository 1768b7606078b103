package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
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

// A function without a metrics writer (tests, tools) counts nothing: no panic, and no warning either, since
// nothing failed.
func TestCountEventWithoutWriterWritesNothing(t *testing.T) {
	logs := captureLog(t)
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("CountEvent with a nil writer panicked: %v", r)
			}
		}()
		CountEvent(context.Background(), nil, time.Now(), ReturnsRequestedMetric, "returns")
	}()
	if logs.Len() != 0 {
		t.Fatalf("CountEvent with a nil writer logged %s", logs)
	}
}

// The event has already happened when its metric is written: a failed write is a warning naming the metric,
// never a panic or an error for the caller; a good write logs nothing.
func TestCountEventLogsOnlyAFailedWrite(t *testing.T) {
	logs := captureLog(t)
	var buf bytes.Buffer
	CountEvent(context.Background(), &buf, time.Now(), ReturnsRefundedMetric, "returns")
	if buf.Len() == 0 || logs.Len() != 0 {
		t.Fatalf("good write: wrote %q, logged %q", buf.String(), logs.String())
	}

	CountEvent(context.Background(), failingWriter{}, time.Now(), ReturnsRefundedMetric, "returns")
	var line struct{ Level, Msg, Metric string }
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("failed write logged %q: %v", logs.String(), err)
	}
	if line.Level != "WARN" || line.Metric != ReturnsRefundedMetric {
		t.Fatalf("failed write logged %q, want a warning naming %s", logs.String(), ReturnsRefundedMetric)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

// captureLog sends slog's default logger to a buffer for the rest of the test.
func captureLog(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

// The survey line carries the business metric the dashboard graphs under the same name.
func TestSurveyValuesCarrySurveyResponses(t *testing.T) {
	vs := SurveyValues(5, nil, nil, false)
	if !reflect.DeepEqual(vs[0], Value{Name: SurveyResponsesMetric, Unit: UnitCount, Value: 1}) {
		t.Fatalf("first survey value %+v", vs[0])
	}
}
