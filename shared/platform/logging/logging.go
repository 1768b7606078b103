// Package logging builds the JSON slog logger every function uses. It redacts personal data before
// anything is written: fields known to hold PII are masked whole, and emails or phone numbers found
// inside any other string are masked in place.
package logging

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// Sensitive attribute keys whose whole value is personal data or customer free text.
var sensitiveKeys = map[string]bool{
	"email": true, "phone": true, "name": true, "address": true, "body": true, "comment": true,
	"description": true, "message": true, "subject": true, "note": true, "authorization": true,
	"customername": true, "shippingaddress": true, "text": true, "idempotencykey": true,
	// refund destinations (returns.RefundDestination also logs itself masked)
	"accountnumber": true, "holdername": true, "refunddestination": true, "destination": true,
}

const redacted = "[REDACTED]"

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// Indonesian and international phone numbers: +62 / 62 / 0 prefixes, 8-15 digits with optional separators.
	// Bank account numbers: 10-20 digits in a row, alone (order ids, amounts and times are shorter or joined).
	accountPattern = regexp.MustCompile(`\b[0-9]{10,20}\b`)
	phonePattern   = regexp.MustCompile(`(?:\+|\b)(?:62|0)[\s\-.]?8[0-9][\s\-.0-9]{6,14}[0-9]\b|\+[1-9][0-9][\s\-.0-9]{7,15}[0-9]\b`)
)

// Redact masks emails and phone numbers inside s.
func Redact(s string) string {
	if s == "" {
		return s
	}
	s = emailPattern.ReplaceAllString(s, "[EMAIL]")
	s = phonePattern.ReplaceAllString(s, "[PHONE]")
	return accountPattern.ReplaceAllString(s, "[ACCOUNT]")
}

func isSensitive(key string) bool {
	k := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(key))
	return sensitiveKeys[k]
}

func redactAttr(_ []string, a slog.Attr) slog.Attr {
	if isSensitive(a.Key) && a.Value.Kind() != slog.KindGroup {
		return slog.String(a.Key, redacted)
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, Redact(err.Error()))
		}
		// Arbitrary values are rendered by the JSON encoder; stringify so the patterns can see them.
		if _, ok := a.Value.Any().(interface{ String() string }); ok {
			return slog.String(a.Key, Redact(a.Value.String()))
		}
	}
	return a
}

// New returns a JSON logger writing to w at level, with redaction and request-scoped attributes.
func New(w io.Writer, level slog.Leveler) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr})
	return slog.New(&contextHandler{Handler: h})
}

type ctxKey struct{}

// WithAttrs returns a context whose log records carry attrs (e.g. the Lambda and API request ids).
func WithAttrs(ctx context.Context, attrs ...slog.Attr) context.Context {
	existing, _ := ctx.Value(ctxKey{}).([]slog.Attr)
	merged := make([]slog.Attr, 0, len(existing)+len(attrs))
	merged = append(merged, existing...)
	merged = append(merged, attrs...)
	return context.WithValue(ctx, ctxKey{}, merged)
}

// contextHandler adds the attributes stored by WithAttrs to each record.
type contextHandler struct{ slog.Handler }

func (h *contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if attrs, ok := ctx.Value(ctxKey{}).([]slog.Attr); ok {
		r.AddAttrs(attrs...)
	}
	return h.Handler.Handle(ctx, r)
}

func (h *contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &contextHandler{Handler: h.Handler.WithAttrs(attrs)}
}

func (h *contextHandler) WithGroup(name string) slog.Handler {
	return &contextHandler{Handler: h.Handler.WithGroup(name)}
}

// Install makes a redacting JSON logger at level ("DEBUG", "INFO", "WARN", "ERROR") the process default.
func Install(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	logger := New(w, l)
	slog.SetDefault(logger)
	return logger
}
