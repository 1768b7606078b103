// Package runtimeapi is an in-process stand-in for the AWS Lambda Runtime API (version 2018-06-01), so a
// function's real `bootstrap` binary can be run and invoked locally without Docker.
//
// A Server models one execution environment: invocations are handed to the runtime one at a time through the
// long-polled /next endpoint, and Invoke waits for the matching /response or /error. Function (function.go)
// starts a bootstrap process against a Server and restarts it after a crash, like Lambda replacing a broken
// execution environment.
package runtimeapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

const (
	apiPrefix = "/2018-06-01/runtime"

	headerRequestID          = "Lambda-Runtime-Aws-Request-Id"
	headerDeadlineMS         = "Lambda-Runtime-Deadline-Ms"
	headerInvokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID            = "Lambda-Runtime-Trace-Id"
	headerErrorType          = "Lambda-Runtime-Function-Error-Type"

	// MaxResponseBytes is Lambda's synchronous invocation response limit.
	MaxResponseBytes = 6 * 1024 * 1024
	// MaxPayloadBytes is Lambda's synchronous invocation request limit.
	MaxPayloadBytes = 6 * 1024 * 1024

	// DefaultAccountID is the account used in local ARNs.
	DefaultAccountID = "000000000000"
)

var (
	// ErrClosed is returned by Invoke after Close.
	ErrClosed = errors.New("runtimeapi: server closed")
	// ErrTimeout is returned when the runtime does not answer before the invocation deadline.
	ErrTimeout = errors.New("runtimeapi: task timed out")
)

// FunctionError is an error reported by the function itself (POST .../error or .../init/error), shaped like
// the payload Lambda returns for a failed synchronous invocation.
type FunctionError struct {
	Type       string          `json:"errorType"`
	Message    string          `json:"errorMessage"`
	StackTrace json.RawMessage `json:"stackTrace,omitempty"`
	// Init is true when the runtime failed during initialisation (POST /runtime/init/error).
	Init bool `json:"-"`
}

func (e *FunctionError) Error() string {
	if e.Init {
		return fmt.Sprintf("function init error %s: %s", e.Type, e.Message)
	}
	return fmt.Sprintf("function error %s: %s", e.Type, e.Message)
}

// Config configures a Server. Zero values get Lambda-like defaults.
type Config struct {
	// FunctionName is used in the invoked function ARN. Default "function".
	FunctionName string
	// Region and AccountID are used in the invoked function ARN. Defaults ap-southeast-3 and 000000000000.
	Region    string
	AccountID string
	// Timeout is the function timeout, counted from the moment the runtime receives the invocation. Default 3s.
	Timeout time.Duration
	// PlatformLog, when set, receives the lines Lambda adds to an environment's log stream around each
	// invocation: START, END and REPORT (with PlatformLogJSON, the platform.start and platform.report records of
	// LoggingConfig LogFormat JSON). MemoryMB is reported in them.
	PlatformLog     io.Writer
	PlatformLogJSON bool
	MemoryMB        int
}

func (c Config) withDefaults() Config {
	if c.FunctionName == "" {
		c.FunctionName = "function"
	}
	if c.Region == "" {
		c.Region = "ap-southeast-3"
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if c.Timeout <= 0 {
		c.Timeout = 3 * time.Second
	}
	return c
}

// FunctionARN is the ARN the runtime sees as Lambda-Runtime-Invoked-Function-Arn.
func (c Config) FunctionARN() string {
	c = c.withDefaults()
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", c.Region, c.AccountID, c.FunctionName)
}

type result struct {
	body []byte
	err  error
}

type invocation struct {
	id      string
	payload []byte
	done    chan result // buffered(1); exactly one send guarded by Server.finish

	dispatched   bool      // guarded by Server.mu
	dispatchedAt time.Time // guarded by Server.mu
}

// errUndelivered marks invocations aborted before the runtime received them, so they are safe to retry on a
// new runtime.
var errUndelivered = errors.New("invocation was not delivered to the runtime")

type undeliveredError struct{ cause error }

func (e *undeliveredError) Error() string {
	return e.cause.Error() + " (" + errUndelivered.Error() + ")"
}
func (e *undeliveredError) Unwrap() []error { return []error{e.cause, errUndelivered} }

// Server is one local execution environment's Runtime API endpoint.
type Server struct {
	cfg      Config
	listener net.Listener
	http     *http.Server

	queue chan *invocation // unbuffered: an Invoke is handed over only when the runtime asks for work

	mu        sync.Mutex
	inflight  map[string]*invocation
	abortErr  error         // set once; fails everything afterwards
	aborted   chan struct{} // closed with abortErr
	firstNext time.Time
	ready     chan struct{} // closed on the first GET /next
}

// New starts a Runtime API server on 127.0.0.1 with a random port.
func New(cfg Config) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtimeapi: listen: %w", err)
	}
	s := &Server{
		cfg:      cfg.withDefaults(),
		listener: ln,
		queue:    make(chan *invocation),
		inflight: map[string]*invocation{},
		aborted:  make(chan struct{}),
		ready:    make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"/invocation/next", s.handleNext)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/response", s.handleResponse)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/error", s.handleError)
	mux.HandleFunc("POST "+apiPrefix+"/init/error", s.handleInitError)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// Addr is the host:port to put in AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Ready is closed when the runtime first asks for an invocation, i.e. when its init phase is over.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// FirstNextAt is when the runtime first called GET /next (zero before that).
