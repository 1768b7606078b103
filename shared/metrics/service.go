package metrics

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// CounterReader is the port to the daily counters.
type CounterReader interface {
	// Sum adds up every counter of the given days over all shards. Days never written add nothing.
	Sum(ctx context.Context, days []string) (Totals, error)
}

// Service answers ops' questions about the support figures.
type Service struct {
	counters CounterReader
	emf      io.Writer
	now      func() time.Time
}

// NewService wires a Service. Each report is also written to emf as an Embedded Metric Format line
// (nil: not written).
func NewService(counters CounterReader, emf io.Writer, now func() time.Time) *Service {
	return &Service{counters: counters, emf: emf, now: now}
}

// Report computes the figures of the counter days from..to (YYYY-MM-DD, both inclusive, days in Zone).
func (s *Service) Report(ctx context.Context, from, to string) (Report, error) {
	days, err := DayRange(from, to)
	if err != nil {
		return Report{}, err
	}
	totals, err := s.counters.Sum(ctx, days)
	if err != nil {
		return Report{}, err
	}
	r := Summarize(from, to, len(days), totals)
	if s.emf != nil {
		if err := EMF(s.emf, s.now(), Namespace, []Dimension{{Name: "Service", Value: "metrics"}}, ReportValues(r)); err != nil {
			slog.WarnContext(ctx, "writing EMF line failed", slog.Any("err", err))
		}
	}
	return r, nil
}

// DayRange lists the days from..to, or explains with field errors why the range is not acceptable:
// both required, real dates as YYYY-MM-DD, from not after to, at most MaxRangeDays days.
func DayRange(from, to string) ([]string, error) {
	var fields []failure.FieldError
	start, ok := parseDay("from", from, &fields)
	end, ok2 := parseDay("to", to, &fields)
	if ok && ok2 {
		switch n := int(end.Sub(start)/(24*time.Hour)) + 1; {
		case n < 1:
			fields = append(fields, failure.FieldError{Field: "to", Code: "report_range_order"})
		case n > MaxRangeDays:
			fields = append(fields, failure.FieldError{Field: "to", Code: "report_range_days", Param: strconv.Itoa(MaxRangeDays)})
		}
	}
	if len(fields) > 0 {
		return nil, failure.Invalid(fields...)
	}
	var days []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days, nil
}

func parseDay(field, s string, fields *[]failure.FieldError) (time.Time, bool) {
	if s == "" {
		*fields = append(*fields, failure.FieldError{Field: field, Code: "required"})
		return time.Time{}, false
	}
	// time.Parse accepts only real dates (no 2026-02-30) in exactly this layout.
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		*fields = append(*fields, failure.FieldError{Field: field, Code: "report_date"})
		return time.Time{}, false
	}
	return t, true
}
