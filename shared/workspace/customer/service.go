package customer

import (
	"context"
	"strings"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Service answers ops questions about customers.
type Service struct{ store Store }

// NewService wires a Service.
func NewService(store Store) *Service { return &Service{store: store} }

// maxCustomerID matches the order upsert's customerId limit.
const maxCustomerID = 128

// History returns the profile and one page of the timeline, newest first.
func (s *Service) History(ctx context.Context, customerID string, limit int, cursor string) (Profile, HistoryPage, error) {
	if customerID == "" || len(customerID) > maxCustomerID {
		return Profile{}, HistoryPage{}, ErrNotFound
	}
	p, err := s.store.Profile(ctx, customerID)
	if err != nil {
		return Profile{}, HistoryPage{}, err
	}
	page, err := s.store.History(ctx, customerID, limit, cursor)
	if err != nil {
		return Profile{}, HistoryPage{}, err
	}
	return p, page, nil
}

// maxEmail is the longest address the order upsert accepts.
const maxEmail = 254

// FindByEmail finds the customers who ordered with exactly this address (trimmed, lower-cased). Anything
// that is not a whole address is refused rather than searched: there is no partial match over PII.
func (s *Service) FindByEmail(ctx context.Context, email string) ([]Profile, error) {
	e := NormalizeEmail(email)
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 || len(e) > maxEmail || strings.ContainsAny(e, " \t\r\n") {
		return nil, failure.Invalid(failure.FieldError{Field: "email", Code: "email_exact"})
	}
	return s.store.FindByEmail(ctx, e)
}
