// Package calendarapi serves the business calendar to ops (AWS_IAM): read it, and replace it whole.
package calendarapi

import (
	"net/http"

	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// Routes are the calendar routes; template.yaml must declare the same set (checked by a test).
func Routes(store calendar.Store) []httpapi.Route {
	h := handlers{store: store}
	return []httpapi.Route{
		{Method: "GET", Path: "/ops/calendar", Access: httpapi.Operator, Handle: h.get},
		{Method: "PUT", Path: "/ops/calendar", Access: httpapi.Operator, Idempotent: true, Handle: h.put},
	}
}

type handlers struct{ store calendar.Store }

// View is the calendar in force. IsDefault is true until ops saved one (Asia/Jakarta, Mon-Fri 08:00-17:00).
// Functions pick a change up within calendar.CacheFor.
type View struct {
	calendar.Spec
	IsDefault          bool `json:"isDefault"`
	CacheMaxAgeSeconds int  `json:"cacheMaxAgeSeconds"`
}

func view(c calendar.Calendar, isDefault bool) View {
	return View{Spec: c.Spec(), IsDefault: isDefault, CacheMaxAgeSeconds: int(calendar.CacheFor.Seconds())}
}

func (h handlers) get(w http.ResponseWriter, r *http.Request) error {
	c, found, err := h.store.Get(r.Context())
	if err != nil {
		return err
	}
	if !found {
		c = calendar.Default()
	}
	httpapi.WriteJSON(w, http.StatusOK, view(c, !found))
	return nil
}

func (h handlers) put(w http.ResponseWriter, r *http.Request) error {
	var req calendar.Spec
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	c, err := req.Calendar()
	if err != nil {
		return err
	}
	if err := h.store.Put(r.Context(), c); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, view(c, false))
	return nil
}
