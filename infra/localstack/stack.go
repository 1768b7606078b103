package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tanggap/tanggap/infra/localstack/dynamoiam"
	"github.com/tanggap/tanggap/infra/localstack/eventsource"
	"github.com/tanggap/tanggap/infra/localstack/gateway"
	"github.com/tanggap/tanggap/infra/localstack/provision"
	"github.com/tanggap/tanggap/infra/localstack/seed"
	"github.com/tanggap/tanggap/infra/runtimeapi"
	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// options configure one local stack; main fills them from flags, the end-to-end test directly.
type options struct {
	Root         string // repository root (go.mod)
	TemplatePath string
	Endpoints    provision.Endpoints
	Region       string
	// Prefix is put in front of every table/queue/topic name (tests); "" for `make run`.
	Prefix string
	Listen string
	// BuildDir receives <function-dir>/bootstrap builds for the host.
	BuildDir         string
	ScheduleInterval time.Duration
	// SQSWaitSeconds is the event source mappings' long-poll wait (Lambda uses 20).
	SQSWaitSeconds int32
	SeedDir        string // "" or missing: no seeding
	// Functions limits which functions run (logical ids); empty runs every function that has a folder.
	Functions []string
	// MaxInstances caps the execution environments (bootstrap processes) of a function without
	// ReservedConcurrentExecutions (default runtimeapi.DefaultMaxConcurrency). A request that finds them all busy
	// waits for one: deployed, Lambda would scale further. A function with reserved concurrency runs that many
	// and throttles beyond it, as Lambda does.
	MaxInstances int
	// NoIAM lets functions reach DynamoDB without their template policy being enforced (dynamoiam).
	NoIAM bool
	// SystemLogLevel overrides the template's LoggingConfig SystemLogLevel ("INFO" shows each invocation's
	// platform.start and platform.report lines, which the template's WARN leaves out as Lambda does).
	SystemLogLevel string
	// Params override template parameters.
	Params map[string]string
	Log    io.Writer
}

type stack struct {
	opts      options
	tpl       *samtemplate.Template
	clients   provision.Clients
	resources *provision.Resources
	functions map[string]*runtimeapi.Function
	skipped   map[string]string            // logical id → why it is not running
	envs      map[string]map[string]string // logical id → the environment it runs with
	seedData  seed.Data
	gateway   *gateway.Gateway
	listener  net.Listener
	server    *http.Server
	logMu     sync.Mutex
	// iam holds each function's DynamoDB proxy, which enforces the function's template policy.
	iam        map[string]*dynamoiam.Proxy
	iamServers []*http.Server

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

const stackName = "tanggap-local"

func startStack(ctx context.Context, o options) (_ *stack, err error) {
	if o.Log == nil {
		o.Log = os.Stderr
	}
	if o.Region == "" {
		o.Region = "ap-southeast-3"
	}
	s := &stack{opts: o, functions: map[string]*runtimeapi.Function{}, skipped: map[string]string{},
		envs: map[string]map[string]string{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	if s.tpl, err = samtemplate.Load(o.TemplatePath); err != nil {
		return nil, err
	}
	s.clients = provision.NewClients(o.Endpoints, o.Region)
	pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	s.resources, err = provision.Ensure(pctx, s.tpl, s.clients, provision.Options{Prefix: o.Prefix, Region: o.Region, Logf: s.logf})
	cancel()
	if err != nil {
		return nil, fmt.Errorf("%w\n(are DynamoDB Local on %s and fauxqs on %s up? `make services-up` starts them)", err, o.Endpoints.DynamoDB, o.Endpoints.SQS)
	}
	names := s.resources.Names(s.tpl, stackName)
	for k, v := range o.Params {
		names.Refs[k] = v
	}

	if o.SeedDir != "" {
		if _, statErr := os.Stat(o.SeedDir); statErr == nil {
			if s.seedData, err = seed.Load(o.SeedDir, time.Now()); err != nil {
				return nil, err
			}
		}
	}

	if err := s.startFunctions(ctx, names); err != nil {
		return nil, err
	}

	routes, err := s.tpl.APIRoutes()
	if err != nil {
		return nil, err
	}
	apis, err := gateway.APIsFromTemplate(s.tpl, names)
	if err != nil {
		return nil, err
	}
	s.gateway, err = gateway.New(gateway.Config{
		Routes: routes, Invoker: stackInvoker{s}, APIs: apis, Region: o.Region,
		CustomerEmail: s.seedData.Email, CustomerName: s.seedData.Name, Logf: s.logf,
	})
	if err != nil {
		return nil, err
	}
	if s.listener, err = net.Listen("tcp", o.Listen); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", o.Listen, err)
	}
	s.server = &http.Server{Handler: s.gateway, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.server.Serve(s.listener) }()

	if err := s.seed(ctx); err != nil {
		return nil, err
	}

	runCtx, cancelRun := context.WithCancel(context.Background())
	s.cancel = cancelRun
	if err := s.startEventSources(runCtx); err != nil {
		return nil, err
	}
	if err := s.startInspection(runCtx); err != nil {
		return nil, err
	}
	return s, nil
}

// URL is the local API's base URL.
func (s *stack) URL() string { return "http://" + s.listener.Addr().String() }

// Close stops the event sources, the HTTP server and every bootstrap. The services stay up.
func (s *stack) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	if s.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.server.Shutdown(ctx)
		cancel()
	}
	var wg sync.WaitGroup
	for _, f := range s.functions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = f.Stop()
		}()
	}
	wg.Wait()
	s.wg.Wait()
	for _, srv := range s.iamServers {
		_ = srv.Close()
	}
}

