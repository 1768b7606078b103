package apicontract

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	root, err := samtemplate.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join(root, "openapi.yaml"))
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI 3 document: %v", err)
	}
	return doc
}

// operation is one documented method+path with its auth kind as samtemplate names it.
type operation struct {
	Method, Path, Auth string
	Op                 *openapi3.Operation
}

// openAPIOperations lists the document's operations. The auth kind comes from the operation's security (or the
// document's default): no requirement is "none", else the scheme's x-amazon-apigateway-authtype decides.
func openAPIOperations(t *testing.T, doc *openapi3.T) []operation {
	t.Helper()
	var out []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			sec := doc.Security
			if op.Security != nil {
				sec = *op.Security
			}
			auth, err := authKind(doc, sec)
			if err != nil {
				t.Errorf("%s %s: %v", method, path, err)
				continue
			}
			out = append(out, operation{Method: strings.ToUpper(method), Path: path, Auth: auth, Op: op})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

func authKind(doc *openapi3.T, sec openapi3.SecurityRequirements) (string, error) {
	if len(sec) == 0 {
		return samtemplate.AuthNone, nil
	}
	if len(sec) != 1 || len(sec[0]) != 1 {
		return "", fmt.Errorf("want exactly one security scheme (API Gateway applies one authorizer), got %v", sec)
	}
	for name := range sec[0] {
		ref := doc.Components.SecuritySchemes[name]
		if ref == nil || ref.Value == nil {
			return "", fmt.Errorf("security scheme %q is not declared", name)
		}
		switch kind, _ := ref.Value.Extensions["x-amazon-apigateway-authtype"].(string); kind {
		case "cognito_user_pools":
			return samtemplate.AuthCognito, nil
		case "awsSigv4":
			return samtemplate.AuthIAM, nil
		default:
			return "", fmt.Errorf("security scheme %q: unknown x-amazon-apigateway-authtype %q", name, kind)
		}
	}
	panic("unreachable")
}

type opKey struct{ Method, Path, Auth string }

// The OpenAPI document, the template's API events and the handlers' route tables describe the same routes,
// with the same authorization.
func TestOpenAPITemplateAndHandlersAgree(t *testing.T) {
	doc := loadOpenAPI(t)
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}

	sets := map[string]map[opKey]bool{"openapi.yaml": {}, "template.yaml": {}, "handlers": {}}
	for _, o := range openAPIOperations(t, doc) {
		sets["openapi.yaml"][opKey{o.Method, o.Path, o.Auth}] = true
	}
	for _, r := range routes {
		sets["template.yaml"][opKey{r.Method, r.Path, r.Auth}] = true
	}
	for _, rs := range handlerRoutes {
		for _, r := range rs {
			sets["handlers"][opKey{r.Method, r.Path, r.Access.String()}] = true
		}
	}
	names := []string{"openapi.yaml", "template.yaml", "handlers"}
	union := map[opKey]bool{}
	for _, set := range sets {
		for k := range set {
			union[k] = true
		}
	}
	for _, k := range sortedOpKeys(union) {
		var in, missing []string
		for _, n := range names {
			if sets[n][k] {
				in = append(in, n)
			} else {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s %s (%s auth) is in %s but not in %s", k.Method, k.Path, k.Auth, strings.Join(in, ", "), strings.Join(missing, ", "))
		}
	}
	if len(sets["openapi.yaml"]) == 0 {
		t.Fatal("openapi.yaml documents no operations")
	}
}

// What every operation must say for clients to be generated and used correctly.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	doc := loadOpenAPI(t)
	idempotent := map[opKey]bool{}
	paged := map[opKey]bool{}
	for _, rs := range handlerRoutes {
		for _, r := range rs {
			if r.Idempotent {
				idempotent[opKey{r.Method, r.Path, r.Access.String()}] = true
			}
		}
	}
	ids := map[string]bool{}
	for _, o := range openAPIOperations(t, doc) {
		name := o.Method + " " + o.Path
		key := opKey{o.Method, o.Path, o.Auth}
		op := o.Op
		if op.OperationID == "" || ids[op.OperationID] {
			t.Errorf("%s: operationId %q is missing or repeated", name, op.OperationID)
		}
		ids[op.OperationID] = true

		params := map[string]bool{}
		for _, p := range op.Parameters {
			params[p.Value.In+":"+p.Value.Name] = true
		}
		if !params["header:Accept-Language"] {
			t.Errorf("%s: no Accept-Language parameter", name)
		}
		if params["header:Idempotency-Key"] != idempotent[key] {
			t.Errorf("%s: Idempotency-Key parameter %v, but the handler route's Idempotent is %v", name, params["header:Idempotency-Key"], idempotent[key])
		}
		if idempotent[key] {
			for _, status := range []int{409, 422} {
				if op.Responses.Status(status) == nil {
					t.Errorf("%s: idempotent, but %d (key in flight / reused with another body) is not documented", name, status)
				}
			}
		}

		var success []int
		for code, ref := range op.Responses.Map() {
			var status int
			if _, err := fmt.Sscan(code, &status); err != nil {
				t.Errorf("%s: response %q: use explicit status codes, not ranges or default", name, code)
				continue
			}
			resp := ref.Value
			if status >= 200 && status < 300 {
				success = append(success, status)
				if idempotent[key] && resp.Headers["Idempotent-Replayed"] == nil {
					t.Errorf("%s %d: idempotent, but the Idempotent-Replayed header is not documented", name, status)
				}
				if schema := jsonSchema(resp, "application/json"); schema != nil && hasProperty(schema, "nextCursor") {
					paged[key] = true
				}
				continue
			}
			// API Gateway's own refusals (401, 403, 429, ...) are problem documents too (GatewayResponses).
			if status >= 400 {
				mt := resp.Content.Get("application/problem+json")
				if mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/Problem" || len(resp.Content) != 1 {
					t.Errorf("%s %d: an error response must have exactly one body, application/problem+json with the Problem schema", name, status)
				}
			}
		}
		if len(success) == 0 {
			t.Errorf("%s: no 2xx response documented", name)
		}
		for _, status := range []int{500, 429} {
			if op.Responses.Status(status) == nil {
				t.Errorf("%s: %d not documented", name, status)
			}
		}
		if paged[key] && (!params["query:limit"] || !params["query:cursor"]) {
			t.Errorf("%s: returns a page (nextCursor) but lacks the limit/cursor parameters", name)
		}
		switch o.Auth {
		case samtemplate.AuthCognito:
			if op.Responses.Status(401) == nil {
				t.Errorf("%s: customer route without a documented 401", name)
			}
		case samtemplate.AuthIAM:
			if op.Responses.Status(403) == nil {
				t.Errorf("%s: ops route without a documented 403", name)
			}
		}
		if op.RequestBody != nil && (op.Responses.Status(400) == nil || op.Responses.Status(415) == nil) {
			t.Errorf("%s: takes a body but does not document 400 and 415", name)
		}
	}
}

// Response schemas are closed (additionalProperties: false), so a field the handlers add without documenting it
// fails the contract check instead of slipping through.
func TestOpenAPIResponseObjectsAreClosed(t *testing.T) {
	doc := loadOpenAPI(t)
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		if s.Type == nil || !s.Type.Is("object") {
			continue
		}
		if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
			t.Errorf("components.schemas.%s: want additionalProperties: false", name)
		}
	}
}

func jsonSchema(resp *openapi3.Response, mediaType string) *openapi3.Schema {
	if resp == nil {
		return nil
	}
	mt := resp.Content.Get(mediaType)
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

func hasProperty(s *openapi3.Schema, name string) bool {
	_, ok := s.Properties[name]
	return ok
}

func sortedOpKeys(m map[opKey]bool) []opKey {
	out := make([]opKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}
