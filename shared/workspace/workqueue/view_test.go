package workqueue

import (
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/ticket"
)

// A queue shows a ticket's SLA exactly as the ticket's own views do: while it waits on the customer, the
// resolution clock is shown paused with its automatic resolution, and a frozen due time in the past is not
// a breach.
func TestQueueItemShowsThePausedResolutionClock(t *testing.T) {
	created := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	waiting := created.Add(2 * time.Hour)
	autoResolve := waiting.Add(72 * time.Hour)
	responded := created.Add(time.Hour)
	tk := ticket.Ticket{ID: "TKT-1", Status: ticket.StatusWaitingOnCustomer, CreatedAt: created,
		FirstResponseDueAt: created.Add(4 * time.Hour), ResolutionDueAt: created.Add(24 * time.Hour),
		FirstRespondedAt: &responded, WaitingSince: &waiting, AutoResolveAt: &autoResolve}
	now := created.Add(48 * time.Hour) // past the frozen resolution due time

	got := TicketItemOf(tk, now, i18n.English).SLA
	if want := ticket.SLAViewOf(tk, now); got != want {
		t.Errorf("queue SLA = %+v\nticket SLA = %+v", got, want)
	}
	if !got.ResolutionPaused || got.PausedAt == nil || !got.PausedAt.Equal(waiting) || got.AutoResolveAt == nil || !got.AutoResolveAt.Equal(autoResolve) {
		t.Errorf("queue SLA = %+v, want paused since %v, resolving itself at %v", got, waiting, autoResolve)
	}
	if got.ResolutionBreached || got.FirstResponseBreached {
		t.Errorf("queue SLA = %+v: a ticket waiting on the customer, answered in time, is not breached", got)
	}
}
