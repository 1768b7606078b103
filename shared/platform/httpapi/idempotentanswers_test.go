package httpapi_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// A key that is not 1-255 visible ASCII characters is refused as a field error naming the header.
func TestInvalidIdempotencyKeyNamesTheHeader(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error { return nil })
	for _, key := range []string{"has space", strings.Repeat("k", 256), "tab\there"} {
		p := apitest.Expect(t, h, thing(key), 400).Problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "Idempotency-Key" || p.Errors[0].Code != "idempotency_key" {
			t.Errorf("%q: %+v", key, p)
		}
	}
	if runs.Load() != 0 {
		t.Fatalf("%d runs for refused keys", runs.Load())
	}
}

// A body of exactly MaxBodyBytes is whole when it runs under a key.
func TestIdempotentRouteTakesABodyOfTheFullLimit(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	// The padding stands before the closing brace, so a body cut short by even one byte is malformed.
	head := `{"name":"a","quantity":1,"lines":[{"sku":"x"}]`
	body := head + strings.Repeat(" ", httpapi.MaxBodyBytes-len(head)-1) + "}"
	apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: body, As: apitest.AsCustomer("c1"),
		Headers: map[string]string{"Idempotency-Key": "full"}}, 201)
}

type brokenBody struct{}

func (brokenBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// A body that could not be read is refused before the key is claimed, so the retry runs.
func TestUnreadableBodyLeavesTheKeyFree(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		w.WriteHeader(http.StatusCreated)
		return nil
	})
	req := func(body interface{ Read([]byte) (int, error) }) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/things", body)
		r.Header.Set("Idempotency-Key", "k")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := req(brokenBody{}); w.Code != 400 || runs.Load() != 0 {
		t.Fatalf("unreadable body: %d after %d runs", w.Code, runs.Load())
	}
	if w := req(strings.NewReader(`{"a":1}`)); w.Code != 201 || w.Header().Get(httpapi.ReplayedHeader) != "" || runs.Load() != 1 {
		t.Fatalf("retry: %d, replayed %q, %d runs", w.Code, w.Header().Get(httpapi.ReplayedHeader), runs.Load())
	}
}

// A change that keeps losing its race is tried exactly four times (the first run and three more).
func TestStalePlanIsTriedFourTimes(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		if err := plan(r, func() error { return idempotency.Stale(failure.Conflict("ticket_changed")) }); err != nil {
			return err
		}
		w.WriteHeader(http.StatusOK)
		return nil
	})
	apitest.Expect(t, h, thing("k"), 409)
	if runs.Load() != 4 {
		t.Fatalf("%d runs, want 4", runs.Load())
	}
}

// A commit that fails inside the store (a 500) is released like any 500: the retry runs and commits.
func TestFailedCommitIsReleased(t *testing.T) {
	var runs, commits atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		if err := plan(r, func() error {
			if run == 1 {
				return errors.New("dial tcp: connection refused")
			}
			commits.Add(1)
			return nil
		}); err != nil {
			return err
		}
		w.WriteHeader(http.StatusCreated)
		return nil
	})
	apitest.Expect(t, h, thing("k"), 500)
	if r := apitest.Expect(t, h, thing("k"), 201); r.Header(httpapi.ReplayedHeader) != "" || commits.Load() != 1 {
		t.Fatalf("retry: replayed %q, %d commits", r.Header(httpapi.ReplayedHeader), commits.Load())
	}
}

// A refusal decided at commit is in the caller's language, and says so.
func TestRefusalAtCommitNamesItsLanguage(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		return plan(r, func() error { return failure.Conflict("survey_already_submitted") })
	})
	for i, lang := range []string{"en", "id"} {
		req := thing("k" + lang)
		req.Headers["Accept-Language"] = lang
		r := apitest.Expect(t, h, req, 409)
		if r.Header("Content-Language") != lang || !strings.Contains(r.Body, `"detail"`) {
			t.Errorf("answer %d: Content-Language %q, body %s", i, r.Header("Content-Language"), r.Body)
		}
	}
}

// What the handler wrote before it panicked is thrown away: the answer is a clean 500 problem.
func TestPanicAfterAPartialAnswerIsACleanProblem(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		w.Header().Set("Location", "/things/half")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"half`))
		panic("index out of range")
	})
	r := apitest.Expect(t, h, thing("k"), 500)
	if p := r.Problem(); p.Code != "internal_error" || r.Header("Location") != "" {
		t.Fatalf("problem %+v, Location %q", p, r.Header("Location"))
	}
}

// Under a key the answer is what net/http would send: 200 when nothing says otherwise, the first status
// written (a body first means 200), and a later WriteHeader ignored.
func TestIdempotentAnswerStatusIsTheFirstWritten(t *testing.T) {
	for _, c := range []struct {
		name  string
		write func(w http.ResponseWriter)
		want  int
	}{
		{"nothing written", func(w http.ResponseWriter) {}, 200},
		{"body only", func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{}`)) }, 200},
		{"accepted", func(w http.ResponseWriter) { w.WriteHeader(http.StatusAccepted) }, 202},
		{"body, then a late 201", func(w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{}`))
			w.WriteHeader(http.StatusCreated)
		}, 200},
		{"created, then a late 500", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusCreated)
			w.WriteHeader(http.StatusInternalServerError)
		}, 201},
	} {
		var runs atomic.Int32
		h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
			c.write(w)
			return nil
		})
		if r := apitest.Do(t, h, thing("k")); r.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, r.StatusCode, c.want)
		}
	}
}

// Releasing a key and storing a refusal that work log nothing about failing to.
func TestSuccessfulReleaseAndStoreLogNoFailure(t *testing.T) {
	var logs bytes.Buffer
	saved := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(saved)
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		if run == 1 {
			return errors.New("boom") // a 500: released
		}
		return plan(r, func() error { return failure.Conflict("survey_already_submitted") }) // stored on its own
	})
	apitest.Expect(t, h, thing("k"), 500)
	apitest.Expect(t, h, thing("k"), 409)
	if s := logs.String(); strings.Contains(s, "releasing idempotency key failed") || strings.Contains(s, "storing idempotent response failed") {
		t.Fatalf("logged a failure that did not happen:\n%s", s)
	}
}
