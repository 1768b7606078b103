package returnpolicy

import (
	"testing"
	"time"
)

// A return window ends at 23:59 of its last day in the shop's zone, to the second: WIB is UTC+7, WITA UTC+8, WIT UTC+9.
func TestDeadlineInstantInEachZone(t *testing.T) {
	delivered := time.Date(2026, 10, 1, 3, 0, 0, 0, time.UTC)
	for zone, want := range map[string]time.Time{
		"WIB":  time.Date(2026, 10, 31, 16, 59, 0, 0, time.UTC),
		"WITA": time.Date(2026, 10, 31, 15, 59, 0, 0, time.UTC),
		"WIT":  time.Date(2026, 10, 31, 14, 59, 0, 0, time.UTC),
	} {
		p := Default()
		p.TimeZone = zone
		if got := p.Deadline(delivered); !got.Equal(want) {
			t.Errorf("%s: deadline %v, want %v", zone, got.UTC(), want)
		}
	}
}

// Every name a shop may configure is accepted, for the zone it names: the IANA names of Indonesia's zones
// (Pontianak keeps WIB) and their abbreviations.
func TestEveryIndonesianZoneNameIsAccepted(t *testing.T) {
	for name, abbr := range map[string]string{
		"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "WIB": "WIB",
		"Asia/Makassar": "WITA", "WITA": "WITA",
		"Asia/Jayapura": "WIT", "WIT": "WIT",
	} {
		p := Default()
		p.TimeZone = name
		if err := p.Validate(); err != nil || p.Zone().Abbr != abbr {
			t.Errorf("%s: %v, zone %s; want %s", name, err, p.Zone().Abbr, abbr)
		}
	}
}
