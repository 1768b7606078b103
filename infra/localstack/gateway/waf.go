package gateway

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// WAF is the part of an AWS::WAFv2::WebACL the local gateway enforces, so that `make run` and the tests refuse
// what the deployed stack refuses: body size constraints and rate-based rules per client IP with a method/path
// scope-down. Managed rule groups are AWS's own signatures and are not emulated. Rules run in priority order;
// the first Block wins, and a blocked request answers GatewayResponses.WAF_FILTERED as API Gateway does.
type WAF struct {
	Name  string
	rules []*wafRule
	now   func() time.Time
}

type wafRule struct {
	name     string
	priority int
	// size rule: the body is larger than maxBody
	maxBody int
	// rate rule: more than limit matching requests from one IP within window
	rate *rateLimit
}

type rateLimit struct {
	limit   int
	window  time.Duration
	matches []byteMatch // all must match (AndStatement)
	mu      sync.Mutex
	seen    map[string][]time.Time // client IP -> times of its matching requests in the window
}

type byteMatch struct {
	field      string // Method or UriPath
	constraint string // EXACTLY, STARTS_WITH, ENDS_WITH, CONTAINS
	search     string
}

// Blocks returns the name of the first rule that blocks the request, or "" to let it through. path is the path
// AWS WAF sees: the stage, then the resource path (/v1/orders/lookup).
func (w *WAF) Blocks(r *http.Request, path string, body []byte) string {
	if w == nil {
		return ""
	}
	ip := r.RemoteAddr
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		ip = h
	}
	for _, rule := range w.rules {
		switch {
		case rule.rate != nil:
			if rule.rate.exceeded(ip, r.Method, path, w.now()) {
				return rule.name
			}
		case len(body) > rule.maxBody:
			return rule.name
		}
	}
	return ""
}

func (rl *rateLimit) exceeded(ip, method, path string, now time.Time) bool {
	for _, m := range rl.matches {
		if !m.match(method, path) {
			return false
		}
	}
	rl.mu.Lock()
	defer rl.mu.Unlock()
	kept := rl.seen[ip][:0]
	for _, at := range rl.seen[ip] {
		if now.Sub(at) < rl.window {
			kept = append(kept, at)
		}
	}
	kept = append(kept, now)
	rl.seen[ip] = kept
	return len(kept) > rl.limit
}

func (m byteMatch) match(method, path string) bool {
	value := path
	if m.field == "Method" {
		value = method
	}
	switch m.constraint {
	case "EXACTLY":
		return value == m.search
	case "STARTS_WITH":
		return strings.HasPrefix(value, m.search)
	case "ENDS_WITH":
		return strings.HasSuffix(value, m.search)
	default: // CONTAINS
		return strings.Contains(value, m.search)
	}
}

var restAPIStageArn = regexp.MustCompile(`/restapis/\$\{([A-Za-z0-9]+)\}/stages/`)

// WAFsFromTemplate returns the web ACL associated with each AWS::Serverless::Api (by logical id), reading rule
// limits through names (e.g. a GuestLookupRateLimit override). An association whose Condition is false is left
// out, as CloudFormation would not create it. A rule statement the gateway cannot apply is an error, so a
// local run never silently skips a rule it claims to enforce; managed rule groups are skipped by design.
func WAFsFromTemplate(tpl *samtemplate.Template, names samtemplate.Names, now func() time.Time) (map[string]*WAF, error) {
	if now == nil {
		now = time.Now
	}
	resources, _ := tpl.Document()["Resources"].(map[string]any)
	out := map[string]*WAF{}
	for _, assoc := range tpl.Resources("AWS::WAFv2::WebACLAssociation") {
		raw, _ := resources[assoc.LogicalID].(map[string]any)
		if ok, err := conditionHolds(tpl, raw["Condition"], names); err != nil {
			return nil, fmt.Errorf("gateway: %s: %w", assoc.LogicalID, err)
		} else if !ok {
			continue
		}
		sub, _ := assoc.Properties["ResourceArn"].(map[string]any)["Fn::Sub"].(string)
		m := restAPIStageArn.FindStringSubmatch(sub)
		if m == nil {
			return nil, fmt.Errorf("gateway: %s: ResourceArn is not !Sub \".../restapis/${Api}/stages/...\"", assoc.LogicalID)
		}
		aclID, ok := getAttID(assoc.Properties["WebACLArn"])
		if !ok {
			return nil, fmt.Errorf("gateway: %s: WebACLArn is not !GetAtt <WebACL>.Arn", assoc.LogicalID)
		}
		acl, _ := resources[aclID].(map[string]any)
		if acl["Type"] != "AWS::WAFv2::WebACL" {
			return nil, fmt.Errorf("gateway: %s: %s is not an AWS::WAFv2::WebACL", assoc.LogicalID, aclID)
		}
		w, err := wafFrom(tpl, aclID, acl, names, now)
		if err != nil {
			return nil, fmt.Errorf("gateway: %s: %w", aclID, err)
		}
		out[m[1]] = w
	}
	return out, nil
}

