package samtemplate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Function is an AWS::Serverless::Function with the template's Globals applied.
type Function struct {
	LogicalID string
	CodeURI   string
	// Dir is the source folder relative to the repository root, from FunctionDir.
	Dir           string
	Runtime       string
	Handler       string
	Architectures []string
	MemorySize    int // MB, 128 when unset
	Timeout       int // seconds, 3 when unset
	// Environment holds the variables from Globals merged with the function's own; values are in long JSON form
	// (a string, or an intrinsic such as {"Ref": "SupportTable"}); see Resolve.
	Environment map[string]any
	Events      map[string]Event
	BuildMethod string
	// ReservedConcurrency is ReservedConcurrentExecutions when HasReservedConcurrency (0 stops the function).
	ReservedConcurrency    int
	HasReservedConcurrency bool
}

// Event is one entry of a function's Events.
type Event struct {
	Name       string
	Type       string
	Properties map[string]any
}

// Lambda defaults for values a template leaves out.
const (
	DefaultMemorySize = 128
	DefaultTimeout    = 3
)

// Functions returns the template's serverless functions by logical id.
func (t *Template) Functions() (map[string]Function, error) {
	globals := asMap(asMap(t.doc["Globals"])["Function"])
	out := map[string]Function{}
	for _, r := range t.Resources("AWS::Serverless::Function") {
		f, err := buildFunction(r, globals)
		if err != nil {
			return nil, fmt.Errorf("samtemplate: function %s: %w", r.LogicalID, err)
		}
		out[r.LogicalID] = f
	}
	return out, nil
}

func buildFunction(r Resource, globals map[string]any) (Function, error) {
	prop := func(key string) any {
		if v, ok := r.Properties[key]; ok {
			return v
		}
		return globals[key]
	}
	f := Function{LogicalID: r.LogicalID, Dir: FunctionDir(r.LogicalID), MemorySize: DefaultMemorySize, Timeout: DefaultTimeout}
	f.CodeURI, _ = prop("CodeUri").(string)
	f.Runtime, _ = prop("Runtime").(string)
	f.Handler, _ = prop("Handler").(string)
	f.BuildMethod, _ = r.Metadata["BuildMethod"].(string)
	for _, a := range asSlice(prop("Architectures")) {
		if s, ok := a.(string); ok {
			f.Architectures = append(f.Architectures, s)
		}
	}
	if n, ok, err := intValue(prop("MemorySize")); err != nil {
		return Function{}, fmt.Errorf("property MemorySize: %w", err)
	} else if ok {
		f.MemorySize = n
	}
	if n, ok, err := intValue(prop("ReservedConcurrentExecutions")); err != nil {
		return Function{}, fmt.Errorf("reserved concurrency (ReservedConcurrentExecutions): %w", err)
	} else if ok {
		if n < 0 {
			return Function{}, fmt.Errorf("reserved concurrency (ReservedConcurrentExecutions) %d is negative", n)
		}
		f.ReservedConcurrency, f.HasReservedConcurrency = n, true
	}
	if n, ok, err := intValue(prop("Timeout")); err != nil {
		return Function{}, fmt.Errorf("property Timeout: %w", err)
	} else if ok {
		f.Timeout = n
	}

	f.Environment = map[string]any{}
	for k, v := range asMap(asMap(globals["Environment"])["Variables"]) {
		f.Environment[k] = v
	}
	for k, v := range asMap(asMap(r.Properties["Environment"])["Variables"]) {
		f.Environment[k] = v
	}

	f.Events = map[string]Event{}
	for name, raw := range asMap(r.Properties["Events"]) {
		e := asMap(raw)
		typ, _ := e["Type"].(string)
		if typ == "" {
			return Function{}, fmt.Errorf("event %s: missing Type", name)
		}
		f.Events[name] = Event{Name: name, Type: typ, Properties: asMap(e["Properties"])}
	}
	return f, nil
}

// Auth modes of an API route.
const (
	AuthCognito = "cognito"
	AuthIAM     = "iam"
	AuthNone    = "none"
)

// Route is one REST API route (an "Api" event of a function).
type Route struct {
	Method string // upper case; "ANY" matches every method
	Path   string // as in the template, e.g. /orders/{orderId}
	// RestAPILogicalID is the AWS::Serverless::Api the route belongs to ("" for SAM's implicit API).
	RestAPILogicalID  string
	FunctionLogicalID string
	EventName         string
	Auth              string // AuthCognito, AuthIAM or AuthNone
	// Authorizer is the Cognito authorizer's name when Auth is AuthCognito.
	Authorizer string
}

