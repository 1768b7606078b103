package returns

import (
	"context"
	"io"
	mathrand "math/rand/v2"
	"time"

	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/randomid"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// IDs are return ids: "RTN-" and 80 random bits.
var IDs = randomid.NewKind("RTN-")

// Service runs return requests and ops steps over a Store.
type Service struct {
	store  Store
	policy returnpolicy.Policy
	now    func() time.Time
	// Attempts bounds the read-decide-write loop when conditional writes lose to concurrent ones.
	Attempts int
	// Backoff is the pause before retry number attempt (1-based).
	Backoff func(attempt int) time.Duration
	// Metrics receives a business metric line (EMF) per return requested and refunded; nil writes none.
	Metrics io.Writer
}

// NewService wires a Service. now is injected so deadlines are testable.
func NewService(store Store, policy returnpolicy.Policy, now func() time.Time) *Service {
	return &Service{store: store, policy: policy, now: now, Attempts: 8, Backoff: jitteredBackoff}
}

// jitteredBackoff spreads retries so racing requests do not collide again in lock step.
func jitteredBackoff(attempt int) time.Duration {
	ceiling := min(5*time.Millisecond<<attempt, 200*time.Millisecond)
	return ceiling/2 + mathrand.N(ceiling/2)
}

// Policy is the policy new requests are decided under.
func (s *Service) Policy() returnpolicy.Policy { return s.policy }

// optimistic runs step until it does not lose to a concurrent write. Every attempt re-reads, so the final
// answer reflects what won: a request racing for the last unit ends as "quantity unavailable", an ops step
// racing another as "status conflict".
func (s *Service) optimistic(ctx context.Context, step func() (Return, error)) (Return, error) {
	for attempt := 1; ; attempt++ {
		r, err := step()
		if !IsContention(err) || attempt >= s.Attempts {
			return r, err
		}
		select {
		case <-ctx.Done():
			return Return{}, ctx.Err()
		case <-time.After(s.Backoff(attempt)):
		}
	}
}

// Request creates a return for the customer's order: validate, decide under the policy, then reserve and
// create in one transaction.
func (s *Service) Request(ctx context.Context, req Request) (Return, error) {
	if err := req.Validate(); err != nil {
		return Return{}, err
	}
	created, err := s.optimistic(ctx, func() (Return, error) {
		o, err := s.store.Order(ctx, req.OrderID)
		if err != nil {
			return Return{}, err
		}
		now := s.now().UTC()
		r, err := Decide(s.policy, o, req, now)
		if err != nil {
			return Return{}, err
		}
		r.ID, r.CreatedAt, r.UpdatedAt, r.Version = IDs.New(), now, now, 1
		r.Language = req.Language
		r.Audit = []AuditEntry{{At: now, To: StatusRequested, Actor: Actor{Kind: ActorCustomer, ID: req.CustomerID},
			PolicyVersion: r.Policy.Version}}
		if err := s.store.Create(ctx, r); err != nil {
			return Return{}, err
		}
		return r, nil
	})
	if err == nil {
		metrics.CountEvent(ctx, s.Metrics, created.CreatedAt, metrics.ReturnsRequestedMetric, "returns")
	}
	return created, err
}

// GetMine returns the customer's own return; anyone else's is "not found".
func (s *Service) GetMine(ctx context.Context, customerID, id string) (Return, error) {
	r, err := s.store.Get(ctx, id)
	if err != nil {
		return Return{}, err
	}
	if r.CustomerID != customerID {
		return Return{}, ErrNotFound
	}
	return r, nil
}

// ListForOrder pages the returns of the customer's own order; someone else's order is "not found".
func (s *Service) ListForOrder(ctx context.Context, customerID, orderID string, limit int, cursor string) (Page, error) {
	o, err := s.store.Order(ctx, orderID)
	if err != nil {
		return Page{}, err
	}
	if o.CustomerID != customerID {
		return Page{}, order.ErrNotFound
	}
	page, err := s.store.ListByOrder(ctx, orderID, limit, cursor)
	if err != nil {
		return Page{}, err
	}
	mine := page.Returns[:0]
	for _, r := range page.Returns {
		if r.CustomerID == customerID { // defence in depth: an order's returns are its owner's
			mine = append(mine, r)
		}
	}
	page.Returns = mine
	return page, nil
}

// Get returns any return, for ops.
func (s *Service) Get(ctx context.Context, id string) (Return, error) { return s.store.Get(ctx, id) }

// step reads the return, applies move and writes the result conditionally on what was read.
func (s *Service) step(ctx context.Context, id string, owner string, move func(r Return, now time.Time) (Return, error)) (Return, error) {
	return s.optimistic(ctx, func() (Return, error) {
		r, err := s.store.Get(ctx, id)
		if err != nil {
			return Return{}, err
		}
		if owner != "" && r.CustomerID != owner {
			return Return{}, ErrNotFound
		}
		next, err := move(r, s.now().UTC())
		if err != nil {
			return Return{}, err
		}
		if err := s.store.Transition(ctx, r, next); err != nil {
			return Return{}, err
		}
		return next, nil
	})
}

// Cancel withdraws the customer's own return.
func (s *Service) Cancel(ctx context.Context, customerID, id string) (Return, error) {
	return s.step(ctx, id, customerID, func(r Return, now time.Time) (Return, error) {
		return Cancel(r, Actor{Kind: ActorCustomer, ID: customerID}, now)
	})
}

// Approve accepts a requested return.
func (s *Service) Approve(ctx context.Context, op Actor, id, note string) (Return, error) {
	return s.step(ctx, id, "", func(r Return, now time.Time) (Return, error) { return Approve(r, op, note, now) })
}

// Reject refuses a return with a reason code and a note.
func (s *Service) Reject(ctx context.Context, op Actor, id string, reason RejectReason, note string) (Return, error) {
	return s.step(ctx, id, "", func(r Return, now time.Time) (Return, error) { return Reject(r, op, reason, note, now) })
}

// Receive records the items' condition and the final refund.
func (s *Service) Receive(ctx context.Context, op Actor, id string, lines []ReceivedLine, note string) (Return, error) {
	return s.step(ctx, id, "", func(r Return, now time.Time) (Return, error) { return Receive(r, op, lines, note, now) })
}

// Refund issues the final refund exactly once.
func (s *Service) Refund(ctx context.Context, op Actor, id, note string) (Return, error) {
	r, err := s.step(ctx, id, "", func(r Return, now time.Time) (Return, error) { return Refunded(r, op, note, now) })
	if err == nil {
		metrics.CountEvent(ctx, s.Metrics, r.UpdatedAt, metrics.ReturnsRefundedMetric, "returns")
	}
	return r, err
}
