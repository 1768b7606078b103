// Package customerapi serves the ops workspace's customer routes over HTTP: a customer's whole history,
// lookup by exact email, and the saved replies (macros) agents answer with. Every route is AWS_IAM (ops).
package customerapi

import (
	"net/http"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/identity"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/workspace/customer"
	"github.com/tanggap/tanggap/shared/workspace/macro"
)

// Routes are the customer and macro routes; template.yaml must declare the same set (checked by a test).
// Changes honour Idempotency-Key.
func Routes(customers *customer.Service, macros *macro.Service) []httpapi.Route {
	h := handlers{customers: customers, macros: macros}
	return []httpapi.Route{
		{Method: "GET", Path: "/ops/customers", Access: httpapi.Operator, Handle: h.findByEmail},
		{Method: "GET", Path: "/ops/customers/{customerId}", Access: httpapi.Operator, Handle: h.history},
		{Method: "GET", Path: "/ops/macros", Access: httpapi.Operator, Handle: h.listMacros},
		{Method: "POST", Path: "/ops/macros", Access: httpapi.Operator, Idempotent: true, Handle: h.createMacro},
		{Method: "GET", Path: "/ops/macros/{macroId}", Access: httpapi.Operator, Handle: h.getMacro},
		{Method: "PUT", Path: "/ops/macros/{macroId}", Access: httpapi.Operator, Idempotent: true, Handle: h.updateMacro},
		{Method: "DELETE", Path: "/ops/macros/{macroId}", Access: httpapi.Operator, Idempotent: true, Handle: h.deleteMacro},
	}
}

type handlers struct {
	customers *customer.Service
	macros    *macro.Service
}

