package samtemplate

import (
	"fmt"
	"strconv"
	"strings"
)

// Names maps what a template's intrinsics refer to onto local values.
type Names struct {
	// Refs maps resource logical ids, parameter names and pseudo parameters (AWS::Region, ...) to what Ref
	// returns. Parameters missing here fall back to their template Default.
	Refs map[string]string
	// Attrs maps "LogicalID.Attribute" (e.g. "EscalationQueue.Arn") to what Fn::GetAtt returns.
	Attrs map[string]string
}

// Resolve turns a value in long JSON form (e.g. a Function's environment variable) into a string, evaluating
// Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select and Fn::FindInMap. Anything it cannot resolve is an error,
// never a silently wrong value.
func (t *Template) Resolve(v any, names Names) (string, error) {
	r := resolver{t: t, names: names, params: t.Parameters()}
	return r.str(v)
}

type resolver struct {
	t      *Template
	names  Names
	params map[string]Parameter
}

func (r resolver) ref(name string) (string, error) {
	if v, ok := r.names.Refs[name]; ok {
		return v, nil
	}
	if p, ok := r.params[name]; ok && p.HasDefault {
		return p.Default, nil
	}
	return "", fmt.Errorf("no value for Ref %s", name)
}

func (r resolver) attr(id, attr string) (string, error) {
	if v, ok := r.names.Attrs[id+"."+attr]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no value for Fn::GetAtt %s.%s", id, attr)
}

func (r resolver) str(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int, int64, float64, bool:
		return fmt.Sprint(x), nil
	case map[string]any:
		if len(x) != 1 {
			break
		}
		for fn, arg := range x {
			return r.call(fn, arg)
		}
	}
	return "", fmt.Errorf("cannot resolve %v to a string", v)
}

func (r resolver) call(fn string, arg any) (string, error) {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return "", fmt.Errorf("intrinsic Ref: want a name")
		}
		return r.ref(name)
	case "Fn::GetAtt":
		parts := asSlice(arg)
		if len(parts) != 2 {
			return "", fmt.Errorf("Fn::GetAtt: want [resource, attribute]")
		}
		id, err1 := r.str(parts[0])
		at, err2 := r.str(parts[1])
		if err1 != nil || err2 != nil {
			return "", fmt.Errorf("Fn::GetAtt: want literal names")
		}
		return r.attr(id, at)
	case "Fn::Sub":
		return r.sub(arg)
	case "Fn::Join":
		parts := asSlice(arg)
		if len(parts) != 2 {
			return "", fmt.Errorf("Fn::Join: want [delimiter, list]")
		}
		delim, ok := parts[0].(string)
		if !ok {
			return "", fmt.Errorf("Fn::Join: want a literal delimiter")
		}
		items, err := r.list(parts[1])
		if err != nil {
			return "", fmt.Errorf("Fn::Join: %w", err)
		}
		return strings.Join(items, delim), nil
	case "Fn::Select":
		parts := asSlice(arg)
		if len(parts) != 2 {
			return "", fmt.Errorf("Fn::Select: want [index, list]")
		}
		idxStr, err := r.str(parts[0])
		if err != nil {
			return "", err
		}
		idx, err := strconv.Atoi(idxStr)
		if err != nil {
			return "", fmt.Errorf("Fn::Select: index %q", idxStr)
		}
		items, err := r.list(parts[1])
		if err != nil {
			return "", fmt.Errorf("Fn::Select: %w", err)
		}
		if idx < 0 || idx >= len(items) {
			return "", fmt.Errorf("Fn::Select: index %d out of range", idx)
		}
		return items[idx], nil
	case "Fn::FindInMap":
		parts := asSlice(arg)
		if len(parts) != 3 {
			return "", fmt.Errorf("Fn::FindInMap: want [map, key, key]")
		}
		var keys [3]string
		for i, p := range parts {
			s, err := r.str(p)
			if err != nil {
				return "", fmt.Errorf("Fn::FindInMap: %w", err)
			}
			keys[i] = s
		}
		v, ok := asMap(asMap(asMap(r.t.doc["Mappings"])[keys[0]])[keys[1]])[keys[2]]
		if !ok {
			return "", fmt.Errorf("Fn::FindInMap: %v not found", keys)
		}
		return r.str(v)
	}
	return "", fmt.Errorf("%s is not supported by Resolve", fn)
}

func (r resolver) list(v any) ([]string, error) {
	if m := asMap(v); m != nil {
		if sp := asSlice(m["Fn::Split"]); len(m) == 1 && len(sp) == 2 {
			delim, ok := sp[0].(string)
			if !ok {
				return nil, fmt.Errorf("Fn::Split: want a literal delimiter")
			}
			s, err := r.str(sp[1])
			if err != nil {
				return nil, err
			}
			return strings.Split(s, delim), nil
		}
	}
	items := asSlice(v)
	if items == nil {
		return nil, fmt.Errorf("want a list")
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, err := r.str(it)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (r resolver) sub(arg any) (string, error) {
	var format string
	vars := map[string]string{}
	switch x := arg.(type) {
	case string:
		format = x
	case []any:
		if len(x) != 2 {
			return "", fmt.Errorf("Fn::Sub: want string or [string, variables]")
		}
		s, ok := x[0].(string)
		if !ok {
			return "", fmt.Errorf("Fn::Sub: want a literal string")
		}
		format = s
		for k, v := range asMap(x[1]) {
			val, err := r.str(v)
			if err != nil {
				return "", fmt.Errorf("Fn::Sub variable %s: %w", k, err)
			}
			vars[k] = val
		}
	default:
		return "", fmt.Errorf("Fn::Sub: want string or [string, variables]")
	}

	var b strings.Builder
	for {
		start := strings.Index(format, "${")
		if start < 0 {
			b.WriteString(format)
			return b.String(), nil
		}
		end := strings.Index(format[start:], "}")
		if end < 0 {
			return "", fmt.Errorf("Fn::Sub: unterminated ${ in %q", format)
		}
		b.WriteString(format[:start])
		name := format[start+2 : start+end]
		format = format[start+end+1:]
		if strings.HasPrefix(name, "!") {
			// "${!Literal}" writes "${Literal}" verbatim.
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		val, err := r.subVar(strings.TrimSpace(name), vars)
		if err != nil {
			return "", fmt.Errorf("Fn::Sub: %w", err)
		}
		b.WriteString(val)
	}
}

func (r resolver) subVar(name string, vars map[string]string) (string, error) {
	if v, ok := vars[name]; ok {
		return v, nil
	}
	if id, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
		return r.attr(id, attr)
	}
	return r.ref(name)
}
