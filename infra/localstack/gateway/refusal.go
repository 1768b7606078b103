package gateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// refusal is an answer API Gateway makes itself instead of invoking the function.
type refusal struct {
	responseType string // the GatewayResponses type that customizes it
	status       int    // API Gateway's status for it, unless the template sets one
	errorType    string // x-amzn-ErrorType, "" for none
	message      string // $context.error.message, and the body when nothing customizes the response
}

var (
	refuseMissingToken = refusal{"MISSING_AUTHENTICATION_TOKEN", http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token"}
	refuseUnauthorized = refusal{"UNAUTHORIZED", http.StatusUnauthorized, "UnauthorizedException", "Unauthorized"}
	// An Authorization header that is not a SigV4 signature on an IAM route (locally: not a dev-ops token).
	refuseBadSignature = refusal{"INVALID_SIGNATURE", http.StatusForbidden, "IncompleteSignatureException",
		"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
			"Authorization header requires 'SignedHeaders' parameter. (Locally: use 'Bearer dev-ops:<name>'.)"}
	refuseBadRequest     = refusal{"DEFAULT_4XX", http.StatusBadRequest, "BadRequestException", "Bad request"}
	refuseTooLarge       = refusal{"REQUEST_TOO_LARGE", http.StatusRequestEntityTooLarge, "RequestTooLongException", "Request Too Long"}
	refuseWAF            = refusal{"WAF_FILTERED", http.StatusForbidden, "ForbiddenException", "Forbidden"}
	refuseFunctionFailed = refusal{"DEFAULT_5XX", http.StatusBadGateway, "", "Internal server error"}
	refuseTimeout        = refusal{"INTEGRATION_TIMEOUT", http.StatusGatewayTimeout, "", "Endpoint request timed out"}
	// A Lambda throttle (429 TooManyRequestsException at reserved concurrency) is not passed on by a REST proxy
	// integration: API Gateway answers 500 "Internal server error" under the INTEGRATION_FAILURE response type
	// (THROTTLED is API Gateway's own stage and account throttling, not the function's).
	refuseFunctionThrottled = refusal{"INTEGRATION_FAILURE", http.StatusInternalServerError, "", "Internal server error"}
	refuseInternal          = refusal{"API_CONFIGURATION_ERROR", http.StatusInternalServerError, "", "Internal server error"}
)

// defaultType is the response type that customizes every type of the status class the template leaves out.
func defaultType(status int) string {
	if status >= 500 {
		return "DEFAULT_5XX"
	}
	return "DEFAULT_4XX"
}

// refuse answers as API Gateway does with GatewayResponses: the API's entry for the refusal's type, else its
// DEFAULT_4XX/DEFAULT_5XX, else API Gateway's uncustomized {"message": ...}. An entry's StatusCode wins over
// the default entry's, which wins over the refusal's own status.
func (g *Gateway) refuse(w http.ResponseWriter, r *http.Request, api API, rf refusal, requestID string) {
	def, hasDefault := api.Responses[defaultType(rf.status)]
	gr, ok := api.Responses[rf.responseType]
	if !ok {
		gr, ok = def, hasDefault
	}
	status := rf.status
	if def.StatusCode != 0 {
		status = def.StatusCode
	}
	if gr.StatusCode != 0 {
		status = gr.StatusCode
	}

	body, _ := json.Marshal(map[string]string{"message": rf.message})
	contentType := "application/json"
	if ct, tmpl, found := pickTemplate(gr.Templates); ok && found {
		contentType = ct
		body = []byte(substituteContext(tmpl, map[string]string{
			"requestId":           requestID,
			"extendedRequestId":   randomHex(8),
			"stage":               api.Stage,
			"httpMethod":          r.Method,
			"error.message":       rf.message,
			"error.messageString": jsonString(rf.message),
			"error.responseType":  rf.responseType,
		}))
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	if rf.errorType != "" {
		h.Set("x-amzn-ErrorType", rf.errorType)
	}
	for name, v := range gr.Headers {
		if value, set := responseHeaderValue(v, r); set {
			h.Set(name, value)
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// pickTemplate prefers application/json, the type API Gateway falls back to, then the first by name.
func pickTemplate(templates map[string]string) (string, string, bool) {
	if t, ok := templates["application/json"]; ok {
		return "application/json", t, true
	}
	types := make([]string, 0, len(templates))
	for ct := range templates {
		types = append(types, ct)
	}
	if len(types) == 0 {
		return "", "", false
	}
	sort.Strings(types)
	return types[0], templates[types[0]], true
}

var contextVariable = regexp.MustCompile(`\$context\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*`)

// substituteContext does what API Gateway does to a gateway response template: plain $context substitution
// (no VTL); a variable it does not know becomes empty.
func substituteContext(tmpl string, vars map[string]string) string {
	return contextVariable.ReplaceAllStringFunc(tmpl, func(m string) string {
		return vars[strings.TrimPrefix(m, "$context.")]
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// responseHeaderValue evaluates a GatewayResponses header value: a 'literal' or a request header or query
// string mapping (checkResponseHeaders rejects anything else when the API is loaded).
func responseHeaderValue(v string, r *http.Request) (string, bool) {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1], true
	}
	if name, ok := strings.CutPrefix(v, "method.request.header."); ok {
		value := r.Header.Get(name)
		return value, value != ""
	}
	if name, ok := strings.CutPrefix(v, "method.request.querystring."); ok {
		value := r.URL.Query().Get(name)
		return value, value != ""
	}
	return "", false
}

func checkResponseHeaders(responses map[string]samtemplate.GatewayResponse) error {
	for _, gr := range responses {
		for name, v := range gr.Headers {
			quoted := len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\''
			if !quoted && !strings.HasPrefix(v, "method.request.header.") && !strings.HasPrefix(v, "method.request.querystring.") {
				return fmt.Errorf("GatewayResponses.%s header %s: %q is neither a 'literal' nor a request header or query string mapping", gr.Type, name, v)
			}
		}
	}
	return nil
}