func lang(r *http.Request) i18n.Lang { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

// OrderRef names an order and when it was placed.
type OrderRef struct {
	OrderID  string    `json:"orderId"`
	PlacedAt time.Time `json:"placedAt"`
}

// Totals are the customer's running counts.
type Totals struct {
	Orders  int `json:"orders"`
	Units   int `json:"units"`
	Returns int `json:"returns"`
	Tickets int `json:"tickets"`
	Surveys int `json:"surveys"`
}

// CSAT is the customer's latest satisfaction score.
type CSAT struct {
	Score int       `json:"score"`
	At    time.Time `json:"at"`
}

// Summary is a customer as ops see them: contact details in full (ops only), first and last order, totals
// and the latest CSAT.
type Summary struct {
	CustomerID string    `json:"customerId"`
	Name       string    `json:"name,omitempty"`
	Email      string    `json:"email,omitempty"`
	Phone      string    `json:"phone,omitempty"`
	FirstOrder *OrderRef `json:"firstOrder,omitempty"`
	LastOrder  *OrderRef `json:"lastOrder,omitempty"`
	Totals     Totals    `json:"totals"`
	LatestCSAT *CSAT     `json:"latestCsat"`
}

// SummaryOf is p's summary.
func SummaryOf(p customer.Profile) Summary {
	s := Summary{CustomerID: p.ID, Name: p.Name, Email: p.Email, Phone: p.Phone,
		Totals: Totals{Orders: p.Orders, Units: p.Units, Returns: p.Returns, Tickets: p.Tickets, Surveys: p.Surveys}}
	if p.FirstOrderID != "" {
		s.FirstOrder = &OrderRef{OrderID: p.FirstOrderID, PlacedAt: p.FirstOrderAt}
	}
	if p.LastOrderID != "" {
		s.LastOrder = &OrderRef{OrderID: p.LastOrderID, PlacedAt: p.LastOrderAt}
	}
	if p.LatestCSAT > 0 {
		s.LatestCSAT = &CSAT{Score: p.LatestCSAT, At: p.LatestCSATAt}
	}
	return s
}

// TimelineItem is one entry of the merged timeline.
type TimelineItem struct {
	Kind        string       `json:"kind"`
	KindLabel   string       `json:"kindLabel"`
	ID          string       `json:"id"`
	At          time.Time    `json:"at"`
	Status      string       `json:"status,omitempty"`
	StatusLabel string       `json:"statusLabel,omitempty"`
	OrderID     string       `json:"orderId,omitempty"`
	Subject     string       `json:"subject,omitempty"`
	Amount      *money.Shown `json:"amount,omitempty"`
	Units       int          `json:"units,omitempty"`
	Survey      *SurveyRef   `json:"survey,omitempty"`
}

// SurveyRef is what a survey entry shows.
type SurveyRef struct {
	SubjectType      string `json:"subjectType"`
	SubjectTypeLabel string `json:"subjectTypeLabel"`
	SubjectID        string `json:"subjectId"`
	CSAT             int    `json:"csat"`
}

var statusKinds = map[string]string{customer.KindOrder: "order_status", customer.KindReturn: "return_status", customer.KindTicket: "ticket_status"}

func timelineItem(e customer.HistoryEntry, l i18n.Lang) TimelineItem {
	it := TimelineItem{Kind: e.Kind, KindLabel: i18n.Label(l, "history_kind", e.Kind), ID: e.RefID, At: e.At, OrderID: e.OrderID,
		Subject: e.Subject, Units: e.Units}
	if e.Status != "" {
		it.Status, it.StatusLabel = e.Status, i18n.Label(l, statusKinds[e.Kind], e.Status)
	}
	if e.Currency != "" && (e.Kind == customer.KindOrder || e.Kind == customer.KindReturn) {
		shown := money.New(e.Amount, e.Currency).In(l)
		it.Amount = &shown
	}
	if e.Kind == customer.KindSurvey {
		it.ID = e.SurveySubjectID
		it.Survey = &SurveyRef{SubjectType: e.SurveySubjectType, SubjectTypeLabel: i18n.Label(l, "survey_subject", e.SurveySubjectType),
			SubjectID: e.SurveySubjectID, CSAT: e.CSAT}
	}
	return it
}

// Timeline is a page of the merged timeline, newest first.
type Timeline struct {
	Items      []TimelineItem `json:"items"`
	NextCursor string         `json:"nextCursor,omitempty"`
}

// HistoryView is GET /ops/customers/{customerId}.
type HistoryView struct {
	Summary
	Timeline Timeline `json:"timeline"`
}

func (h handlers) history(w http.ResponseWriter, r *http.Request) error {
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	p, hist, err := h.customers.History(r.Context(), httpapi.PathParam(r, "customerId"), page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	l := lang(r)
	v := HistoryView{Summary: SummaryOf(p), Timeline: Timeline{Items: make([]TimelineItem, 0, len(hist.Entries)), NextCursor: hist.NextCursor}}
	for _, e := range hist.Entries {
		v.Timeline.Items = append(v.Timeline.Items, timelineItem(e, l))
	}
	httpapi.WriteJSON(w, http.StatusOK, v)
	return nil
}

// Matches are the customers found by an email.
type Matches struct {
	Items []Summary `json:"items"`
}

func (h handlers) findByEmail(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if len(q["email"]) != 1 {
		return failure.Invalid(failure.FieldError{Field: "email", Code: "required"})
	}
	found, err := h.customers.FindByEmail(r.Context(), q.Get("email"))
	if err != nil {
		return err
	}
	m := Matches{Items: make([]Summary, 0, len(found))}
	for _, p := range found {
		m.Items = append(m.Items, SummaryOf(p))
	}
	httpapi.WriteJSON(w, http.StatusOK, m)
	return nil
}

// MacroRequest creates or replaces a saved reply. Bodies may use the placeholders in macro.Known.
type MacroRequest struct {
	Title  string `json:"title" validate:"required,max=120"`
	BodyID string `json:"bodyId" validate:"required,max=5000"`
	BodyEN string `json:"bodyEn" validate:"required,max=5000"`
	Team   string `json:"team" validate:"omitempty,oneof=payments logistics technical quality legal customer_care"`
}

func (req MacroRequest) draft() macro.Draft {
	return macro.Draft{Title: req.Title, BodyID: req.BodyID, BodyEN: req.BodyEN, Team: escalation.Team(req.Team)}
}

// MacroView is a saved reply with the placeholders it uses and how often it was used.
type MacroView struct {
	MacroID      string    `json:"macroId"`
	Title        string    `json:"title"`
	BodyID       string    `json:"bodyId"`
	BodyEN       string    `json:"bodyEn"`
	Team         string    `json:"team,omitempty"`
	TeamLabel    string    `json:"teamLabel,omitempty"`
	Placeholders []string  `json:"placeholders"`
	Usage        int64     `json:"usage"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
	UpdatedBy    string    `json:"updatedBy"`
}

func macroView(m macro.Macro, l i18n.Lang) MacroView {
	seen := map[string]bool{}
	names := []string{}
	for _, body := range []string{m.BodyID, m.BodyEN} {
		for _, n := range macro.Placeholders(body) {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	v := MacroView{MacroID: m.ID, Title: m.Title, BodyID: m.BodyID, BodyEN: m.BodyEN, Team: string(m.Team), Placeholders: names,
		Usage: m.Usage, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy}
	if m.Team != "" {
		v.TeamLabel = i18n.Label(l, "team", string(m.Team))
	}
	return v
}

// MacroPage is a page of saved replies.
type MacroPage struct {
	Items      []MacroView `json:"items"`
	NextCursor string      `json:"nextCursor,omitempty"`
}

func operator(r *http.Request) string {
	op, _ := identity.OperatorFrom(r.Context())
	return op.Name()
}

func (h handlers) createMacro(w http.ResponseWriter, r *http.Request) error {
	var req MacroRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	m, err := h.macros.Create(r.Context(), operator(r), req.draft())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/ops/macros/"+m.ID)
	httpapi.WriteJSON(w, http.StatusCreated, macroView(m, lang(r)))
	return nil
}

func (h handlers) listMacros(w http.ResponseWriter, r *http.Request) error {
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	team := escalation.Team(r.URL.Query().Get("team"))
	if team != "" && !team.Valid() {
		return failure.Invalid(failure.FieldError{Field: "team", Code: "oneof", Param: "payments logistics technical quality legal customer_care"})
	}
	p, err := h.macros.List(r.Context(), team, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	resp := MacroPage{Items: make([]MacroView, 0, len(p.Macros)), NextCursor: p.NextCursor}
	l := lang(r)
	for _, m := range p.Macros {
		resp.Items = append(resp.Items, macroView(m, l))
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h handlers) getMacro(w http.ResponseWriter, r *http.Request) error {
	m, err := h.macros.Get(r.Context(), httpapi.PathParam(r, "macroId"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, macroView(m, lang(r)))
	return nil
}

func (h handlers) updateMacro(w http.ResponseWriter, r *http.Request) error {
	var req MacroRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	m, created, err := h.macros.Put(r.Context(), operator(r), httpapi.PathParam(r, "macroId"), req.draft())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		w.Header().Set("Location", "/ops/macros/"+m.ID)
		status = http.StatusCreated
	}
	httpapi.WriteJSON(w, status, macroView(m, lang(r)))
	return nil
}

func (h handlers) deleteMacro(w http.ResponseWriter, r *http.Request) error {
	id := httpapi.PathParam(r, "macroId")
	m, err := h.macros.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.macros.Delete(r.Context(), id); err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, macroView(m, lang(r)))
	return nil
}
