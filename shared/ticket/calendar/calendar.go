// Package calendar is the shop's business calendar: a time zone, weekly opening hours and dated holidays.
// It adds business time to an instant and measures business time between two instants, so SLA targets
// can count only the hours the shop is open.
package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultZone is the shop's zone when the calendar names none: Western Indonesian Time.
const DefaultZone = "Asia/Jakarta"

// Limits keep a calendar small enough to read in one item and to walk quickly.
const (
	MaxIntervalsPerDay = 6
	MaxHolidays        = 400
)

// horizon bounds every walk: a calendar that is open at least once a week reaches any target well before
// it; past it the walk stops instead of looping (a year of holidays can close at most MaxHolidays days).
const horizon = 3 * 366

// Interval is an opening interval of one weekday, in minutes after local midnight. End <= Start means the
// interval runs past midnight into the next day (22:00-02:00); 00:00-00:00 is the whole day. An interval
// belongs to the day it starts on: a holiday closes the intervals that start on it. Intervals may touch
// but not overlap, within a day or across midnight.
type Interval struct {
	Start int // 0..1439
	End   int // 0..1439
}

// length is the interval's duration in minutes.
func (iv Interval) length() int {
	if iv.End > iv.Start {
		return iv.End - iv.Start
	}
	return 24*60 - iv.Start + iv.End
}

// Date is a civil date in the calendar's zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is t's civil date in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// String is the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return Date{}, fmt.Errorf("calendar: %q is not a date (YYYY-MM-DD)", s)
	}
	return DateOf(t, time.UTC), nil
}

// addDays is the date n days after d.
func (d Date) addDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC), time.UTC)
}

func (d Date) weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Holiday is a dated closure: a national holiday or cuti bersama.
type Holiday struct {
	Date Date
	Name string
}

// Calendar is the shop's business calendar. Build it with New or Parse so it is valid.
type Calendar struct {
	zone     string
	loc      *time.Location
	week     [7][]Interval // by time.Weekday, sorted by Start
	holidays map[Date]string
}

// Week is the opening hours by weekday.
type Week map[time.Weekday][]Interval

// New checks and builds a calendar. zone "" is DefaultZone.
func New(zone string, week Week, holidays []Holiday) (Calendar, error) {
	if zone == "" {
		zone = DefaultZone
	}
	var errs []error
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "Local" {
		errs = append(errs, fmt.Errorf("calendar: unknown time zone %q", zone))
		loc = time.UTC
	}
	c := Calendar{zone: zone, loc: loc, holidays: make(map[Date]string, len(holidays))}
	open := false
	for wd, ivs := range week {
		if wd < time.Sunday || wd > time.Saturday {
			errs = append(errs, fmt.Errorf("calendar: no weekday %d", wd))
			continue
		}
		if len(ivs) > MaxIntervalsPerDay {
			errs = append(errs, fmt.Errorf("calendar: %s has more than %d intervals", wd, MaxIntervalsPerDay))
		}
		day := append([]Interval(nil), ivs...)
		sort.Slice(day, func(i, j int) bool { return day[i].Start < day[j].Start })
		for i, iv := range day {
			if iv.Start < 0 || iv.Start >= 24*60 || iv.End < 0 || iv.End >= 24*60 {
				errs = append(errs, fmt.Errorf("calendar: %s interval %s is outside the day", wd, iv))
				continue
			}
			if prev := day[max(i-1, 0)]; i > 0 && iv.Start < prev.Start+prev.length() {
				errs = append(errs, fmt.Errorf("calendar: %s intervals %s and %s overlap", wd, prev, iv))
			}
			open = true
		}
		c.week[wd] = day
	}
	for wd := range c.week { // an interval past midnight must end before the next day's first one starts
		day, next := c.week[wd], c.week[(wd+1)%7]
		if n := len(day); n > 0 && len(next) > 0 && day[n-1].End <= day[n-1].Start && next[0].Start < day[n-1].End {
			errs = append(errs, fmt.Errorf("calendar: %s %s runs into %s %s", time.Weekday(wd), day[n-1], time.Weekday((wd+1)%7), next[0]))
		}
	}
	if !open {
		errs = append(errs, errors.New("calendar: no opening hours in the week"))
	}
	if len(holidays) > MaxHolidays {
		errs = append(errs, fmt.Errorf("calendar: more than %d holidays", MaxHolidays))
	}
	for _, h := range holidays {
		if _, dup := c.holidays[h.Date]; dup {
			errs = append(errs, fmt.Errorf("calendar: holiday %s listed twice", h.Date))
		}
		c.holidays[h.Date] = h.Name
	}
	if err := errors.Join(errs...); err != nil {
		return Calendar{}, err
	}
	return c, nil
}

// MustNew is New for fixed calendars known to be valid; it panics otherwise.
func MustNew(zone string, week Week, holidays []Holiday) Calendar {
	c, err := New(zone, week, holidays)
	if err != nil {
		panic(err)
	}
	return c
}

// Default is Asia/Jakarta, Monday to Friday 08:00-17:00, no holidays: the calendar until ops set one.
func Default() Calendar {
	day := []Interval{{8 * 60, 17 * 60}}
	return MustNew(DefaultZone, Week{time.Monday: day, time.Tuesday: day, time.Wednesday: day,
		time.Thursday: day, time.Friday: day}, nil)
}

// Zone is the calendar's IANA time zone name.
func (c Calendar) Zone() string { return c.zone }

