// Package inboxapi serves the customer's in-app inbox over HTTP: the notifications about their tickets,
// returns and orders, and marking them read.
package inboxapi

import (
	"net/http"
	"time"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/customerevent/inbox"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/identity"
)

// Routes are the inbox routes; template.yaml must declare the same set (checked by a test).
func Routes(svc *inbox.Service) []httpapi.Route {
	h := handlers{svc: svc}
	return []httpapi.Route{
		{Method: "GET", Path: "/notifications", Access: httpapi.Customer, Handle: h.list},
		{Method: "POST", Path: "/notifications/read", Access: httpapi.Customer, Idempotent: true, Handle: h.markRead},
	}
}

type handlers struct{ svc *inbox.Service }

func lang(r *http.Request) i18n.Lang { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

// Notification is one inbox entry. Title and text are in the customer's recorded language (the one the
// event was written in, see `language`); labels follow Accept-Language.
type Notification struct {
	ID               string             `json:"id"`
	Type             string             `json:"type"`
	TypeLabel        string             `json:"typeLabel"`
	SubjectType      string             `json:"subjectType"`
	SubjectTypeLabel string             `json:"subjectTypeLabel"`
	SubjectID        string             `json:"subjectId"`
	Sequence         int64              `json:"sequence"`
	Language         string             `json:"language"`
	Title            string             `json:"title"`
	Text             string             `json:"text"`
	Data             customerevent.Data `json:"data"`
	At               time.Time          `json:"at"`
	Read             bool               `json:"read"`
	ReadAt           *time.Time         `json:"readAt,omitempty"`
}

// ListResponse is a page of the inbox, newest first, with the unread count of the whole inbox.
type ListResponse struct {
	Items       []Notification `json:"items"`
	NextCursor  string         `json:"nextCursor,omitempty"`
	UnreadCount int64          `json:"unreadCount"`
}

func viewOf(it inbox.Item, l i18n.Lang) Notification {
	e := it.Event
	n := Notification{ID: e.ID, Type: string(e.Type), TypeLabel: i18n.Label(l, "notification_type", string(e.Type)),
		SubjectType: string(e.SubjectType), SubjectTypeLabel: i18n.Label(l, "survey_subject", string(e.SubjectType)),
		SubjectID: e.SubjectID, Sequence: e.Sequence, Language: string(e.Language), Title: e.Title, Text: e.Text, Data: e.Data,
		At: e.At.UTC(), Read: it.ReadAt != nil}
	if it.ReadAt != nil {
		at := it.ReadAt.UTC()
		n.ReadAt = &at
	}
	return n
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	p, err := h.svc.List(r.Context(), me.ID, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	resp := ListResponse{Items: make([]Notification, 0, len(p.Items)), NextCursor: p.NextCursor, UnreadCount: p.UnreadCount}
	l := lang(r)
	for _, it := range p.Items {
		resp.Items = append(resp.Items, viewOf(it, l))
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
	return nil
}

// ReadRequest marks notifications read: the ones named by ids, or every one at or before upTo (RFC 3339).
type ReadRequest struct {
	IDs  []string `json:"ids" validate:"omitempty,max=40,unique"`
	UpTo string   `json:"upTo" validate:"omitempty,datetime=2006-01-02T15:04:05Z07:00"`
}

// ReadResponse says how many were marked and what stays unread; more is true when upTo covers more unread
// notifications than one request marks (40): send another request (with a new Idempotency-Key).
type ReadResponse struct {
	Marked      int   `json:"marked"`
	UnreadCount int64 `json:"unreadCount"`
	More        bool  `json:"more"`
}

func (h handlers) markRead(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	var req ReadRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	in := inbox.ReadRequest{IDs: req.IDs}
	if req.UpTo != "" {
		t, err := time.Parse(time.RFC3339Nano, req.UpTo)
		if err != nil {
			return failureDatetime()
		}
		in.UpTo = &t
	}
	res, err := h.svc.MarkRead(r.Context(), me.ID, in)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, ReadResponse{Marked: res.Marked, UnreadCount: res.UnreadCount, More: res.More})
	return nil
}

func failureDatetime() error {
	return failure.Invalid(failure.FieldError{Field: "upTo", Code: "datetime"})
}
