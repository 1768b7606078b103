package runtimeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// testBootstrap builds testdata/testfn once per test binary.
func testBootstrap(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "runtimeapi-testfn-")
		if buildErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		buildErr = Build(ctx, BuildOptions{Dir: ".", Package: "./testdata/testfn", Output: filepath.Join(buildDir, "bootstrap")})
	})
	if buildErr != nil {
		t.Fatalf("build test function: %v", buildErr)
	}
	return filepath.Join(buildDir, "bootstrap")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

type testResponse struct {
	Action      string            `json:"action"`
	RequestID   string            `json:"requestId"`
	FunctionARN string            `json:"functionArn"`
	HasDeadline bool              `json:"hasDeadline"`
	TraceID     string            `json:"traceId"`
	Env         map[string]string `json:"env"`
	PID         int               `json:"pid"`
}

func startTestFunction(t *testing.T, cfg FunctionConfig) *Function {
	t.Helper()
	if cfg.Name == "" {
		cfg.Name = "testfn"
	}
	cfg.Bootstrap = testBootstrap(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := StartFunction(ctx, cfg)
	if err != nil {
		t.Fatalf("StartFunction: %v", err)
	}
	t.Cleanup(func() { _ = f.Stop() })
	return f
}

func invoke(t *testing.T, f *Function, payload string) (testResponse, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	body, err := f.Invoke(ctx, []byte(payload))
	var out testResponse
	if err == nil {
		if jerr := json.Unmarshal(body, &out); jerr != nil {
			t.Fatalf("response %q: %v", body, jerr)
		}
	}
	return out, err
}

func TestFunctionSuccessCarriesLambdaContext(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{Name: "orders-fn", Region: "ap-southeast-3", MemoryMB: 256,
		Env: map[string]string{"TABLE_NAME": "SupportTable"}})
	out, err := invoke(t, f, `{"action":"env","env":["TABLE_NAME","AWS_LAMBDA_FUNCTION_NAME","AWS_LAMBDA_FUNCTION_MEMORY_SIZE","AWS_LAMBDA_FUNCTION_VERSION","AWS_REGION","LAMBDA_TASK_ROOT","_HANDLER","HOME"]}`)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	if out.FunctionARN != "arn:aws:lambda:ap-southeast-3:000000000000:function:orders-fn" {
		t.Errorf("function ARN = %q", out.FunctionARN)
	}
	if len(out.RequestID) != 36 || !out.HasDeadline || !strings.HasPrefix(out.TraceID, "Root=1-") {
		t.Errorf("lambda context not propagated: %+v", out)
	}
	want := map[string]string{
		"TABLE_NAME": "SupportTable", "AWS_LAMBDA_FUNCTION_NAME": "orders-fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "ap-southeast-3",
		"LAMBDA_TASK_ROOT": filepath.Dir(testBootstrap(t)), "_HANDLER": "bootstrap", "HOME": "",
	}
	for k, v := range want {
		if out.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, out.Env[k], v)
		}
	}
	cs := f.ColdStart()
	if cs.Init <= 0 || cs.InitAndFirstInvoke < cs.Init {
		t.Errorf("cold start not measured: %+v", cs)
	}

	// The same process serves the next invocation, with a new request id.
	again, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatalf("second Invoke: %v", err)
	}
	if again.PID != out.PID || again.RequestID == out.RequestID {
		t.Errorf("warm invoke: pid %d→%d, request id %s→%s", out.PID, again.PID, out.RequestID, again.RequestID)
	}
}

func TestFunctionErrorIsReturnedAsFunctionError(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{})
	_, err := invoke(t, f, `{"action":"error"}`)
	var ferr *FunctionError
	if !errors.As(err, &ferr) {
		t.Fatalf("want *FunctionError, got %v", err)
	}
	if ferr.Type != "errorString" || ferr.Message != "order not found" || ferr.Init {
		t.Errorf("function error = %+v", ferr)
	}
	// The environment survives a handled error.
	if _, err := invoke(t, f, `{"action":"echo"}`); err != nil {
		t.Errorf("invoke after function error: %v", err)
	}
}

