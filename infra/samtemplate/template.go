// Package samtemplate reads the project's SAM template (template.yaml) so that local tooling and tests build
// tables, queues, topics, routes and event sources from the single source of truth instead of copies.
package samtemplate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// Template is a parsed SAM template with CloudFormation short tags already in their long JSON forms.
type Template struct {
	doc map[string]any
}

// Load reads and parses a SAM template file.
func Load(path string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("samtemplate: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("samtemplate: %s: %w", path, err)
	}
	return t, nil
}

// RepoRoot returns the nearest directory at or above the working directory that holds go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("samtemplate: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("samtemplate: no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// LoadProject loads template.yaml from the repository root (see RepoRoot).
func LoadProject() (*Template, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	return Load(filepath.Join(root, "template.yaml"))
}

// Parse parses a SAM template from YAML (or JSON, which is YAML) bytes.
func Parse(data []byte) (*Template, error) {
	doc, err := decodeYAML(data)
	if err != nil {
		return nil, err
	}
	return &Template{doc: doc}, nil
}

// JSON returns the template as a plain JSON document, e.g. for schema validation.
func (t *Template) JSON() ([]byte, error) {
	return json.Marshal(t.doc)
}

// Document returns the template in long JSON form. Callers must not modify it.
func (t *Template) Document() map[string]any {
	return t.doc
}

// Resource is one entry of the template's Resources section.
type Resource struct {
	LogicalID  string
	Type       string
	Properties map[string]any
	Metadata   map[string]any
}

// Resources returns the resources of the given type (all resources when typ is ""), sorted by logical id.
func (t *Template) Resources(typ string) []Resource {
	resources := asMap(t.doc["Resources"])
	ids := sortedKeys(resources)
	var out []Resource
	for _, id := range ids {
		r := asMap(resources[id])
		rt, _ := r["Type"].(string)
		if typ != "" && rt != typ {
			continue
		}
		out = append(out, Resource{LogicalID: id, Type: rt, Properties: asMap(r["Properties"]), Metadata: asMap(r["Metadata"])})
	}
	return out
}

// Parameter is one template parameter.
type Parameter struct {
	Type    string
	Default string
	// HasDefault tells an empty Default apart from none.
	HasDefault bool
	// AllowedValues are the only values a deployment may give, when the template lists them.
	AllowedValues []string
}

// Parameters returns the template parameters by name.
func (t *Template) Parameters() map[string]Parameter {
	out := map[string]Parameter{}
	for name, raw := range asMap(t.doc["Parameters"]) {
		p := asMap(raw)
		param := Parameter{}
		param.Type, _ = p["Type"].(string)
		if d, ok := p["Default"]; ok {
			param.Default = scalarString(d)
			param.HasDefault = true
		}
		for _, v := range asSlice(p["AllowedValues"]) {
			param.AllowedValues = append(param.AllowedValues, scalarString(v))
		}
		out[name] = param
	}
	return out
}

// FunctionDir maps a function's logical id to its source folder by the project convention:
// "OrdersFunction" -> "functions/orders", "EscalationConsumerFunction" -> "functions/escalation-consumer".
// (CodeUri is "." for every function because they are built with BuildMethod makefile.)
func FunctionDir(logicalID string) string {
	return "functions/" + kebab(strings.TrimSuffix(logicalID, "Function"))
}

func kebab(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 {
			prev := r[i-1]
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			// New word at "aB" or "1B", and at the last capital of an acronym ("SQSRelay" -> "sqs-relay").
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// helpers for walking the generic document

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// scalarString renders a literal scalar as CloudFormation would see it ("" for intrinsics and collections).
func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int, int64, float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

// intValue reads an integer property written as a number or a numeric string.
func intValue(v any) (int, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case int:
		return x, true, nil
	case int64:
		return int(x), true, nil
	case float64:
		if x != float64(int(x)) {
			return 0, false, fmt.Errorf("%v is not an integer", x)
		}
		return int(x), true, nil
	case string:
		var n int
		if _, err := fmt.Sscanf(x, "%d", &n); err != nil || fmt.Sprint(n) != x {
			return 0, false, fmt.Errorf("%q is not an integer", x)
		}
		return n, true, nil
	}
	return 0, false, fmt.Errorf("%T is not an integer", v)
}

// boolValue reads a boolean property written as a bool or "true"/"false".
func boolValue(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, fmt.Errorf("%v is not a boolean", v)
}

// referencedID returns the logical id named by {"Ref": id} or {"Fn::GetAtt": [id, attr]}.
func referencedID(v any) (string, bool) {
	m := asMap(v)
	if len(m) != 1 {
		return "", false
	}
	if id, ok := m["Ref"].(string); ok {
		return id, true
	}
	if ga := asSlice(m["Fn::GetAtt"]); len(ga) == 2 {
		if id, ok := ga[0].(string); ok {
			return id, true
		}
	}
	return "", false
}
