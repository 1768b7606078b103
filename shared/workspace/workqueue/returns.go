package workqueue

import (
	"context"
	"slices"
	"time"

	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// ReturnFilter is a return queue as ops ask for it: one status (default requested), optionally only some
// resolutions or line reasons.
type ReturnFilter struct {
	Status      returns.Status
	Resolutions []returns.Resolution
	Reasons     []returnpolicy.Reason
}

// Returns reads one page of a return queue, oldest first, as of now.
func (s *Service) Returns(ctx context.Context, f ReturnFilter, limit int, cursor string) (ReturnPage, time.Time, error) {
	now := s.Now()
	if f.Status == "" {
		f.Status = returns.StatusRequested
	}
	if !slices.Contains(ReturnStatuses, f.Status) {
		return ReturnPage{}, now, invalid("status")
	}
	for _, r := range f.Resolutions {
		if !slices.Contains(returns.Resolutions, r) {
			return ReturnPage{}, now, invalid("resolution")
		}
	}
	q := ReturnQuery{Status: f.Status, Resolutions: f.Resolutions, Limit: limit, Cursor: cursor}
	for _, r := range f.Reasons {
		if !slices.Contains(returnpolicy.Reasons, r) {
			return ReturnPage{}, now, invalid("reason")
		}
		q.Reasons = append(q.Reasons, string(r))
	}
	page, err := s.store.Returns(ctx, q)
	return page, now, err
}