func TestPanicIsReportedAndEnvironmentReplaced(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{})
	first, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = invoke(t, f, `{"action":"panic"}`)
	var ferr *FunctionError
	if !errors.As(err, &ferr) || ferr.Message != "boom" || len(ferr.StackTrace) == 0 {
		t.Fatalf("panic: want function error with stack trace, got %v", err)
	}
	// aws-lambda-go exits after a panic; the next invoke runs on a fresh process.
	next, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatalf("invoke after panic: %v", err)
	}
	if next.PID == first.PID {
		t.Errorf("expected a new process after the panic, still pid %d", next.PID)
	}
}

func TestCrashDuringInvokeReturnsErrorNotHang(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{Timeout: 30 * time.Second})
	start := time.Now()
	_, err := invoke(t, f, `{"action":"exit"}`)
	if !errors.Is(err, ErrRuntimeExited) || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("want ErrRuntimeExited with exit status 3, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("crash took %s to surface", d)
	}
	if _, err := invoke(t, f, `{"action":"echo"}`); err != nil {
		t.Errorf("invoke after crash: %v", err)
	}
}

func TestCrashDuringInitReturnsError(t *testing.T) {
	f, err := NewFunction(FunctionConfig{Name: "broken", Bootstrap: testBootstrap(t), Env: map[string]string{"TESTFN_INIT": "exit"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Stop() })
	_, err = invoke(t, f, `{"action":"echo"}`)
	if !errors.Is(err, ErrRuntimeExited) || !strings.Contains(err.Error(), "exit status 7") {
		t.Fatalf("want ErrRuntimeExited with exit status 7, got %v", err)
	}
}

func TestTimeoutRetiresEnvironment(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{Timeout: time.Second})
	first, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = invoke(t, f, `{"action":"sleep","sleepMs":5000}`)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("want ErrTimeout, got %v", err)
	}
	// The stuck process is killed right away, not left running until the next invoke.
	deadline := time.Now().Add(3 * time.Second)
	for syscall.Kill(first.PID, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("timed-out process %d still alive", first.PID)
		}
		time.Sleep(20 * time.Millisecond)
	}
	next, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatalf("invoke after timeout: %v", err)
	}
	if next.PID == first.PID {
		t.Errorf("timed-out process %d was reused", first.PID)
	}
}

func TestCallerLeavingDoesNotKillTheRuntime(t *testing.T) {
	// One environment, so the next invocation must wait for the abandoned one and then reuse its process.
	f := startTestFunction(t, FunctionConfig{Timeout: 5 * time.Second, MaxConcurrency: 1})
	first, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := f.Invoke(ctx, []byte(`{"action":"sleep","sleepMs":400}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the caller's deadline, got %v", err)
	}
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("Invoke waited %s for a caller that had left", d)
	}
	// The abandoned invocation finishes on the same process, which then serves the next one.
	next, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatalf("invoke after an abandoned one: %v", err)
	}
	if next.PID != first.PID {
		t.Errorf("runtime replaced (pid %d → %d) because a caller left", first.PID, next.PID)
	}
}

// concurrently runs n sleeps of sleepMs at once and returns their answers and errors.
func concurrently(t *testing.T, f *Function, n, sleepMs int) ([]testResponse, []error) {
	t.Helper()
	out, errs := make([]testResponse, n), make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i], errs[i] = invoke(t, f, `{"action":"sleep","sleepMs":`+strconv.Itoa(sleepMs)+`}`)
		}()
	}
	close(start)
	wg.Wait()
	return out, errs
}

func pids(rs []testResponse) map[int]int {
	m := map[int]int{}
	for _, r := range rs {
		m[r.PID]++
	}
	return m
}

func TestConcurrentInvokesRunInSeparateEnvironments(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{MaxConcurrency: 4})
	began := time.Now()
	out, errs := concurrently(t, f, 8, 400)
	took := time.Since(began)
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent invoke: %v", err)
		}
	}
	// Four processes, each serving two of the eight invocations: started on demand, then reused.
	byPID := pids(out)
	if len(byPID) != 4 {
		t.Errorf("invocations ran in %d processes, want 4: %v", len(byPID), byPID)
	}
	if st := f.Stats(); st.Started != 4 || st.PeakBusy != 4 {
		t.Errorf("stats = %+v, want 4 started and 4 at once", st)
	}
	// Serialised, eight sleeps take at least 3.2 s; four at a time take two rounds.
	if took >= 8*400*time.Millisecond {
		t.Errorf("8 invocations of 400 ms took %s: not concurrent", took)
	}
	// Idle environments are reused: the next invocation starts nothing new.
	again, err := invoke(t, f, `{"action":"echo"}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, warm := byPID[again.PID]; !warm || f.Stats().Started != 4 {
		t.Errorf("invocation after the burst ran on pid %d (started %d), want a warm environment", again.PID, f.Stats().Started)
	}
}

func TestOneEnvironmentSerialisesInvocations(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{MaxConcurrency: 1})
	began := time.Now()
	out, errs := concurrently(t, f, 4, 100)
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent invoke: %v", err)
		}
	}
	if len(pids(out)) != 1 || f.Stats().PeakBusy != 1 {
		t.Errorf("pids %v, stats %+v: want one environment serving one at a time", pids(out), f.Stats())
	}
	if took := time.Since(began); took < 400*time.Millisecond {
		t.Errorf("4 queued invocations of 100 ms took %s", took)
	}
}

