package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/platform/httpapi"
)

// A dependency failure the SDK would retry is a 503 with Retry-After, so the client retries with the same
// Idempotency-Key; anything else that is not a domain failure stays an internal 500, and neither shows its text.
func TestDependencyFailuresThatMayPassAre503(t *testing.T) {
	dropped := &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}
	for _, c := range []struct {
		name   string
		err    error
		status int
	}{
		{"connection dropped under an answer", fmt.Errorf("read ticket T1: deserialization failed: %w", dropped), 503},
		{"connection refused", fmt.Errorf("create order: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), 503},
		{"throughput exceeded", fmt.Errorf("update ticket: %w", &types.ProvisionedThroughputExceededException{Message: ptr("slow down")}), 503},
		{"DynamoDB internal error", fmt.Errorf("list: %w", responseError{500, &types.InternalServerError{Message: ptr("oops")}}), 503},
		{"a 400 no domain code handled", fmt.Errorf("list: %w", responseError{400, &types.ResourceNotFoundException{Message: ptr("no table")}}), 500},
		{"a condition no domain code handled", fmt.Errorf("put: %w", &types.ConditionalCheckFailedException{Message: ptr("no")}), 500},
		{"cancelled by the caller", fmt.Errorf("query: %w", context.Canceled), 500},
		{"a plain bug", errors.New("nil map"), 500},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			httpapi.WriteError(rec, httptest.NewRequest(http.MethodGet, "/orders", nil), c.err)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, c.status, rec.Body)
			}
			retryAfter := rec.Header().Get("Retry-After")
			if (c.status == 503) != (retryAfter == "1") {
				t.Errorf("Retry-After %q with status %d", retryAfter, c.status)
			}
			wantCode := map[int]string{503: "service_unavailable", 500: "internal_error"}[c.status]
			if got := decodeProblem(t, rec.Body.Bytes()); got.Code != wantCode || got.Status != c.status {
				t.Errorf("problem %+v, want code %s", got, wantCode)
			}
			if body := rec.Body.String(); containsAny(body, "ticket", "closed network", "slow down", "nil map", "oops", "no table") {
				t.Errorf("internal text reached the response: %s", body)
			}
		})
	}
}

func ptr(s string) *string { return &s }

// responseError carries the HTTP status of an AWS answer, as the SDK's response errors do around the typed error.
type responseError struct {
	status int
	err    error
}

func (e responseError) Error() string       { return e.err.Error() }
func (e responseError) Unwrap() error       { return e.err }
func (e responseError) HTTPStatusCode() int { return e.status }

func decodeProblem(t *testing.T, body []byte) httpapi.Problem {
	t.Helper()
	var p httpapi.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem %s: %v", body, err)
	}
	return p
}

func containsAny(s string, parts ...string) bool {
	for _, p := range parts {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
