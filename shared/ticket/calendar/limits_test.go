package calendar

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// closedDays lists as holidays every date in [from, until) that falls on weekday wd.
func closedDays(wd time.Weekday, from, until Date) []Holiday {
	var out []Holiday
	for d := from; d.String() < until.String(); d = d.addDays(1) {
		if d.weekday() == wd {
			out = append(out, Holiday{d, "tutup"})
		}
	}
	return out
}

// A calendar open on one weekday only, closed by holidays for more than three years: every walk stops
// three years (3 × 366 days) out instead of looping, and a walk that finds an open day at the edge of
// those years still uses it.
func TestWalksStopThreeYearsOut(t *testing.T) {
	from := wib("2026-12-02 10:00")
	start := DateOf(from, jakarta)
	edge := start.addDays(3*366 - 1) // the last day Add's walk looks at
	week := Week{edge.weekday(): {iv("08:00-17:00")}}

	closed := MustNew("", week, closedDays(edge.weekday(), start.addDays(-1), edge.addDays(2)))
	if got, want := closed.Add(from, time.Hour), from.AddDate(0, 0, 3*366); !got.Equal(want) {
		t.Errorf("Add with no open day in three years = %s, want %s", got, want)
	}
	if got, want := closed.AddDays(from, 1), from.AddDate(0, 0, 3*366); !got.Equal(want) {
		t.Errorf("AddDays with no open day in three years = %s, want %s", got, want)
	}
	if got := closed.Between(from, from.AddDate(4, 0, 0)); got != 0 {
		t.Errorf("Between over closed years = %s", got)
	}

	// The last day the walk reaches is open: Add and AddDays still find it.
	atEdge := MustNew("", week, closedDays(edge.weekday(), start.addDays(-1), edge))
	want := time.Date(edge.Year, edge.Month, edge.Day, 9, 0, 0, 0, jakarta)
	if got := atEdge.Add(from, time.Hour); !got.Equal(want) {
		t.Errorf("Add with the only open day at the edge = %s, want %s", got, want)
	}
	if got := atEdge.AddDays(from, 1); !got.Equal(time.Date(edge.Year, edge.Month, edge.Day, 10, 0, 0, 0, jakarta)) {
		t.Errorf("AddDays with the only open day at the edge = %s", got)
	}
	if got := atEdge.Between(from, want); got != time.Hour {
		t.Errorf("Between up to the edge = %s, want 1h", got)
	}
}

// Sub walks back at most three years too, and uses an open day at the edge.
func TestSubStopsThreeYearsBack(t *testing.T) {
	to := wib("2030-01-02 10:00")
	last := DateOf(to, jakarta)
	edge := last.addDays(-3 * 366) // the earliest day Sub looks at
	week := Week{edge.weekday(): {iv("08:00-17:00")}}
	closedAfter := closedDays(edge.weekday(), edge.addDays(1), last.addDays(1))
	closed := MustNew("", week, append(closedAfter, Holiday{edge, "tutup"}))
	if got, want := closed.Sub(to, time.Hour), to.AddDate(0, 0, -3*366); !got.Equal(want) {
		t.Errorf("Sub with no open day in three years = %s, want %s", got, want)
	}
	atEdge := MustNew("", week, closedAfter)
	if got, want := atEdge.Sub(to, time.Hour), time.Date(edge.Year, edge.Month, edge.Day, 16, 0, 0, 0, jakarta); !got.Equal(want) {
		t.Errorf("Sub with the only open day at the edge = %s, want %s", got, want)
	}
}

func TestZeroCalendar(t *testing.T) {
	var c Calendar
	now := wib("2026-12-07 10:00")
	if !c.IsZero() || c.Location() != time.UTC {
		t.Fatalf("zero calendar: IsZero %v, location %v", c.IsZero(), c.Location())
	}
	if !c.Add(now, time.Hour).Equal(now) || !c.Sub(now, time.Hour).Equal(now) || !c.AddDays(now, 2).Equal(now) || c.Between(now, now.Add(time.Hour)) != 0 {
		t.Fatal("the zero calendar moved time")
	}
	if d := Default(); d.IsZero() || d.Location().String() != DefaultZone {
		t.Fatalf("Default: %v", d.Location())
	}
}