func TestInvokeWithinDoesNotCountTheWaitForAnEnvironment(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{MaxConcurrency: 1, Timeout: 10 * time.Second})
	busy := make(chan error, 1)
	go func() {
		_, err := invoke(t, f, `{"action":"sleep","sleepMs":800}`)
		busy <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for f.Stats().PeakBusy < 1 {
		if time.Now().After(deadline) {
			t.Fatal("first invocation never started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Waits about 800 ms for the only environment, then answers well within its own 400 ms.
	began := time.Now()
	if _, err := f.InvokeWithin(context.Background(), []byte(`{"action":"echo"}`), 400*time.Millisecond); err != nil {
		t.Fatalf("InvokeWithin after waiting %s: %v", time.Since(began), err)
	}
	if err := <-busy; err != nil {
		t.Fatal(err)
	}
	// The timeout does bound the invocation itself.
	if _, err := f.InvokeWithin(context.Background(), []byte(`{"action":"sleep","sleepMs":1000}`), 200*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow invocation within 200 ms: %v, want the deadline", err)
	}
}

func TestThrottleRefusesBeyondTheLimit(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{MaxConcurrency: 2, Throttle: true, Timeout: 10 * time.Second})
	busy := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := invoke(t, f, `{"action":"sleep","sleepMs":1500}`)
			busy <- err
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.Stats().PeakBusy < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("two invocations never ran at once: %+v", f.Stats())
		}
		time.Sleep(10 * time.Millisecond)
	}
	began := time.Now()
	if _, err := invoke(t, f, `{"action":"echo"}`); !errors.Is(err, ErrThrottled) {
		t.Fatalf("third invocation at reserved concurrency 2: %v, want ErrThrottled", err)
	}
	if d := time.Since(began); d > 200*time.Millisecond {
		t.Errorf("throttling took %s; Lambda refuses at once", d)
	}
	for range 2 {
		if err := <-busy; err != nil {
			t.Errorf("running invocation: %v", err)
		}
	}
	if _, err := invoke(t, f, `{"action":"echo"}`); err != nil {
		t.Errorf("invocation once a slot is free: %v", err)
	}
}

