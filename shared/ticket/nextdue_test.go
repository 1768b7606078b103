package ticket

import (
	"testing"
	"time"
)

// A ticket waiting on the customer is not worked to its frozen resolution due time: queues order and count it
// by its automatic resolution, so it never reads as breached while its clock stands still.
func TestNextDueFollowsTheClockThatRuns(t *testing.T) {
	filed := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	first, resolution, answered := filed.Add(4*time.Hour), filed.Add(24*time.Hour), filed.Add(time.Hour)
	tk := Ticket{FirstResponseDueAt: first, ResolutionDueAt: resolution}
	if got := tk.NextDue(); !got.Equal(first) {
		t.Fatalf("unanswered: %v, want the first-response due %v", got, first)
	}
	tk.FirstRespondedAt = &answered
	if got := tk.NextDue(); !got.Equal(resolution) {
		t.Fatalf("answered: %v, want the resolution due %v", got, resolution)
	}
	waiting, auto := filed.Add(2*time.Hour), filed.Add(5*24*time.Hour)
	tk.Status, tk.WaitingSince, tk.AutoResolveAt = StatusWaitingOnCustomer, &waiting, &auto
	if got := tk.NextDue(); !got.Equal(auto) {
		t.Fatalf("waiting: %v, want the automatic resolution %v", got, auto)
	}
	if fr, res := Breaches(tk, filed.Add(48*time.Hour)); fr || res {
		t.Fatalf("Breaches says a waiting ticket is breached (%v, %v)", fr, res)
	}
}