func TestNewLimits(t *testing.T) {
	refused := map[string]Week{
		"weekday 7":              {7: {iv("08:00-17:00")}},
		"weekday -1":             {-1: {iv("08:00-17:00")}},
		"start before the day":   {time.Monday: {{-1, 60}}},
		"start after the day":    {time.Monday: {{24 * 60, 60}}},
		"end before the day":     {time.Monday: {{60, -1}}},
		"end after the day":      {time.Monday: {{60, 24 * 60}}},
		"24h from 08:00 into 07": {time.Monday: {iv("08:00-08:00")}, time.Tuesday: {iv("07:00-09:00")}},
		"night into next day":    {time.Monday: {iv("23:00-01:00")}, time.Tuesday: {iv("00:59-02:00")}},
	}
	for name, w := range refused {
		if _, err := New("", w, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	six := make([]Interval, MaxIntervalsPerDay)
	for i := range six {
		six[i] = Interval{i * 60, i*60 + 30}
	}
	accepted := map[string]Week{
		"the most intervals a day may have": {time.Monday: six},
		"first and last minute":             {time.Monday: {{0, 1}, {23*60 + 59, 0}}, time.Tuesday: {{0, 1}}},
		"whole day then next day at 00:00":  {time.Monday: {iv("00:00-00:00")}, time.Tuesday: {iv("00:00-01:00")}},
		"24h from 08:00 then 08:00":         {time.Monday: {iv("08:00-08:00")}, time.Tuesday: {iv("08:00-09:00")}},
		"night then later day interval":     {time.Monday: {iv("23:00-01:00")}, time.Tuesday: {iv("01:00-02:00")}},
		"day interval then early next day":  {time.Monday: {iv("08:00-17:00")}, time.Tuesday: {iv("00:00-01:00")}},
		"several intervals, last at night":  {time.Monday: {iv("08:00-09:00"), iv("23:00-01:00")}, time.Tuesday: {iv("02:00-03:00")}},
	}
	for name, w := range accepted {
		if _, err := New("", w, nil); err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
	// every problem is reported, not only the first
	_, err := New("Nowhere/City", Week{time.Monday: {iv("08:00-12:00"), iv("11:00-13:00")}}, []Holiday{{date("2026-12-25"), "a"}, {date("2026-12-25"), "b"}})
	for _, want := range []string{"time zone", "overlap", "listed twice"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not report %q", err, want)
		}
	}
}

func TestIntervalsAreSortedAndCopied(t *testing.T) {
	given := []Interval{iv("13:00-17:00"), iv("08:00-12:00")}
	c := MustNew("", Week{time.Monday: given}, nil)
	if given[0] != iv("13:00-17:00") {
		t.Fatal("New reordered the caller's slice")
	}
	hours := c.Hours(time.Monday)
	if len(hours) != 2 || hours[0] != iv("08:00-12:00") || hours[1] != iv("13:00-17:00") {
		t.Fatalf("Hours(Monday) = %v", hours)
	}
	hours[0] = iv("00:00-01:00")
	if c.Hours(time.Monday)[0] != iv("08:00-12:00") {
		t.Fatal("changing Hours' answer changed the calendar")
	}
	// Monday 12:30 + 1h: the lunch break is skipped whatever order the intervals were given in.
	if got := c.Add(wib("2026-12-07 11:30"), time.Hour); !got.Equal(wib("2026-12-07 13:30")) {
		t.Fatalf("Add over unsorted intervals = %s", got)
	}
}

func TestHolidaysOldestFirstWithNames(t *testing.T) {
	c := MustNew("", weekdays(iv("08:00-17:00")), []Holiday{{date("2027-01-01"), "Tahun Baru"}, {date("2026-12-25"), "Natal"}, {date("2026-12-24"), "Cuti bersama"}})
	got := c.Holidays()
	want := []Holiday{{date("2026-12-24"), "Cuti bersama"}, {date("2026-12-25"), "Natal"}, {date("2027-01-01"), "Tahun Baru"}}
	if len(got) != len(want) {
		t.Fatalf("Holidays() = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Holidays()[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if c.IsOpenDay(date("2026-12-25")) || !c.IsOpenDay(date("2026-12-23")) || c.IsOpenDay(date("2026-12-26")) {
		t.Error("IsOpenDay: holidays and weekends are closed, other weekdays open")
	}
}

func TestSpecRoundTripKeepsEverything(t *testing.T) {
	s := Spec{TimeZone: "Asia/Makassar",
		WeeklyHours: WeeklyHours{Monday: []string{"08:00-12:00"}, Tuesday: []string{"09:00-10:00"}, Wednesday: []string{"10:00-11:00"},
			Thursday: []string{"11:00-12:00"}, Friday: []string{"12:00-13:00"}, Saturday: []string{"13:00-14:00"}, Sunday: []string{"14:00-15:00"}},
		Holidays: []HolidaySpec{{Date: "2026-12-25", Name: "Natal"}, {Date: "2026-12-24", Name: "Cuti bersama"}}}
	c, err := s.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	back := c.Spec()
	days := [][2][]string{{back.WeeklyHours.Monday, s.WeeklyHours.Monday}, {back.WeeklyHours.Tuesday, s.WeeklyHours.Tuesday},
		{back.WeeklyHours.Wednesday, s.WeeklyHours.Wednesday}, {back.WeeklyHours.Thursday, s.WeeklyHours.Thursday},
		{back.WeeklyHours.Friday, s.WeeklyHours.Friday}, {back.WeeklyHours.Saturday, s.WeeklyHours.Saturday},
		{back.WeeklyHours.Sunday, s.WeeklyHours.Sunday}}
	for i, d := range days {
		if len(d[0]) != 1 || d[0][0] != d[1][0] {
			t.Errorf("day %d: %v, want %v", i, d[0], d[1])
		}
	}
	wantHolidays := []HolidaySpec{{Date: "2026-12-24", Name: "Cuti bersama"}, {Date: "2026-12-25", Name: "Natal"}}
	if len(back.Holidays) != 2 || back.Holidays[0] != wantHolidays[0] || back.Holidays[1] != wantHolidays[1] {
		t.Errorf("holidays %v, want %v", back.Holidays, wantHolidays)
	}
	if back.TimeZone != "Asia/Makassar" || c.Zone() != "Asia/Makassar" {
		t.Errorf("zone %q", back.TimeZone)
	}
	// Saturday 13:30 WITA + 1h: 30 minutes on Saturday, 30 on Sunday from 14:00.
	mks, _ := time.LoadLocation("Asia/Makassar")
	if got := c.Add(time.Date(2026, 12, 5, 13, 30, 0, 0, mks), time.Hour); !got.Equal(time.Date(2026, 12, 6, 14, 30, 0, 0, mks)) {
		t.Errorf("Add on the spec's calendar = %s", got)
	}
}

// fieldCodes runs Spec.Calendar and returns the refused fields and their codes, or nil when accepted.
func fieldCodes(t *testing.T, s Spec) map[string]string {
	t.Helper()
	_, err := s.Calendar()
	if err == nil {
		return nil
	}
	f, ok := failure.As(err)
	if !ok || f.Kind != failure.KindInvalid {
		t.Fatalf("not a validation failure: %v", err)
	}
	got := map[string]string{}
	for _, fe := range f.Fields {
		got[fe.Field] = fe.Code + ":" + fe.Param
	}
	return got
}

func TestSpecLimits(t *testing.T) {
	open := WeeklyHours{Monday: []string{"08:00-17:00"}}
	six := []string{"01:00-02:00", "03:00-04:00", "05:00-06:00", "07:00-08:00", "09:00-10:00", "11:00-12:00"}
	if got := fieldCodes(t, Spec{WeeklyHours: WeeklyHours{Friday: six}}); got != nil {
		t.Errorf("six intervals on a day refused: %v", got)
	}
	if got := fieldCodes(t, Spec{WeeklyHours: WeeklyHours{Friday: append(six, "13:00-14:00")}}); got["weeklyHours.friday"] != "max:6" || len(got) != 1 {
		t.Errorf("seven intervals: %v", got)
	}
	// a day with too many intervals does not hide the problems of the days after it
	if got := fieldCodes(t, Spec{WeeklyHours: WeeklyHours{Monday: append(six, "13:00-14:00"), Tuesday: []string{"x"}, Sunday: []string{"25:00-26:00"}}}); got["weeklyHours.monday"] != "max:6" ||
		got["weeklyHours.tuesday[0]"] != "invalid:" || got["weeklyHours.sunday[0]"] != "invalid:" || len(got) != 3 {
		t.Errorf("seven intervals, then bad ones: %v", got)
	}
	if got := fieldCodes(t, Spec{WeeklyHours: WeeklyHours{Saturday: []string{"08:00-09:00", "x", "10:00-11:00", "8:00-9:00"}}}); got["weeklyHours.saturday[1]"] != "invalid:" ||
		got["weeklyHours.saturday[3]"] != "invalid:" || len(got) != 2 {
		t.Errorf("bad intervals by index: %v", got)
	}
	if got := fieldCodes(t, Spec{WeeklyHours: WeeklyHours{Sunday: []string{"22:00-02:00"}, Monday: []string{"01:00-03:00"}}}); got != nil {
		// each day is checked alone; how days meet is New's check, reported as the whole week
		if got["weeklyHours"] != "required:" {
			t.Errorf("night into the next day: %v", got)
		}
	}
	name := strings.Repeat("a", MaxHolidayName)
	if got := fieldCodes(t, Spec{WeeklyHours: open, Holidays: []HolidaySpec{{Date: "2026-12-25", Name: name}}}); got != nil {
		t.Errorf("a name of %d bytes refused: %v", MaxHolidayName, got)
	}
	if got := fieldCodes(t, Spec{WeeklyHours: open, Holidays: []HolidaySpec{{Date: "2026-12-25", Name: name + "a"}}}); got["holidays[0].name"] != "max:100" || len(got) != 1 {
		t.Errorf("a name of %d bytes: %v", MaxHolidayName+1, got)
	}
	many := make([]HolidaySpec, MaxHolidays+1)
	for i := range many {
		many[i] = HolidaySpec{Date: date("2026-01-01").addDays(i).String(), Name: "x"}
	}
	if got := fieldCodes(t, Spec{WeeklyHours: open, Holidays: many}); got["holidays"] != "max:400" || len(got) != 1 {
		t.Errorf("%d holidays: %v", len(many), got)
	}
	if got := fieldCodes(t, Spec{WeeklyHours: open, Holidays: many[:MaxHolidays]}); got != nil {
		t.Errorf("%d holidays refused: %v", MaxHolidays, got)
	}
	if got := fieldCodes(t, Spec{WeeklyHours: open, Holidays: []HolidaySpec{{Date: "2026-12-25"}, {Date: "2026-12-26"}, {Date: "2026-12-25"}}}); got["holidays[2].date"] != "unique:" || len(got) != 1 {
		t.Errorf("a date listed twice: %v", got)
	}
	for _, zone := range []string{"Local", "Nowhere/City", "asia/jakarta "} {
		if got := fieldCodes(t, Spec{TimeZone: zone, WeeklyHours: open}); got["timeZone"] != "invalid:" || len(got) != 1 {
			t.Errorf("zone %q: %v", zone, got)
		}
	}
	if got := fieldCodes(t, Spec{WeeklyHours: WeeklyHours{Monday: []string{}}}); got["weeklyHours"] != "required:" || len(got) != 1 {
		t.Errorf("no hours: %v", got)
	}
}

func TestParseClockForms(t *testing.T) {
	for _, bad := range []string{"08.00-09:00", "08:00-09.00", "-1:00-09:00", "08:-1-09:00", "08:00-09:0", "008:0-09:00", "ab:cd-09:00"} {
		if _, err := ParseInterval(bad); err == nil {
			t.Errorf("ParseInterval(%q) accepted", bad)
		}
	}
	for s, want := range map[string]Interval{"00:00-23:59": {0, 23*60 + 59}, "23:59-00:00": {23*60 + 59, 0}, "09:05-10:50": {9*60 + 5, 10*60 + 50}} {
		if got, err := ParseInterval(s); err != nil || got != want || got.String() != s {
			t.Errorf("ParseInterval(%q) = %v, %v", s, got, err)
		}
	}
	for s, want := range map[string]Date{"2026-12-25": {2026, time.December, 25}, "2024-02-29": {2024, time.February, 29}} {
		if got, err := ParseDate(s); err != nil || got != want || got.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	for _, bad := range []string{"2026-12-25 ", "2026-1-05", "25-12-2026", "2025-02-29", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

func TestCachedReadsOnceUntilItExpires(t *testing.T) {
	now := wib("2026-12-07 10:00")
	sat := MustNew("Asia/Makassar", Week{time.Saturday: {iv("09:00-12:00")}}, nil)
	store := &countingStore{cal: sat, found: true}
	c := NewCached(store, CacheFor, func() time.Time { return now })
	for range 3 {
		if got, err := c.Current(context.Background()); err != nil || got.Zone() != "Asia/Makassar" {
			t.Fatalf("Current = %v, %v", got.Zone(), err)
		}
	}
	if store.gets != 1 {
		t.Fatalf("read %d times within the ttl", store.gets)
	}
}

// AlwaysOpen counts business time as calendar time, across midnight and every weekday.
func TestAlwaysOpen(t *testing.T) {
	c := AlwaysOpen()
	from := time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC) // a Saturday
	for _, d := range []time.Duration{time.Minute, time.Hour, 25 * time.Hour, 7 * 24 * time.Hour, 9*24*time.Hour + time.Minute} {
		if got := c.Add(from, d); !got.Equal(from.Add(d)) {
			t.Errorf("Add(%s) = %s, want %s", d, got, from.Add(d))
		}
		if got := c.Between(from, from.Add(d)); got != d {
			t.Errorf("Between over %s = %s", d, got)
		}
		if got := c.Sub(from, d); !got.Equal(from.Add(-d)) {
			t.Errorf("Sub(%s) = %s", d, got)
		}
	}
	if c.Zone() != "UTC" {
		t.Errorf("zone %s", c.Zone())
	}
}

func TestMustNewPanicsOnAnInvalidCalendar(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustNew accepted a week without hours")
		}
	}()
	MustNew("", Week{}, nil)
}

// Default is Monday to Friday, 08:00-17:00 in Jakarta.
func TestDefaultHours(t *testing.T) {
	d := Default()
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		want := "[08:00-17:00]"
		if wd == time.Saturday || wd == time.Sunday {
			want = "[]"
		}
		if got := fmt.Sprint(d.Hours(wd)); got != want {
			t.Errorf("%s: %s, want %s", wd, got, want)
		}
	}
	if d.Zone() != "Asia/Jakarta" || len(d.Holidays()) != 0 {
		t.Errorf("zone %s, holidays %v", d.Zone(), d.Holidays())
	}
}

// New reports every problem it finds, not only the first.
func TestNewReportsEveryProblem(t *testing.T) {
	// a bad interval first in its day does not hide an overlap after it
	_, err := New("", Week{time.Monday: {{-5, 60}, iv("02:00-04:00"), iv("03:00-05:00")}}, nil)
	if err == nil || !strings.Contains(err.Error(), "outside the day") || !strings.Contains(err.Error(), "overlap") {
		t.Errorf("error %v", err)
	}
	// a weekday that does not exist does not hide another day's problem, whatever the order New meets them in
	for range 40 {
		_, err := New("", Week{7: {iv("08:00-09:00")}, time.Monday: {iv("08:00-12:00"), iv("11:00-13:00")}}, nil)
		if err == nil || !strings.Contains(err.Error(), "no weekday") || !strings.Contains(err.Error(), "overlap") {
			t.Fatalf("error %v", err)
		}
	}
}

func TestSubTakesWholeSpans(t *testing.T) {
	office := MustNew("", weekdays(iv("08:00-17:00")), nil)
	for _, c := range []struct {
		to   time.Time
		d    time.Duration
		want time.Time
	}{
		{wib("2026-12-07 17:00"), 9 * time.Hour, wib("2026-12-07 08:00")},  // exactly Monday's hours
		{wib("2026-12-08 17:00"), 18 * time.Hour, wib("2026-12-07 08:00")}, // exactly two days
		{wib("2026-12-08 17:00"), 18*time.Hour + time.Minute, wib("2026-12-04 16:59")},
	} {
		if got := office.Sub(c.to, c.d); !got.Equal(c.want) {
			t.Errorf("Sub(%s, %s) = %s, want %s", c.to, c.d, got, c.want)
		}
	}
}

func TestAddDaysKeepsTheTimeOfDay(t *testing.T) {
	office := MustNew("", weekdays(iv("08:00-17:00")), nil)
	from := wib("2026-12-04 16:55").Add(1234 * time.Nanosecond).UTC()
	got := office.AddDays(from, 1)
	if want := wib("2026-12-07 16:55").Add(1234 * time.Nanosecond); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("AddDays = %s, want %s in UTC", got, want)
	}
}

func TestSpecListsNoHolidaysAsEmpty(t *testing.T) {
	s := Default().Spec()
	if s.Holidays == nil || len(s.Holidays) != 0 || s.WeeklyHours.Saturday == nil || s.TimeZone != DefaultZone {
		t.Errorf("Default().Spec() = %+v", s)
	}
	if _, err := ParseInterval("08:+5-09:00"); err == nil {
		t.Error("a signed minute accepted")
	}
}

// The smallest durations still move: a nanosecond of business time is counted like any other.
func TestANanosecondCounts(t *testing.T) {
	office := MustNew("", weekdays(iv("08:00-17:00")), nil)
	if got, want := office.Add(wib("2026-12-05 11:00"), time.Nanosecond), wib("2026-12-07 08:00").Add(time.Nanosecond); !got.Equal(want) {
		t.Errorf("Add(Saturday, 1ns) = %s, want %s", got, want)
	}
	if got, want := office.Sub(wib("2026-12-07 10:00"), time.Nanosecond), wib("2026-12-07 10:00").Add(-time.Nanosecond); !got.Equal(want) {
		t.Errorf("Sub(Monday 10:00, 1ns) = %s, want %s", got, want)
	}
	// taking nothing from a closed hour stays there, not at the last closing
	if got := office.Sub(wib("2026-12-05 11:00"), 0); !got.Equal(wib("2026-12-05 11:00")) {
		t.Errorf("Sub(Saturday, 0) = %s", got)
	}
}

func TestNewNamesTheDaysThatRunIntoEachOther(t *testing.T) {
	_, err := New("", Week{time.Saturday: {iv("22:00-02:00")}, time.Sunday: {iv("01:00-05:00")}}, nil)
	if err == nil || !strings.Contains(err.Error(), "Saturday 22:00-02:00 runs into Sunday 01:00-05:00") {
		t.Errorf("error %v", err)
	}
	_, err = New("", Week{time.Monday: {iv("23:00-02:00")}, time.Tuesday: {iv("01:00-05:00")}}, nil)
	if err == nil || !strings.Contains(err.Error(), "Monday 23:00-02:00 runs into Tuesday 01:00-05:00") {
		t.Errorf("error %v", err)
	}
}

func TestParseClockRefusesEitherHalf(t *testing.T) {
	for _, bad := range []string{"ab:00-09:00", "08:xx-09:00", "09:00-ab:00", "09:00-10:x0"} {
		if _, err := ParseInterval(bad); err == nil {
			t.Errorf("ParseInterval(%q) accepted", bad)
		}
	}
}

// Adding no business days is from itself, even in the hour a zone repeats when its clocks go back.
func TestAddNoDaysInARepeatedHour(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	c := MustNew("America/New_York", weekdays(iv("08:00-17:00")), nil)
	first := time.Date(2026, 11, 1, 1, 30, 0, 0, ny) // EDT
	second := first.Add(time.Hour)                   // 01:30 again, EST
	if first.Hour() != second.Hour() {
		t.Skip("the zone data has no repeated hour on 2026-11-01")
	}
	for _, from := range []time.Time{first, second} {
		if got := c.AddDays(from, 0); !got.Equal(from) {
			t.Errorf("AddDays(%s, 0) = %s", from, got)
		}
	}
}
