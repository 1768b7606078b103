package runtimeapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ErrRuntimeExited wraps the error Invoke returns when the bootstrap process exits while an invocation is
// waiting; it carries the exit status and the tail of stderr.
var ErrRuntimeExited = errors.New("runtimeapi: runtime exited")

// ErrThrottled is what Invoke returns when every execution environment is busy and the function throttles
// rather than waits (FunctionConfig.Throttle), as Lambda answers TooManyRequestsException (429) once a
// function's reserved concurrency is in use.
var ErrThrottled = errors.New("runtimeapi: TooManyRequestsException: Rate Exceeded (ReservedFunctionConcurrentInvocationLimitExceeded)")

// DefaultMaxConcurrency is how many execution environments a function runs at most unless configured.
const DefaultMaxConcurrency = 10

// FunctionConfig describes a bootstrap binary to run as a local Lambda function.
type FunctionConfig struct {
	// Name is AWS_LAMBDA_FUNCTION_NAME (and the ARN's function name).
	Name string
	// Bootstrap is the path of the executable (a provided.al2023 `bootstrap`). Its directory is LAMBDA_TASK_ROOT.
	Bootstrap string
	// Env is added to the standard Lambda environment (and wins over it). The host environment is NOT
	// inherited, so host credentials or profiles never leak into a local function.
	Env map[string]string
	// MemoryMB is AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 128); Handler is _HANDLER (default "bootstrap").
	MemoryMB int
	Handler  string
	// Region (default ap-southeast-3), AccountID (default 000000000000) and Timeout (default 3s) as in Config.
	Region    string
	AccountID string
	Timeout   time.Duration
	// MaxConcurrency is the most execution environments (bootstrap processes) running at once, each serving
	// one invocation at a time (default DefaultMaxConcurrency). They start on demand and are reused when idle.
	MaxConcurrency int
	// Throttle makes an Invoke that finds all MaxConcurrency environments busy fail at once with ErrThrottled,
	// as Lambda does at reserved concurrency. Without it the Invoke waits for an environment to become free.
	Throttle bool
	// Stdout and Stderr receive the function's output (default: discarded). The last 4 KiB of stderr are also
	// kept for error messages.
	Stdout io.Writer
	Stderr io.Writer
	// Output, when set, gives each execution environment one writer for its stdout, stderr and platform lines
	// (START/REPORT), like the log stream Lambda gives each environment; n numbers environments from 1.
	// It replaces Stdout and Stderr.
	Output func(n int) io.Writer
	// PlatformLines writes Lambda's START/END/REPORT lines around each invocation to the environment's output
	// (platform.start and platform.report records when Env sets AWS_LAMBDA_LOG_FORMAT=JSON).
	PlatformLines bool
}

// ColdStart is the measured start-up of one execution environment.
type ColdStart struct {
	// Init is from exec until the runtime first calls GET /next.
	Init time.Duration
	// InitAndFirstInvoke is from exec until the first invocation's answer (response or error) arrived.
	InitAndFirstInvoke time.Duration
}

// Stats counts what a Function did with its execution environments.
type Stats struct {
	Started  int // environments started (cold starts)
	PeakBusy int // most invocations running at the same moment
}

// Function runs a bootstrap as Lambda runs a function: each execution environment is its own process under
// its own Server and serves one invocation at a time. An invocation takes an idle environment (the most
// recently used), or starts a new one while fewer than MaxConcurrency exist; beyond that it waits or is
// throttled. A crashed or timed-out environment fails its invocation and is replaced by the next start, as
// Lambda replaces a broken environment.
type Function struct {
	cfg    FunctionConfig
	slots  chan struct{} // one token per running invocation
	closed chan struct{}

	mu      sync.Mutex
	idle    []*environment        // free and alive, most recently used last
	all     map[*environment]bool // every environment not yet retired
	latest  *environment
	stopped bool
	stats   Stats
	busy    int
}