// iamDenials lists every DynamoDB request a function's template policy refused, by function.
func (s *stack) iamDenials() map[string][]string {
	out := map[string][]string{}
	for id, p := range s.iam {
		if d := p.Denied(); len(d) > 0 {
			out[id] = d
		}
	}
	return out
}

// iamProxy starts the proxy through which function id reaches DynamoDB under its template policy, and
// returns its URL.
func (s *stack) iamProxy(id string, names samtemplate.Names) (string, error) {
	pol, err := dynamoiam.FromTemplate(s.tpl, id, names)
	if err != nil {
		return "", err
	}
	arns := map[string]string{}
	for tid := range s.resources.Tables {
		arns[tid] = s.resources.TableARN(tid)
	}
	tables, err := dynamoiam.TablesFromTemplate(s.tpl, s.resources.Tables, arns)
	if err != nil {
		return "", err
	}
	target, err := url.Parse(s.opts.Endpoints.DynamoDB)
	if err != nil {
		return "", err
	}
	p := &dynamoiam.Proxy{Function: id, Policy: pol, Tables: tables, Target: target, Logf: s.logf}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	if s.iam == nil {
		s.iam = map[string]*dynamoiam.Proxy{}
	}
	s.iam[id] = p
	s.iamServers = append(s.iamServers, srv)
	return "http://" + ln.Addr().String(), nil
}

// stackInvoker runs the gateway's requests on the stack's functions. A request that finds every instance
// busy waits for one before the integration timeout starts (gateway.QueueingInvoker).
type stackInvoker struct{ s *stack }

var _ gateway.QueueingInvoker = stackInvoker{}

func (i stackInvoker) Invoke(ctx context.Context, id string, payload []byte) ([]byte, error) {
	return i.InvokeWithin(ctx, id, payload, 0)
}

func (i stackInvoker) InvokeWithin(ctx context.Context, id string, payload []byte, timeout time.Duration) ([]byte, error) {
	f, err := i.s.function(id)
	if err != nil {
		return nil, err
	}
	return f.InvokeWithin(ctx, payload, timeout)
}

func (s *stack) function(id string) (*runtimeapi.Function, error) {
	f, ok := s.functions[id]
	if !ok {
		reason := s.skipped[id]
		if reason == "" {
			reason = "not in the template"
		}
		return nil, fmt.Errorf("%w: %s (%s)", gateway.ErrFunctionUnavailable, id, reason)
	}
	return f, nil
}

