package calendar

import (
	"strconv"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Spec is a calendar as ops write it and as it is stored: a zone, "HH:MM-HH:MM" intervals per weekday
// (a day left out or empty is closed) and dated holidays.
type Spec struct {
	TimeZone    string        `json:"timeZone"`
	WeeklyHours WeeklyHours   `json:"weeklyHours"`
	Holidays    []HolidaySpec `json:"holidays"`
}

// WeeklyHours are the opening intervals of each weekday.
type WeeklyHours struct {
	Monday    []string `json:"monday"`
	Tuesday   []string `json:"tuesday"`
	Wednesday []string `json:"wednesday"`
	Thursday  []string `json:"thursday"`
	Friday    []string `json:"friday"`
	Saturday  []string `json:"saturday"`
	Sunday    []string `json:"sunday"`
}

// HolidaySpec is one dated closure.
type HolidaySpec struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

// MaxHolidayName bounds a holiday's name, in bytes.
const MaxHolidayName = 100

func (w *WeeklyHours) days() []struct {
	name string
	wd   time.Weekday
	ivs  *[]string
} {
	return []struct {
		name string
		wd   time.Weekday
		ivs  *[]string
	}{
		{"monday", time.Monday, &w.Monday}, {"tuesday", time.Tuesday, &w.Tuesday}, {"wednesday", time.Wednesday, &w.Wednesday},
		{"thursday", time.Thursday, &w.Thursday}, {"friday", time.Friday, &w.Friday}, {"saturday", time.Saturday, &w.Saturday},
		{"sunday", time.Sunday, &w.Sunday},
	}
}

// Calendar checks s and builds the calendar, or answers a validation failure naming each bad field by
// JSON path (weeklyHours.friday[1], holidays[0].date).
func (s Spec) Calendar() (Calendar, error) {
	var fields []failure.FieldError
	bad := func(field, code, param string) {
		fields = append(fields, failure.FieldError{Field: field, Code: code, Param: param})
	}
	week := Week{}
	for _, d := range s.WeeklyHours.days() {
		path := "weeklyHours." + d.name
		if len(*d.ivs) > MaxIntervalsPerDay {
			bad(path, "max", strconv.Itoa(MaxIntervalsPerDay))
			continue
		}
		for i, raw := range *d.ivs {
			iv, err := ParseInterval(raw)
			if err != nil {
				bad(path+"["+strconv.Itoa(i)+"]", "invalid", "")
				continue
			}
			week[d.wd] = append(week[d.wd], iv)
		}
		if _, err := New(DefaultZone, Week{d.wd: week[d.wd]}, nil); len(week[d.wd]) > 0 && err != nil {
			bad(path, "invalid", "")
		}
	}
	if len(s.Holidays) > MaxHolidays {
		bad("holidays", "max", strconv.Itoa(MaxHolidays))
	}
	seen := map[Date]bool{}
	var holidays []Holiday
	for i, h := range s.Holidays {
		path := "holidays[" + strconv.Itoa(i) + "]"
		d, err := ParseDate(h.Date)
		switch {
		case err != nil:
			bad(path+".date", "datetime", "")
		case seen[d]:
			bad(path+".date", "unique", "")
		}
		if len(h.Name) > MaxHolidayName {
			bad(path+".name", "max", strconv.Itoa(MaxHolidayName))
		}
		seen[d] = true
		holidays = append(holidays, Holiday{Date: d, Name: h.Name})
	}
	if s.TimeZone != "" {
		if _, err := New(s.TimeZone, Default().weekSpec(), nil); err != nil {
			bad("timeZone", "invalid", "")
		}
	}
	if len(fields) > 0 {
		return Calendar{}, failure.Invalid(fields...)
	}
	c, err := New(s.TimeZone, week, holidays)
	if err != nil { // only a week without any hours is left
		return Calendar{}, failure.Invalid(failure.FieldError{Field: "weeklyHours", Code: "required"})
	}
	return c, nil
}

func (c Calendar) weekSpec() Week {
	w := Week{}
	for wd, ivs := range c.week {
		if len(ivs) > 0 {
			w[time.Weekday(wd)] = ivs
		}
	}
	return w
}

// Spec is c written back as a Spec (every weekday listed, closed days empty; holidays by date).
func (c Calendar) Spec() Spec {
	s := Spec{TimeZone: c.zone, Holidays: []HolidaySpec{}}
	for _, d := range s.WeeklyHours.days() {
		*d.ivs = []string{}
		for _, iv := range c.week[d.wd] {
			*d.ivs = append(*d.ivs, iv.String())
		}
	}
	for _, h := range c.Holidays() {
		s.Holidays = append(s.Holidays, HolidaySpec{Date: h.Date.String(), Name: h.Name})
	}
	return s
}
