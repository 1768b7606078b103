package seed

import (
	"context"
	"net/http"
)

// demoCalendar is the business calendar make run starts with: WIB office hours with a lunch break on
// Friday prayers, Saturday mornings, and the year-end national holiday and cuti bersama.
const demoCalendar = `{"timeZone":"Asia/Jakarta","weeklyHours":{"monday":["08:00-17:00"],"tuesday":["08:00-17:00"],
"wednesday":["08:00-17:00"],"thursday":["08:00-17:00"],"friday":["08:00-11:30","13:00-17:00"],"saturday":["09:00-13:00"],"sunday":[]},
"holidays":[{"date":"2026-12-24","name":"Cuti bersama Hari Raya Natal"},{"date":"2026-12-25","name":"Hari Raya Natal"},
{"date":"2027-01-01","name":"Tahun Baru 2027 Masehi"}]}`

// SLA seeds the SLA demo: the business calendar (while none is saved) and one low-priority complaint by a
// customer with no other tickets (cust-rina: no repeat-complaint raise). With
// the SlaDemoMinutes parameter (make run sets 2) the low priority's targets are minutes on the wall clock,
// so within a couple of minutes the SLA monitor marks the ticket at risk, then breached, and escalates it
// through the outbox and the queue (watch SlaMonitorFunction, EscalationRelayFunction and
// EscalationConsumerFunction in the log). The complaint carries a fixed Idempotency-Key: a restart
// within a day replays it instead of filing another.
func SLA(ctx context.Context, api http.Handler, logf func(string, ...any)) error {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	w := &workspaceSeeder{ctx: ctx, api: api, n: 9000}
	var cal struct {
		IsDefault bool `json:"isDefault"`
	}
	if err := w.call("GET", "/ops/calendar", opsAuth, "", &cal); err != nil {
		return err
	}
	if cal.IsDefault {
		if err := w.call("PUT", "/ops/calendar", opsAuth, demoCalendar, nil); err != nil {
			return err
		}
	}
	var t struct {
		TicketID string `json:"ticketId"`
		SLA      struct {
			FirstResponseDueAt string `json:"firstResponseDueAt"`
		} `json:"sla"`
	}
	if err := w.call("POST", "/complaints", "Bearer dev-customer:cust-rina",
		`{"channel":"web","category":"other","subject":"Ukuran sepatu lari","description":"Apakah sepatu lari ukuran 42 pas untuk kaki 26 cm?"}`, &t); err != nil {
		return err
	}
	logf("seed: SLA demo ticket %s (low priority), first response due %s; the SLA monitor marks it at risk, then breached",
		t.TicketID, t.SLA.FirstResponseDueAt)
	return nil
}