func (s *stack) startFunctions(ctx context.Context, names samtemplate.Names) error {
	fns, err := s.tpl.Functions()
	if err != nil {
		return err
	}
	only := map[string]bool{}
	for _, id := range s.opts.Functions {
		only[id] = true
	}
	ids := make([]string, 0, len(fns))
	for id := range fns {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fn := fns[id]
		if len(only) > 0 && !only[id] {
			s.skipped[id] = "not selected"
			continue
		}
		if !hasGoFiles(filepath.Join(s.opts.Root, fn.Dir)) {
			s.skip(id, "no %s folder yet", fn.Dir)
			continue
		}
		env, err := s.environment(fn, names)
		if err != nil {
			s.skip(id, "environment: %v", err)
			continue
		}
		if !s.opts.NoIAM {
			endpoint, err := s.iamProxy(id, names)
			if err != nil {
				s.skip(id, "IAM policy: %v", err)
				continue
			}
			env["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint
		}
		out := filepath.Join(s.opts.BuildDir, filepath.Base(fn.Dir), "bootstrap")
		started := time.Now()
		if err := runtimeapi.Build(ctx, runtimeapi.BuildOptions{Dir: s.opts.Root, Package: "./" + fn.Dir, Output: out}); err != nil {
			s.skip(id, "build failed: %v", err)
			continue
		}
		built := time.Since(started)
		instances, throttle := s.opts.MaxInstances, false
		if instances <= 0 {
			instances = runtimeapi.DefaultMaxConcurrency
		}
		if fn.HasReservedConcurrency {
			if fn.ReservedConcurrency == 0 {
				s.skip(id, "ReservedConcurrentExecutions is 0: every invocation would be throttled")
				continue
			}
			instances, throttle = fn.ReservedConcurrency, true
		}
		// Each execution environment writes under its own prefix, as Lambda gives each its own log stream.
		output := func(n int) io.Writer {
			return &prefixWriter{prefix: fmt.Sprintf("[%s#%d] ", id, n), out: s.opts.Log, mu: &s.logMu}
		}
		s.envs[id] = env
		f, err := runtimeapi.StartFunction(ctx, runtimeapi.FunctionConfig{
			Name: s.opts.Prefix + id, Bootstrap: out, Env: env, MemoryMB: fn.MemorySize, Handler: fn.Handler,
			Region: s.opts.Region, Timeout: time.Duration(fn.Timeout) * time.Second,
			MaxConcurrency: instances, Throttle: throttle, Output: output,
			PlatformLines: platformLines(loggingConfig(s.tpl, id), s.opts.SystemLogLevel),
		})
		if err != nil {
			s.skip(id, "start failed: %v", err)
			continue
		}
		s.functions[id] = f
		wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		initDur, err := f.WaitReady(wctx)
		cancel()
		if err != nil {
			// Kept: the next invocation starts a fresh process and shows the error to the caller.
			s.logf("%s: init failed: %v", id, err)
			continue
		}
		limit := fmt.Sprintf("up to %d instances, then requests wait", instances)
		if throttle {
			limit = fmt.Sprintf("reserved concurrency %d, then throttled", instances)
		}
		s.logf("%s: built in %s, init %s (%s)", id, built.Round(time.Millisecond), initDur.Round(time.Millisecond), limit)
	}
	return nil
}

func (s *stack) skip(id, format string, args ...any) {
	s.skipped[id] = fmt.Sprintf(format, args...)
	s.logf("%s: skipped: %s", id, s.skipped[id])
}

// environment is the function's template environment resolved to local names, plus what the SDK needs to
// reach the local services (standard AWS_ENDPOINT_URL_* variables) with dummy credentials.
func (s *stack) environment(fn samtemplate.Function, names samtemplate.Names) (map[string]string, error) {
	env := loggingEnv(loggingConfig(s.tpl, fn.LogicalID))
	for k, v := range fn.Environment {
		resolved, err := s.tpl.Resolve(v, names)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		env[k] = resolved
	}
	// After the template's: it declares the endpoint variables empty (for sam local --env-vars).
	local := map[string]string{
		"AWS_ENDPOINT_URL_DYNAMODB": s.opts.Endpoints.DynamoDB,
		"AWS_ENDPOINT_URL_SQS":      s.opts.Endpoints.SQS,
		"AWS_ENDPOINT_URL_SNS":      s.opts.Endpoints.SNS,
		"AWS_ACCESS_KEY_ID":         "local",
		"AWS_SECRET_ACCESS_KEY":     "local",
	}
	for k, v := range local {
		env[k] = v
	}
	return env, nil
}

// loggingConfig is the function's LoggingConfig merged into the Globals one, key by key, as SAM does.
func loggingConfig(tpl *samtemplate.Template, id string) map[string]any {
	cfg := map[string]any{}
	if g, ok := tpl.Document()["Globals"].(map[string]any); ok {
		if f, ok := g["Function"].(map[string]any); ok {
			if lc, ok := f["LoggingConfig"].(map[string]any); ok {
				for k, v := range lc {
					cfg[k] = v
				}
			}
		}
	}
	for _, r := range tpl.Resources("AWS::Serverless::Function") {
		if r.LogicalID == id {
			if lc, ok := r.Properties["LoggingConfig"].(map[string]any); ok {
				for k, v := range lc {
					cfg[k] = v
				}
			}
		}
	}
	return cfg
}

// loggingEnv is what Lambda sets from LoggingConfig (JSON format and the application log level).
func loggingEnv(cfg map[string]any) map[string]string {
	env := map[string]string{}
	if f, _ := cfg["LogFormat"].(string); f == "JSON" {
		env["AWS_LAMBDA_LOG_FORMAT"] = "JSON"
		if lvl, _ := cfg["ApplicationLogLevel"].(string); lvl != "" {
			env["AWS_LAMBDA_LOG_LEVEL"] = lvl
		}
	}
	return env
}

// platformLines reports whether Lambda writes its per-invocation platform lines (START/REPORT, or
// platform.start/platform.report in JSON) to the log stream: always in text format; in JSON format only at
// SystemLogLevel INFO (the default) or DEBUG. override, when set, replaces the template's SystemLogLevel.
func platformLines(cfg map[string]any, override string) bool {
	if f, _ := cfg["LogFormat"].(string); f != "JSON" {
		return true
	}
	level, _ := cfg["SystemLogLevel"].(string)
	if override != "" {
		level = override
	}
	switch strings.ToUpper(level) {
	case "", "INFO", "DEBUG":
		return true
	}
	return false
}

func (s *stack) seed(ctx context.Context) error {
	if len(s.seedData.Requests) == 0 {
		return nil
	}
	data := s.seedData
	data.Requests = nil
	skipped := 0
	for _, r := range s.seedData.Requests {
		rt, ok := s.gateway.Lookup(r.Method, r.Path)
		if !ok {
			return fmt.Errorf("seed %s: %s %s matches no route in the template", r.File, r.Method, r.Path)
		}
		if _, running := s.functions[rt.FunctionLogicalID]; !running {
			skipped++
			continue
		}
		data.Requests = append(data.Requests, r)
	}
	if skipped > 0 {
		s.logf("seed: %d request(s) skipped: their function is not running", skipped)
	}
	if _, err := seed.Apply(ctx, s.gateway, data, s.logf); err != nil {
		return err
	}
	if err := s.seedWorkspace(ctx); err != nil {
		return err
	}
	if _, running := s.functions["ComplaintsFunction"]; !running {
		return nil
	}
	// After the work queues: their demo is filed only while the queues are empty.
	return seed.SLA(ctx, s.gateway, s.logf)
}

func (s *stack) seedWorkspace(ctx context.Context) error {
	for _, id := range []string{"WorkspaceFunction", "ComplaintsFunction", "ReturnsFunction"} {
		if _, running := s.functions[id]; !running {
			return nil // the demo queues need all three
		}
	}
	return seed.Workspace(ctx, s.gateway, s.seedData, s.fileLate, s.logf)
}

// fileLate files a demo complaint through the ticket service and store with the clock set hoursAgo back:
// the same items, queue keys, counters and escalation outbox item the complaints function writes, for a
// ticket that is already late (no route backdates one). It reads the complaints function's own settings
// (triage rules, SLA targets and clocks) and the business calendar in force, so its due times are the ones
// the function would have set.
func (s *stack) fileLate(ctx context.Context, c seed.Customer, category, subject, description string, hoursAgo int) error {
	table := s.resources.Tables["SupportTable"]
	filedAt := time.Now().Add(-time.Duration(hoursAgo) * time.Hour)
	clock := func() time.Time { return filedAt }
	env := config.FromMap(s.envs["ComplaintsFunction"])
	rules, err := ticket.LoadRules(env, config.LoadCore(env).DefaultCurrency)
	sla := ticket.LoadSLA(env.Int, env.Optional)
	policy := ticket.LoadSLAPolicy(env.Int)
	if err := errors.Join(err, env.Err(), sla.Validate(), policy.Validate()); err != nil {
		return fmt.Errorf("complaints function settings: %w", err)
	}
	svc := ticket.NewService(dynamostore.NewTickets(s.clients.DynamoDB, table), dynamostore.NewOrders(s.clients.DynamoDB, table),
		rules, sla, clock)
	svc.Calendars = calendar.NewCached(dynamostore.NewCalendars(s.clients.DynamoDB, table, clock, nil), 0, time.Now)
	svc.Policy = policy
	_, err = svc.Create(ctx, c.ID, ticket.NewComplaint{Channel: ticket.ChannelWeb, Category: ticket.Category(category),
		Subject: subject, Description: description, CustomerName: c.Name, CustomerEmail: c.Email})
	return err
}

func (s *stack) startEventSources(ctx context.Context) error {
	sources, err := s.tpl.SQSEventSources()
	if err != nil {
		return err
	}
	for _, src := range sources {
		f, running := s.functions[src.FunctionLogicalID]
		q, provisioned := s.resources.Queues[src.QueueLogicalID]
		switch {
		case !src.Enabled:
			s.logf("%s.%s: SQS event source disabled in the template", src.FunctionLogicalID, src.EventName)
			continue
		case !running:
			continue
		case !provisioned:
			s.logf("%s.%s: queue %s is not provisioned; event source skipped", src.FunctionLogicalID, src.EventName, src.QueueLogicalID)
			continue
		}
		// Lambda's SQS event source starts with five concurrent pollers, each invoking with its own batch.
		p := &eventsource.SQSPoller{
			Client: s.clients.SQS, QueueURL: q.URL, QueueARN: q.ARN, Region: s.opts.Region,
			BatchSize: src.BatchSize, WaitTimeSeconds: s.opts.SQSWaitSeconds, ReportBatchItemFailures: src.ReportBatchItemFailures,
			Pollers: min(5, f.MaxConcurrency()), Invoke: f.Invoke, Logf: s.logf,
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = p.Run(ctx)
		}()
		s.logf("%s: polling %s (batch %d, %d pollers)", src.FunctionLogicalID, q.Name, src.BatchSize, p.Pollers)
	}

	if err := s.startStreamSources(ctx); err != nil {
		return err
	}

	schedules, err := s.tpl.Schedules()
	if err != nil {
		return err
	}
	for _, sc := range schedules {
		f, running := s.functions[sc.FunctionLogicalID]
		if !running || !sc.Enabled {
			continue
		}
		input := ""
		for _, r := range s.tpl.Resources("AWS::Serverless::Function") {
			if r.LogicalID != sc.FunctionLogicalID {
				continue
			}
			events, _ := r.Properties["Events"].(map[string]any)
			ev, _ := events[sc.EventName].(map[string]any)
			props, _ := ev["Properties"].(map[string]any)
			input, _ = props["Input"].(string)
		}
		// The template's rate, as EventBridge fires it; a test may ask for another interval.
		interval := s.opts.ScheduleInterval
		if interval <= 0 {
			interval = sc.Rate
		}
		if interval <= 0 {
			s.logf("%s: %s is not run locally: only rate(...) schedules are (template: %s)", sc.FunctionLogicalID, sc.EventName, sc.Expression)
			continue
		}
		job := &eventsource.Schedule{
			RuleName: stackName + "-" + sc.FunctionLogicalID + sc.EventName, Region: s.opts.Region, AccountID: provision.AccountID,
			Interval: interval, Input: input, Invoke: f.Invoke, Logf: s.logf,
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = job.Run(ctx)
		}()
		s.logf("%s: %s runs every %s locally (template: %s)", sc.FunctionLogicalID, sc.EventName, interval, sc.Expression)
	}
	return nil
}

// startStreamSources runs the template's DynamoDB stream event sources against DynamoDB Local's streams,
// with the template's filters, batch size, partial batch responses and retry limit. Each poller is positioned
// before this returns, so writes made once the stack is up are seen.
func (s *stack) startStreamSources(ctx context.Context) error {
	sources, err := s.tpl.DynamoDBEventSources()
	if err != nil {
		return err
	}
	for _, src := range sources {
		f, running := s.functions[src.FunctionLogicalID]
		arn, streaming := s.resources.Streams[src.TableLogicalID]
		switch {
		case !src.Enabled:
			s.logf("%s.%s: DynamoDB event source disabled in the template", src.FunctionLogicalID, src.EventName)
			continue
		case !running:
			continue
		case !streaming:
			s.logf("%s.%s: table %s has no stream; event source skipped", src.FunctionLogicalID, src.EventName, src.TableLogicalID)
			continue
		}
		var filters []*eventsource.Filter
		for _, pattern := range src.FilterPatterns {
			flt, err := eventsource.CompileFilter(pattern)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", src.FunctionLogicalID, src.EventName, err)
			}
			filters = append(filters, flt)
		}
		p := &eventsource.DynamoDBStreamPoller{
			Client: s.clients.Streams, StreamARN: arn, Region: s.opts.Region, StartingPosition: src.StartingPosition,
			BatchSize: src.BatchSize, ReportBatchItemFailures: src.ReportBatchItemFailures,
			MaximumRetryAttempts: src.MaximumRetryAttempts, Filters: filters, Invoke: f.Invoke, Logf: s.logf,
		}
		octx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := p.Open(octx)
		cancel()
		if err != nil {
			return fmt.Errorf("%s.%s: %w", src.FunctionLogicalID, src.EventName, err)
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = p.Run(ctx)
		}()
		s.logf("%s: reading the %s stream (%s, batch %d, %d filter(s))", src.FunctionLogicalID, src.TableLogicalID, src.StartingPosition, src.BatchSize, len(filters))
	}
	return nil
}

