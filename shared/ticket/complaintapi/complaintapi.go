// Package complaintapi serves complaints over HTTP: customers file tickets, follow them and add
// messages; ops (AWS_IAM) assign, answer, note, resolve, close, reopen and re-prioritise them.
package complaintapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/identity"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/workspace/customer"
	"github.com/tanggap/tanggap/shared/workspace/macro"
)

// Routes are the complaint routes; template.yaml must declare the same set (checked by a test).
// Every POST changes something and honours Idempotency-Key.
func lang(r *http.Request) i18n.Lang { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

func Routes(svc *ticket.Service, opts ...Option) []httpapi.Route {
	h := handlers{svc: svc}
	for _, o := range opts {
		o(&h)
	}
	return []httpapi.Route{
		{Method: "POST", Path: "/complaints", Access: httpapi.Customer, Idempotent: true, Handle: h.create},
		{Method: "GET", Path: "/complaints", Access: httpapi.Customer, Handle: h.listMine},
		{Method: "GET", Path: "/complaints/{ticketId}", Access: httpapi.Customer, Handle: h.getMine},
		{Method: "POST", Path: "/complaints/{ticketId}/messages", Access: httpapi.Customer, Idempotent: true, Handle: h.postMessage},

		{Method: "GET", Path: "/ops/complaints/{ticketId}", Access: httpapi.Operator, Handle: h.opsGet},
		{Method: "POST", Path: "/ops/complaints/{ticketId}/assign", Access: httpapi.Operator, Idempotent: true, Handle: h.assign},
		{Method: "POST", Path: "/ops/complaints/{ticketId}/responses", Access: httpapi.Operator, Idempotent: true, Handle: h.respond},
		{Method: "POST", Path: "/ops/complaints/{ticketId}/notes", Access: httpapi.Operator, Idempotent: true, Handle: h.note},
		{Method: "POST", Path: "/ops/complaints/{ticketId}/resolve", Access: httpapi.Operator, Idempotent: true, Handle: h.resolve},
		{Method: "POST", Path: "/ops/complaints/{ticketId}/close", Access: httpapi.Operator, Idempotent: true, Handle: h.close},
		{Method: "POST", Path: "/ops/complaints/{ticketId}/reopen", Access: httpapi.Operator, Idempotent: true, Handle: h.reopen},
		{Method: "POST", Path: "/ops/complaints/{ticketId}/priority", Access: httpapi.Operator, Idempotent: true, Handle: h.setPriority},
	}
}

// agentARN is an IAM user or assumed-role session.
var agentARN = regexp.MustCompile(`^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[A-Za-z0-9+=,.@_/-]{1,200}$`)

type handlers struct {
	svc       *ticket.Service
	replies   macro.Sources
	customers customer.ContextStore
}

// Option adds what some ops routes read beyond the ticket.
type Option func(*handlers)

// WithCustomerContext shows, in the ops view of a ticket, its customer with their last orders, open
// returns and earlier tickets.
func WithCustomerContext(store customer.ContextStore) Option {
	return func(h *handlers) { h.customers = store }
}

// WithReplies lets agents reply with a saved reply (macro), filled from these sources.
func WithReplies(src macro.Sources) Option { return func(h *handlers) { h.replies = src } }

func ticketID(r *http.Request) (string, error) {
	id := httpapi.PathParam(r, "ticketId")
	if !ticket.IDs.Valid(id) { // anything else is not found without a read
		return "", ticket.ErrNotFound
	}
	return id, nil
}

// CreateRequest files a complaint. The urgency the customer states can raise the priority to high at
// most; only the other rules make a ticket urgent.
type CreateRequest struct {
	Channel     string `json:"channel" validate:"required,oneof=web email chat social phone"`
	Category    string `json:"category" validate:"required,oneof=order_issue delivery payment refund product_quality technical account fraud other"`
	Subject     string `json:"subject" validate:"required,max=150"`
	Description string `json:"description" validate:"required,max=5000"`
	OrderID     string `json:"orderId" validate:"omitempty,max=64"`
	Urgency     string `json:"urgency" validate:"omitempty,oneof=low normal high urgent"`
}

func (h handlers) create(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	var req CreateRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	if req.OrderID != "" && !orderapi.OrderIDPattern.MatchString(req.OrderID) {
		return ticket.ErrOrderNotFound
	}
	d, err := h.svc.Create(r.Context(), me.ID, ticket.NewComplaint{
		Channel: ticket.Channel(req.Channel), Category: ticket.Category(req.Category), Subject: req.Subject,
		Description: req.Description, OrderID: req.OrderID, StatedUrgency: ticket.Priority(req.Urgency),
		Language:     string(lang(r)),
		CustomerName: me.Name, CustomerEmail: me.Email,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/complaints/"+d.Ticket.ID)
	httpapi.WriteJSON(w, http.StatusCreated, ticket.CustomerViewOf(d, h.svc.Now(), lang(r)))
	return nil
}

// ListResponse is a page of the customer's tickets.
type ListResponse struct {
	Items      []ticket.Summary `json:"items"`
	NextCursor string           `json:"nextCursor,omitempty"`
}

func (h handlers) listMine(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	tickets, next, err := h.svc.ListMine(r.Context(), me.ID, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	now := h.svc.Now()
	resp := ListResponse{Items: make([]ticket.Summary, 0, len(tickets)), NextCursor: next}
	l := lang(r)
	for _, t := range tickets {
		resp.Items = append(resp.Items, ticket.SummaryOf(t, now, l))
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h handlers) getMine(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	id, err := ticketID(r)
	if err != nil {
		return err
	}
	d, err := h.svc.GetMine(r.Context(), me.ID, id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, ticket.CustomerViewOf(d, h.svc.Now(), lang(r)))
	return nil
}

// MessageRequest is a customer follow-up or an agent's public reply.
type MessageRequest struct {
	Message string `json:"message" validate:"required,max=5000"`
}

func (h handlers) postMessage(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	id, err := ticketID(r)
	if err != nil {
		return err
	}
	var req MessageRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	d, err := h.svc.PostMessage(r.Context(), me.ID, id, req.Message)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusCreated, ticket.CustomerViewOf(d, h.svc.Now(), lang(r)))
	return nil
}

func (h handlers) opsGet(w http.ResponseWriter, r *http.Request) error {
	id, err := ticketID(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Get(r.Context(), id)
	if err != nil {
		return err
	}
	v := OpsTicketView{OpsView: ticket.OpsViewOf(d, h.svc.Now(), lang(r))}
	if h.customers != nil {
		c, err := h.customers.TicketContext(r.Context(), d.Ticket.CustomerID, d.Ticket.ID)
		if err != nil {
			return err
		}
		cv := customer.ContextViewOf(d.Ticket.CustomerID, c, lang(r))
		v.Customer = &cv
	}
	httpapi.WriteJSON(w, http.StatusOK, v)
	return nil
}

// OpsTicketView is the ops view of one ticket with its customer's context, so an agent answers knowing
// the customer's recent orders, open returns and earlier tickets.
type OpsTicketView struct {
	ticket.OpsView
	Customer *customer.ContextView `json:"customer,omitempty"`
}

// opsAction decodes the body into req (an empty body is allowed when optional), then runs act as the
// calling operator and answers with the ticket's ops view.
func (h handlers) opsAction(w http.ResponseWriter, r *http.Request, req any, optional bool, act func(actor, id string) (ticket.Detail, error)) error {
	op, _ := identity.OperatorFrom(r.Context())
	id, err := ticketID(r)
	if err != nil {
		return err
	}
	if err := decode(r, req, optional); err != nil {
		return err
	}
	d, err := act(op.Name(), id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, ticket.OpsViewOf(d, h.svc.Now(), lang(r)))
	return nil
}

// decode is httpapi.Decode, except that an optional body may be absent.
func decode(r *http.Request, dst any, optional bool) error {
	if !optional {
		return httpapi.Decode(r, dst)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, httpapi.MaxBodyBytes+1))
	if err != nil {
		return failure.New(failure.KindInvalid, "malformed_json").Wrap(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return httpapi.Validate(dst)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return httpapi.Decode(r, dst)
}

// AssignRequest names an agent (IAM principal ARN), a team, or both.
type AssignRequest struct {
	Agent string `json:"agent" validate:"omitempty,max=256"`
	Team  string `json:"team" validate:"omitempty,oneof=payments logistics technical quality legal customer_care"`
}

func (h handlers) assign(w http.ResponseWriter, r *http.Request) error {
	var req AssignRequest
	return h.opsAction(w, r, &req, false, func(actor, id string) (ticket.Detail, error) {
		if req.Agent != "" && !agentARN.MatchString(req.Agent) {
			return ticket.Detail{}, failure.Invalid(failure.FieldError{Field: "agent", Code: "invalid"})
		}
		return h.svc.Assign(r.Context(), actor, id, req.Agent, escalation.Team(req.Team))
	})
}

// RespondRequest is an agent's public reply: a message, or a saved reply (macroId) rendered in the
// customer's language with the message, if any, added after it. waitForCustomer marks it a request for
// information: the ticket waits on the customer and its resolution clock stops until the customer writes.
type RespondRequest struct {
	Message         string `json:"message" validate:"omitempty,max=5000"`
	MacroID         string `json:"macroId" validate:"omitempty,max=64"`
	WaitForCustomer bool   `json:"waitForCustomer"`
}

func (h handlers) respond(w http.ResponseWriter, r *http.Request) error {
	var req RespondRequest
	return h.opsAction(w, r, &req, false, func(actor, id string) (ticket.Detail, error) {
		if req.MacroID == "" {
			if req.WaitForCustomer {
				return h.svc.RequestInfo(r.Context(), actor, id, req.Message)
			}
			return h.svc.Respond(r.Context(), actor, id, req.Message)
		}
		if h.replies == nil {
			return ticket.Detail{}, errors.New("complaintapi: saved replies are not wired")
		}
		respond := h.svc.RespondWith
		if req.WaitForCustomer {
			respond = h.svc.RequestInfoWith
		}
		return respond(r.Context(), actor, id, func(ctx context.Context, t ticket.Ticket) (string, string, error) {
			msg, m, err := macro.Compose(ctx, h.replies, req.MacroID, req.Message, macro.Ticket{
				ID: t.ID, Subject: t.Subject, CustomerID: t.CustomerID, CustomerName: t.CustomerName, OrderID: t.OrderID,
				Language: i18n.Lang(t.Language)})
			return msg, m.ID, err
		})
	})
}

// NoteRequest is an internal note.
type NoteRequest struct {
	Note string `json:"note" validate:"required,max=5000"`
}

func (h handlers) note(w http.ResponseWriter, r *http.Request) error {
	var req NoteRequest
	return h.opsAction(w, r, &req, false, func(actor, id string) (ticket.Detail, error) {
		return h.svc.Note(r.Context(), actor, id, req.Note)
	})
}

// ResolveRequest carries an optional public resolution message.
type ResolveRequest struct {
	Message string `json:"message" validate:"omitempty,max=5000"`
}

func (h handlers) resolve(w http.ResponseWriter, r *http.Request) error {
	var req ResolveRequest
	return h.opsAction(w, r, &req, true, func(actor, id string) (ticket.Detail, error) {
		return h.svc.Resolve(r.Context(), actor, id, req.Message)
	})
}

// CloseRequest has no fields; the body may be empty or {}.
type CloseRequest struct{}

func (h handlers) close(w http.ResponseWriter, r *http.Request) error {
	var req CloseRequest
	return h.opsAction(w, r, &req, true, func(actor, id string) (ticket.Detail, error) {
		return h.svc.Close(r.Context(), actor, id)
	})
}

// ReopenRequest carries an optional reason, kept as an internal note.
type ReopenRequest struct {
	Reason string `json:"reason" validate:"omitempty,max=5000"`
}

func (h handlers) reopen(w http.ResponseWriter, r *http.Request) error {
	var req ReopenRequest
	return h.opsAction(w, r, &req, true, func(actor, id string) (ticket.Detail, error) {
		return h.svc.Reopen(r.Context(), actor, id, req.Reason)
	})
}

// PriorityRequest re-prioritises a ticket; the optional reason is kept as an internal note.
type PriorityRequest struct {
	Priority string `json:"priority" validate:"required,oneof=low normal high urgent"`
	Reason   string `json:"reason" validate:"omitempty,max=5000"`
}

func (h handlers) setPriority(w http.ResponseWriter, r *http.Request) error {
	var req PriorityRequest
	return h.opsAction(w, r, &req, false, func(actor, id string) (ticket.Detail, error) {
		return h.svc.SetPriority(r.Context(), actor, id, ticket.Priority(req.Priority), req.Reason)
	})
}
