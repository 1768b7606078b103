// Package inbox is the customer's in-app inbox: the customer events about their tickets, returns and orders
// (package customerevent), newest first, with an unread count kept by counters rather than by counting items.
package inbox

import (
	"context"
	"strconv"
	"time"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Item is one inbox entry: an event the customer's inbox shows, and when it was read.
type Item struct {
	Event  customerevent.Event
	ReadAt *time.Time
}

// Page is a page of the inbox, newest first, with the unread count of the whole inbox.
type Page struct {
	Items       []Item
	NextCursor  string
	UnreadCount int64
}

// Store is the port to inbox storage. Every method reads only customerID's own items: the partition comes
// from the caller's identity, never from ids or cursors.
type Store interface {
	// List pages the items at or after since, newest first.
	List(ctx context.Context, customerID string, since time.Time, limit int, cursor string) ([]Item, string, error)
	// UnreadCount sums the unread counters of the days at or after since.
	UnreadCount(ctx context.Context, customerID string, since time.Time) (int64, error)
	// UnreadByID returns the unread items among ids (unknown ids, read items and other customers' ids are
	// left out), at or after since.
	UnreadByID(ctx context.Context, customerID string, ids []string, since time.Time) ([]Item, error)
	// UnreadUpTo returns up to limit unread items between since and upTo, newest first, and whether more
	// unread items remain in that range.
	UnreadUpTo(ctx context.Context, customerID string, since, upTo time.Time, limit int) ([]Item, bool, error)
	// MarkRead marks items read at at and lowers their days' unread counters, in one transaction. It returns
	// ErrChanged when one of them was read meanwhile.
	MarkRead(ctx context.Context, customerID string, items []Item, at time.Time) error
}

// MaxMark bounds the items one read request marks (they and their days' counters share one transaction).
const MaxMark = 40

// Failures.
var (
	ErrChanged = failure.Conflict("notifications_changed")
)

// Service answers the inbox routes.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the inbox service.
func NewService(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// List returns a page of customerID's inbox and its unread count.
func (s *Service) List(ctx context.Context, customerID string, limit int, cursor string) (Page, error) {
	since := customerevent.InboxVisibleSince(s.now())
	items, next, err := s.store.List(ctx, customerID, since, limit, cursor)
	if err != nil {
		return Page{}, err
	}
	unread, err := s.store.UnreadCount(ctx, customerID, since)
	if err != nil {
		return Page{}, err
	}
	return Page{Items: items, NextCursor: next, UnreadCount: max(unread, 0)}, nil
}

// ReadRequest marks items read: those named by IDs, or every item at or before UpTo.
type ReadRequest struct {
	IDs  []string
	UpTo *time.Time
}

// ReadResult says what a read request marked and what stays unread.
type ReadResult struct {
	Marked      int
	UnreadCount int64
	// More is true when UpTo covers more unread items than one request marks (MaxMark): send another.
	More bool
}

// MarkRead marks the request's unread items read. Items already read are left as they are, so repeating a
// request changes nothing.
func (s *Service) MarkRead(ctx context.Context, customerID string, req ReadRequest) (ReadResult, error) {
	if err := req.validate(); err != nil {
		return ReadResult{}, err
	}
	now := s.now()
	since := customerevent.InboxVisibleSince(now)
	var items []Item
	var more bool
	var err error
	if req.UpTo != nil {
		items, more, err = s.store.UnreadUpTo(ctx, customerID, since, *req.UpTo, MaxMark)
	} else {
		items, err = s.store.UnreadByID(ctx, customerID, req.IDs, since)
	}
	if err != nil {
		return ReadResult{}, err
	}
	unread, err := s.store.UnreadCount(ctx, customerID, since)
	if err != nil {
		return ReadResult{}, err
	}
	if len(items) > 0 {
		if err := s.store.MarkRead(ctx, customerID, items, now); err != nil {
			return ReadResult{}, err
		}
	}
	return ReadResult{Marked: len(items), UnreadCount: max(unread-int64(len(items)), 0), More: more}, nil
}

func (r ReadRequest) validate() error {
	switch {
	case (len(r.IDs) > 0) == (r.UpTo != nil):
		return failure.Invalid(failure.FieldError{Field: "ids", Code: "notification_ids"})
	case len(r.IDs) > MaxMark:
		return failure.Invalid(failure.FieldError{Field: "ids", Code: "max", Param: strconv.Itoa(MaxMark)})
	}
	var fields []failure.FieldError
	for i, id := range r.IDs {
		if !customerevent.ValidID(id) {
			fields = append(fields, failure.FieldError{Field: "ids[" + strconv.Itoa(i) + "]", Code: "notification_id"})
		}
	}
	if len(fields) > 0 {
		return failure.Invalid(fields...)
	}
	return nil
}
