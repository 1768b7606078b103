package idempotency

import (
	"context"
	"errors"
	"sync"
)

// Plan is the unit of work of one idempotent request. While the request runs, a store that would write
// a change captures it here instead, so that Guard.Finish can commit it in the same transaction as the
// request's completed record. A request may plan one change: everything it changes is one transaction.
//
// Code after a planned write must not read its own change back (it is not written yet) and must defer
// effects that only a commit justifies (AfterCommit).
type Plan struct {
	mu     sync.Mutex
	change any
	after  []func()
}

// ErrSecondChange is returned by a second Capture: the request tried to make two separate writes.
var ErrSecondChange = errors.New("idempotency: a request may plan only one change")

type planKey struct{}

// WithPlan returns ctx carrying p.
func WithPlan(ctx context.Context, p *Plan) context.Context {
	return context.WithValue(ctx, planKey{}, p)
}

// PlanFrom returns the plan of ctx's request, or nil outside an idempotent request.
func PlanFrom(ctx context.Context) *Plan {
	p, _ := ctx.Value(planKey{}).(*Plan)
	return p
}

// Capture keeps change (opaque here; the Store that commits it knows its type).
func (p *Plan) Capture(change any) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.change != nil {
		return ErrSecondChange
	}
	p.change = change
	return nil
}

// Change returns the captured change, or nil.
func (p *Plan) Change() any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.change
}

// Planned reports whether a change was captured.
func (p *Plan) Planned() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.change != nil
}

// AfterCommit runs fn once the planned change has committed, or at once outside a plan (nil p).
func (p *Plan) AfterCommit(fn func()) {
	if p == nil {
		fn()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.after = append(p.after, fn)
}

func (p *Plan) committed() {
	p.mu.Lock()
	after := p.after
	p.after = nil
	p.mu.Unlock()
	for _, fn := range after {
		fn()
	}
}
