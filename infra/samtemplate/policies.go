package samtemplate

import (
	"fmt"
	"sort"
)

// Statement is one statement of a function's inline policy document (Policies: - Statement: [...]).
type Statement struct {
	Effect  string
	Actions []string
	// Resources are in long JSON form (e.g. {"Fn::GetAtt": ["SupportTable", "Arn"]}); see Resolve.
	Resources []any
	// Condition maps an operator (ForAllValues:StringLike) to condition keys and their values.
	Condition map[string]map[string][]string
}

// Policies is what a function's Policies property attaches.
type Policies struct {
	Statements []Statement
	// Named are the SAM policy templates (SQSSendMessagePolicy, ...) and managed policies, by name or ARN.
	Named []string
}

// FunctionPolicies returns the policies of the function with the given logical id.
func (t *Template) FunctionPolicies(id string) (Policies, error) {
	for _, r := range t.Resources("AWS::Serverless::Function") {
		if r.LogicalID != id {
			continue
		}
		p, err := buildPolicies(r.Properties["Policies"])
		if err != nil {
			return Policies{}, fmt.Errorf("samtemplate: function %s: Policies: %w", id, err)
		}
		return p, nil
	}
	return Policies{}, fmt.Errorf("samtemplate: no function %s", id)
}

func buildPolicies(v any) (Policies, error) {
	var out Policies
	entries := asSlice(v)
	if entries == nil && v != nil {
		entries = []any{v} // a single policy instead of a list
	}
	for i, e := range entries {
		switch x := e.(type) {
		case string:
			out.Named = append(out.Named, x)
		case map[string]any:
			if doc, ok := x["Statement"]; ok {
				stmts, err := buildStatements(doc)
				if err != nil {
					return Policies{}, fmt.Errorf("[%d]: %w", i, err)
				}
				out.Statements = append(out.Statements, stmts...)
				continue
			}
			if len(x) != 1 {
				return Policies{}, fmt.Errorf("[%d]: neither a policy document nor one policy template", i)
			}
			out.Named = append(out.Named, sortedKeys(x)[0])
		default:
			return Policies{}, fmt.Errorf("[%d]: unsupported %T", i, e)
		}
	}
	return out, nil
}

func buildStatements(v any) ([]Statement, error) {
	raw := asSlice(v)
	if raw == nil {
		raw = []any{v}
	}
	var out []Statement
	for i, r := range raw {
		m := asMap(r)
		if m == nil {
			return nil, fmt.Errorf("policy Statement[%d]: not a mapping", i)
		}
		if _, ok := m["NotAction"]; ok {
			return nil, fmt.Errorf("policy Statement[%d]: NotAction is not supported", i)
		}
		if _, ok := m["NotResource"]; ok {
			return nil, fmt.Errorf("policy Statement[%d]: NotResource is not supported", i)
		}
		s := Statement{Condition: map[string]map[string][]string{}}
		s.Effect, _ = m["Effect"].(string)
		actions, err := stringList(m["Action"])
		if err != nil {
			return nil, fmt.Errorf("policy Statement[%d].Action: %w", i, err)
		}
		s.Actions = actions
		if res := asSlice(m["Resource"]); res != nil {
			s.Resources = res
		} else if m["Resource"] != nil {
			s.Resources = []any{m["Resource"]}
		}
		for op, keys := range asMap(m["Condition"]) {
			s.Condition[op] = map[string][]string{}
			for key, vals := range asMap(keys) {
				list, err := stringList(vals)
				if err != nil {
					return nil, fmt.Errorf("policy Statement[%d].Condition.%s.%s: %w", i, op, key, err)
				}
				s.Condition[op][key] = list
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// stringList reads a string or a list of strings.
func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%v is not a string", e)
			}
			out = append(out, s)
		}
		sort.Strings(out)
		return out, nil
	}
	return nil, fmt.Errorf("%T is not a string or list of strings", v)
}
