package exactlyonce_test

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
)

// step is one idempotent request of the walk every test takes through all idempotent routes.
type step struct {
	name    string
	handler func(*fixture) http.Handler
	request func(s *state) apitest.Request
	status  int
	// keep reads what later steps need from the answer.
	keep func(s *state, body map[string]any)
}

// state is what the walk has created so far.
type state struct {
	customer, order  string
	ticket           string
	returnA, returnB string
	returnC          string
	orderUpdatedAt   time.Time
}

func operator(name string) apitest.Caller { return apitest.AsOperator(name) }

func str(v any) string { s, _ := v.(string); return s }

// steps covers every idempotent route: order PUT (create and update), complaint create and customer
// message, every ticket ops action, return request and cancel, every ops return step, and survey.
func steps() []step {
	orders := func(f *fixture) http.Handler { return f.orders }
	rets := func(f *fixture) http.Handler { return f.returns }
	complaints := func(f *fixture) http.Handler { return f.complaint }
	surveys := func(f *fixture) http.Handler { return f.surveys }
	opsTicket := func(action string, body any) func(s *state) apitest.Request {
		return func(s *state) apitest.Request {
			return apitest.Request{Method: "POST", Path: "/ops/complaints/" + s.ticket + "/" + action,
				Resource: "/ops/complaints/{ticketId}/" + action, Body: body, As: operator("dewi")}
		}
	}
	opsReturn := func(action string, id func(s *state) string, body any) func(s *state) apitest.Request {
		return func(s *state) apitest.Request {
			return apitest.Request{Method: "POST", Path: "/ops/returns/" + id(s) + "/" + action,
				Resource: "/ops/returns/{returnId}/" + action, Body: body, As: operator("dewi")}
		}
	}
	requestReturn := func(line string, keep func(s *state, id string)) step {
		return step{name: "return request " + line, handler: rets, status: http.StatusCreated,
			request: func(s *state) apitest.Request {
				return apitest.Request{Method: "POST", Path: "/orders/" + s.order + "/returns", Resource: "/orders/{orderId}/returns",
					Body: map[string]any{"resolution": "refund",
						"lines": []map[string]any{{"lineId": line, "quantity": 1, "reason": "defective", "condition": "opened"}}},
					As: apitest.AsCustomer(s.customer)}
			},
			keep: func(s *state, b map[string]any) { keep(s, str(b["returnId"])) }}
	}
	a := func(s *state) string { return s.returnA }
	c := func(s *state) string { return s.returnC }
	return []step{
		{name: "order create", handler: orders, status: http.StatusCreated, request: func(s *state) apitest.Request {
			return apitest.Request{Method: "PUT", Path: "/ops/orders/" + s.order, Resource: "/ops/orders/{orderId}",
				Body: orderBody(s.customer, s.orderUpdatedAt), As: operator("shop")}
		}},
		{name: "order update", handler: orders, status: http.StatusOK, request: func(s *state) apitest.Request {
			return apitest.Request{Method: "PUT", Path: "/ops/orders/" + s.order, Resource: "/ops/orders/{orderId}",
				Body: orderBody(s.customer, s.orderUpdatedAt.Add(time.Minute)), As: operator("shop")}
		}},
		{name: "complaint create", handler: complaints, status: http.StatusCreated,
			request: func(s *state) apitest.Request {
				return apitest.Request{Method: "POST", Path: "/complaints", Body: map[string]any{
					"channel": "web", "category": "delivery", "subject": "Paket belum sampai",
					"description": "Sudah seminggu paket saya belum sampai."}, As: apitest.AsCustomer(s.customer)}
			},
			keep: func(s *state, b map[string]any) { s.ticket = str(b["ticketId"]) }},
		{name: "complaint message", handler: complaints, status: http.StatusCreated, request: func(s *state) apitest.Request {
			return apitest.Request{Method: "POST", Path: "/complaints/" + s.ticket + "/messages", Resource: "/complaints/{ticketId}/messages",
				Body: map[string]any{"message": "Mohon dibantu."}, As: apitest.AsCustomer(s.customer)}
		}},
		{name: "ticket assign", handler: complaints, status: http.StatusOK, request: opsTicket("assign", map[string]any{"team": "logistics"})},
		{name: "ticket respond", handler: complaints, status: http.StatusOK, request: opsTicket("responses", map[string]any{"message": "Kami cek ke kurir."})},
		{name: "ticket note", handler: complaints, status: http.StatusOK, request: opsTicket("notes", map[string]any{"note": "Kurir dihubungi."})},
		{name: "ticket priority", handler: complaints, status: http.StatusOK, request: opsTicket("priority", map[string]any{"priority": "high"})},
		{name: "ticket resolve", handler: complaints, status: http.StatusOK, request: opsTicket("resolve", map[string]any{"message": "Paket sudah diterima."})},
		{name: "ticket reopen", handler: complaints, status: http.StatusOK, request: opsTicket("reopen", map[string]any{"reason": "Pelanggan membalas."})},
		{name: "ticket resolve again", handler: complaints, status: http.StatusOK, request: opsTicket("resolve", map[string]any{})},
		{name: "ticket close", handler: complaints, status: http.StatusOK, request: opsTicket("close", map[string]any{})},
		requestReturn("L1", func(s *state, id string) { s.returnA = id }),
		requestReturn("L2", func(s *state, id string) { s.returnB = id }),
		{name: "return cancel", handler: rets, status: http.StatusOK, request: func(s *state) apitest.Request {
			return apitest.Request{Method: "POST", Path: "/returns/" + s.returnB + "/cancel", Resource: "/returns/{returnId}/cancel",
				As: apitest.AsCustomer(s.customer)}
		}},
		requestReturn("L2", func(s *state, id string) { s.returnC = id }),
		{name: "return reject", handler: rets, status: http.StatusOK,
			request: opsReturn("reject", c, map[string]any{"reason": "other", "note": "Foto tidak jelas."})},
		{name: "return approve", handler: rets, status: http.StatusOK, request: opsReturn("approve", a, map[string]any{"note": "OK"})},
		{name: "return receive", handler: rets, status: http.StatusOK,
			request: opsReturn("receive", a, map[string]any{"lines": []map[string]any{{"lineId": "L1", "condition": "opened"}}})},
		{name: "return refund", handler: rets, status: http.StatusOK, request: opsReturn("refund", a, map[string]any{})},
		{name: "survey", handler: surveys, status: http.StatusCreated, request: func(s *state) apitest.Request {
			return apitest.Request{Method: "POST", Path: "/surveys", Body: map[string]any{
				"subjectType": "order", "subjectId": s.order, "csat": 5, "nps": 9}, As: apitest.AsCustomer(s.customer)}
		}},
	}
}

func decodeBody(f *fixture, r apitest.Response) map[string]any {
	f.t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		f.t.Fatalf("body is not a JSON object: %s", r.Body)
	}
	return m
}
