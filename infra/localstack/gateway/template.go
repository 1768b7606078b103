package gateway

import (
	"fmt"
	"strings"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// APIsFromTemplate reads each AWS::Serverless::Api's stage, Cors and GatewayResponses settings (own properties
// over Globals.Api) and the WAF rules on its stage, resolving intrinsics such as !Sub "'${AllowedOrigin}'" with
// names.
func APIsFromTemplate(tpl *samtemplate.Template, names samtemplate.Names) (map[string]API, error) {
	globals, _ := tpl.Document()["Globals"].(map[string]any)
	globalAPI, _ := globals["Api"].(map[string]any)
	wafs, err := WAFsFromTemplate(tpl, names, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]API{}
	for _, r := range tpl.Resources("AWS::Serverless::Api") {
		prop := func(k string) (any, bool) {
			if v, ok := r.Properties[k]; ok {
				return v, true
			}
			v, ok := globalAPI[k]
			return v, ok
		}
		api := API{Stage: "Prod"}
		if v, ok := prop("StageName"); ok {
			s, err := tpl.Resolve(v, names)
			if err != nil {
				return nil, fmt.Errorf("gateway: %s StageName: %w", r.LogicalID, err)
			}
			api.Stage = s
		}
		if v, ok := prop("Cors"); ok {
			c, err := corsFrom(tpl, v, names)
			if err != nil {
				return nil, fmt.Errorf("gateway: %s Cors: %w", r.LogicalID, err)
			}
			api.CORS = c
		}
		responses, err := tpl.GatewayResponses(r.LogicalID, names)
		if err != nil {
			return nil, fmt.Errorf("gateway: %w", err)
		}
		if err := checkResponseHeaders(responses); err != nil {
			return nil, fmt.Errorf("gateway: %s %w", r.LogicalID, err)
		}
		api.Responses = responses
		api.WAF = wafs[r.LogicalID]
		out[r.LogicalID] = api
	}
	return out, nil
}

func corsFrom(tpl *samtemplate.Template, v any, names samtemplate.Names) (*CORS, error) {
	str := func(x any) (string, error) {
		s, err := tpl.Resolve(x, names)
		if err != nil {
			return "", err
		}
		return unquote(s), nil
	}
	m, ok := v.(map[string]any)
	if !ok || isIntrinsic(m) {
		// Short form: the value is AllowOrigin.
		origin, err := str(v)
		if err != nil {
			return nil, err
		}
		return &CORS{AllowOrigin: origin, AllowMethods: "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"}, nil
	}
	c := &CORS{}
	fields := []struct {
		key string
		dst *string
	}{{"AllowOrigin", &c.AllowOrigin}, {"AllowHeaders", &c.AllowHeaders}, {"AllowMethods", &c.AllowMethods}, {"MaxAge", &c.MaxAge}}
	for _, f := range fields {
		if raw, ok := m[f.key]; ok {
			s, err := str(raw)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.key, err)
			}
			*f.dst = s
		}
	}
	if c.AllowMethods == "" {
		c.AllowMethods = "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT" // SAM's default: every method
	}
	if raw, ok := m["AllowCredentials"]; ok {
		s, err := str(raw)
		if err != nil {
			return nil, fmt.Errorf("AllowCredentials: %w", err)
		}
		c.AllowCredentials = strings.EqualFold(s, "true")
	}
	return c, nil
}

func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// unquote drops the single quotes SAM wants around literal header values ("'*'" → "*").
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}
