// Package customer is the per-customer profile every support write keeps up to date: who the customer
// is (as the shop's order system last said), their first and last order, running totals, the latest
// CSAT, and the state that makes retention figures exact counters (retention.go). The profile is one
// item written inside the transaction of the change it reflects, so it never disagrees with it.
package customer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Profile is one customer's item.
type Profile struct {
	ID    string
	Name  string
	Email string // normalized (trim, lower case)
	Phone string
	// ContactAt is the order system's UpdatedAt of the order that last set Name/Email/Phone: an older
	// update arriving late does not overwrite a newer one.
	ContactAt time.Time

	FirstOrderID string
	FirstOrderAt time.Time
	LastOrderID  string
	LastOrderAt  time.Time

	Orders  int // orders the shop sent, cancelled ones included
	Units   int // units on those orders
	Returns int // return requests
	Tickets int // complaints filed
	Surveys int

	LatestCSAT   int // 0 when the customer never rated
	LatestCSATAt time.Time

	Retention Retention

	// Version increases with every conditional write; a read-decide-write is conditional on it.
	Version int64
}

// Exists reports whether the profile was ever written.
func (p Profile) Exists() bool { return p.Version > 0 }

// Contact is what an order says about who bought it; empty fields leave the profile's value alone.
type Contact struct {
	Name  string
	Email string
	Phone string
}

// OrderFact is what the profile needs of one order.
type OrderFact struct {
	ID        string
	PlacedAt  time.Time
	UpdatedAt time.Time
	Units     int
	Cancelled bool
}

// NormalizeEmail is the form emails are compared in: surrounding spaces trimmed, lower case.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// EmailKey is the lookup key of an email: a hash of its normalized form, so that no raw address sits in
// a table key (keys appear in IAM conditions, CloudTrail data events and exports).
func EmailKey(email string) string {
	sum := sha256.Sum256([]byte("tanggap-email\x00" + NormalizeEmail(email)))
	return hex.EncodeToString(sum[:])
}

// Failures.
var (
	ErrNotFound = failure.NotFound("customer_not_found")
)

// applyContact takes the order's contact details when the order is at least as recent as the last one
// that set them.
func (p *Profile) applyContact(c Contact, updatedAt time.Time) {
	if updatedAt.Before(p.ContactAt) || (c.Name == "" && NormalizeEmail(c.Email) == "" && c.Phone == "") {
		return
	}
	p.ContactAt = updatedAt
	if name := strings.Join(strings.Fields(c.Name), " "); name != "" {
		p.Name = name
	}
	if e := NormalizeEmail(c.Email); e != "" {
		p.Email = e
	}
	if phone := strings.TrimSpace(c.Phone); phone != "" {
		p.Phone = phone
	}
}

// FirstName is the first word of the name, as a greeting uses it.
func (p Profile) FirstName() string {
	if f := strings.Fields(p.Name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// OrderChange applies an order's create (before == nil) or update to the profile and returns the
// retention counter changes it causes. allCounted lists the customer's other orders that are not
// cancelled; it is called only in the rare case the profile cannot decide alone (see Retention).
func (p *Profile) OrderChange(before *OrderFact, after OrderFact, c Contact, allCounted func() ([]OrderFact, error)) (Deltas, error) {
	p.applyContact(c, after.UpdatedAt)
	if before == nil {
		p.Orders++
		p.Units += after.Units
	}
	// First and last by placed time over every order seen, cancelled ones included; an order that is
	// already first or last moves with its own placed time.
	if p.FirstOrderID == "" || p.FirstOrderID == after.ID || after.PlacedAt.Before(p.FirstOrderAt) {
		p.FirstOrderID, p.FirstOrderAt = after.ID, after.PlacedAt
	}
	if p.LastOrderID == "" || p.LastOrderID == after.ID || after.PlacedAt.After(p.LastOrderAt) {
		p.LastOrderID, p.LastOrderAt = after.ID, after.PlacedAt
	}
	return p.Retention.orderChange(before, after, allCounted)
}

// TicketFiled counts a complaint and makes it the customer's support contact of its month.
func (p *Profile) TicketFiled(ticketID string, at time.Time) Deltas {
	p.Tickets++
	return p.Retention.contact(ticketID, at)
}

// ReturnRequested counts a return request and makes it a support contact of its month.
func (p *Profile) ReturnRequested(at time.Time) Deltas {
	p.Returns++
	return p.Retention.contact("", at)
}

// TicketResolved records a ticket's first resolution, for the retention split by SLA.
func (p *Profile) TicketResolved(ticketID string, createdAt, resolvedAt, dueAt time.Time) Deltas {
	return p.Retention.resolved(ticketID, createdAt, resolvedAt, dueAt)
}

// HistoryEntry is one item of the customer's timeline: an order placed, a return requested, a ticket
// filed or a survey submitted, with the referenced item's current state where it has one.
type HistoryEntry struct {
	Kind  string // order | return | ticket | survey
	RefID string // order, return or ticket id; for a survey "<subjectType>#<subjectId>"
	At    time.Time

	Status   string // current status of the order, return or ticket ("" when it is gone)
	OrderID  string // the order of a return, or a ticket's order
	Subject  string // a ticket's subject
	Amount   int64  // an order's total, a return's estimated refund (minor units of Currency)
	Currency string
	Units    int

	SurveySubjectType string
	SurveySubjectID   string
	CSAT              int
}

// History kinds.
const (
	KindOrder  = "order"
	KindReturn = "return"
	KindTicket = "ticket"
	KindSurvey = "survey"
)

// HistoryPage is a page of the timeline, newest first.
type HistoryPage struct {
	Entries    []HistoryEntry
	NextCursor string
}

// Store is the port to the customer's profile, timeline and email index.
type Store interface {
	// Profile returns the customer's profile, or ErrNotFound when nothing was ever recorded for them.
	Profile(ctx context.Context, customerID string) (Profile, error)
	// FindByEmail returns the profiles of the customers who ordered with exactly this email (after
	// normalization); none is an empty list.
	FindByEmail(ctx context.Context, email string) ([]Profile, error)
	// History pages the customer's timeline, newest first; the cursor resumes within that customer only.
	History(ctx context.Context, customerID string, limit int, cursor string) (HistoryPage, error)
}
