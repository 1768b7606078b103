package seed

import (
	"context"
	"io"
	"net/http"
	"testing"
)

// A restart files the SLA demo complaint under the same Idempotency-Key, whether or not it still has to save
// the calendar first, so the API replays the first ticket instead of filing another.
func TestSLADemoComplaintKeepsItsKeyAcrossRestarts(t *testing.T) {
	calendarSaved := false
	var keys []string
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch {
		case r.Method == "GET" && r.URL.Path == "/ops/calendar":
			if calendarSaved {
				_, _ = io.WriteString(w, `{"isDefault":false}`)
			} else {
				_, _ = io.WriteString(w, `{"isDefault":true}`)
			}
		case r.Method == "PUT" && r.URL.Path == "/ops/calendar":
			calendarSaved = true
			_, _ = io.WriteString(w, `{}`)
		case r.Method == "POST" && r.URL.Path == "/complaints":
			keys = append(keys, r.Header.Get("Idempotency-Key"))
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"ticketId":"TKT-1"}`)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusNotFound)
		}
	})
	for range 2 {
		if err := SLA(context.Background(), api, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(keys) != 2 || keys[0] == "" || keys[0] != keys[1] {
		t.Fatalf("complaint keys %q, want one key twice", keys)
	}
}
