package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/logging"
)

// A request through the production path (proxy event -> LambdaHandler -> route) logs JSON lines that carry the
// Lambda and API Gateway request ids, and no email, phone number or customer free text, even when a handler
// logs them and an internal error quotes them.
func TestLambdaRequestLogsCarryRequestIDsAndNoPersonalData(t *testing.T) {
	var buf bytes.Buffer
	saved := slog.Default()
	logging.Install(&buf, "DEBUG")
	t.Cleanup(func() { slog.SetDefault(saved) })

	type complaint struct {
		Email       string `json:"email"`
		Description string `json:"description"`
	}
	h, err := httpapi.New(httpapi.Options{}, []httpapi.Route{{
		Method: "POST", Path: "/complaints", Access: httpapi.Customer,
		Handle: func(w http.ResponseWriter, r *http.Request) error {
			var c complaint
			if err := httpapi.Decode(r, &c); err != nil {
				return err
			}
			slog.InfoContext(r.Context(), "complaint from "+c.Email, slog.String("email", c.Email),
				slog.String("description", c.Description), slog.String("orderId", "TGP-10001"))
			return errors.New("store failed for " + c.Email + " (call back on 0812-3456-7890)")
		},
	}})
	if err != nil {
		t.Fatal(err)
	}

	ev := apitest.Event(apitest.Request{Method: "POST", Path: "/complaints", As: apitest.AsCustomer("cust-budi"),
		Body: complaint{Email: "budi.santoso@example.co.id", Description: "Paket rusak, hubungi +62 812 3456 7890 segera"}})
	ev.RequestContext.RequestID = "api-req-42"
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "aws-req-7"})
	resp, err := httpapi.LambdaHandler(h)(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 500 {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}

	out := buf.String()
	for _, leak := range []string{"budi.santoso@example.co.id", "0812-3456-7890", "812 3456 7890", "Paket rusak"} {
		if strings.Contains(out, leak) {
			t.Errorf("logs leak %q:\n%s", leak, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("want the handler's line and the failure line, got:\n%s", out)
	}
	for _, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, line)
		}
		if rec["apiRequestId"] != "api-req-42" || rec["awsRequestId"] != "aws-req-7" {
			t.Errorf("line without both request ids: %s", line)
		}
	}
	var first map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &first)
	if first["msg"] != "complaint from [EMAIL]" || first["email"] != "[REDACTED]" || first["description"] != "[REDACTED]" || first["orderId"] != "TGP-10001" {
		t.Errorf("handler line not redacted as expected: %s", lines[0])
	}
	var last map[string]any
	_ = json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if last["level"] != "ERROR" || !strings.Contains(last["err"].(string), "[EMAIL]") || !strings.Contains(last["err"].(string), "[PHONE]") {
		t.Errorf("failure line: %s", lines[len(lines)-1])
	}
}
