// Package returnapi serves returns over HTTP: customers request, read and cancel their own returns; ops
// approve, reject, receive and refund them. Every POST honours Idempotency-Key.
package returnapi

import (
	"bytes"
	"io"
	"net/http"

	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/identity"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// Routes are the return routes; template.yaml must declare the same set (checked by a test).
func Routes(svc *returns.Service) []httpapi.Route {
	h := handlers{svc: svc}
	return []httpapi.Route{
		{Method: "POST", Path: "/orders/{orderId}/returns", Access: httpapi.Customer, Idempotent: true, Handle: h.create},
		{Method: "GET", Path: "/orders/{orderId}/returns", Access: httpapi.Customer, Handle: h.listForOrder},
		{Method: "GET", Path: "/returns/{returnId}", Access: httpapi.Customer, Handle: h.getMine},
		{Method: "POST", Path: "/returns/{returnId}/cancel", Access: httpapi.Customer, Idempotent: true, Handle: h.cancel},
		{Method: "GET", Path: "/ops/returns/{returnId}", Access: httpapi.Operator, Handle: h.opsGet},
		{Method: "POST", Path: "/ops/returns/{returnId}/approve", Access: httpapi.Operator, Idempotent: true, Handle: h.approve},
		{Method: "POST", Path: "/ops/returns/{returnId}/reject", Access: httpapi.Operator, Idempotent: true, Handle: h.reject},
		{Method: "POST", Path: "/ops/returns/{returnId}/receive", Access: httpapi.Operator, Idempotent: true, Handle: h.receive},
		{Method: "POST", Path: "/ops/returns/{returnId}/refund", Access: httpapi.Operator, Idempotent: true, Handle: h.refund},
	}
}

type handlers struct{ svc *returns.Service }

func lang(r *http.Request) i18n.Lang { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

func orderID(r *http.Request) (string, error) {
	id := httpapi.PathParam(r, "orderId")
	if !orderapi.OrderIDPattern.MatchString(id) {
		return "", order.ErrNotFound
	}
	return id, nil
}

func returnID(r *http.Request) (string, error) {
	id := httpapi.PathParam(r, "returnId")
	if !returns.IDs.Valid(id) { // anything else is "not found" without a lookup
		return "", returns.ErrNotFound
	}
	return id, nil
}

func operator(r *http.Request) returns.Actor {
	op, _ := identity.OperatorFrom(r.Context())
	return returns.Actor{Kind: returns.ActorOperator, ID: op.ARN}
}

// CreateRequest asks to return lines of an order. Enumerations and limits are checked by the domain.
type CreateRequest struct {
	Lines             []CreateLine        `json:"lines"`
	Resolution        string              `json:"resolution"`
	Comment           string              `json:"comment"`
	RefundDestination *DestinationRequest `json:"refundDestination"`
}

// DestinationRequest is the bank account or e-wallet a refund is transferred to (required for COD orders).
type DestinationRequest struct {
	Type          string `json:"type"`
	Bank          string `json:"bank"`
	AccountNumber string `json:"accountNumber"`
	HolderName    string `json:"holderName"`
	Provider      string `json:"provider"`
	Number        string `json:"number"`
}

// CreateLine is one line to return.
type CreateLine struct {
	LineID    string `json:"lineId"`
	Quantity  int    `json:"quantity"`
	Reason    string `json:"reason"`
	Condition string `json:"condition"`
}

func (h handlers) create(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	oid, err := orderID(r)
	if err != nil {
		return err
	}
	var body CreateRequest
	if err := httpapi.Decode(r, &body); err != nil {
		return err
	}
	req := returns.Request{OrderID: oid, CustomerID: me.ID, Resolution: returns.Resolution(body.Resolution), Comment: body.Comment, Language: lang(r)}
	if d := body.RefundDestination; d != nil {
		req.RefundDestination = &returns.RefundDestination{Kind: returns.DestinationKind(d.Type), Bank: d.Bank,
			AccountNumber: d.AccountNumber, HolderName: d.HolderName, Provider: d.Provider, Number: d.Number}
	}
	for _, l := range body.Lines {
		req.Lines = append(req.Lines, returns.LineRequest{LineID: l.LineID, Quantity: l.Quantity,
			Reason: returnpolicy.Reason(l.Reason), Condition: returnpolicy.Condition(l.Condition)})
	}
	ret, err := h.svc.Request(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/returns/"+ret.ID)
	httpapi.WriteJSON(w, http.StatusCreated, viewOf(ret, lang(r), customerView))
	return nil
}

// ListResponse is a page of returns.
type ListResponse struct {
	Items      []ReturnView `json:"items"`
	NextCursor string       `json:"nextCursor,omitempty"`
}

func (h handlers) listForOrder(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	oid, err := orderID(r)
	if err != nil {
		return err
	}
	page, err := httpapi.PageFrom(r)
	if err != nil {
		return err
	}
	res, err := h.svc.ListForOrder(r.Context(), me.ID, oid, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	out := ListResponse{Items: make([]ReturnView, 0, len(res.Returns)), NextCursor: res.NextCursor}
	for _, ret := range res.Returns {
		out.Items = append(out.Items, viewOf(ret, lang(r), customerView))
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h handlers) getMine(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	id, err := returnID(r)
	if err != nil {
		return err
	}
	ret, err := h.svc.GetMine(r.Context(), me.ID, id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, viewOf(ret, lang(r), customerView))
	return nil
}

func (h handlers) cancel(w http.ResponseWriter, r *http.Request) error {
	me, _ := identity.CustomerFrom(r.Context())
	id, err := returnID(r)
	if err != nil {
		return err
	}
	ret, err := h.svc.Cancel(r.Context(), me.ID, id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, viewOf(ret, lang(r), customerView))
	return nil
}

func (h handlers) opsGet(w http.ResponseWriter, r *http.Request) error {
	id, err := returnID(r)
	if err != nil {
		return err
	}
	ret, err := h.svc.Get(r.Context(), id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, viewOf(ret, lang(r), opsView))
	return nil
}

// NoteRequest is the optional body of approve and refund.
type NoteRequest struct {
	Note string `json:"note"`
}

// RejectRequest refuses a return.
type RejectRequest struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// ReceiveRequest records the condition every line arrived in.
type ReceiveRequest struct {
	Lines []ReceiveLine `json:"lines"`
	Note  string        `json:"note"`
}

// ReceiveLine is one line's condition on arrival.
type ReceiveLine struct {
	LineID    string `json:"lineId"`
	Condition string `json:"condition"`
}

// decodeOptional decodes a body that may be absent altogether.
func decodeOptional(r *http.Request, dst any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, httpapi.MaxBodyBytes+1))
	if err != nil {
		return failure.New(failure.KindInvalid, "malformed_json").Wrap(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return httpapi.Decode(r, dst)
}

// opsStep serves one ops action: decode, act, answer with the ops view.
func opsStep[B any](decode func(*http.Request, any) error, act func(r *http.Request, id string, body B) (returns.Return, error)) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := returnID(r)
		if err != nil {
			return err
		}
		var body B
		if err := decode(r, &body); err != nil {
			return err
		}
		ret, err := act(r, id, body)
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, http.StatusOK, viewOf(ret, lang(r), opsView))
		return nil
	}
}

func (h handlers) approve(w http.ResponseWriter, r *http.Request) error {
	return opsStep(decodeOptional, func(r *http.Request, id string, b NoteRequest) (returns.Return, error) {
		return h.svc.Approve(r.Context(), operator(r), id, b.Note)
	})(w, r)
}

func (h handlers) reject(w http.ResponseWriter, r *http.Request) error {
	return opsStep(httpapi.Decode, func(r *http.Request, id string, b RejectRequest) (returns.Return, error) {
		return h.svc.Reject(r.Context(), operator(r), id, returns.RejectReason(b.Reason), b.Note)
	})(w, r)
}

func (h handlers) receive(w http.ResponseWriter, r *http.Request) error {
	return opsStep(httpapi.Decode, func(r *http.Request, id string, b ReceiveRequest) (returns.Return, error) {
		lines := make([]returns.ReceivedLine, len(b.Lines))
		for i, l := range b.Lines {
			lines[i] = returns.ReceivedLine{LineID: l.LineID, Condition: returnpolicy.Condition(l.Condition)}
		}
		return h.svc.Receive(r.Context(), operator(r), id, lines, b.Note)
	})(w, r)
}

func (h handlers) refund(w http.ResponseWriter, r *http.Request) error {
	return opsStep(decodeOptional, func(r *http.Request, id string, b NoteRequest) (returns.Return, error) {
		return h.svc.Refund(r.Context(), operator(r), id, b.Note)
	})(w, r)
}
