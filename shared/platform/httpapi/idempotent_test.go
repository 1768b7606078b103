package httpapi_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// plannedAPI serves one idempotent route whose handler is behave; every run is counted.
func plannedAPI(t *testing.T, runs *atomic.Int32, behave func(w http.ResponseWriter, r *http.Request, run int32) error) http.Handler {
	t.Helper()
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(idempotency.NewMemoryStore())}, []httpapi.Route{
		{Method: "POST", Path: "/things", Access: httpapi.Public, Idempotent: true, Handle: func(w http.ResponseWriter, r *http.Request) error {
			return behave(w, r, runs.Add(1))
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func thing(key string) apitest.Request {
	return apitest.Request{Method: "POST", Path: "/things", Body: `{"a":1}`, As: apitest.AsGuest(),
		Headers: map[string]string{"Idempotency-Key": key}}
}

// plan captures change as the request's one write, as a store would.
func plan(r *http.Request, change func() error) error {
	return idempotency.PlanFrom(r.Context()).Capture(change)
}

// A plain 500 is released, not stored: the retry runs the handler again.
func TestIdempotencyReleasesPlain500(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		if run == 1 {
			return errors.New("boom")
		}
		w.WriteHeader(http.StatusAccepted)
		return nil
	})
	if r := apitest.Expect(t, h, thing("k"), 500); r.Header(httpapi.ReplayedHeader) != "" {
		t.Fatal("a 500 was replayed")
	}
	if r := apitest.Expect(t, h, thing("k"), 202); r.Header(httpapi.ReplayedHeader) != "" || runs.Load() != 2 {
		t.Fatalf("retry after a 500: replayed %q, %d runs", r.Header(httpapi.ReplayedHeader), runs.Load())
	}
}

// A panicking request releases its key: the retry runs again instead of finding it "in progress".
func TestIdempotencyReleasesAfterPanic(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		if run == 1 {
			panic("nil map")
		}
		w.WriteHeader(http.StatusAccepted)
		return nil
	})
	apitest.Expect(t, h, thing("k"), 500)
	apitest.Expect(t, h, thing("k"), 202)
	if runs.Load() != 2 {
		t.Fatalf("%d runs, want 2", runs.Load())
	}
}

// The first answer carries the handler's headers (Content-Type, Location), and the replay the same.
func TestIdempotentAnswerKeepsHeaders(t *testing.T) {
	var runs, commits atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		if err := plan(r, func() error { commits.Add(1); return nil }); err != nil {
			return err
		}
		w.Header().Set("Location", "/things/T-1")
		httpapi.WriteJSON(w, http.StatusCreated, map[string]string{"id": "T-1"})
		return nil
	})
	for i, want := range []string{"", "true"} {
		r := apitest.Expect(t, h, thing("k"), 201)
		if r.Header("Location") != "/things/T-1" || r.Header("Content-Type") != "application/json" || r.Header(httpapi.ReplayedHeader) != want {
			t.Fatalf("answer %d: Location %q, Content-Type %q, replayed %q", i, r.Header("Location"), r.Header("Content-Type"), r.Header(httpapi.ReplayedHeader))
		}
	}
	if runs.Load() != 1 || commits.Load() != 1 {
		t.Fatalf("%d runs and %d commits, want 1 and 1", runs.Load(), commits.Load())
	}
}

// A planned change that lost a race runs the handler again (a fresh read and decision); one that keeps
// losing is answered with the store's explanation and releases the key.
func TestStalePlanRunsAgain(t *testing.T) {
	var runs, commits atomic.Int32
	lose := int32(2)
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		err := plan(r, func() error {
			if run <= lose {
				return idempotency.Stale(failure.Conflict("ticket_changed"))
			}
			commits.Add(1)
			return nil
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusOK)
		return nil
	})
	apitest.Expect(t, h, thing("k1"), 200)
	if runs.Load() != 3 || commits.Load() != 1 {
		t.Fatalf("%d runs, %d commits; want 3 and 1", runs.Load(), commits.Load())
	}

	runs.Store(0)
	lose = 100
	if p := apitest.Expect(t, h, thing("k2"), 409).Problem(); p.Code != "ticket_changed" {
		t.Fatalf("problem %+v", p)
	}
	lose = 0
	runs.Store(100)
	if r := apitest.Expect(t, h, thing("k2"), 200); r.Header(httpapi.ReplayedHeader) != "" {
		t.Fatal("a lost race was stored and replayed")
	}
}

// A refusal decided when the change was committed (a condition that reading again cannot change) is stored
// and replayed; the change itself never happened.
func TestRefusalAtCommitIsStored(t *testing.T) {
	var runs atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		if err := plan(r, func() error { return failure.Conflict("survey_already_submitted") }); err != nil {
			return err
		}
		w.WriteHeader(http.StatusCreated)
		return nil
	})
	apitest.Expect(t, h, thing("k"), 409)
	if r := apitest.Expect(t, h, thing("k"), 409); r.Header(httpapi.ReplayedHeader) != "true" || runs.Load() != 1 {
		t.Fatalf("replayed %q after %d runs", r.Header(httpapi.ReplayedHeader), runs.Load())
	}
}

// A request may make one change: a second write is a bug, answered 500 and released, and nothing commits.
func TestSecondPlannedChangeIsRefused(t *testing.T) {
	var runs, commits atomic.Int32
	h := plannedAPI(t, &runs, func(w http.ResponseWriter, r *http.Request, run int32) error {
		for range 2 {
			if err := plan(r, func() error { commits.Add(1); return nil }); err != nil {
				return err
			}
		}
		w.WriteHeader(http.StatusOK)
		return nil
	})
	apitest.Expect(t, h, thing("k"), 500)
	apitest.Expect(t, h, thing("k"), 500)
	if runs.Load() != 2 || commits.Load() != 0 {
		t.Fatalf("%d runs, %d commits; want 2 and 0", runs.Load(), commits.Load())
	}
}
