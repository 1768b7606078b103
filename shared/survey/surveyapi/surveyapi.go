// Package surveyapi serves customer surveys over HTTP: submitting one answer per ticket, return or order,
// and reading it back.
package surveyapi

import (
	"net/http"
	"time"

	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/identity"
	"github.com/tanggap/tanggap/shared/survey"
)

// Routes are the survey routes; template.yaml must declare the same set (checked by a test).
func Routes(svc *survey.Service) []httpapi.Route {
	h := handlers{svc: svc}
	return []httpapi.Route{
		{Method: "POST", Path: "/surveys", Access: httpapi.Customer, Idempotent: true, Handle: h.submit},
		{Method: "GET", Path: "/surveys/{subjectType}/{subjectId}", Access: httpapi.Customer, Handle: h.getMine},
	}
}

type handlers struct{ svc *survey.Service }

// SubmitRequest is a survey answer. Scores are numbers so that 4.5 or 9 on a 1–5 scale get the same
// range message; csat is required, ces and nps optional.
type SubmitRequest struct {
	SubjectType string   `json:"subjectType"`
	SubjectID   string   `json:"subjectId"`
	CSAT        *float64 `json:"csat"`
	CES         *float64 `json:"ces"`
	NPS         *float64 `json:"nps"`
	Comment     string   `json:"comment"`
}

// View is a survey as its customer sees it.
type View struct {
	SubjectType string    `json:"subjectType"`
	SubjectID   string    `json:"subjectId"`
	CSAT        int       `json:"csat"`
	CES         *int      `json:"ces"`
	NPS         *int      `json:"nps"`
	Comment     string    `json:"comment"`
	SubmittedAt time.Time `json:"submittedAt"`
	// FollowUp says customer care will get in touch (service recovery).
	FollowUp bool `json:"followUp"`
}

func viewOf(s survey.Survey) View {
	return View{SubjectType: string(s.SubjectType), SubjectID: s.SubjectID, CSAT: s.CSAT, CES: s.CES, NPS: s.NPS,
		Comment: s.Comment, SubmittedAt: s.SubmittedAt.UTC(), FollowUp: s.ServiceRecovery}
}

func (h handlers) submit(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	var req SubmitRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	sv, err := h.svc.Submit(r.Context(), me.ID, survey.Input{
		SubjectType: req.SubjectType, SubjectID: req.SubjectID, CSAT: req.CSAT, CES: req.CES, NPS: req.NPS, Comment: req.Comment,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/surveys/"+string(sv.SubjectType)+"/"+sv.SubjectID)
	httpapi.WriteJSON(w, http.StatusCreated, viewOf(sv))
	return nil
}

func (h handlers) getMine(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	sv, err := h.svc.GetMine(r.Context(), me.ID,
		survey.SubjectType(httpapi.PathParam(r, "subjectType")), httpapi.PathParam(r, "subjectId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, viewOf(sv))
	return nil
}