func getAttID(v any) (string, bool) {
	m, _ := v.(map[string]any)
	parts, _ := m["Fn::GetAtt"].([]any)
	if len(parts) != 2 || parts[1] != "Arn" {
		return "", false
	}
	id, ok := parts[0].(string)
	return id, ok
}

func wafFrom(tpl *samtemplate.Template, id string, acl map[string]any, names samtemplate.Names, now func() time.Time) (*WAF, error) {
	props, _ := acl["Properties"].(map[string]any)
	w := &WAF{Name: id, now: now}
	rules, _ := props["Rules"].([]any)
	for i, raw := range rules {
		r, _ := raw.(map[string]any)
		name, _ := r["Name"].(string)
		where := fmt.Sprintf("Rules[%d] %s", i, name)
		prio, err := resolveInt(tpl, r["Priority"], names)
		if err != nil {
			return nil, fmt.Errorf("%s Priority: %w", where, err)
		}
		stmt, _ := r["Statement"].(map[string]any)
		if _, managed := stmt["ManagedRuleGroupStatement"]; managed {
			continue
		}
		action, _ := r["Action"].(map[string]any)
		if _, block := action["Block"]; !block || len(action) != 1 {
			return nil, fmt.Errorf("%s: only Block actions are applied locally", where)
		}
		rule := &wafRule{name: name, priority: prio}
		switch {
		case stmt["SizeConstraintStatement"] != nil:
			rule.maxBody, err = bodySizeRule(tpl, stmt["SizeConstraintStatement"], names)
		case stmt["RateBasedStatement"] != nil:
			rule.rate, err = rateRule(tpl, stmt["RateBasedStatement"], names)
		default:
			err = fmt.Errorf("statement %v is not applied locally", keys(stmt))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		w.rules = append(w.rules, rule)
	}
	for i := 1; i < len(w.rules); i++ { // insertion sort by priority; a handful of rules
		for j := i; j > 0 && w.rules[j].priority < w.rules[j-1].priority; j-- {
			w.rules[j], w.rules[j-1] = w.rules[j-1], w.rules[j]
		}
	}
	return w, nil
}

// bodySizeRule reads "Body larger than N bytes" (oversize bodies matching, as the rule must refuse them).
func bodySizeRule(tpl *samtemplate.Template, v any, names samtemplate.Names) (int, error) {
	s, _ := v.(map[string]any)
	field, _ := s["FieldToMatch"].(map[string]any)
	body, ok := field["Body"].(map[string]any)
	if !ok || len(field) != 1 {
		return 0, fmt.Errorf("SizeConstraintStatement: only FieldToMatch Body is applied locally")
	}
	if body["OversizeHandling"] != "MATCH" {
		return 0, fmt.Errorf("SizeConstraintStatement: Body.OversizeHandling must be MATCH, or bodies beyond WAF's inspection limit pass")
	}
	if s["ComparisonOperator"] != "GT" {
		return 0, fmt.Errorf("SizeConstraintStatement: only ComparisonOperator GT is applied locally")
	}
	return resolveInt(tpl, s["Size"], names)
}

func rateRule(tpl *samtemplate.Template, v any, names samtemplate.Names) (*rateLimit, error) {
	s, _ := v.(map[string]any)
	if s["AggregateKeyType"] != "IP" {
		return nil, fmt.Errorf("RateBasedStatement: only AggregateKeyType IP is applied locally")
	}
	limit, err := resolveInt(tpl, s["Limit"], names)
	if err != nil {
		return nil, fmt.Errorf("RateBasedStatement Limit: %w", err)
	}
	window := 300
	if raw, ok := s["EvaluationWindowSec"]; ok {
		if window, err = resolveInt(tpl, raw, names); err != nil {
			return nil, fmt.Errorf("RateBasedStatement EvaluationWindowSec: %w", err)
		}
	}
	rl := &rateLimit{limit: limit, window: time.Duration(window) * time.Second, seen: map[string][]time.Time{}}
	if scope, ok := s["ScopeDownStatement"]; ok {
		if rl.matches, err = scopeDown(scope); err != nil {
			return nil, fmt.Errorf("RateBasedStatement ScopeDownStatement: %w", err)
		}
	}
	return rl, nil
}

// scopeDown reads a ByteMatchStatement, or an AndStatement of them, on Method or UriPath without transformations.
func scopeDown(v any) ([]byteMatch, error) {
	s, _ := v.(map[string]any)
	if and, ok := s["AndStatement"].(map[string]any); ok {
		var out []byteMatch
		stmts, _ := and["Statements"].([]any)
		for _, st := range stmts {
			ms, err := scopeDown(st)
			if err != nil {
				return nil, err
			}
			out = append(out, ms...)
		}
		return out, nil
	}
	bm, ok := s["ByteMatchStatement"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%v is not applied locally (AndStatement or ByteMatchStatement)", keys(s))
	}
	m := byteMatch{}
	m.search, _ = bm["SearchString"].(string)
	m.constraint, _ = bm["PositionalConstraint"].(string)
	switch m.constraint {
	case "EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS":
	default:
		return nil, fmt.Errorf("ByteMatchStatement: PositionalConstraint %q is not applied locally", m.constraint)
	}
	field, _ := bm["FieldToMatch"].(map[string]any)
	for f := range field {
		m.field = f
	}
	if len(field) != 1 || (m.field != "Method" && m.field != "UriPath") {
		return nil, fmt.Errorf("ByteMatchStatement: FieldToMatch %v is not applied locally (Method or UriPath)", keys(field))
	}
	transforms, _ := bm["TextTransformations"].([]any)
	for _, tr := range transforms {
		if t, _ := tr.(map[string]any); t["Type"] != "NONE" {
			return nil, fmt.Errorf("ByteMatchStatement: text transformation %v is not applied locally", t["Type"])
		}
	}
	return []byteMatch{m}, nil
}

func resolveInt(tpl *samtemplate.Template, v any, names samtemplate.Names) (int, error) {
	s, err := tpl.Resolve(v, names)
	if err != nil {
		return 0, err
	}
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("%q is not an integer", s)
	}
	return n, nil
}

