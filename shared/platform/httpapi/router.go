package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/platform/identity"
	"github.com/tanggap/tanggap/shared/platform/logging"
)

// Access says who may call a route. It must match the route's authorizer in template.yaml
// (checked by a test); the check here is defence in depth behind API Gateway.
type Access int

const (
	Public   Access = iota + 1 // no authorizer (guest routes)
	Customer                   // Cognito user pool authorizer
	Operator                   // AWS_IAM
)

func (a Access) String() string {
	switch a {
	case Public:
		return "none"
	case Customer:
		return "cognito"
	case Operator:
		return "iam"
	}
	return "unknown"
}

// HandlerFunc serves one route. A returned error is answered as a problem.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route binds a method and an API Gateway path template (e.g. /orders/{orderId}) to a handler.
type Route struct {
	Method string
	Path   string
	Access Access
	// Idempotent routes honour the Idempotency-Key header.
	Idempotent bool
	Handle     HandlerFunc
}

// Options configure the shared edge behaviour.
type Options struct {
	// Idempotency guards routes marked Idempotent. Required when any route is.
	Idempotency *idempotency.Guard
	// AllowedOrigin is echoed in Access-Control-Allow-Origin (proxy integrations must set CORS headers themselves).
	AllowedOrigin string
}

// New returns the handler serving routes.
func New(opts Options, routes []Route) (http.Handler, error) {
	mux := http.NewServeMux()
	for _, rt := range routes {
		if rt.Idempotent && opts.Idempotency == nil {
			return nil, fmt.Errorf("httpapi: %s %s is idempotent but no idempotency guard is configured", rt.Method, rt.Path)
		}
		// The mux redirects to a pattern's trailing slash; no route may have one.
		if strings.HasSuffix(rt.Path, "/") || strings.Contains(rt.Path, "...}") {
			return nil, fmt.Errorf("httpapi: %s %s: trailing slashes and {name...} wildcards are not API Gateway paths", rt.Method, rt.Path)
		}
		mux.Handle(rt.Method+" "+rt.Path, serveRoute(opts, rt))
	}
	return edge(opts, mux), nil
}

// edge adds headers every response needs, answers unmatched routes and malformed paths as problems (never
// with the mux's redirects), and turns panics into 500s.
func edge(opts Options, mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Vary", "Accept-Language")
		if opts.AllowedOrigin != "" {
			h.Set("Access-Control-Allow-Origin", opts.AllowedOrigin)
			h.Set("Access-Control-Expose-Headers", ExposedHeaders)
		}
		defer func() {
			if p := recover(); p != nil {
				WriteError(w, r, fmt.Errorf("panic: %v", p))
			}
		}()
		if err := refusalFrom(r.Context()); err != nil {
			WriteError(w, r, err)
			return
		}
		if err := checkRequest(r); err != nil {
			WriteError(w, r, err)
			return
		}
		if _, pattern := mux.Handler(r); pattern == "" {
			WriteError(w, r, unmatched(mux, r))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func unmatched(mux *http.ServeMux, r *http.Request) error {
	// A path that exists for another method is a 405; anything else a 404.
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" {
			return failure.New(failure.KindInvalid, "method_not_allowed")
		}
	}
	return failure.NotFound("route_not_found")
}

func serveRoute(opts Options, rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := authorize(r.Context(), rt.Access); err != nil {
			WriteError(w, r, err)
			return
		}
		w.Header().Set("Content-Language", string(i18n.Negotiate(r.Header.Get("Accept-Language"))))
		if rt.Idempotent {
			if key := r.Header.Get("Idempotency-Key"); key != "" {
				serveIdempotent(opts.Idempotency, rt, key, w, r)
				return
			}
		}
		if err := rt.Handle(w, r); err != nil {
			WriteError(w, r, err)
		}
	})
}

