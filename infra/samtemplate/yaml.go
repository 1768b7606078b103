package samtemplate

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// shortTags maps CloudFormation short-form tags to their long-form keys.
// !GetAtt and !Condition need their own handling and are not listed here.
var shortTags = map[string]string{
	"!Ref":          "Ref",
	"!Sub":          "Fn::Sub",
	"!Join":         "Fn::Join",
	"!If":           "Fn::If",
	"!Equals":       "Fn::Equals",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!FindInMap":    "Fn::FindInMap",
	"!Not":          "Fn::Not",
	"!And":          "Fn::And",
	"!Or":           "Fn::Or",
	"!ImportValue":  "Fn::ImportValue",
	"!Base64":       "Fn::Base64",
	"!Cidr":         "Fn::Cidr",
	"!GetAZs":       "Fn::GetAZs",
	"!Transform":    "Fn::Transform",
	"!Length":       "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

// decodeYAML turns a CloudFormation YAML document into plain JSON-shaped Go values
// (map[string]any, []any, string, int, float64, bool, nil) with short tags in long form.
func decodeYAML(data []byte) (map[string]any, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return nil, fmt.Errorf("parse yaml: expected one document")
	}
	v, err := convertNode(root.Content[0])
	if err != nil {
		return nil, err
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("parse yaml: top level is %T, want a mapping", v)
	}
	return doc, nil
}

func convertNode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return convertNode(n.Alias)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return convertNode(n.Content[0])
	}
	tag := n.Tag
	if tag == "" || strings.HasPrefix(tag, "!!") || tag == "!" || strings.HasPrefix(tag, "tag:yaml.org,2002:") {
		return convertPlain(n)
	}
	return convertIntrinsic(n, tag)
}

func convertIntrinsic(n *yaml.Node, tag string) (any, error) {
	switch tag {
	case "!GetAtt":
		if n.Kind == yaml.ScalarNode {
			// "A.B.C" means resource A, attribute "B.C" (nested attributes keep their dots).
			resource, attr, ok := strings.Cut(n.Value, ".")
			if !ok || resource == "" || attr == "" {
				return nil, nodeErr(n, "!GetAtt %q: want Resource.Attribute", n.Value)
			}
			return map[string]any{"Fn::GetAtt": []any{resource, attr}}, nil
		}
		inner, err := convertPlain(n)
		if err != nil {
			return nil, err
		}
		return map[string]any{"Fn::GetAtt": inner}, nil
	case "!Condition":
		if n.Kind != yaml.ScalarNode {
			return nil, nodeErr(n, "!Condition takes a condition name")
		}
		return map[string]any{"Condition": n.Value}, nil
	}
	key, ok := shortTags[tag]
	if !ok {
		return nil, nodeErr(n, "unknown tag %s", tag)
	}
	var inner any
	if n.Kind == yaml.ScalarNode {
		// Arguments of a short tag are strings as written ("!Ref 123" names the resource "123").
		inner = n.Value
	} else {
		var err error
		if inner, err = convertPlain(n); err != nil {
			return nil, err
		}
	}
	return map[string]any{key: inner}, nil
}

// convertPlain converts a node's content, ignoring the node's own custom tag.
func convertPlain(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		merged := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, nodeErr(k, "mapping key must be a scalar")
			}
			if k.Tag == "!!merge" {
				if err := mergeInto(merged, v); err != nil {
					return nil, err
				}
				continue
			}
			if _, dup := out[k.Value]; dup {
				return nil, nodeErr(k, "duplicate key %q", k.Value)
			}
			cv, err := convertNode(v)
			if err != nil {
				return nil, err
			}
			out[k.Value] = cv
		}
		for k, v := range merged {
			if _, explicit := out[k]; !explicit {
				out[k] = v
			}
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			cv, err := convertNode(c)
			if err != nil {
				return nil, err
			}
			out = append(out, cv)
		}
		return out, nil
	case yaml.ScalarNode:
		return convertScalar(n)
	case yaml.AliasNode:
		return convertNode(n.Alias)
	}
	return nil, nodeErr(n, "unsupported yaml node kind %d", n.Kind)
}

func convertScalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!int", "!!float", "!!bool":
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, nodeErr(n, "%v", err)
		}
		return v, nil
	case "!!null":
		return nil, nil
	default:
		// Strings, and timestamps/binary kept verbatim: CloudFormation reads them as strings
		// (AWSTemplateFormatVersion: 2010-09-09 unquoted must stay "2010-09-09").
		return n.Value, nil
	}
}

// mergeInto collects the keys of a YAML merge ("<<: *anchor"); earlier sources win, as YAML specifies.
func mergeInto(out map[string]any, v *yaml.Node) error {
	var sources []*yaml.Node
	if v.Kind == yaml.SequenceNode {
		sources = v.Content
	} else {
		sources = []*yaml.Node{v}
	}
	for _, s := range sources {
		cv, err := convertNode(s)
		if err != nil {
			return err
		}
		m, ok := cv.(map[string]any)
		if !ok {
			return nodeErr(s, "merge key needs a mapping")
		}
		for k, val := range m {
			if _, exists := out[k]; !exists {
				out[k] = val
			}
		}
	}
	return nil
}

func nodeErr(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("line %d column %d: %s", n.Line, n.Column, fmt.Sprintf(format, args...))
}