// conditionHolds evaluates a resource's Condition (none holds) with Fn::Equals, Fn::Not, Fn::And, Fn::Or and
// Condition references over parameters resolved through names.
func conditionHolds(tpl *samtemplate.Template, cond any, names samtemplate.Names) (bool, error) {
	if cond == nil {
		return true, nil
	}
	name, ok := cond.(string)
	if !ok {
		return false, fmt.Errorf("resource Condition %v: want a condition name", cond)
	}
	conditions, _ := tpl.Document()["Conditions"].(map[string]any)
	def, ok := conditions[name]
	if !ok {
		return false, fmt.Errorf("condition %s is not in Conditions", name)
	}
	return evalCondition(tpl, def, names, conditions)
}

func evalCondition(tpl *samtemplate.Template, v any, names samtemplate.Names, conditions map[string]any) (bool, error) {
	m, _ := v.(map[string]any)
	if len(m) != 1 {
		return false, fmt.Errorf("condition %v: want one function", v)
	}
	for fn, arg := range m {
		args, _ := arg.([]any)
		switch fn {
		case "Fn::Equals":
			if len(args) != 2 {
				return false, fmt.Errorf("condition Fn::Equals: want two values")
			}
			a, err := tpl.Resolve(args[0], names)
			if err != nil {
				return false, err
			}
			b, err := tpl.Resolve(args[1], names)
			if err != nil {
				return false, err
			}
			return a == b, nil
		case "Fn::Not", "Fn::And", "Fn::Or":
			if len(args) == 0 {
				return false, fmt.Errorf("%s: want conditions", fn)
			}
			all, some := true, false
			for _, a := range args {
				ok, err := evalCondition(tpl, a, names, conditions)
				if err != nil {
					return false, err
				}
				all, some = all && ok, some || ok
			}
			switch fn {
			case "Fn::Not":
				return !all, nil
			case "Fn::And":
				return all, nil
			}
			return some, nil
		case "Condition":
			name, _ := arg.(string)
			def, ok := conditions[name]
			if !ok {
				return false, fmt.Errorf("condition %s is not in Conditions", name)
			}
			return evalCondition(tpl, def, names, conditions)
		}
		return false, fmt.Errorf("condition function %s is not supported locally", fn)
	}
	return false, nil
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
