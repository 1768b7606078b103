package returns

import (
	"context"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// racingStore is an in-memory Store whose writes lose to an imagined concurrent writer a set number of
// times; it checks the service's read-decide-write loop, not storage.
type racingStore struct {
	order       OrderRecord
	ret         Return
	lose        int // writes still to lose
	onLose      func(s *racingStore)
	orderReads  int
	writes      int
	transitions int
}

func (s *racingStore) Order(context.Context, string) (OrderRecord, error) {
	s.orderReads++
	return s.order, nil
}
func (s *racingStore) Get(context.Context, string) (Return, error) { return s.ret, nil }
func (s *racingStore) ListByOrder(context.Context, string, int, string) (Page, error) {
	return Page{}, nil
}

func (s *racingStore) write() error {
	s.writes++
	if s.lose > 0 {
		s.lose--
		if s.onLose != nil {
			s.onLose(s)
		}
		return ErrContention.Wrap(context.DeadlineExceeded)
	}
	return nil
}

func (s *racingStore) Create(_ context.Context, r Return) error {
	if err := s.write(); err != nil {
		return err
	}
	s.ret = r
	return nil
}

func (s *racingStore) Transition(_ context.Context, prev, next Return) error {
	if err := s.write(); err != nil {
		return err
	}
	s.transitions++
	s.ret = next
	return nil
}

func newTestService(store Store) *Service {
	svc := NewService(store, returnpolicy.Default(), func() time.Time { return now })
	svc.Backoff = func(int) time.Duration { return 0 }
	return svc
}

func TestRequestRetriesAfterLosingAndSucceeds(t *testing.T) {
	store := &racingStore{order: sampleOrder(), lose: 2}
	r, err := newTestService(store).Request(context.Background(), req(line("L1", 1, "defective", "unopened")))
	if err != nil {
		t.Fatal(err)
	}
	if store.writes != 3 || store.orderReads != 3 {
		t.Fatalf("writes %d reads %d, want 3 each (every attempt re-reads)", store.writes, store.orderReads)
	}
	if !IDs.Valid(r.ID) || r.Version != 1 || len(r.Audit) != 1 || r.Audit[0].To != StatusRequested || r.Audit[0].PolicyVersion == "" {
		t.Fatalf("created %+v", r)
	}
}

// Losing the race for the last unit: the re-read shows it gone, and the answer is the conflict, not a retry.
func TestRequestLosingLastUnitEndsAsQuantityUnavailable(t *testing.T) {
	store := &racingStore{order: sampleOrder(), lose: 1, onLose: func(s *racingStore) { s.order.Lines[0].Remaining = 0 }}
	_, err := newTestService(store).Request(context.Background(), req(line("L1", 1, "defective", "unopened")))
	fe, ok := failure.As(err)
	if !ok || fe.Code != "return_quantity_unavailable" || len(fe.Fields) != 1 || fe.Fields[0].Param != "0" {
		t.Fatalf("got %v", err)
	}
	if store.writes != 1 {
		t.Fatalf("%d writes", store.writes)
	}
}

func TestContentionGivesUpAfterAttempts(t *testing.T) {
	store := &racingStore{order: sampleOrder(), lose: 100}
	svc := newTestService(store)
	_, err := svc.Request(context.Background(), req(line("L1", 1, "defective", "unopened")))
	if !IsContention(err) || store.writes != svc.Attempts {
		t.Fatalf("err %v after %d writes", err, store.writes)
	}
}

// An ops step that loses to another re-reads and is refused because the status moved on.
func TestOpsStepLosingRaceIsStatusConflict(t *testing.T) {
	store := &racingStore{lose: 1}
	store.ret = requested(t)
	store.onLose = func(s *racingStore) { s.ret.Status, s.ret.Version = StatusRejected, s.ret.Version+1 }
	_, err := newTestService(store).Approve(context.Background(), ops, store.ret.ID, "")
	if fe, ok := failure.As(err); !ok || fe.Code != "return_status_conflict" {
		t.Fatalf("got %v", err)
	}
	if store.transitions != 0 {
		t.Fatal("a refused step was written")
	}
}

func TestCustomerCannotTouchAnothersReturn(t *testing.T) {
	store := &racingStore{}
	store.ret = requested(t)
	svc := newTestService(store)
	if _, err := svc.GetMine(context.Background(), "siti", store.ret.ID); !failure.IsKind(err, failure.KindNotFound) {
		t.Fatalf("get: %v", err)
	}
	if _, err := svc.Cancel(context.Background(), "siti", store.ret.ID); !failure.IsKind(err, failure.KindNotFound) {
		t.Fatalf("cancel: %v", err)
	}
	if store.writes != 0 {
		t.Fatal("wrote for a stranger")
	}
}

// The service validates before it reads or writes: an invalid request never reaches the store.
func TestInvalidRequestIsRefusedBeforeTheStore(t *testing.T) {
	store := &racingStore{order: sampleOrder()}
	bad := req(line("L1", 1, "broken", "unopened"))
	_, err := newTestService(store).Request(context.Background(), bad)
	if fe, ok := failure.As(err); !ok || fe.Code != "validation_failed" || len(fe.Fields) != 1 || fe.Fields[0].Field != "lines[0].reason" {
		t.Fatalf("got %v", err)
	}
	if store.writes != 0 || store.orderReads != 0 {
		t.Fatalf("%d writes, %d reads for an invalid request", store.writes, store.orderReads)
	}
}

// Refund reports why it could not refund; it never answers success for a refund it did not write.
func TestRefundReportsItsFailure(t *testing.T) {
	store := &racingStore{}
	store.ret = requested(t) // not received yet
	_, err := newTestService(store).Refund(context.Background(), ops, store.ret.ID, "")
	if fe, ok := failure.As(err); !ok || fe.Code != "return_status_conflict" {
		t.Fatalf("refund of a requested return: %v", err)
	}
	if store.transitions != 0 {
		t.Fatal("a refused refund was written")
	}
}
