package exactlyonce_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestTransportSendsAgainAfterDroppedAnswer: a connection that dies under an answer is sent again with the
// same body, the caller sees the whole second answer, and the operation is counted once.
func TestTransportSendsAgainAfterDroppedAnswer(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if calls.Add(1) == 1 {
			// promise more than is sent, then drop the connection
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"par")
			_ = buf.Flush()
			conn.Close()
			return
		}
		_, _ = w.Write(append([]byte("echo:"), body...))
	}))
	defer srv.Close()

	ft := &faultTransport{next: &http.Transport{DisableKeepAlives: true}, counts: map[string]int{}}
	req, err := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"TableName":"t"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.Query")
	resp, err := ft.RoundTrip(req)
	if err != nil {
		t.Fatalf("RoundTrip: %v", err)
	}
	got, _ := io.ReadAll(resp.Body)
	if string(got) != `echo:{"TableName":"t"}` {
		t.Errorf("answer %q, want the second attempt's echo of the same body", got)
	}
	if calls.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", calls.Load())
	}
	if ops := ft.take(); len(ops) != 1 || ops[0] != "Query" {
		t.Errorf("counted %v, want one Query", ops)
	}
}