// APIRoutes returns the REST API routes sorted by path, then method. Each route's auth is its own Auth.Authorizer
// or else its API's Auth.DefaultAuthorizer (with Globals.Api as fallback). Lambda authorizers are rejected, so
// that local tooling never serves such a route unauthenticated by mistake.
func (t *Template) APIRoutes() ([]Route, error) {
	fns, err := t.Functions()
	if err != nil {
		return nil, err
	}
	apis := map[string]map[string]any{}
	for _, r := range t.Resources("AWS::Serverless::Api") {
		apis[r.LogicalID] = r.Properties
	}
	globalAuth := asMap(asMap(asMap(t.doc["Globals"])["Api"])["Auth"])

	var routes []Route
	for _, fid := range sortedKeys(fns) {
		for _, ev := range fns[fid].Events {
			if ev.Type != "Api" {
				continue
			}
			rt, err := buildRoute(fid, ev, apis, globalAuth)
			if err != nil {
				return nil, fmt.Errorf("samtemplate: function %s event %s: %w", fid, ev.Name, err)
			}
			routes = append(routes, rt)
		}
	}
	sort.Slice(routes, func(i, j int) bool {
		a, b := routes[i], routes[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Method != b.Method {
			return a.Method < b.Method
		}
		return a.RestAPILogicalID < b.RestAPILogicalID
	})
	for i := 1; i < len(routes); i++ {
		a, b := routes[i-1], routes[i]
		if a.Path == b.Path && a.Method == b.Method && a.RestAPILogicalID == b.RestAPILogicalID {
			return nil, fmt.Errorf("samtemplate: route %s %s is defined by both %s.%s and %s.%s", a.Method, a.Path, a.FunctionLogicalID, a.EventName, b.FunctionLogicalID, b.EventName)
		}
	}
	return routes, nil
}

func buildRoute(fid string, ev Event, apis map[string]map[string]any, globalAuth map[string]any) (Route, error) {
	p := ev.Properties
	rt := Route{FunctionLogicalID: fid, EventName: ev.Name}
	rt.Path, _ = p["Path"].(string)
	method, _ := p["Method"].(string)
	rt.Method = strings.ToUpper(method)
	if rt.Path == "" || rt.Method == "" {
		return Route{}, fmt.Errorf("want literal Path and Method")
	}
	if rt.Method == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
		rt.Method = "ANY"
	}

	apiAuth := globalAuth
	if raw, ok := p["RestApiId"]; ok {
		id, ok := referencedID(raw)
		if !ok {
			return Route{}, fmt.Errorf("RestApiId: want !Ref <Api>")
		}
		props, ok := apis[id]
		if !ok {
			return Route{}, fmt.Errorf("RestApiId: %s is not an AWS::Serverless::Api", id)
		}
		rt.RestAPILogicalID = id
		if a := asMap(props["Auth"]); a != nil {
			apiAuth = mergeAuth(globalAuth, a)
		}
	}

	authorizer, _ := apiAuth["DefaultAuthorizer"].(string)
	if a, ok := asMap(p["Auth"])["Authorizer"]; ok {
		authorizer, _ = a.(string)
		if authorizer == "" {
			return Route{}, fmt.Errorf("Auth.Authorizer: want a name")
		}
	}
	switch authorizer {
	case "", "NONE":
		rt.Auth = AuthNone
	case "AWS_IAM":
		rt.Auth = AuthIAM
	default:
		def := asMap(asMap(apiAuth["Authorizers"])[authorizer])
		if def == nil {
			return Route{}, fmt.Errorf("authorizer %q is not defined on the API", authorizer)
		}
		if _, ok := def["UserPoolArn"]; !ok {
			return Route{}, fmt.Errorf("authorizer %q is not a Cognito user pool authorizer (unsupported)", authorizer)
		}
		rt.Auth = AuthCognito
		rt.Authorizer = authorizer
	}
	return rt, nil
}

