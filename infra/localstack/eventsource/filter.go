package eventsource

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Filter is one compiled Lambda event filter pattern (FilterCriteria.Filters[].Pattern). It supports the
// subset of the pattern syntax the local stack needs: nested fields, exact values (strings, numbers, booleans,
// null), and the operators "prefix", "exists" and "anything-but". Any other operator is an error when the
// pattern is compiled, so a template that uses one fails loudly instead of filtering differently from Lambda.
type Filter struct {
	root map[string]any
}

// CompileFilter parses a pattern.
func CompileFilter(pattern string) (*Filter, error) {
	var root map[string]any
	dec := json.NewDecoder(strings.NewReader(pattern))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil || root == nil {
		return nil, fmt.Errorf("filter pattern %q: want a JSON object", pattern)
	}
	if err := checkPattern(root, ""); err != nil {
		return nil, fmt.Errorf("filter pattern %q: %w", pattern, err)
	}
	return &Filter{root: root}, nil
}

func checkPattern(p map[string]any, path string) error {
	for k, v := range p {
		switch x := v.(type) {
		case map[string]any:
			if err := checkPattern(x, path+k+"."); err != nil {
				return err
			}
		case []any:
			if len(x) == 0 {
				return fmt.Errorf("%s%s: empty match list", path, k)
			}
			for _, m := range x {
				op, ok := m.(map[string]any)
				if !ok {
					continue
				}
				if len(op) != 1 {
					return fmt.Errorf("%s%s: an operator object has exactly one key", path, k)
				}
				for name, arg := range op {
					switch name {
					case "prefix":
						if _, ok := arg.(string); !ok {
							return fmt.Errorf("%s%s: prefix wants a string", path, k)
						}
					case "exists":
						if _, ok := arg.(bool); !ok {
							return fmt.Errorf("%s%s: exists wants true or false", path, k)
						}
					case "anything-but":
					default:
						return fmt.Errorf("%s%s: operator %q is not supported locally", path, k, name)
					}
				}
			}
		default:
			return fmt.Errorf("%s%s: want an object or a list of match values", path, k)
		}
	}
	return nil
}

// Match reports whether event (any JSON-marshalable value) matches the pattern.
func (f *Filter) Match(event any) (bool, error) {
	raw, err := json.Marshal(event)
	if err != nil {
		return false, err
	}
	var doc map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return false, fmt.Errorf("event is not a JSON object: %w", err)
	}
	return matchObject(f.root, doc), nil
}

func matchObject(pattern, doc map[string]any) bool {
	keys := make([]string, 0, len(pattern))
	for k := range pattern {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		value, present := doc[k]
		switch p := pattern[k].(type) {
		case map[string]any:
			sub, ok := value.(map[string]any)
			if !ok || !matchObject(p, sub) {
				return false
			}
		case []any:
			if !matchList(p, value, present) {
				return false
			}
		}
	}
	return true
}

// matchList: any match value accepts the field; an array field matches when any element does.
func matchList(list []any, value any, present bool) bool {
	for _, m := range list {
		if op, ok := m.(map[string]any); ok {
			if matchOperator(op, value, present) {
				return true
			}
			continue
		}
		if !present {
			continue
		}
		if arr, ok := value.([]any); ok {
			for _, e := range arr {
				if equalScalar(m, e) {
					return true
				}
			}
			continue
		}
		if equalScalar(m, value) {
			return true
		}
	}
	return false
}

func matchOperator(op map[string]any, value any, present bool) bool {
	for name, arg := range op {
		switch name {
		case "exists":
			return arg.(bool) == present
		case "prefix":
			s, ok := value.(string)
			return present && ok && strings.HasPrefix(s, arg.(string))
		case "anything-but":
			if !present {
				return false
			}
			excluded, ok := arg.([]any)
			if !ok {
				excluded = []any{arg}
			}
			for _, x := range excluded {
				if equalScalar(x, value) {
					return false
				}
			}
			return true
		}
	}
	return false
}

func equalScalar(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, errX := x.Float64()
		fy, errY := y.Float64()
		return errX == nil && errY == nil && fx == fy
	case string, bool, nil:
		return a == b
	}
	return false
}
