package returns

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// emfLines decodes the EMF lines written to buf.
func emfLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		out = append(out, m)
	}
	return out
}

func TestRequestAndRefundWriteBusinessMetrics(t *testing.T) {
	var buf bytes.Buffer
	store := &racingStore{order: sampleOrder(), lose: 1}
	svc := newTestService(store)
	svc.Metrics = &buf

	r, err := svc.Request(context.Background(), req(line("L1", 1, returnpolicy.ReasonDefective, returnpolicy.ConditionUnopened)))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"_aws":{"Timestamp":` + jsonInt(r.CreatedAt.UnixMilli()) + `,"CloudWatchMetrics":[{"Namespace":"Tanggap",` +
		`"Dimensions":[["Service"]],"Metrics":[{"Name":"ReturnsRequested","Unit":"Count"}]}]},"Service":"returns","ReturnsRequested":1}` + "\n"
	if buf.String() != want {
		t.Fatalf("after request (one lost race, one success):\n got %s\nwant %s", buf.String(), want)
	}

	// Refused requests and steps other than the refund count nothing.
	buf.Reset()
	if _, err := svc.Request(context.Background(), req(line("L2", 1, returnpolicy.ReasonChangedMind, returnpolicy.ConditionUnopened))); err == nil {
		t.Fatal("final-sale line accepted")
	}
	store.ret = r
	for _, step := range []func() (Return, error){
		func() (Return, error) { return svc.Approve(context.Background(), ops, r.ID, "") },
		func() (Return, error) {
			return svc.Receive(context.Background(), ops, r.ID, []ReceivedLine{{LineID: "L1", Condition: returnpolicy.ConditionUnopened}}, "")
		},
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if buf.Len() != 0 {
		t.Fatalf("unexpected metric lines: %s", buf.String())
	}

	refunded, err := svc.Refund(context.Background(), ops, r.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	lines := emfLines(t, &buf)
	if len(lines) != 1 || lines[0]["ReturnsRefunded"] != 1.0 || lines[0]["Service"] != "returns" ||
		lines[0]["_aws"].(map[string]any)["Timestamp"] != float64(refunded.UpdatedAt.UnixMilli()) {
		t.Fatalf("after refund: %s", buf.String())
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }
