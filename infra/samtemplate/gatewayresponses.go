package samtemplate

import (
	"fmt"
	"regexp"
)

// GatewayResponse is one entry of an AWS::Serverless::Api's GatewayResponses: what API Gateway answers, instead
// of its uncustomized {"message": ...}, when it refuses a request itself.
type GatewayResponse struct {
	// Type is the response type, e.g. UNAUTHORIZED or DEFAULT_4XX.
	Type string
	// StatusCode is the entry's explicit status; 0 keeps the status API Gateway chose for the refusal.
	StatusCode int
	// Headers maps a header name to its resolved value as SAM takes it: a literal in single quotes ("'*'") or a
	// request mapping such as method.request.header.Origin.
	Headers map[string]string
	// Templates maps a content type to its body template (simple $context substitution, not VTL).
	Templates map[string]string
}

// gatewayResponseTypes are API Gateway's response types; anything else in a template is a typo.
var gatewayResponseTypes = map[string]bool{
	"DEFAULT_4XX": true, "DEFAULT_5XX": true, "RESOURCE_NOT_FOUND": true, "UNAUTHORIZED": true,
	"INVALID_API_KEY": true, "ACCESS_DENIED": true, "AUTHORIZER_FAILURE": true, "AUTHORIZER_CONFIGURATION_ERROR": true,
	"INVALID_SIGNATURE": true, "EXPIRED_TOKEN": true, "MISSING_AUTHENTICATION_TOKEN": true, "INTEGRATION_FAILURE": true,
	"INTEGRATION_TIMEOUT": true, "API_CONFIGURATION_ERROR": true, "UNSUPPORTED_MEDIA_TYPE": true,
	"BAD_REQUEST_PARAMETERS": true, "BAD_REQUEST_BODY": true, "REQUEST_TOO_LARGE": true, "THROTTLED": true,
	"QUOTA_EXCEEDED": true, "WAF_FILTERED": true,
}

var gatewayStatusCode = regexp.MustCompile(`^[1-5][0-9][0-9]$`)

// GatewayResponses returns the GatewayResponses of the AWS::Serverless::Api apiLogicalID by response type, its own
// entries over those in Globals.Api, with intrinsics in header values (e.g. !Sub "'${AllowedOrigin}'") resolved
// with names. An API without GatewayResponses has none (API Gateway's defaults apply).
func (t *Template) GatewayResponses(apiLogicalID string, names Names) (map[string]GatewayResponse, error) {
	api := asMap(asMap(t.doc["Resources"])[apiLogicalID])
	if api == nil || api["Type"] != "AWS::Serverless::Api" {
		return nil, fmt.Errorf("samtemplate: no AWS::Serverless::Api %s", apiLogicalID)
	}
	raw := map[string]any{}
	for k, v := range asMap(asMap(asMap(t.doc["Globals"])["Api"])["GatewayResponses"]) {
		raw[k] = v
	}
	for k, v := range asMap(asMap(api["Properties"])["GatewayResponses"]) {
		raw[k] = v
	}
	out := make(map[string]GatewayResponse, len(raw))
	for _, typ := range sortedKeys(raw) {
		gr, err := t.gatewayResponse(typ, raw[typ], names)
		if err != nil {
			return nil, fmt.Errorf("samtemplate: %s GatewayResponses.%s: %w", apiLogicalID, typ, err)
		}
		out[typ] = gr
	}
	return out, nil
}

func (t *Template) gatewayResponse(typ string, v any, names Names) (GatewayResponse, error) {
	if !gatewayResponseTypes[typ] {
		return GatewayResponse{}, fmt.Errorf("not an API Gateway response type")
	}
	m := asMap(v)
	if m == nil {
		return GatewayResponse{}, fmt.Errorf("want a mapping")
	}
	gr := GatewayResponse{Type: typ, Headers: map[string]string{}, Templates: map[string]string{}}
	for key := range m {
		switch key {
		case "StatusCode", "ResponseParameters", "ResponseTemplates":
		default:
			return GatewayResponse{}, fmt.Errorf("unknown property %s", key)
		}
	}
	if sc, ok := m["StatusCode"]; ok {
		s, err := t.Resolve(sc, names)
		if err != nil || !gatewayStatusCode.MatchString(s) {
			return GatewayResponse{}, fmt.Errorf("StatusCode %v: want a status code 100-599", sc)
		}
		gr.StatusCode, _, _ = intValue(s)
	}
	params := asMap(m["ResponseParameters"])
	for kind := range params {
		// SAM knows these three; only headers matter to a client of this API.
		if kind != "Headers" && kind != "Paths" && kind != "QueryStrings" {
			return GatewayResponse{}, fmt.Errorf("ResponseParameters: unknown %s (want Headers, Paths or QueryStrings)", kind)
		}
	}
	for name, hv := range asMap(params["Headers"]) {
		s, err := t.Resolve(hv, names)
		if err != nil {
			return GatewayResponse{}, fmt.Errorf("header %s: %w", name, err)
		}
		gr.Headers[name] = s
	}
	for contentType, body := range asMap(m["ResponseTemplates"]) {
		s, ok := body.(string)
		if !ok {
			return GatewayResponse{}, fmt.Errorf("ResponseTemplates %s: want a string", contentType)
		}
		gr.Templates[contentType] = s
	}
	return gr, nil
}