func TestPlatformLinesPerEnvironment(t *testing.T) {
	var mu sync.Mutex
	logs := map[int]*bytes.Buffer{}
	f := startTestFunction(t, FunctionConfig{MaxConcurrency: 2, MemoryMB: 256, Env: map[string]string{"AWS_LAMBDA_LOG_FORMAT": "JSON"}, PlatformLines: true,
		Output: func(n int) io.Writer {
			mu.Lock()
			defer mu.Unlock()
			logs[n] = &bytes.Buffer{}
			return lockedWriter{mu: &mu, w: logs[n]}
		}})
	out, errs := concurrently(t, f, 2, 300)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logs) != 2 {
		t.Fatalf("%d log streams, want 2", len(logs))
	}
	for _, r := range out {
		found := 0
		for _, b := range logs {
			for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
				var rec struct {
					Type   string `json:"type"`
					Record struct {
						RequestID string `json:"requestId"`
						Status    string `json:"status"`
						Metrics   struct {
							DurationMs   float64 `json:"durationMs"`
							MemorySizeMB int     `json:"memorySizeMB"`
						} `json:"metrics"`
					} `json:"record"`
				}
				if json.Unmarshal([]byte(line), &rec) != nil || rec.Record.RequestID != r.RequestID {
					continue
				}
				switch rec.Type {
				case "platform.start":
					found++
				case "platform.report":
					found++
					if rec.Record.Status != "success" || rec.Record.Metrics.DurationMs < 300 || rec.Record.Metrics.MemorySizeMB != 256 {
						t.Errorf("report %s", line)
					}
				}
			}
		}
		if found != 2 {
			t.Errorf("request %s: %d platform lines, want start and report", r.RequestID, found)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestStopFailsLaterInvokes(t *testing.T) {
	f := startTestFunction(t, FunctionConfig{})
	if err := f.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := invoke(t, f, `{}`); !errors.Is(err, ErrClosed) {
		t.Errorf("invoke after Stop: %v", err)
	}
}

// The protocol tests drive the Server directly over HTTP, as a runtime would.

func TestServerProtocol(t *testing.T) {
	s, err := New(Config{FunctionName: "proto", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := "http://" + s.Addr() + "/2018-06-01/runtime"

	type out struct {
		body []byte
		err  error
	}
	results := make(chan out, 1)
	go func() {
		b, err := s.Invoke(context.Background(), []byte(`{"n":1}`))
		results <- out{b, err}
	}()

	resp, err := http.Get(base + "/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
	deadline, _ := strconv.ParseInt(resp.Header.Get("Lambda-Runtime-Deadline-Ms"), 10, 64)
	if string(payload) != `{"n":1}` || id == "" {
		t.Fatalf("next: payload %q id %q", payload, id)
	}
	if until := time.Until(time.UnixMilli(deadline)); until <= 0 || until > 2*time.Second {
		t.Errorf("deadline %s away, want within the 2s timeout", until)
	}
	if arn := resp.Header.Get("Lambda-Runtime-Invoked-Function-Arn"); arn != "arn:aws:lambda:ap-southeast-3:000000000000:function:proto" {
		t.Errorf("arn %q", arn)
	}
	if tr := resp.Header.Get("Lambda-Runtime-Trace-Id"); !strings.HasPrefix(tr, "Root=1-") {
		t.Errorf("trace id %q", tr)
	}

	// An unknown id is rejected and does not complete the invocation.
	bad, err := http.Post(base+"/invocation/nope/response", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	bad.Body.Close()
	if bad.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown id: status %d", bad.StatusCode)
	}

	ok, err := http.Post(base+"/invocation/"+id+"/response", "application/json", strings.NewReader(`{"ok":true}`))
	if err != nil {
		t.Fatal(err)
	}
	ok.Body.Close()
	if ok.StatusCode != http.StatusAccepted {
		t.Errorf("response: status %d, want 202", ok.StatusCode)
	}
	r := <-results
	if r.err != nil || !bytes.Equal(r.body, []byte(`{"ok":true}`)) {
		t.Errorf("Invoke = %q, %v", r.body, r.err)
	}

	// A second answer for the same id is refused.
	dup, err := http.Post(base+"/invocation/"+id+"/response", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	dup.Body.Close()
	if dup.StatusCode != http.StatusBadRequest {
		t.Errorf("duplicate response: status %d", dup.StatusCode)
	}
}

func TestServerInitErrorFailsInvoke(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	errs := make(chan error, 1)
	go func() {
		_, err := s.Invoke(context.Background(), []byte(`{}`))
		errs <- err
	}()
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.Addr()+"/2018-06-01/runtime/init/error",
		strings.NewReader(`{"errorType":"Runtime.ConfigError","errorMessage":"TABLE_NAME is not set"}`))
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.ConfigError")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case err := <-errs:
		var ferr *FunctionError
		if !errors.As(err, &ferr) || !ferr.Init || ferr.Type != "Runtime.ConfigError" || ferr.Message != "TABLE_NAME is not set" {
			t.Errorf("want init FunctionError, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Invoke hung after init error")
	}
}

func TestInvokeHonoursContext(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	// No runtime ever asks for work.
	if _, err := s.Invoke(ctx, []byte(`{}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want deadline exceeded, got %v", err)
	}
}
