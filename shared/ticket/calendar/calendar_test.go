package calendar

import (
	"math/rand/v2"
	"testing"
	"testing/quick"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

var jakarta, _ = time.LoadLocation("Asia/Jakarta")

func wib(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, jakarta)
	if err != nil {
		panic(err)
	}
	return t
}

func iv(s string) Interval {
	v, err := ParseInterval(s)
	if err != nil {
		panic(err)
	}
	return v
}

func weekdays(ivs ...Interval) Week {
	return Week{time.Monday: ivs, time.Tuesday: ivs, time.Wednesday: ivs, time.Thursday: ivs, time.Friday: ivs}
}

func date(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// 2026-12-04 is a Friday; 2026-12-25 (Natal) a Friday, 2026-12-24 (cuti bersama) a Thursday.
func TestAdd(t *testing.T) {
	office := MustNew("", weekdays(iv("08:00-17:00")), nil)
	christmas := MustNew("", weekdays(iv("08:00-17:00")), []Holiday{{date("2026-12-24"), "Cuti bersama Natal"}, {date("2026-12-25"), "Natal"}})
	split := MustNew("", weekdays(iv("08:00-12:00"), iv("13:00-17:00")), nil)
	night := MustNew("", Week{time.Friday: {iv("22:00-02:00")}, time.Saturday: {iv("10:00-12:00")}}, nil)
	allDay := MustNew("", Week{time.Wednesday: {iv("00:00-00:00")}}, nil)
	makassar := MustNew("Asia/Makassar", weekdays(iv("08:00-17:00")), nil)
	nightHoliday := MustNew("", Week{time.Friday: {iv("22:00-02:00")}}, []Holiday{{date("2026-12-04"), "closed"}})
	tests := []struct {
		name string
		cal  Calendar
		from time.Time
		add  time.Duration
		want time.Time
	}{
		{"issue example: Friday 16:55 + 8h is Monday 15:55", office, wib("2026-12-04 16:55"), 8 * time.Hour, wib("2026-12-07 15:55")},
		{"within the day", office, wib("2026-12-07 09:00"), 2 * time.Hour, wib("2026-12-07 11:00")},
		{"exactly to closing stays at closing", office, wib("2026-12-07 09:00"), 8 * time.Hour, wib("2026-12-07 17:00")},
		{"filed before opening starts at opening", office, wib("2026-12-07 06:00"), time.Hour, wib("2026-12-07 09:00")},
		{"filed after closing starts next morning", office, wib("2026-12-07 20:00"), time.Hour, wib("2026-12-08 09:00")},
		{"filed on Saturday starts Monday", office, wib("2026-12-05 11:00"), 30 * time.Minute, wib("2026-12-07 08:30")},
		{"several days", office, wib("2026-12-07 08:00"), 27 * time.Hour, wib("2026-12-09 17:00")},
		{"holiday skipped (Natal + cuti bersama)", christmas, wib("2026-12-23 16:00"), 2 * time.Hour, wib("2026-12-28 09:00")},
		{"nothing to add", office, wib("2026-12-05 11:00"), 0, wib("2026-12-05 11:00")},
		{"negative adds nothing", office, wib("2026-12-05 11:00"), -time.Hour, wib("2026-12-05 11:00")},
		{"lunch break skipped", split, wib("2026-12-07 11:30"), time.Hour, wib("2026-12-07 13:30")},
		{"into the second interval exactly", split, wib("2026-12-07 08:00"), 4 * time.Hour, wib("2026-12-07 12:00")},
		{"midnight-spanning interval", night, wib("2026-12-04 23:00"), 4 * time.Hour, wib("2026-12-05 11:00")},
		{"inside the part after midnight", night, wib("2026-12-05 01:00"), 30 * time.Minute, wib("2026-12-05 01:30")},
		{"before the night interval", night, wib("2026-12-04 12:00"), 5 * time.Hour, wib("2026-12-05 11:00")},
		{"night interval a week later", night, wib("2026-12-05 12:00"), time.Hour, wib("2026-12-11 23:00")},
		{"holiday closes the interval starting on it, past midnight too", nightHoliday, wib("2026-12-04 21:00"), time.Hour, wib("2026-12-11 23:00")},
		{"whole-day interval", allDay, wib("2026-12-08 23:00"), 25 * time.Hour, wib("2026-12-16 01:00")},
		{"other zone: 08:00 WITA is 07:00 WIB", makassar, wib("2026-12-07 06:30"), time.Hour, wib("2026-12-07 08:00")},
		{"instant in UTC, answer in UTC", office, wib("2026-12-04 16:55").UTC(), 8 * time.Hour, wib("2026-12-07 15:55").UTC()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cal.Add(tc.from, tc.add)
			if !got.Equal(tc.want) || got.Location() != tc.from.Location() {
				t.Fatalf("Add(%s, %s) = %s, want %s", tc.from, tc.add, got, tc.want)
			}
			if tc.add > 0 {
				if back := tc.cal.Between(tc.from, got); back != tc.add {
					t.Fatalf("Between(from, Add(from, %s)) = %s", tc.add, back)
				}
			}
		})
	}
}

