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
	// Stdout and Stderr receive the function's output (default: discarded). The last 4 KiB of stderr are also
	// kept for error messages.
	Stdout io.Writer
	Stderr io.Writer
}

// ColdStart is the measured start-up of one execution environment.
type ColdStart struct {
	// Init is from exec until the runtime first calls GET /next.
	Init time.Duration
	// InitAndFirstInvoke is from exec until the first invocation's answer (response or error) arrived.
	InitAndFirstInvoke time.Duration
}

// Function runs a bootstrap process under its own Server. One invocation runs at a time (concurrent Invokes
// queue), like a single Lambda execution environment. If the process crashes or times out, the waiting Invoke
// fails and the next Invoke starts a fresh process, as Lambda replaces a broken environment.
type Function struct {
	cfg FunctionConfig

	mu      sync.Mutex
	env     *environment
	stopped bool
	last    ColdStart
}

type environment struct {
	server  *Server
	cmd     *exec.Cmd
	started time.Time
	exited  chan struct{} // closed after cmd.Wait returned
	stderr  *tailBuffer

	firstAnswer sync.Once
}

// StartFunction starts the bootstrap process right away (so init errors surface early).
func StartFunction(ctx context.Context, cfg FunctionConfig) (*Function, error) {
	f, err := NewFunction(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := f.current(ctx); err != nil {
		return nil, err
	}
	return f, nil
}

// NewFunction prepares a function without starting it; the first Invoke starts the process (a true cold start).
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
	return &Function{cfg: cfg}, nil
}

// Name is the function name.
func (f *Function) Name() string { return f.cfg.Name }

// Invoke runs one invocation; see Server.Invoke for the error kinds. After a crash, timeout or init error the
// next Invoke gets a new process.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	body, err := f.invokeOnce(ctx, payload)
	if errors.Is(err, errUndelivered) && !errors.Is(err, ErrClosed) && ctx.Err() == nil {
		// The runtime died before it saw this invocation (e.g. it was exiting after a panic): a new one gets it.
		body, err = f.invokeOnce(ctx, payload)
	}
	return body, err
}

func (f *Function) invokeOnce(ctx context.Context, payload []byte) ([]byte, error) {
	env, err := f.current(ctx)
	if err != nil {
		return nil, err
	}
	body, err := env.server.Invoke(ctx, payload)
	var ferr *FunctionError
	if err == nil || errors.As(err, &ferr) && !ferr.Init {
		env.firstAnswer.Do(func() {
			f.mu.Lock()
			f.last.InitAndFirstInvoke = time.Since(env.started)
			f.mu.Unlock()
		})
	}
	return body, err
}

// WaitReady waits until the current process finished its init phase and returns the init duration.
func (f *Function) WaitReady(ctx context.Context) (time.Duration, error) {
	env, err := f.current(ctx)
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
	cs := f.last
	if f.env != nil {
		if at := f.env.server.FirstNextAt(); !at.IsZero() {
			cs.Init = at.Sub(f.env.started)
		}
	}
	return cs
}

// Stop kills the process and closes its server. Invokes afterwards fail with ErrClosed.
func (f *Function) Stop() error {
	f.mu.Lock()
	env := f.env
	f.env = nil
	f.stopped = true
	f.mu.Unlock()
	if env != nil {
		env.stop()
	}
	return nil
}

// current returns the live environment, starting one if there is none or the last one died.
func (f *Function) current(ctx context.Context) (*environment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return nil, ErrClosed
	}
	if f.env != nil {
		select {
		case <-f.env.exited:
		case <-f.env.server.Aborted(): // e.g. init error with the process still alive
		default:
			return f.env, nil
		}
		f.env.stop()
		f.env = nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	env, err := f.start()
	if err != nil {
		return nil, err
	}
	f.env = env
	f.last = ColdStart{}
	return env, nil
}

func (f *Function) start() (*environment, error) {
	srv, err := New(Config{FunctionName: f.cfg.Name, Region: f.cfg.Region, AccountID: f.cfg.AccountID, Timeout: f.cfg.Timeout})
	if err != nil {
		return nil, err
	}
	env := &environment{server: srv, exited: make(chan struct{}), stderr: &tailBuffer{max: 4096}}
	cmd := exec.Command(f.cfg.Bootstrap)
	cmd.Dir = filepath.Dir(f.cfg.Bootstrap)
	cmd.Env = f.environ(srv.Addr())
	cmd.Stdout = writerOrDiscard(f.cfg.Stdout)
	cmd.Stderr = io.MultiWriter(writerOrDiscard(f.cfg.Stderr), env.stderr)
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