// Location is the calendar's zone.
func (c Calendar) Location() *time.Location {
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// Hours are the opening intervals of weekday wd.
func (c Calendar) Hours(wd time.Weekday) []Interval { return append([]Interval(nil), c.week[wd]...) }

// Holidays are the dated closures, oldest first.
func (c Calendar) Holidays() []Holiday {
	out := make([]Holiday, 0, len(c.holidays))
	for d, n := range c.holidays {
		out = append(out, Holiday{d, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.String() < out[j].Date.String() })
	return out
}

// IsZero reports whether c was never built (the zero Calendar has no hours).
func (c Calendar) IsZero() bool { return c.loc == nil }

// span is one opening interval on one date, as instants.
type span struct{ start, end time.Time }

// spans are the opening intervals that start on date d (none on a holiday), in order.
func (c Calendar) spans(d Date) []span {
	if _, closed := c.holidays[d]; closed {
		return nil
	}
	ivs := c.week[d.weekday()]
	out := make([]span, 0, len(ivs))
	for _, iv := range ivs {
		start := time.Date(d.Year, d.Month, d.Day, 0, iv.Start, 0, 0, c.loc)
		end := time.Date(d.Year, d.Month, d.Day, 0, iv.Start+iv.length(), 0, 0, c.loc)
		out = append(out, span{start, end})
	}
	return out
}

// walk visits the opening spans that end after from, in order, starting with the day before from's date
// (whose interval may run past midnight). Spans never overlap (New refuses it). visit returns false to stop.
func (c Calendar) walk(from time.Time, visit func(start, end time.Time) bool) {
	cur := from
	first := DateOf(from, c.loc).addDays(-1)
	for i := 0; i <= horizon; i++ {
		for _, s := range c.spans(first.addDays(i)) {
			if !s.end.After(cur) {
				continue
			}
			start := s.start
			if start.Before(cur) {
				start = cur
			}
			if !visit(start, s.end) {
				return
			}
			cur = s.end
		}
	}
}

// Add is the instant d of business time after from: the end of the d-th open minute. Adding nothing (or
// less) is from itself. If the calendar has no hours within three years, the walk stops there.
func (c Calendar) Add(from time.Time, d time.Duration) time.Time {
	if d <= 0 || c.IsZero() {
		return from
	}
	due := time.Time{}
	c.walk(from, func(start, end time.Time) bool {
		if avail := end.Sub(start); avail < d {
			d -= avail
			return true
		}
		due = start.Add(d)
		return false
	})
	if due.IsZero() {
		return from.AddDate(0, 0, horizon)
	}
	return due.In(from.Location())
}

// Between is the business time in [from, to); zero when to is not after from.
func (c Calendar) Between(from, to time.Time) time.Duration {
	if !to.After(from) || c.IsZero() {
		return 0
	}
	var sum time.Duration
	c.walk(from, func(start, end time.Time) bool {
		if !start.Before(to) {
			return false
		}
		if end.After(to) {
			end = to
		}
		sum += end.Sub(start)
		return true
	})
	return sum
}

// IsOpenDay reports whether the shop has opening hours starting on date d.
func (c Calendar) IsOpenDay(d Date) bool { return len(c.spans(d)) > 0 }

// AddDays is the same local time of day n business days (days with opening hours) after from's date.
func (c Calendar) AddDays(from time.Time, n int) time.Time {
	if n <= 0 || c.IsZero() {
		return from
	}
	local := from.In(c.loc)
	d := DateOf(from, c.loc)
	for i := 0; i < horizon && n > 0; i++ {
		d = d.addDays(1)
		if c.IsOpenDay(d) {
			n--
		}
	}
	h, m, s := local.Clock()
	return time.Date(d.Year, d.Month, d.Day, h, m, s, local.Nanosecond(), c.loc).In(from.Location())
}

// String is HH:MM-HH:MM.
func (iv Interval) String() string { return clock(iv.Start) + "-" + clock(iv.End) }

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// ParseInterval reads HH:MM-HH:MM (24-hour; an end at or before the start runs past midnight).
func ParseInterval(s string) (Interval, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Interval{}, fmt.Errorf("calendar: %q is not HH:MM-HH:MM", s)
	}
	a, errA := parseClock(from)
	b, errB := parseClock(to)
	if errA != nil || errB != nil {
		return Interval{}, fmt.Errorf("calendar: %q is not HH:MM-HH:MM", s)
	}
	return Interval{a, b}, nil
}

func parseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, errors.New("not HH:MM")
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || s[0] == '+' || s[3] == '+' {
		return 0, errors.New("not HH:MM")
	}
	return h*60 + m, nil
}

// Sub is the latest instant x <= to with d of business time in [x, to): Add walked backwards. Taking
// nothing is to itself.
func (c Calendar) Sub(to time.Time, d time.Duration) time.Time {
	if d <= 0 || c.IsZero() {
		return to
	}
	cur := to
	last := DateOf(to, c.loc)
	for i := 0; i <= horizon; i++ {
		spans := c.spans(last.addDays(-i))
		for j := len(spans) - 1; j >= 0; j-- {
			s := spans[j]
			if !s.start.Before(cur) {
				continue
			}
			end := s.end
			if end.After(cur) {
				end = cur
			}
			if avail := end.Sub(s.start); avail < d {
				d -= avail
				cur = s.start
				continue
			}
			return end.Add(-d).In(to.Location())
		}
	}
	return to.AddDate(0, 0, -horizon)
}

// AlwaysOpen counts every hour as business time (UTC, every day 00:00-00:00): business and calendar
// time agree.
func AlwaysOpen() Calendar {
	day := []Interval{{0, 0}}
	return MustNew("UTC", Week{time.Sunday: day, time.Monday: day, time.Tuesday: day, time.Wednesday: day,
		time.Thursday: day, time.Friday: day, time.Saturday: day}, nil)
}