func (s *Server) FirstNextAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.firstNext
}

// Aborted is closed once the server stopped accepting invocations (Abort, Close or an init error).
func (s *Server) Aborted() <-chan struct{} { return s.aborted }

// Err is the reason the server was aborted, nil while it is usable.
func (s *Server) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.abortErr
}

// Abort fails the in-flight invocation, every waiting Invoke and every later one with cause. Function calls it
// when the runtime process exits, so callers get an error instead of waiting for a runtime that is gone.
func (s *Server) Abort(cause error) {
	if cause == nil {
		cause = ErrClosed
	}
	s.mu.Lock()
	if s.abortErr != nil {
		s.mu.Unlock()
		return
	}
	s.abortErr = cause
	close(s.aborted)
	pending := s.inflight
	s.inflight = map[string]*invocation{}
	s.mu.Unlock()
	for _, inv := range pending {
		if inv.dispatched {
			inv.done <- result{err: cause}
		} else {
			inv.done <- result{err: &undeliveredError{cause: cause}}
		}
	}
}

// Close aborts outstanding invocations and stops the HTTP server.
func (s *Server) Close() error {
	s.Abort(ErrClosed)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		return s.http.Close()
	}
	return nil
}

// Invoke hands payload to the runtime and waits for its answer. A function error is returned as *FunctionError;
// a crashed runtime as the cause given to Abort; a missed deadline as ErrTimeout, which also aborts the Server
// (the runtime must be replaced, as Lambda does).
func (s *Server) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if len(payload) > MaxPayloadBytes {
		return nil, fmt.Errorf("runtimeapi: request payload of %d bytes exceeds the %d byte limit", len(payload), MaxPayloadBytes)
	}
	inv := &invocation{id: newRequestID(), payload: payload, done: make(chan result, 1)}
	// Registered before the hand-over so Abort can always reach it; whoever removes it from inflight (finish or
	// Abort) is the only one to complete it.
	s.mu.Lock()
	if s.abortErr != nil {
		s.mu.Unlock()
		return nil, &undeliveredError{cause: s.abortErr}
	}
	s.inflight[inv.id] = inv
	s.mu.Unlock()

	select {
	case s.queue <- inv:
	case <-s.aborted:
		return s.giveUp(inv, &undeliveredError{cause: s.Err()})
	case <-ctx.Done():
		return s.giveUp(inv, ctx.Err())
	}
	// The runtime has the invocation now; its deadline header was computed in handleNext at the same moment.
	timer := time.NewTimer(s.cfg.Timeout)
	select {
	case r := <-inv.done:
		timer.Stop()
		return r.body, r.err
	case <-timer.C:
		s.timeout(inv)
		r := <-inv.done
		return r.body, r.err
	case <-ctx.Done():
		// The caller left (a client hung up), but the function keeps running as it would in Lambda; its answer
		// is accepted and dropped, and the deadline still applies.
		go func() {
			select {
			case <-inv.done:
				timer.Stop()
			case <-timer.C:
				s.timeout(inv)
			}
		}()
		return nil, ctx.Err()
	}
}

// timeout ends an execution environment whose invocation ran past its deadline, as Lambda does: the
// invocation and everything queued fail, and the Function replaces the runtime.
func (s *Server) timeout(inv *invocation) {
	s.logReport(inv, "timeout")
	s.Abort(fmt.Errorf("%w after %s (request %s)", ErrTimeout, s.cfg.Timeout, inv.id))
}

// logStart and logReport write Lambda's platform lines for an invocation to PlatformLog.
func (s *Server) logStart(id string) {
	if s.cfg.PlatformLog == nil {
		return
	}
	if s.cfg.PlatformLogJSON {
		s.logJSON("platform.start", map[string]any{"requestId": id, "version": "$LATEST"})
		return
	}
	fmt.Fprintf(s.cfg.PlatformLog, "START RequestId: %s Version: $LATEST\n", id)
}

func (s *Server) logReport(inv *invocation, status string) {
	if s.cfg.PlatformLog == nil {
		return
	}
	s.mu.Lock()
	at := inv.dispatchedAt
	s.mu.Unlock()
	ms := float64(time.Since(at).Microseconds()) / 1000
	if s.cfg.PlatformLogJSON {
		s.logJSON("platform.report", map[string]any{"requestId": inv.id, "status": status, "metrics": map[string]any{
			"durationMs": ms, "billedDurationMs": int64(ms) + 1, "memorySizeMB": s.cfg.MemoryMB}})
		return
	}
	if status == "timeout" {
		fmt.Fprintf(s.cfg.PlatformLog, "%s %s Task timed out after %.2f seconds\n", time.Now().UTC().Format(time.RFC3339Nano), inv.id, s.cfg.Timeout.Seconds())
	}
	fmt.Fprintf(s.cfg.PlatformLog, "END RequestId: %s\nREPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\n",
		inv.id, inv.id, ms, int64(ms)+1, s.cfg.MemoryMB)
}

