// Package httpapi is the HTTP edge shared by every function: routing with per-route access rules,
// strict JSON decoding, RFC 9457 problem responses, and the one mapping from domain failures to HTTP.
package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/identity"
)

// ProblemContentType is the RFC 9457 media type.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem details document with Tanggap's extension members.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance,omitempty"`
	Code     string         `json:"code"`
	Errors   []ProblemField `json:"errors,omitempty"`
	// ErrorCount is how many field errors there were; at most MaxFieldErrors of them are listed.
	ErrorCount int `json:"errorCount,omitempty"`
}

// MaxFieldErrors bounds the errors listed in a problem, so its size does not grow with the request body.
const MaxFieldErrors = 20

// ProblemField explains one invalid field; Field is a JSON path like "lines[0].quantity".
type ProblemField struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type statusTitle struct {
	status int
	title  string
}

var byKind = map[failure.Kind]statusTitle{
	failure.KindInvalid:         {http.StatusBadRequest, "title.invalid"},
	failure.KindNotFound:        {http.StatusNotFound, "title.not_found"},
	failure.KindConflict:        {http.StatusConflict, "title.conflict"},
	failure.KindRejected:        {http.StatusUnprocessableEntity, "title.rejected"},
	failure.KindForbidden:       {http.StatusForbidden, "title.forbidden"},
	failure.KindUnauthenticated: {http.StatusUnauthorized, "title.unauthenticated"},
	failure.KindUnavailable:     {http.StatusServiceUnavailable, "title.unavailable"},
}

// Codes whose HTTP status is more specific than their kind's.
var byCode = map[string]statusTitle{
	"body_too_large":         {http.StatusRequestEntityTooLarge, "title.too_large"},
	"unsupported_media_type": {http.StatusUnsupportedMediaType, "title.media_type"},
	"method_not_allowed":     {http.StatusMethodNotAllowed, "title.method"},
}

// ProblemFor builds the problem document for err in lang. Anything that is not a *failure.Error is an
// internal error, its text never shown, unless it is a dependency's transient failure: that is a 503.
func ProblemFor(err error, lang i18n.Lang) Problem {
	fe, ok := failure.As(err)
	if !ok && transient(err) {
		fe, ok = failure.Unavailable("service_unavailable"), true
	}
	if !ok {
		return Problem{
			Type: problemType("internal_error"), Title: i18n.Message(lang, "title.internal", nil),
			Status: http.StatusInternalServerError, Detail: i18n.Message(lang, "internal_error", nil), Code: "internal_error",
		}
	}
	st, ok := byCode[fe.Code]
	if !ok {
		st, ok = byKind[fe.Kind]
	}
	if !ok {
		st = statusTitle{http.StatusInternalServerError, "title.internal"}
	}
	p := Problem{
		Type:   problemType(fe.Code),
		Title:  i18n.Message(lang, st.title, nil),
		Status: st.status,
		Detail: i18n.Message(lang, fe.Code, fe.Params),
		Code:   fe.Code,
	}
	p.ErrorCount = len(fe.Fields)
	for _, f := range fe.Fields[:min(len(fe.Fields), MaxFieldErrors)] {
		p.Errors = append(p.Errors, ProblemField{
			Field:   f.Field,
			Code:    f.Code,
			Message: i18n.Message(lang, "field."+f.Code, map[string]string{"param": f.Param}),
		})
	}
	return p
}

// transient reports an AWS dependency's failure that outlived the SDK's own retries and that a client may
// retry with the same Idempotency-Key: by the SDK's own judgement (a dropped or refused connection, a 5xx,
// a throttling code), so the two agree on what is worth trying again.
func transient(err error) bool {
	return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary
}

func problemType(code string) string { return "urn:tanggap:problem:" + code }

// WriteError answers with the problem for err. Internal errors are logged with their cause;
// expected failures are logged at debug level only.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	lang := i18n.Negotiate(r.Header.Get("Accept-Language"))
	p := ProblemFor(err, lang)
	if rc, ok := identity.RequestContext(r.Context()); ok && rc.RequestID != "" {
		p.Instance = "urn:tanggap:request:" + rc.RequestID
	}
	level := slog.LevelDebug
	if p.Status >= 500 {
		level = slog.LevelError
	}
	slog.Default().Log(r.Context(), level, "request failed",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", p.Status), slog.String("code", p.Code), slog.Any("err", err))
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("Content-Language", string(lang))
	if p.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