type environment struct {
	server  *Server
	cmd     *exec.Cmd
	started time.Time
	exited  chan struct{} // closed after cmd.Wait returned
	stderr  *tailBuffer

	firstAnswer        sync.Once
	initAndFirstInvoke time.Duration // guarded by Function.mu
}

// StartFunction starts one execution environment right away (so init errors surface early).
func StartFunction(ctx context.Context, cfg FunctionConfig) (*Function, error) {
	f, err := NewFunction(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := f.warm(ctx); err != nil {
		_ = f.Stop()
		return nil, err
	}
	return f, nil
}

// NewFunction prepares a function without starting it; the first Invoke starts a process (a true cold start).
func NewFunction(cfg FunctionConfig) (*Function, error) {
	if cfg.Name == "" {
		return nil, errors.New("runtimeapi: function name is required")
	}
	abs, err := filepath.Abs(cfg.Bootstrap)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(abs); err != nil || st.IsDir() {
		return nil, fmt.Errorf("runtimeapi: bootstrap %q is not an executable file", cfg.Bootstrap)
	}
	cfg.Bootstrap = abs
	if cfg.MemoryMB <= 0 {
		cfg.MemoryMB = 128
	}
	if cfg.Handler == "" {
		cfg.Handler = "bootstrap"
	}
	if cfg.Region == "" {
		cfg.Region = "ap-southeast-3"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.MaxConcurrency <= 0 {
		cfg.MaxConcurrency = DefaultMaxConcurrency
	}
	return &Function{cfg: cfg, slots: make(chan struct{}, cfg.MaxConcurrency), closed: make(chan struct{}),
		all: map[*environment]bool{}}, nil
}

// Name is the function name.
func (f *Function) Name() string { return f.cfg.Name }

// MaxConcurrency is the most environments the function runs at once.
func (f *Function) MaxConcurrency() int { return f.cfg.MaxConcurrency }

// Invoke runs one invocation; see Server.Invoke for the error kinds, and ErrThrottled. If the caller leaves
// (ctx done), Invoke returns at once but the invocation runs on to its end, and only then is its environment
// free again, as in Lambda.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f.InvokeWithin(ctx, payload, 0)
}

// InvokeWithin is Invoke where ctx bounds only the wait for a free environment; once the invocation has one,
// it gets timeout (0: no limit beyond ctx) to answer.
func (f *Function) InvokeWithin(ctx context.Context, payload []byte, timeout time.Duration) ([]byte, error) {
	body, err := f.invokeOnce(ctx, payload, timeout)
	if errors.Is(err, errUndelivered) && !errors.Is(err, ErrClosed) && ctx.Err() == nil {
		// The runtime died before it saw this invocation (e.g. it was exiting after a panic): a new one gets it.
		body, err = f.invokeOnce(ctx, payload, timeout)
	}
	return body, err
}

func (f *Function) invokeOnce(ctx context.Context, payload []byte, timeout time.Duration) ([]byte, error) {
	if err := f.acquire(ctx); err != nil {
		return nil, err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	env, err := f.take()
	if err != nil {
		<-f.slots
		return nil, err
	}
	done := make(chan result, 1)
	go func() {
		body, err := env.server.Invoke(context.WithoutCancel(ctx), payload)
		var ferr *FunctionError
		if err == nil || errors.As(err, &ferr) && !ferr.Init {
			env.firstAnswer.Do(func() {
				f.mu.Lock()
				env.initAndFirstInvoke = time.Since(env.started)
				f.mu.Unlock()
			})
		}
		f.release(env)
		done <- result{body: body, err: err}
	}()
	select {
	case r := <-done:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// acquire takes a concurrency slot: at once, after waiting for one, or not at all (ErrThrottled).
func (f *Function) acquire(ctx context.Context) error {
	select {
	case <-f.closed:
		return ErrClosed
	default:
	}
	if f.cfg.Throttle {
		select {
		case f.slots <- struct{}{}:
			return nil
		default:
			return ErrThrottled
		}
	}
	select {
	case f.slots <- struct{}{}:
		return nil
	case <-f.closed:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// take returns an idle live environment, or starts one. The caller holds a slot, so with no idle
// environment fewer than MaxConcurrency exist.
func (f *Function) take() (*environment, error) {
	f.mu.Lock()
	for len(f.idle) > 0 {
		env := f.idle[len(f.idle)-1]
		f.idle = f.idle[:len(f.idle)-1]
		if env.alive() {
			f.markBusy()
			f.mu.Unlock()
			return env, nil
		}
		f.retire(env)
	}
	f.mu.Unlock()
	env, err := f.start()
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		go env.stop()
		return nil, ErrClosed
	}
	f.markBusy()
	return env, nil
}

func (f *Function) markBusy() {
	f.busy++
	f.stats.PeakBusy = max(f.stats.PeakBusy, f.busy)
}

// release returns env to the idle list (or retires it if it died) and frees the caller's slot.
func (f *Function) release(env *environment) {
	f.mu.Lock()
	f.busy--
	if !f.stopped && env.alive() {
		f.idle = append(f.idle, env)
	} else {
		f.retire(env)
	}
	f.mu.Unlock()
	<-f.slots
}

// retire forgets env and stops it in the background. Called with f.mu held.
func (f *Function) retire(env *environment) {
	delete(f.all, env)
	go env.stop()
}

func (e *environment) alive() bool {
	select {
	case <-e.exited:
		return false
	case <-e.server.Aborted(): // e.g. init error with the process still alive
		return false
	default:
		return true
	}
}

// warm returns the latest live environment, starting an idle one if there is none.
func (f *Function) warm(ctx context.Context) (*environment, error) {
	f.mu.Lock()
	if f.stopped {
		f.mu.Unlock()
		return nil, ErrClosed
	}
	if env := f.latest; env != nil && env.alive() {
		f.mu.Unlock()
		return env, nil
	}
	for env := range f.all {
		if env.alive() {
			f.mu.Unlock()
			return env, nil
		}
	}
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Holding a slot while starting keeps the environment count within MaxConcurrency.
	if err := f.acquire(ctx); err != nil {
		return nil, err
	}
	defer func() { <-f.slots }()
	env, err := f.start()
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		go env.stop()
		return nil, ErrClosed
	}
	f.idle = append(f.idle, env)
	return env, nil
}

// WaitReady waits until the latest environment (one is started if none is alive) finished its init phase
// and returns the init duration.
func (f *Function) WaitReady(ctx context.Context) (time.Duration, error) {
	env, err := f.warm(ctx)
	if err != nil {
		return 0, err
	}
	select {
	case <-env.server.Ready():
		return env.server.FirstNextAt().Sub(env.started), nil
	case <-env.server.Aborted():
		return 0, env.server.Err()
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// ColdStart reports the start-up of the latest execution environment; fields stay zero until measured.
func (f *Function) ColdStart() ColdStart {
	f.mu.Lock()
	defer f.mu.Unlock()
	env := f.latest
	if env == nil {
		return ColdStart{}
	}
	cs := ColdStart{InitAndFirstInvoke: env.initAndFirstInvoke}
	if at := env.server.FirstNextAt(); !at.IsZero() {
		cs.Init = at.Sub(env.started)
	}
	return cs
}

// Stats reports how many environments were started and the peak of concurrent invocations.
func (f *Function) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stats
}

// Stop kills every process and closes its server. Invokes afterwards fail with ErrClosed.
func (f *Function) Stop() error {
	f.mu.Lock()
	if f.stopped {
		f.mu.Unlock()
		return nil
	}
	f.stopped = true
	close(f.closed)
	envs := f.all
	f.all, f.idle = map[*environment]bool{}, nil
	f.mu.Unlock()
	var wg sync.WaitGroup
	for env := range envs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env.stop()
		}()
	}
	wg.Wait()
	return nil
}

// start launches a new execution environment and registers it.
func (f *Function) start() (*environment, error) {
	f.mu.Lock()
	f.stats.Started++
	n := f.stats.Started
	f.mu.Unlock()
	stdout, stderr := writerOrDiscard(f.cfg.Stdout), writerOrDiscard(f.cfg.Stderr)
	if f.cfg.Output != nil {
		stdout = writerOrDiscard(f.cfg.Output(n))
		stderr = stdout
	}
	var platform io.Writer
	if f.cfg.PlatformLines {
		platform = stdout
	}
	srv, err := New(Config{FunctionName: f.cfg.Name, Region: f.cfg.Region, AccountID: f.cfg.AccountID, Timeout: f.cfg.Timeout,
		PlatformLog: platform, PlatformLogJSON: f.cfg.Env["AWS_LAMBDA_LOG_FORMAT"] == "JSON", MemoryMB: f.cfg.MemoryMB})
	if err != nil {
		return nil, err
	}
	env := &environment{server: srv, exited: make(chan struct{}), stderr: &tailBuffer{max: 4096}}
	cmd := exec.Command(f.cfg.Bootstrap)
	cmd.Dir = filepath.Dir(f.cfg.Bootstrap)
	cmd.Env = f.environ(srv.Addr())
	cmd.Stdout = stdout
	cmd.Stderr = io.MultiWriter(stderr, env.stderr)
	// Own process group, so a Ctrl-C in the terminal reaches the local stack (which stops us) rather than
	// killing functions behind its back.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 2 * time.Second
	env.cmd = cmd
	env.started = time.Now()
	if err := cmd.Start(); err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("runtimeapi: start %s: %w", f.cfg.Bootstrap, err)
	}
	go func() {
		werr := cmd.Wait()
		close(env.exited)
		status := "exit status 0"
		if werr != nil {
			status = werr.Error()
		}
		srv.Abort(fmt.Errorf("%w (%s) for function %s; stderr tail: %s", ErrRuntimeExited, status, f.cfg.Name, env.stderr.String()))
	}()
	go func() {
		// A timed-out or failed-init runtime is killed right away rather than at the next Invoke.
		select {
		case <-srv.Aborted():
			env.stop()
		case <-env.exited:
		}
	}()
	f.mu.Lock()
	f.all[env] = true
	f.latest = env
	f.mu.Unlock()
	return env, nil
}

func (f *Function) environ(addr string) []string {
	vars := map[string]string{
		"AWS_LAMBDA_RUNTIME_API":          addr,
		"AWS_LAMBDA_FUNCTION_NAME":        f.cfg.Name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(f.cfg.MemoryMB),
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + f.cfg.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      time.Now().UTC().Format("2006/01/02") + "/[$LATEST]" + newRequestID()[:8],
		"AWS_REGION":                      f.cfg.Region,
		"AWS_DEFAULT_REGION":              f.cfg.Region,
		"LAMBDA_TASK_ROOT":                filepath.Dir(f.cfg.Bootstrap),
		"LAMBDA_RUNTIME_DIR":              filepath.Dir(f.cfg.Bootstrap),
		"_HANDLER":                        f.cfg.Handler,
		"TZ":                              ":UTC",
		"LANG":                            "en_US.UTF-8",
		"PATH":                            "/usr/local/bin:/usr/bin:/bin",
	}
	for k, v := range f.cfg.Env {
		vars[k] = v
	}
	out := make([]string, 0, len(vars))
	for k, v := range vars {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// stop terminates the process (SIGTERM, then SIGKILL after a grace period) and closes the server.
func (e *environment) stop() {
	if e.cmd.Process != nil {
		select {
		case <-e.exited:
		default:
			_ = e.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-e.exited:
			case <-time.After(2 * time.Second):
				_ = e.cmd.Process.Kill()
				<-e.exited
			}
		}
	}
	_ = e.server.Close()
}

func writerOrDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