// mergeAuth applies an API's own Auth over Globals.Api.Auth.
func mergeAuth(global, own map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range global {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}

// SQSEventSource is an "SQS" event of a function.
type SQSEventSource struct {
	FunctionLogicalID string
	EventName         string
	QueueLogicalID    string
	BatchSize         int // 10 when unset
	// ReportBatchItemFailures is set when FunctionResponseTypes lists ReportBatchItemFailures.
	ReportBatchItemFailures        bool
	MaximumBatchingWindowInSeconds int
	Enabled                        bool
}

// SQSEventSources returns the SQS event sources sorted by function and event name.
func (t *Template) SQSEventSources() ([]SQSEventSource, error) {
	fns, err := t.Functions()
	if err != nil {
		return nil, err
	}
	var out []SQSEventSource
	for _, fid := range sortedKeys(fns) {
		events := fns[fid].Events
		for _, name := range sortedKeys(events) {
			ev := events[name]
			if ev.Type != "SQS" {
				continue
			}
			src, err := buildSQSSource(fid, ev)
			if err != nil {
				return nil, fmt.Errorf("samtemplate: function %s event %s: %w", fid, name, err)
			}
			out = append(out, src)
		}
	}
	return out, nil
}

func buildSQSSource(fid string, ev Event) (SQSEventSource, error) {
	p := ev.Properties
	src := SQSEventSource{FunctionLogicalID: fid, EventName: ev.Name, BatchSize: 10, Enabled: true}
	q, ok := referencedID(p["Queue"])
	if !ok {
		return src, fmt.Errorf("Queue: want !GetAtt <Queue>.Arn")
	}
	src.QueueLogicalID = q
	if n, ok, err := intValue(p["BatchSize"]); err != nil {
		return src, fmt.Errorf("BatchSize: %w", err)
	} else if ok {
		src.BatchSize = n
	}
	if n, ok, err := intValue(p["MaximumBatchingWindowInSeconds"]); err != nil {
		return src, fmt.Errorf("MaximumBatchingWindowInSeconds: %w", err)
	} else if ok {
		src.MaximumBatchingWindowInSeconds = n
	}
	if v, ok := p["Enabled"]; ok {
		enabled, err := boolValue(v)
		if err != nil {
			return src, fmt.Errorf("property Enabled: %w", err)
		}
		src.Enabled = enabled
	}
	for _, rt := range asSlice(p["FunctionResponseTypes"]) {
		if rt == "ReportBatchItemFailures" {
			src.ReportBatchItemFailures = true
		}
	}
	return src, nil
}

// DynamoDBEventSource is a "DynamoDB" (stream) event of a function.
type DynamoDBEventSource struct {
	FunctionLogicalID string
	EventName         string
	// TableLogicalID is the table whose stream the event reads (Stream: !GetAtt <Table>.StreamArn).
	TableLogicalID   string
	StartingPosition string // TRIM_HORIZON or LATEST
	BatchSize        int    // 100 when unset
	// ReportBatchItemFailures is set when FunctionResponseTypes lists ReportBatchItemFailures.
	ReportBatchItemFailures    bool
	BisectBatchOnFunctionError bool
	// MaximumRetryAttempts is -1 (retry until the record expires) when unset.
	MaximumRetryAttempts           int
	MaximumBatchingWindowInSeconds int
	// FilterPatterns are the FilterCriteria patterns (JSON text); a record passes when any pattern matches
	// or when there are none.
	FilterPatterns []string
	Enabled        bool
}

// DynamoDBEventSources returns the DynamoDB stream event sources sorted by function and event name.
func (t *Template) DynamoDBEventSources() ([]DynamoDBEventSource, error) {
	fns, err := t.Functions()
	if err != nil {
		return nil, err
	}
	var out []DynamoDBEventSource
	for _, fid := range sortedKeys(fns) {
		events := fns[fid].Events
		for _, name := range sortedKeys(events) {
			ev := events[name]
			if ev.Type != "DynamoDB" {
				continue
			}
			src, err := buildDynamoDBSource(fid, ev)
			if err != nil {
				return nil, fmt.Errorf("samtemplate: function %s event %s: %w", fid, name, err)
			}
			out = append(out, src)
		}
	}
	return out, nil
}

func buildDynamoDBSource(fid string, ev Event) (DynamoDBEventSource, error) {
	p := ev.Properties
	src := DynamoDBEventSource{FunctionLogicalID: fid, EventName: ev.Name, BatchSize: 100, MaximumRetryAttempts: -1, Enabled: true}
	id, attr, ok := getAtt(p["Stream"])
	if !ok || attr != "StreamArn" {
		return src, fmt.Errorf("property Stream: want !GetAtt <Table>.StreamArn")
	}
	src.TableLogicalID = id
	src.StartingPosition, _ = p["StartingPosition"].(string)
	if src.StartingPosition != "TRIM_HORIZON" && src.StartingPosition != "LATEST" {
		return src, fmt.Errorf("StartingPosition: want TRIM_HORIZON or LATEST, got %q", src.StartingPosition)
	}
	for key, dst := range map[string]*int{
		"BatchSize": &src.BatchSize, "MaximumRetryAttempts": &src.MaximumRetryAttempts,
		"MaximumBatchingWindowInSeconds": &src.MaximumBatchingWindowInSeconds,
	} {
		if n, ok, err := intValue(p[key]); err != nil {
			return src, fmt.Errorf("%s: %w", key, err)
		} else if ok {
			*dst = n
		}
	}
	for key, dst := range map[string]*bool{"BisectBatchOnFunctionError": &src.BisectBatchOnFunctionError, "Enabled": &src.Enabled} {
		if v, ok := p[key]; ok {
			b, err := boolValue(v)
			if err != nil {
				return src, fmt.Errorf("%s: %w", key, err)
			}
			*dst = b
		}
	}
	for _, rt := range asSlice(p["FunctionResponseTypes"]) {
		if rt == "ReportBatchItemFailures" {
			src.ReportBatchItemFailures = true
		}
	}
	for i, raw := range asSlice(asMap(p["FilterCriteria"])["Filters"]) {
		pattern, ok := asMap(raw)["Pattern"].(string)
		if !ok || pattern == "" {
			return src, fmt.Errorf("FilterCriteria.Filters[%d].Pattern: want a JSON string", i)
		}
		src.FilterPatterns = append(src.FilterPatterns, pattern)
	}
	return src, nil
}

// Schedule is a "Schedule" or "ScheduleV2" event of a function.
type Schedule struct {
	FunctionLogicalID string
	EventName         string
	Expression        string        // rate(...) or cron(...)
	Rate              time.Duration // how often a rate(...) expression fires; 0 for cron(...)
	Enabled           bool
}

// Schedules returns the scheduled events sorted by function and event name.
func (t *Template) Schedules() ([]Schedule, error) {
	fns, err := t.Functions()
	if err != nil {
		return nil, err
	}
	var out []Schedule
	for _, fid := range sortedKeys(fns) {
		events := fns[fid].Events
		for _, name := range sortedKeys(events) {
			ev := events[name]
			var exprKey string
			switch ev.Type {
			case "Schedule":
				exprKey = "Schedule"
			case "ScheduleV2":
				exprKey = "ScheduleExpression"
			default:
				continue
			}
			s := Schedule{FunctionLogicalID: fid, EventName: name, Enabled: true}
			s.Expression, _ = ev.Properties[exprKey].(string)
			switch {
			case strings.HasPrefix(s.Expression, "rate("):
				if s.Rate, err = scheduleRate(s.Expression); err != nil {
					return nil, fmt.Errorf("samtemplate: function %s event %s: %s: %w", fid, name, exprKey, err)
				}
			case !strings.HasPrefix(s.Expression, "cron("):
				return nil, fmt.Errorf("samtemplate: function %s event %s: %s: want rate(...) or cron(...)", fid, name, exprKey)
			}
			if v, ok := ev.Properties["Enabled"]; ok {
				if s.Enabled, err = boolValue(v); err != nil {
					return nil, fmt.Errorf("samtemplate: function %s event %s: Enabled: %w", fid, name, err)
				}
			}
			if state, _ := ev.Properties["State"].(string); state == "DISABLED" {
				s.Enabled = false
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// getAtt reads a long-form Fn::GetAtt [id, attribute].
func getAtt(v any) (id, attr string, ok bool) {
	m := asMap(v)
	ga := asSlice(m["Fn::GetAtt"])
	if len(m) != 1 || len(ga) != 2 {
		return "", "", false
	}
	id, okID := ga[0].(string)
	attr, okAttr := ga[1].(string)
	return id, attr, okID && okAttr && id != "" && attr != ""
}

// scheduleRate reads an EventBridge rate expression: rate(1 minute), rate(5 minutes), hours or days.
func scheduleRate(expr string) (time.Duration, error) {
	inner, _ := strings.CutPrefix(strings.TrimSpace(expr), "rate(")
	inner, closed := strings.CutSuffix(inner, ")")
	fields := strings.Fields(inner)
	if !closed || len(fields) != 2 {
		return 0, fmt.Errorf("%q: want rate(N unit)", expr)
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q: the rate is not a positive whole number", expr)
	}
	unit := map[string]time.Duration{"minute": time.Minute, "minutes": time.Minute, "hour": time.Hour, "hours": time.Hour,
		"day": 24 * time.Hour, "days": 24 * time.Hour}[fields[1]]
	// EventBridge wants the singular for 1 and the plural otherwise.
	if unit == 0 || (n == 1) != !strings.HasSuffix(fields[1], "s") {
		return 0, fmt.Errorf("%q: unit %q", expr, fields[1])
	}
	return time.Duration(n) * unit, nil
}