func (s *stack) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opts.Log, "localstack: "+format+"\n", args...)
}

func hasGoFiles(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(m) > 0
}

// prefixWriter writes each complete line of a function's output with its name in front.
type prefixWriter struct {
	prefix string
	out    io.Writer
	mu     *sync.Mutex
	buf    bytes.Buffer
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf.Write(b)
	for {
		line, err := p.buf.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			p.buf.Write(line) // incomplete: keep for the next write
			return len(b), nil
		}
		fmt.Fprintf(p.out, "%s%s", p.prefix, line)
	}
}

// banner is what `make run` prints once everything is up.
func (s *stack) banner() string {
	var b strings.Builder
	url := s.URL()
	fmt.Fprintf(&b, "\nTanggap local API ready: %s\n", url)
	var running []string
	for id := range s.functions {
		running = append(running, id)
	}
	sort.Strings(running)
	fmt.Fprintf(&b, "  functions: %s\n", strings.Join(running, ", "))
	var skipped []string
	for id, why := range s.skipped {
		skipped = append(skipped, id+" ("+why+")")
	}
	sort.Strings(skipped)
	if len(skipped) > 0 {
		fmt.Fprintf(&b, "  not running: %s\n", strings.Join(skipped, "; "))
	}
	fmt.Fprintf(&b, "\nDev identities (Authorization header; the local API turns them into what API Gateway would pass):\n")
	if len(s.seedData.Customers) == 0 {
		fmt.Fprintf(&b, "  customer  Bearer dev-customer:<customerId>\n")
	}
	for _, c := range s.seedData.Customers {
		fmt.Fprintf(&b, "  customer  Bearer dev-customer:%-12s %s <%s>\n", c.ID, c.Name, c.Email)
	}
	fmt.Fprintf(&b, "  ops       Bearer dev-ops:<name>          IAM user arn:aws:iam::%s:user/<name>\n", provision.AccountID)
	examples := []struct{ method, path, curl string }{
		{"GET", "/orders", "curl -s %s/orders -H 'Authorization: Bearer dev-customer:cust-budi'"},
		{"GET", "/orders/TGP-10001", "curl -s %s/orders/TGP-10001 -H 'Authorization: Bearer dev-customer:cust-budi'"},
		{"POST", "/orders/lookup", `curl -s -X POST %s/orders/lookup -H 'Content-Type: application/json' -d '{"orderId":"TGP-10004","email":"siti.rahayu@example.co.id"}'`},
		{"GET", "/ops/orders/TGP-10002", "curl -s %s/ops/orders/TGP-10002 -H 'Authorization: Bearer dev-ops:alice'"},
	}
	var lines []string
	for _, e := range examples {
		if rt, ok := s.gateway.Lookup(e.method, e.path); ok {
			if _, running := s.functions[rt.FunctionLogicalID]; running {
				lines = append(lines, "  "+fmt.Sprintf(e.curl, url))
			}
		}
	}
	if len(lines) > 0 {
		fmt.Fprintf(&b, "\nTry:\n%s\n", strings.Join(lines, "\n"))
	}
	fmt.Fprintf(&b, "\nCtrl-C stops the API, the functions, and the DynamoDB Local and fauxqs that `make run` started.\n")
	return b.String()
}