func (s *Server) logJSON(typ string, record map[string]any) {
	line, _ := json.Marshal(struct {
		Time   string         `json:"time"`
		Type   string         `json:"type"`
		Record map[string]any `json:"record"`
	}{time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), typ, record})
	_, _ = s.cfg.PlatformLog.Write(append(line, '\n'))
}

// giveUp stops waiting for inv with err, unless someone completed it in the meantime.
func (s *Server) giveUp(inv *invocation, err error) ([]byte, error) {
	if s.finish(inv.id) != nil {
		return nil, err
	}
	r := <-inv.done
	return r.body, r.err
}

// finish removes an in-flight invocation; only the caller that gets it back may complete it.
func (s *Server) finish(id string) *invocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := s.inflight[id]
	delete(s.inflight, id)
	return inv
}

func (s *Server) handleNext(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.firstNext.IsZero() {
		s.firstNext = time.Now()
		close(s.ready)
	}
	s.mu.Unlock()

	for {
		select {
		case inv := <-s.queue:
			s.mu.Lock()
			_, live := s.inflight[inv.id]
			inv.dispatched = live
			inv.dispatchedAt = time.Now()
			s.mu.Unlock()
			if !live { // aborted during the hand-over
				continue
			}
			s.logStart(inv.id)
			deadline := time.Now().Add(s.cfg.Timeout)
			h := w.Header()
			h.Set("Content-Type", "application/json")
			h.Set(headerRequestID, inv.id)
			h.Set(headerDeadlineMS, strconv.FormatInt(deadline.UnixMilli(), 10))
			h.Set(headerInvokedFunctionARN, s.cfg.FunctionARN())
			h.Set(headerTraceID, newTraceID())
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(inv.payload)
			return
		case <-s.aborted:
			http.Error(w, "runtime aborted", http.StatusGone)
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (s *Server) handleResponse(w http.ResponseWriter, r *http.Request) {
	inv := s.finish(r.PathValue("id"))
	if inv == nil {
		writeStatus(w, http.StatusBadRequest, "InvalidRequestID", "unknown or finished request id")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxResponseBytes+1))
	var res result
	switch {
	case err != nil:
		res.err = fmt.Errorf("runtimeapi: reading response: %w", err)
	case len(body) > MaxResponseBytes:
		res.err = &FunctionError{Type: "Function.ResponseSizeTooLarge",
			Message: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxResponseBytes)}
	case r.Trailer.Get(headerErrorType) != "":
		// aws-lambda-go reports a failure while streaming the body in trailers.
		res.err = &FunctionError{Type: r.Trailer.Get(headerErrorType), Message: "error while streaming the response"}
	default:
		res.body = body
	}
	status := "success"
	if res.err != nil {
		status = "error"
	}
	// Logged before the caller gets the answer, so the log's order is the order things happened in.
	s.logReport(inv, status)
	inv.done <- res
	if len(body) > MaxResponseBytes {
		writeStatus(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "response too large")
		return
	}
	writeStatus(w, http.StatusAccepted, "", "")
}

func (s *Server) handleError(w http.ResponseWriter, r *http.Request) {
	inv := s.finish(r.PathValue("id"))
	if inv == nil {
		writeStatus(w, http.StatusBadRequest, "InvalidRequestID", "unknown or finished request id")
		return
	}
	ferr := readFunctionError(r, false)
	s.logReport(inv, "error")
	inv.done <- result{err: ferr}
	writeStatus(w, http.StatusAccepted, "", "")
}

func (s *Server) handleInitError(w http.ResponseWriter, r *http.Request) {
	ferr := readFunctionError(r, true)
	writeStatus(w, http.StatusAccepted, "", "")
	s.Abort(ferr)
}

func readFunctionError(r *http.Request, init bool) *FunctionError {
	ferr := &FunctionError{Init: init}
	body, _ := io.ReadAll(io.LimitReader(r.Body, MaxResponseBytes))
	if err := json.Unmarshal(body, ferr); err != nil || (ferr.Type == "" && ferr.Message == "") {
		ferr.Message = string(body)
	}
	if t := r.Header.Get(headerErrorType); t != "" && ferr.Type == "" {
		ferr.Type = t
	}
	if ferr.Type == "" {
		ferr.Type = "Unhandled"
	}
	return ferr
}

func writeStatus(w http.ResponseWriter, code int, errType, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if errType == "" {
		_, _ = io.WriteString(w, `{"status":"OK"}`)
		return
	}
	b, _ := json.Marshal(map[string]string{"errorType": errType, "errorMessage": msg})
	_, _ = w.Write(b)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func newTraceID() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), h[:24], h[24:40])
}
