package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRedactsPersonalDataEverywhere(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, slog.LevelDebug)
	ctx := WithAttrs(context.Background(), slog.String("awsRequestId", "req-1"))
	log.InfoContext(ctx, "guest lookup for budi.santoso@example.co.id failed",
		slog.String("email", "siti@example.co.id"),
		slog.String("detail", "call me at +62 812-3456-7890 or 0812 3456 7890"),
		slog.String("description", "barangnya rusak, tolong"),
		slog.Any("err", errors.New("conditional check failed for andi@example.com")),
		slog.Group("customer", slog.String("phone", "081234567890"), slog.String("id", "cust-1")),
	)
	out := buf.String()
	for _, leak := range []string{"budi.santoso@example.co.id", "siti@example.co.id", "andi@example.com",
		"812-3456-7890", "0812 3456 7890", "081234567890", "barangnya rusak"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q: %s", leak, out)
		}
	}
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("not JSON: %v: %s", err, out)
	}
	if rec["awsRequestId"] != "req-1" {
		t.Errorf("request id missing: %s", out)
	}
	if rec["msg"] != "guest lookup for [EMAIL] failed" {
		t.Errorf("msg = %v", rec["msg"])
	}
	if rec["description"] != redacted {
		t.Errorf("description = %v", rec["description"])
	}
	if c, _ := rec["customer"].(map[string]any); c["id"] != "cust-1" || c["phone"] != redacted {
		t.Errorf("customer group = %v", rec["customer"])
	}
}

func TestRedactLeavesIdentifiersAlone(t *testing.T) {
	for _, s := range []string{"TGP-10001", "order 2026-11-01", "amount 1500000 IDR", "ticket T-8812345"} {
		if got := Redact(s); got != s {
			t.Errorf("Redact(%q) = %q", s, got)
		}
	}
}