func TestDSTZone(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	// Sunday 2026-03-08 clocks jump 02:00 -> 03:00: a 00:00-06:00 interval has 5 real hours.
	c := MustNew("America/New_York", Week{time.Sunday: {iv("00:00-06:00")}}, nil)
	from := time.Date(2026, 3, 8, 0, 0, 0, 0, ny)
	if got := c.Between(from, from.Add(24*time.Hour)); got != 5*time.Hour {
		t.Fatalf("business time across the DST jump = %s, want 5h", got)
	}
}

func TestBetween(t *testing.T) {
	office := MustNew("", weekdays(iv("08:00-17:00")), []Holiday{{date("2026-12-25"), "Natal"}})
	tests := []struct {
		from, to time.Time
		want     time.Duration
	}{
		{wib("2026-12-04 16:55"), wib("2026-12-07 08:10"), 15 * time.Minute},
		{wib("2026-12-05 09:00"), wib("2026-12-06 17:00"), 0},
		{wib("2026-12-24 16:00"), wib("2026-12-28 09:00"), 2 * time.Hour},
		{wib("2026-12-07 10:00"), wib("2026-12-07 09:00"), 0},
		{wib("2026-12-07 10:00"), wib("2026-12-07 10:00"), 0},
		{wib("2026-12-07 00:00"), wib("2026-12-14 00:00"), 45 * time.Hour},
	}
	for _, tc := range tests {
		if got := office.Between(tc.from, tc.to); got != tc.want {
			t.Errorf("Between(%s, %s) = %s, want %s", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestAddDays(t *testing.T) {
	office := MustNew("", weekdays(iv("08:00-17:00")), []Holiday{{date("2026-12-25"), "Natal"}})
	tests := []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{wib("2026-12-07 10:00"), 5, wib("2026-12-14 10:00")},
		{wib("2026-12-04 16:00"), 1, wib("2026-12-07 16:00")},
		{wib("2026-12-05 16:00"), 1, wib("2026-12-07 16:00")},
		{wib("2026-12-23 10:00"), 2, wib("2026-12-28 10:00")},
		{wib("2026-12-23 10:00"), 0, wib("2026-12-23 10:00")},
	}
	for _, tc := range tests {
		if got := office.AddDays(tc.from, tc.n); !got.Equal(tc.want) {
			t.Errorf("AddDays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

// randomCalendar is a valid calendar with 0-3 intervals on each day (some past midnight) and holidays. It is
// open at least two hours a week, so the walks the properties take (200 business hours at most) end well
// inside the three-year horizon where Add and Sub stop by design (TestWalksStopThreeYearsOut); a week of a
// few minutes made them fail now and then.
func randomCalendar(r *rand.Rand) Calendar {
	for {
		week := Week{}
		open := 0
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			start := r.IntN(6 * 60)
			for n := r.IntN(4); n > 0 && start < 24*60; n-- {
				length := 1 + r.IntN(10*60)
				week[wd] = append(week[wd], Interval{start, (start + length) % (24 * 60)})
				open += length
				start += length + 1 + r.IntN(3*60)
			}
		}
		if open < 2*60 {
			continue
		}
		var holidays []Holiday
		for n := r.IntN(10); n > 0; n-- {
			d := Date{2026, 12, 1}.addDays(r.IntN(60))
			holidays = append(holidays, Holiday{d, "h"})
		}
		zones := []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "America/New_York", "UTC"}
		if c, err := New(zones[r.IntN(len(zones))], week, holidays); err == nil {
			return c
		}
	}
}

func TestProperties(t *testing.T) {
	base := wib("2026-11-25 00:00")
	cfg := &quick.Config{MaxCount: 500}
	dueNotBeforeFiled := func(seed uint64, offsetMin uint32, addMin uint32) bool {
		r := rand.New(rand.NewPCG(seed, 1))
		c := randomCalendar(r)
		from := base.Add(time.Duration(offsetMin%(60*24*40)) * time.Minute)
		d := time.Duration(addMin%(60*200)) * time.Minute
		due := c.Add(from, d)
		return !due.Before(from) && due.Sub(from) >= d && c.Between(from, due) == d
	}
	if err := quick.Check(dueNotBeforeFiled, cfg); err != nil {
		t.Error("due >= filed and Between(from, Add(from, d)) == d:", err)
	}
	monotonic := func(seed uint64, offsetMin, a, b, shift uint32) bool {
		r := rand.New(rand.NewPCG(seed, 2))
		c := randomCalendar(r)
		from := base.Add(time.Duration(offsetMin%(60*24*40)) * time.Minute)
		d1, d2 := time.Duration(a%(60*100))*time.Minute, time.Duration(b%(60*100))*time.Minute
		if d1 > d2 {
			d1, d2 = d2, d1
		}
		later := from.Add(time.Duration(shift%(60*24*3)) * time.Minute)
		return !c.Add(from, d1).After(c.Add(from, d2)) && !c.Add(from, d1).After(c.Add(later, d1))
	}
	if err := quick.Check(monotonic, cfg); err != nil {
		t.Error("Add is monotonic in the duration and the start:", err)
	}
	additive := func(seed uint64, offsetMin, a, b uint32) bool {
		r := rand.New(rand.NewPCG(seed, 3))
		c := randomCalendar(r)
		from := base.Add(time.Duration(offsetMin%(60*24*40)) * time.Minute)
		d1, d2 := time.Duration(a%(60*50))*time.Minute, time.Duration(b%(60*50))*time.Minute
		return c.Add(c.Add(from, d1), d2).Equal(c.Add(from, d1+d2)) || d1 == 0 && d2 == 0
	}
	if err := quick.Check(additive, cfg); err != nil {
		t.Error("Add(Add(t, a), b) == Add(t, a+b):", err)
	}
}

func TestNewRefuses(t *testing.T) {
	cases := map[string]func() error{
		"unknown zone":   func() error { _, err := New("Mars/Olympus", weekdays(iv("08:00-17:00")), nil); return err },
		"Local zone":     func() error { _, err := New("Local", weekdays(iv("08:00-17:00")), nil); return err },
		"no hours":       func() error { _, err := New("", Week{}, nil); return err },
		"overlap":        func() error { _, err := New("", weekdays(iv("08:00-12:00"), iv("11:00-13:00")), nil); return err },
		"after midnight": func() error { _, err := New("", weekdays(iv("22:00-02:00"), iv("23:00-23:30")), nil); return err },
		"into the next day": func() error {
			_, err := New("", Week{time.Saturday: {iv("22:00-02:00")}, time.Sunday: {iv("01:00-05:00")}}, nil)
			return err
		},
		"out of the day": func() error { _, err := New("", weekdays(Interval{0, 24 * 60}), nil); return err },
		"dup holiday": func() error {
			_, err := New("", weekdays(iv("08:00-17:00")), []Holiday{{date("2026-12-25"), "a"}, {date("2026-12-25"), "b"}})
			return err
		},
		"too many intervals": func() error {
			var ivs []Interval
			for i := 0; i <= MaxIntervalsPerDay; i++ {
				ivs = append(ivs, Interval{i * 60, i*60 + 30})
			}
			_, err := New("", weekdays(ivs...), nil)
			return err
		},
	}
	for name, f := range cases {
		if f() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New("", weekdays(iv("08:00-12:00"), iv("12:00-13:00")), nil); err != nil {
		t.Errorf("adjacent intervals refused: %v", err)
	}
}

func TestParseInterval(t *testing.T) {
	for _, bad := range []string{"", "08:00", "8:00-17:00", "08:00-24:00", "08:60-09:00", "+8:00-09:00", "08:00-+9:00", "08:00–17:00", "0800-1700"} {
		if _, err := ParseInterval(bad); err == nil {
			t.Errorf("ParseInterval(%q) accepted", bad)
		}
	}
	if v, err := ParseInterval("22:30-02:15"); err != nil || v != (Interval{22*60 + 30, 2*60 + 15}) || v.String() != "22:30-02:15" {
		t.Errorf("ParseInterval(22:30-02:15) = %v, %v", v, err)
	}
	if _, err := ParseDate("2026-02-30"); err == nil {
		t.Error("ParseDate accepted 2026-02-30")
	}
}

func TestSpec(t *testing.T) {
	s := Spec{TimeZone: "Asia/Jakarta",
		WeeklyHours: WeeklyHours{Monday: []string{"08:00-12:00", "13:00-17:00"}, Friday: []string{"22:00-02:00"}},
		Holidays:    []HolidaySpec{{Date: "2026-12-25", Name: "Natal"}, {Date: "2026-12-24", Name: "Cuti bersama"}}}
	c, err := s.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	back := c.Spec()
	if len(back.WeeklyHours.Monday) != 2 || back.WeeklyHours.Friday[0] != "22:00-02:00" || back.WeeklyHours.Sunday == nil ||
		len(back.WeeklyHours.Sunday) != 0 || back.Holidays[0].Date != "2026-12-24" || back.TimeZone != "Asia/Jakarta" {
		t.Fatalf("round trip: %+v", back)
	}
	again, err := back.Calendar()
	if err != nil || !again.Add(wib("2026-12-04 23:00"), time.Hour).Equal(c.Add(wib("2026-12-04 23:00"), time.Hour)) {
		t.Fatalf("round trip changed the calendar: %v", err)
	}
	if (Spec{WeeklyHours: WeeklyHours{Monday: []string{"08:00-17:00"}}}).TimeZone != "" {
		t.Fatal("unreachable")
	}
	if c, err := (Spec{WeeklyHours: WeeklyHours{Monday: []string{"08:00-17:00"}}}).Calendar(); err != nil || c.Zone() != DefaultZone {
		t.Fatalf("empty zone: %v %v", c.Zone(), err)
	}

	bad := Spec{TimeZone: "Nowhere/City",
		WeeklyHours: WeeklyHours{Monday: []string{"08:00-12:00", "11:00-13:00"}, Tuesday: []string{"8-17"},
			Wednesday: make([]string, MaxIntervalsPerDay+1)},
		Holidays: []HolidaySpec{{Date: "2026-13-01"}, {Date: "2026-12-25"}, {Date: "2026-12-25", Name: string(make([]byte, MaxHolidayName+1))}}}
	_, err = bad.Calendar()
	f, ok := failure.As(err)
	if !ok || f.Kind != failure.KindInvalid {
		t.Fatalf("bad spec: %v", err)
	}
	want := map[string]string{"weeklyHours.monday": "invalid", "weeklyHours.tuesday[0]": "invalid", "weeklyHours.wednesday": "max",
		"holidays[0].date": "datetime", "holidays[2].date": "unique", "holidays[2].name": "max", "timeZone": "invalid"}
	got := map[string]string{}
	for _, fe := range f.Fields {
		got[fe.Field] = fe.Code
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s: code %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	_, err = Spec{}.Calendar()
	if f, ok := failure.As(err); !ok || len(f.Fields) != 1 || f.Fields[0].Field != "weeklyHours" {
		t.Fatalf("closed week: %v", err)
	}
}

func TestSub(t *testing.T) {
	office := MustNew("", weekdays(iv("08:00-17:00")), []Holiday{{date("2026-12-25"), "Natal"}})
	night := MustNew("", Week{time.Friday: {iv("22:00-02:00")}, time.Saturday: {iv("02:00-03:00")}}, nil)
	tests := []struct {
		cal  Calendar
		to   time.Time
		d    time.Duration
		want time.Time
	}{
		{office, wib("2026-12-07 15:55"), 8 * time.Hour, wib("2026-12-04 16:55")},
		{office, wib("2026-12-07 10:00"), time.Hour, wib("2026-12-07 09:00")},
		{office, wib("2026-12-07 20:00"), time.Hour, wib("2026-12-07 16:00")},
		{office, wib("2026-12-28 09:00"), 2 * time.Hour, wib("2026-12-24 16:00")},
		{office, wib("2026-12-07 10:00"), 0, wib("2026-12-07 10:00")},
		{night, wib("2026-12-05 03:00"), 4 * time.Hour, wib("2026-12-04 23:00")}, // across midnight into a touching interval
	}
	for _, tc := range tests {
		if got := tc.cal.Sub(tc.to, tc.d); !got.Equal(tc.want) {
			t.Errorf("Sub(%s, %s) = %s, want %s", tc.to, tc.d, got, tc.want)
		}
	}
}

func TestSubInvertsAdd(t *testing.T) {
	base := wib("2026-11-25 00:00")
	f := func(seed uint64, offsetMin, a uint32) bool {
		c := randomCalendar(rand.New(rand.NewPCG(seed, 4)))
		to := base.Add(time.Duration(offsetMin%(60*24*40)) * time.Minute)
		d := time.Duration(a%(60*100)) * time.Minute
		x := c.Sub(to, d)
		return !x.After(to) && c.Between(x, to) == d
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 500}); err != nil {
		t.Error("Between(Sub(to, d), to) == d:", err)
	}
}
