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

// A refund's bank account never reaches a log: by key, and as a bare run of digits inside text.
func TestRedactsRefundAccounts(t *testing.T) {
	for in, want := range map[string]string{
		"transfer to 1234567890 failed":       "transfer to [ACCOUNT] failed",
		"rekening 1230004567890 a.n. Budi":    "rekening [ACCOUNT] a.n. Budi",
		"amount 18900000 IDR, order TGP-1001": "amount 18900000 IDR, order TGP-1001",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	var buf bytes.Buffer
	New(&buf, slog.LevelInfo).Info("refund", "accountNumber", "1234567890", "holderName", "Budi Santoso", "bank", "bca")
	if out := buf.String(); strings.Contains(out, "1234567890") || strings.Contains(out, "Santoso") || !strings.Contains(out, `"bank":"bca"`) {
		t.Errorf("log line %s", out)
	}
}
