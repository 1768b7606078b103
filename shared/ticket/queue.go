package ticket

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/escalation"
)

// Ops work queues. Where a ticket sits in them, and what it adds to the queue counters, is derived here
// from its current state alone (status, due times, first response), so every change that moves a due time
// or a status keeps the index and the counters right without knowing about them.

// Lane is the part of a team's queue a ticket is in; a closed ticket is in none.
type Lane string

const (
	LaneNone     Lane = ""
	LaneActive   Lane = "active"   // work still owed: open, in progress
	LaneResolved Lane = "resolved" // resolved, not yet closed: may come back
)

// QueueLane is the lane t belongs to. Any status other than resolved or closed is work still owed.
func (t Ticket) QueueLane() Lane {
	switch t.Status {
	case "", StatusClosed: // "": no ticket (before a create)
		return LaneNone
	case StatusResolved:
		return LaneResolved
	default:
		return LaneActive
	}
}

// NextDue is the SLA due time the ticket is worked to now: the first-response promise while nobody has
// answered, the resolution promise after that. While it waits on the customer its resolution clock stands
// still (Breaches agrees), so what comes next is its automatic resolution, not the frozen due time.
func (t Ticket) NextDue() time.Time {
	if t.FirstRespondedAt == nil {
		return t.FirstResponseDueAt
	}
	if t.WaitingSince != nil && t.AutoResolveAt != nil {
		return *t.AutoResolveAt
	}
	return t.ResolutionDueAt
}

// Queue counter names: per team and priority, kept in the transaction of every ticket change.
const (
	CounterOpen       = "open"       // tickets in the active lane
	CounterUnanswered = "unanswered" // active tickets nobody answered yet
	CounterBreached   = "breached"   // active tickets the SLA monitor marked breached on the target they owe now
)

// QueueCell is one team and priority: the unit queue counters are kept per.
type QueueCell struct {
	Team     escalation.Team
	Priority Priority
}

// queueCounts is what t adds to its cell's counters.
func (t Ticket) queueCounts() map[string]int64 {
	if t.QueueLane() != LaneActive {
		return nil
	}
	c := map[string]int64{CounterOpen: 1}
	if t.FirstRespondedAt == nil {
		c[CounterUnanswered] = 1
	}
	owed := TargetResolution
	if t.FirstRespondedAt == nil {
		owed = TargetFirstResponse
	}
	if t.HasMark(owed, MarkBreached) {
		c[CounterBreached] = 1
	}
	return c
}

// QueueDeltas is how a change from before to after moves the queue counters, per cell, leaving out zeros.
// A created ticket has a zero before.
func QueueDeltas(before, after Ticket) map[QueueCell]map[string]int64 {
	out := map[QueueCell]map[string]int64{}
	add := func(t Ticket, sign int64) {
		for name, n := range t.queueCounts() {
			cell := QueueCell{Team: t.Team, Priority: t.Priority}
			if out[cell] == nil {
				out[cell] = map[string]int64{}
			}
			out[cell][name] += sign * n
		}
	}
	add(before, -1)
	add(after, 1)
	for cell, counts := range out {
		for name, n := range counts {
			if n == 0 {
				delete(counts, name)
			}
		}
		if len(counts) == 0 {
			delete(out, cell)
		}
	}
	return out
}

// MaskEmail keeps an email's first character and its domain: enough for an agent to tell two customers
// apart in a queue, not enough to contact them from it ("b***@example.co.id"). Anything without a local
// part and a domain masks to "***".
func MaskEmail(email string) string {
	email = strings.TrimSpace(email)
	at := strings.LastIndex(email, "@")
	if at <= 0 || at == len(email)-1 {
		if email == "" {
			return ""
		}
		return "***"
	}
	first, _ := utf8.DecodeRuneInString(email)
	return string(first) + "***" + email[at:]
}
