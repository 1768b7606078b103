// Package dynamoiam gives each local function the DynamoDB permissions its template role has: a proxy in
// front of DynamoDB Local works out what IAM would authorise for each request (the action per item of a
// transaction, the table or index ARN, dynamodb:LeadingKeys and dynamodb:EnclosingOperation) and refuses
// what the function's policy statements do not allow, with DynamoDB's AccessDeniedException. So a code path
// whose grant is missing from template.yaml fails locally and in the local-stack tests, as it would deployed.
//
// It evaluates identity-based statements only (Allow and Deny; Action, Resource and the condition operators
// the template uses), which is all a SAM function role carries.
package dynamoiam

import (
	"fmt"
	"strings"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// Statement is a policy statement with its resources resolved to ARNs.
type Statement struct {
	Effect    string
	Actions   []string
	Resources []string
	Condition map[string]map[string][]string
}

// Policy is one function's identity-based policy.
type Policy struct {
	Statements []Statement
}

// Authorization is one thing IAM authorises for a request: an action on a resource with the request's
// condition keys. A TransactWriteItems needs one per item.
type Authorization struct {
	Action   string // e.g. "dynamodb:PutItem"
	Resource string // table or index ARN
	// LeadingKeys are the partition key values the action touches (the index's on an index Query).
	LeadingKeys []string
	// EnclosingOperation is "TransactWriteItems" or "TransactGetItems" for an item inside a transaction.
	EnclosingOperation string
}

func (a Authorization) String() string {
	s := a.Action + " on " + a.Resource
	if len(a.LeadingKeys) > 0 {
		s += " (LeadingKeys " + strings.Join(a.LeadingKeys, ", ") + ")"
	}
	if a.EnclosingOperation != "" {
		s += " in " + a.EnclosingOperation
	}
	return s
}

// FromTemplate builds the policy of a function from its Policies, resolving resources with names. SAM policy
// templates and managed policies grant no DynamoDB access here (the template test forbids DynamoDB ones).
func FromTemplate(tpl *samtemplate.Template, functionID string, names samtemplate.Names) (Policy, error) {
	pol, err := tpl.FunctionPolicies(functionID)
	if err != nil {
		return Policy{}, err
	}
	var out Policy
	for i, s := range pol.Statements {
		st := Statement{Effect: s.Effect, Actions: s.Actions, Condition: s.Condition}
		for _, r := range s.Resources {
			arn, err := tpl.Resolve(r, names)
			if err != nil {
				return Policy{}, fmt.Errorf("dynamoiam: %s statement %d: %w", functionID, i, err)
			}
			st.Resources = append(st.Resources, arn)
		}
		out.Statements = append(out.Statements, st)
	}
	return out, nil
}

// Allows reports whether the policy authorises a: some Allow statement matches it and no Deny does. An
// unsupported condition operator makes its statement not match, so a gap shows as a refusal.
func (p Policy) Allows(a Authorization) bool {
	allowed := false
	for _, s := range p.Statements {
		if !s.matches(a) {
			continue
		}
		switch s.Effect {
		case "Deny":
			return false
		case "Allow":
			allowed = true
		}
	}
	return allowed
}

func (s Statement) matches(a Authorization) bool {
	if !anyGlob(s.Actions, a.Action, true) || !anyGlob(s.Resources, a.Resource, false) {
		return false
	}
	for op, keys := range s.Condition {
		for key, want := range keys {
			if !conditionHolds(op, want, contextValues(a, key)) {
				return false
			}
		}
	}
	return true
}

// contextValues are the request's values of a condition key; nil when the request has none.
func contextValues(a Authorization, key string) []string {
	switch strings.ToLower(key) {
	case "dynamodb:leadingkeys":
		return a.LeadingKeys
	case "dynamodb:enclosingoperation":
		if a.EnclosingOperation != "" {
			return []string{a.EnclosingOperation}
		}
	}
	return nil
}

// conditionHolds evaluates one condition operator. ForAllValues holds for an empty set, ForAnyValue and the
// single-valued operators need a value, as IAM evaluates them.
func conditionHolds(op string, want, got []string) bool {
	qualifier, base, qualified := strings.Cut(op, ":")
	if !qualified {
		base, qualifier = op, ""
	}
	var match func(pattern, v string) bool
	switch base {
	case "StringEquals":
		match = func(p, v string) bool { return p == v }
	case "StringLike":
		match = func(p, v string) bool { return glob(p, v, false) }
	default:
		return false
	}
	inWant := func(v string) bool {
		for _, p := range want {
			if match(p, v) {
				return true
			}
		}
		return false
	}
	switch qualifier {
	case "ForAllValues":
		for _, v := range got {
			if !inWant(v) {
				return false
			}
		}
		return true
	case "ForAnyValue", "":
		for _, v := range got {
			if inWant(v) {
				return true
			}
		}
		return false
	}
	return false
}

func anyGlob(patterns []string, v string, fold bool) bool {
	for _, p := range patterns {
		if glob(p, v, fold) {
			return true
		}
	}
	return false
}

// glob matches IAM wildcards: * any run of characters, ? one character.
func glob(pattern, v string, fold bool) bool {
	if fold {
		pattern, v = strings.ToLower(pattern), strings.ToLower(v)
	}
	return wildcard(pattern, v)
}

func wildcard(p, v string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(v); i >= 0; i-- {
				if wildcard(p[1:], v[i:]) {
					return true
				}
			}
			return false
		case '?':
			if v == "" {
				return false
			}
			p, v = p[1:], v[1:]
		default:
			if v == "" || p[0] != v[0] {
				return false
			}
			p, v = p[1:], v[1:]
		}
	}
	return v == ""
}
