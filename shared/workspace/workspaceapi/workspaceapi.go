// Package workspaceapi serves the ops workspace over HTTP: the ticket and return work queues and their
// counts. Every route is AWS_IAM (ops) and read-only.
package workspaceapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/workspace/workqueue"
)

// Routes are the workspace routes; template.yaml must declare the same set (checked by a test).
func Routes(queues *workqueue.Service) []httpapi.Route {
	h := handlers{queues: queues}
	return []httpapi.Route{
		{Method: "GET", Path: "/ops/queues", Access: httpapi.Operator, Handle: h.counts},
		{Method: "GET", Path: "/ops/complaints", Access: httpapi.Operator, Handle: h.tickets},
		{Method: "GET", Path: "/ops/returns", Access: httpapi.Operator, Handle: h.returns},
	}
}

type handlers struct{ queues *workqueue.Service }

func lang(r *http.Request) i18n.Lang { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

// TicketPage is a page of a ticket queue.
type TicketPage struct {
	Items      []workqueue.TicketItem `json:"items"`
	NextCursor string                 `json:"nextCursor,omitempty"`
}

// ReturnPage is a page of a return queue.
type ReturnPage struct {
	Items      []workqueue.ReturnItem `json:"items"`
	NextCursor string                 `json:"nextCursor,omitempty"`
}

// query is the request's query string, refusing parameters a route does not know or repeats.
type query struct {
	values url.Values
}

func queryOf(r *http.Request, known ...string) (query, error) {
	v := r.URL.Query()
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		switch {
		case !slices.Contains(known, name):
			return query{}, failure.Invalid(failure.FieldError{Field: name, Code: "unknown"})
		case len(v[name]) > 1:
			return query{}, failure.Invalid(failure.FieldError{Field: name, Code: "duplicate"})
		}
	}
	return query{values: v}, nil
}

// list reads a comma-separated parameter; an empty element is refused.
func (q query) list(name string) ([]string, error) {
	s, ok := q.values[name]
	if !ok {
		return nil, nil
	}
	parts := strings.Split(s[0], ",")
	if len(parts) > 10 {
		return nil, failure.Invalid(failure.FieldError{Field: name, Code: "invalid"})
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return nil, failure.Invalid(failure.FieldError{Field: name, Code: "invalid"})
		}
	}
	return parts, nil
}

func codes[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, s := range in {
		out[i] = T(s)
	}
	return out
}

// tickets answers GET /ops/complaints: a ticket queue, most urgent first.
func (h handlers) tickets(w http.ResponseWriter, r *http.Request) error {
	q, err := queryOf(r, "status", "team", "priority", "assignee", "channel", "category", "sla", "due_within", "limit", "cursor")
	if err != nil {
		return err
	}
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	var f workqueue.TicketFilter
	lists := []struct {
		name string
		set  func([]string)
	}{
		{"status", func(v []string) { f.Statuses = codes[ticket.Status](v) }},
		{"team", func(v []string) { f.Teams = codes[escalation.Team](v) }},
		{"priority", func(v []string) { f.Priorities = codes[ticket.Priority](v) }},
		{"channel", func(v []string) { f.Channels = codes[ticket.Channel](v) }},
		{"category", func(v []string) { f.Categories = codes[ticket.Category](v) }},
	}
	for _, l := range lists {
		v, err := q.list(l.name)
		if err != nil {
			return err
		}
		l.set(v)
	}
	if a, ok := q.values["assignee"]; ok {
		switch s := strings.TrimSpace(a[0]); {
		case s == "unassigned":
			f.Unassigned = true
		case strings.HasPrefix(s, "arn:") && len(s) <= 2048:
			f.Assignee = s
		default:
			return failure.Invalid(failure.FieldError{Field: "assignee", Code: "invalid"})
		}
	}
	sla, err := q.list("sla")
	if err != nil {
		return err
	}
	for _, s := range sla {
		switch s {
		case "breached":
			f.Breached = true
		case "unanswered":
			f.Unanswered = true
		default:
			return failure.Invalid(failure.FieldError{Field: "sla", Code: "invalid"})
		}
	}
	if s, ok := q.values["due_within"]; ok {
		n, err := strconv.Atoi(s[0])
		if err != nil || n < 1 || time.Duration(n)*time.Minute > workqueue.MaxDueWithin {
			return failure.Invalid(failure.FieldError{Field: "due_within", Code: "invalid"})
		}
		f.DueWithin = time.Duration(n) * time.Minute
	}
	res, now, err := h.queues.Tickets(r.Context(), f, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	l := lang(r)
	out := TicketPage{Items: make([]workqueue.TicketItem, 0, len(res.Tickets)), NextCursor: res.NextCursor}
	for _, t := range res.Tickets {
		out.Items = append(out.Items, workqueue.TicketItemOf(t, now, l))
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// returns answers GET /ops/returns: one return queue, oldest first.
func (h handlers) returns(w http.ResponseWriter, r *http.Request) error {
	q, err := queryOf(r, "status", "resolution", "reason", "limit", "cursor")
	if err != nil {
		return err
	}
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	var f workqueue.ReturnFilter
	if s, ok := q.values["status"]; ok {
		f.Status = returns.Status(strings.TrimSpace(s[0]))
		if f.Status == "" {
			return failure.Invalid(failure.FieldError{Field: "status", Code: "invalid"})
		}
	}
	res, err := q.list("resolution")
	if err != nil {
		return err
	}
	f.Resolutions = codes[returns.Resolution](res)
	reasons, err := q.list("reason")
	if err != nil {
		return err
	}
	f.Reasons = codes[returnpolicy.Reason](reasons)
	got, now, err := h.queues.Returns(r.Context(), f, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	l := lang(r)
	out := ReturnPage{Items: make([]workqueue.ReturnItem, 0, len(got.Returns)), NextCursor: got.NextCursor}
	for _, ret := range got.Returns {
		out.Items = append(out.Items, workqueue.ReturnItemOf(ret, now, l))
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// counts answers GET /ops/queues.
func (h handlers) counts(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryOf(r); err != nil {
		return err
	}
	c, err := h.queues.Counts(r.Context())
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, workqueue.CountsViewOf(c, lang(r)))
	return nil
}
