// Package metricsapi serves the support figures to ops over HTTP.
package metricsapi

import (
	"net/http"

	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
)

// Routes are the metrics routes; template.yaml must declare the same set (checked by a test).
func Routes(svc *metrics.Service) []httpapi.Route {
	h := handlers{svc: svc}
	return []httpapi.Route{
		{Method: "GET", Path: "/ops/metrics", Access: httpapi.Operator, Handle: h.report},
	}
}

type handlers struct{ svc *metrics.Service }

// report answers GET /ops/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD (days in WIB, both inclusive).
func (h handlers) report(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rep, err := h.svc.Report(r.Context(), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, rep)
	return nil
}
