package calendar

import (
	"testing"
	"time"
)

// A calendar may list MaxHolidays holidays, not one more.
func TestHolidayLimit(t *testing.T) {
	day := []Interval{{8 * 60, 17 * 60}}
	week := Week{time.Monday: day, time.Tuesday: day, time.Wednesday: day, time.Thursday: day, time.Friday: day}
	holidays := func(n int) []Holiday {
		var out []Holiday
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			d := start.AddDate(0, 0, i)
			out = append(out, Holiday{Date: Date{Year: d.Year(), Month: d.Month(), Day: d.Day()}, Name: "Libur"})
		}
		return out
	}
	if _, err := New("", week, holidays(MaxHolidays)); err != nil {
		t.Fatalf("%d holidays: %v", MaxHolidays, err)
	}
	if _, err := New("", week, holidays(MaxHolidays+1)); err == nil {
		t.Fatalf("%d holidays accepted", MaxHolidays+1)
	}
}
