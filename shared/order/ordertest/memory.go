// Package ordertest has an in-memory order.Store for unit tests and the contract every order.Store
// implementation must meet.
package ordertest

import (
	"context"
	"encoding/base64"
	"sort"
	"strconv"
	"sync"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// MemoryStore is an order.Store in a map, with the same rules as the DynamoDB adapter.
type MemoryStore struct {
	mu     sync.Mutex
	orders map[string]order.Order
}

var _ order.Store = (*MemoryStore)(nil)

func NewMemoryStore() *MemoryStore { return &MemoryStore{orders: map[string]order.Order{}} }

func (m *MemoryStore) Get(_ context.Context, id string) (order.Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.orders[id]
	if !ok {
		return order.Order{}, order.ErrNotFound
	}
	o.Lines = append([]order.Line(nil), o.Lines...)
	return o, nil
}

func (m *MemoryStore) ListByCustomer(_ context.Context, customerID string, limit int, cursor string) (order.Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var mine []order.Order
	for _, o := range m.orders {
		if o.CustomerID == customerID {
			mine = append(mine, o)
		}
	}
	sort.Slice(mine, func(i, j int) bool {
		if !mine[i].PlacedAt.Equal(mine[j].PlacedAt) {
			return mine[i].PlacedAt.After(mine[j].PlacedAt)
		}
		return mine[i].ID > mine[j].ID
	})
	start := 0
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		n, perr := strconv.Atoi(string(raw))
		if err != nil || perr != nil || n < 0 || n > len(mine) {
			return order.Page{}, failure.Invalid(failure.FieldError{Field: "cursor", Code: "invalid"})
		}
		start = n
	}
	end := min(start+limit, len(mine))
	page := order.Page{}
	for _, o := range mine[start:end] {
		page.Orders = append(page.Orders, order.SummaryOf(o))
	}
	if end < len(mine) {
		page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return page, nil
}

func (m *MemoryStore) Upsert(_ context.Context, o order.Order) (order.Order, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.orders[o.ID]
	if !ok {
		o.Lines = append([]order.Line(nil), o.Lines...)
		for i := range o.Lines {
			o.Lines[i].Remaining = o.Lines[i].Quantity
		}
		m.orders[o.ID] = o
		return o, true, nil
	}
	switch {
	case old.CustomerID != o.CustomerID:
		return order.Order{}, false, order.ErrOwnerChanged
	case !old.SameLines(o):
		return order.Order{}, false, order.ErrLinesChanged
	case o.UpdatedAt.Before(old.UpdatedAt):
		return order.Order{}, false, order.ErrStaleUpdate
	}
	o.Lines = old.Lines
	if o.Language == "" {
		o.Language = old.Language
	}
	m.orders[o.ID] = o
	return o, false, nil
}

// SetRemaining stands in for a return reserving quantity, for unit tests of views.
func (m *MemoryStore) SetRemaining(orderID, lineID string, remaining int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o := m.orders[orderID]
	for i := range o.Lines {
		if o.Lines[i].ID == lineID {
			o.Lines[i].Remaining = remaining
		}
	}
	m.orders[orderID] = o
}