func authorize(ctx context.Context, access Access) error {
	switch access {
	case Customer:
		if _, ok := identity.CustomerFrom(ctx); !ok {
			return failure.New(failure.KindUnauthenticated, "unauthenticated")
		}
	case Operator:
		if _, ok := identity.OperatorFrom(ctx); !ok {
			return failure.Forbidden("forbidden")
		}
	case Public:
	default:
		return failure.Forbidden("forbidden")
	}
	return nil
}

// ReplayedHeader marks a response replayed from the idempotency store.
const ReplayedHeader = "Idempotent-Replayed"

// ExposedHeaders are the response headers browser code on another origin may read (CORS hides all but a few
// by default): the documented ones in openapi.yaml and API Gateway's request id. template.yaml's
// GatewayResponses expose the same list (infra/apicontract checks all three agree).
const ExposedHeaders = "Content-Language,ETag,Idempotent-Replayed,Location,Retry-After,x-amzn-RequestId"

// Headers worth replaying; the edge headers are recomputed on every response.
var replayedHeaders = []string{"Content-Type", "Content-Language", "Location"}

// planAttempts bounds how often an idempotent request runs again because its planned change lost a race
// (what it was decided on changed before it committed). Each run reads afresh, so the last answer reflects
// what won.
const planAttempts = 4

// serveIdempotent runs rt under an Idempotency-Key so that its change happens at most once and its answer
// is what every retry sees:
//
//   - the key is claimed (one conditional write that also finds a completed record to replay, a record of
//     another payload (422) or one still in flight (409));
//   - the handler runs with an idempotency.Plan in its context: the store plans its one transaction
//     instead of writing it, and the handler answers as if it had committed;
//   - a 2xx-4xx answer with a planned change commits in ONE transaction with the completed record (the
//     answer), conditional on the claim still being ours. An answer that changed nothing is stored with
//     its own write: there is nothing to be atomic with;
//   - a 5xx or a panic releases the claim (a completed record is never released), so a retry runs again.
//
// A change that committed is therefore always replayed, whatever happens to the answer afterwards.
func serveIdempotent(guard *idempotency.Guard, rt Route, key string, w http.ResponseWriter, r *http.Request) {
	if !idempotency.ValidKey(key) {
		WriteError(w, r, failure.Invalid(failure.FieldError{Field: "Idempotency-Key", Code: "idempotency_key"}))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		WriteError(w, r, failure.New(failure.KindInvalid, "malformed_json").Wrap(err))
		return
	}
	ctx := r.Context()
	// Scoped by caller, so one customer's key can never replay another's response.
	scoped := identity.Principal(ctx) + "|" + key
	claim, replay, err := guard.Begin(ctx, scoped, idempotency.Fingerprint(r.Method, r.URL.Path, body))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if replay != nil {
		writeReplay(w, replay)
		return
	}
	for attempt := 1; ; attempt++ {
		plan := &idempotency.Plan{}
		rec := runPlanned(rt, r.WithContext(idempotency.WithPlan(ctx, plan)), body)
		if rec.status >= 500 {
			release(ctx, guard, claim)
			rec.send(w)
			return
		}
		replay, err := guard.Finish(ctx, claim, plan, rec.response())
		switch {
		case replay != nil:
			writeReplay(w, replay) // the claim expired and a retry completed first
			return
		case err == nil:
			rec.send(w)
			return
		case errors.Is(err, idempotency.ErrStale) && attempt < planAttempts && pause(ctx, attempt):
			continue // what the change was decided on moved: read and decide again
		case !plan.Planned():
			// Only storing the answer of a request that changed nothing failed; the answer stands.
			slog.ErrorContext(ctx, "storing idempotent response failed", slog.Any("err", err))
			rec.send(w)
			return
		}
		// The change did not commit, or its answer was lost.
		refused := newRecorder()
		refused.header.Set("Content-Language", w.Header().Get("Content-Language"))
		WriteError(refused, r, err)
		switch {
		case refused.status >= 500 || errors.Is(err, idempotency.ErrStale):
			// A retry may succeed. Releasing is safe even if the commit did happen: a committed change
			// completed the record, and a completed record is never released.
			release(ctx, guard, claim)
		case isInProgress(err):
			// Another request holds the key now; it is not ours to store.
		default:
			// A decided refusal changed nothing: store it on its own, so a retry replays it.
			if replay, err := guard.Finish(ctx, claim, nil, refused.response()); replay != nil {
				writeReplay(w, replay)
				return
			} else if err != nil {
				slog.ErrorContext(ctx, "storing idempotent response failed", slog.Any("err", err))
			}
		}
		refused.send(w)
		return
	}
}

// pause waits a short random time before attempt+1, so racing requests do not collide again in lock
// step; false when ctx ends first.
func pause(ctx context.Context, attempt int) bool {
	t := time.NewTimer(time.Duration(attempt*(5+rand.IntN(20))) * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func isInProgress(err error) bool {
	fe, ok := failure.As(err)
	return ok && fe.Code == idempotency.CodeInProgress
}

// runPlanned runs the handler on a fresh copy of the body, turning a panic into a 500.
func runPlanned(rt Route, r *http.Request, body []byte) (rec *recorder) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec = newRecorder()
	defer func() {
		if p := recover(); p != nil {
			rec = newRecorder()
			WriteError(rec, r, fmt.Errorf("panic: %v", p))
		}
	}()
	if err := rt.Handle(rec, r); err != nil {
		WriteError(rec, r, err)
	}
	return rec
}

func release(ctx context.Context, guard *idempotency.Guard, claim *idempotency.Claim) {
	if err := guard.Abandon(ctx, claim); err != nil {
		slog.ErrorContext(ctx, "releasing idempotency key failed", slog.Any("err", err))
	}
}

func writeReplay(w http.ResponseWriter, replay *idempotency.Response) {
	for k, v := range replay.Headers {
		w.Header().Set(k, v)
	}
	w.Header().Set(ReplayedHeader, "true")
	w.WriteHeader(replay.StatusCode)
	_, _ = w.Write(replay.Body)
}

// recorder buffers a response so it can be stored before it is sent.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}, status: http.StatusOK} }

// response is what a retry replays.
func (r *recorder) response() idempotency.Response {
	stored := idempotency.Response{StatusCode: r.status, Headers: map[string]string{}, Body: r.body.Bytes()}
	for _, h := range replayedHeaders {
		if v := r.header.Get(h); v != "" {
			stored.Headers[h] = v
		}
	}
	return stored
}

// send writes the recorded response to w.
func (r *recorder) send(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.WriteHeader(http.StatusOK)
	}
	return r.body.Write(b)
}

// LambdaHandler adapts h (from New) to API Gateway REST proxy events through aws-lambda-go-api-proxy. It uses
// the context-carrying conversion only: the header-carrying one would let clients forge the request context.
// Events the adapter could not convert are refused before it sees them (see cleanEvent).
func LambdaHandler(h http.Handler) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	adapter := httpadapter.New(h)
	return func(ctx context.Context, event events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		attrs := []slog.Attr{slog.String("apiRequestId", event.RequestContext.RequestID)}
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			attrs = append(attrs, slog.String("awsRequestId", lc.AwsRequestID))
		}
		ctx = logging.WithAttrs(ctx, attrs...)
		clean, err := cleanEvent(event)
		if err != nil {
			ctx, clean = refusedEvent(ctx, event, err)
		}
		return adapter.ProxyWithContext(ctx, clean)
	}
}

// PathParam returns a path parameter, trimmed.
func PathParam(r *http.Request, name string) string { return strings.TrimSpace(r.PathValue(name)) }

// Page is a cursor page request.
type Page struct {
	Limit  int
	Cursor string
}

// PageFrom reads ?limit (1-50, default 20) and ?cursor.
func PageFrom(r *http.Request) (Page, error) {
	p := Page{Limit: 20, Cursor: r.URL.Query().Get("cursor")}
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 50 {
			return Page{}, failure.Invalid(failure.FieldError{Field: "limit", Code: "invalid"})
		}
		p.Limit = n
	}
	return p, nil
}
