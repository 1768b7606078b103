package bootstrapbench

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/localstack/provision"
	"github.com/tanggap/tanggap/infra/runtimeapi"
	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
)

// MaxDeployableBytes is the ceiling for a linux/arm64 release bootstrap: 8 MiB, the design card's limit.
const MaxDeployableBytes = 8 << 20

type function struct {
	samtemplate.Function
	root string
}

// name is the function folder name, e.g. "orders".
func (f function) name() string { return filepath.Base(f.Dir) }

// functions lists the template's functions whose folder has Go code (others are not written yet).
func functions(tb testing.TB) []function {
	tb.Helper()
	root, err := samtemplate.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	fns, err := testenv.ProjectTemplate(tb).Functions()
	if err != nil {
		tb.Fatal(err)
	}
	var out []function
	for _, f := range fns {
		if m, _ := filepath.Glob(filepath.Join(root, f.Dir, "*.go")); len(m) > 0 {
			out = append(out, function{Function: f, root: root})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	if len(out) == 0 {
		tb.Fatal("no function folders with Go code")
	}
	return out
}

// builds caches bootstraps per (function, target) for the test binary's lifetime.
var (
	buildMu  sync.Mutex
	buildDir string
	built    = map[string]string{}
)

func build(tb testing.TB, f function, goos, goarch string, release bool) string {
	tb.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	key := strings.Join([]string{f.Dir, goos, goarch, map[bool]string{true: "release"}[release]}, "/")
	if p, ok := built[key]; ok {
		return p
	}
	if buildDir == "" {
		d, err := os.MkdirTemp("", "bootstrapbench-")
		if err != nil {
			tb.Fatal(err)
		}
		buildDir = d
	}
	out := filepath.Join(buildDir, strings.ReplaceAll(key, "/", "_"), "bootstrap")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := runtimeapi.Build(ctx, runtimeapi.BuildOptions{Dir: f.root, Package: "./" + f.Dir, Output: out,
		GOOS: goos, GOARCH: goarch, Release: release}); err != nil {
		tb.Fatalf("build %s: %v", f.LogicalID, err)
	}
	built[key] = out
	return out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

func TestDeployableBootstrapUnder8MB(t *testing.T) {
	for _, f := range functions(t) {
		t.Run(f.name(), func(t *testing.T) {
			st, err := os.Stat(build(t, f, "linux", "arm64", true))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s linux/arm64 bootstrap: %d bytes", f.LogicalID, st.Size())
			if st.Size() > MaxDeployableBytes {
				t.Errorf("%s bootstrap is %d bytes, over the %d byte ceiling", f.LogicalID, st.Size(), MaxDeployableBytes)
			}
		})
	}
}

// localEnv is the template environment of f resolved to fresh test tables, queues and topics, plus the local
// endpoints, as the local stack gives it.
func localEnv(tb testing.TB, f function) map[string]string {
	tb.Helper()
	tpl := testenv.ProjectTemplate(tb)
	db := testenv.DynamoDB(tb)
	msg := testenv.Messaging(tb)
	res := &provision.Resources{Region: testenv.Region, Tables: map[string]string{}, Queues: map[string]provision.Queue{}, Topics: map[string]string{}}
	tables, err := tpl.Tables()
	if err != nil {
		tb.Fatal(err)
	}
	for id := range tables {
		res.Tables[id] = db.Table(id)
	}
	queues, err := tpl.Queues()
	if err != nil {
		tb.Fatal(err)
	}
	for id := range queues {
		url := msg.QueueURL(id)
		res.Queues[id] = provision.Queue{Name: url[strings.LastIndex(url, "/")+1:], URL: url, ARN: msg.QueueARN(id)}
	}
	for _, id := range tpl.Topics() {
		res.Topics[id] = msg.TopicARN(id)
	}
	names := res.Names(tpl, "tanggap-test")
	env := map[string]string{}
	for k, v := range f.Environment {
		s, err := tpl.Resolve(v, names)
		if err != nil {
			tb.Fatalf("%s env %s: %v", f.LogicalID, k, err)
		}
		env[k] = s
	}
	// After the template's, which declares the endpoint variables empty (for sam local --env-vars).
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_DYNAMODB": testenv.DynamoDBEndpoint(tb),
		"AWS_ENDPOINT_URL_SQS":      msg.Endpoint,
		"AWS_ENDPOINT_URL_SNS":      msg.Endpoint,
		"AWS_ACCESS_KEY_ID":         "local",
		"AWS_SECRET_ACCESS_KEY":     "local",
	} {
		env[k] = v
	}
	return env
}

func startFunction(tb testing.TB, f function, bootstrap string, env map[string]string) *runtimeapi.Function {
	tb.Helper()
	fn, err := runtimeapi.NewFunction(runtimeapi.FunctionConfig{Name: f.LogicalID, Bootstrap: bootstrap, Env: env,
		MemoryMB: f.MemorySize, Timeout: time.Duration(f.Timeout) * time.Second, Region: testenv.Region})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = fn.Stop() })
	return fn
}

type sample struct {
	name, path   string
	payload      []byte
	expectStatus int // 0: any status < 500
}

func samples(tb testing.TB, f function) []sample {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(f.root, "events", f.name(), "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []sample
	for _, p := range paths {
		if strings.HasSuffix(p, ".expect.json") {
			continue
		}
		payload, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		s := sample{name: filepath.Base(p), path: p, payload: payload}
		if raw, err := os.ReadFile(strings.TrimSuffix(p, ".json") + ".expect.json"); err == nil {
			var exp struct {
				StatusCode int `json:"statusCode"`
			}
			if err := json.Unmarshal(raw, &exp); err != nil || exp.StatusCode == 0 {
				tb.Fatalf("%s.expect.json: want {\"statusCode\": N}: %v", strings.TrimSuffix(p, ".json"), err)
			}
			s.expectStatus = exp.StatusCode
		}
		out = append(out, s)
	}
	return out
}

// isAPIEvent tells API Gateway proxy events (which must get a proxy response) from SQS or schedule events.
func isAPIEvent(payload []byte) bool {
	var probe struct {
		HTTPMethod string `json:"httpMethod"`
	}
	return json.Unmarshal(payload, &probe) == nil && probe.HTTPMethod != ""
}

func TestSampleEventsRunUnderRuntimeAPI(t *testing.T) {
	for _, f := range functions(t) {
		t.Run(f.name(), func(t *testing.T) {
			fn := startFunction(t, f, build(t, f, "", "", false), localEnv(t, f))
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if _, err := fn.WaitReady(ctx); err != nil {
				t.Fatalf("%s did not finish init: %v", f.LogicalID, err)
			}
			cases := samples(t, f)
			if len(cases) == 0 {
				t.Logf("no sample events in events/%s; init checked only", f.name())
			}
			for _, s := range cases {
				out, err := fn.Invoke(ctx, s.payload)
				var ferr *runtimeapi.FunctionError
				if errors.As(err, &ferr) {
					t.Errorf("%s: function error %s: %s", s.name, ferr.Type, ferr.Message)
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", s.name, err)
					continue
				}
				if !isAPIEvent(s.payload) {
					continue
				}
				var resp struct {
					StatusCode int    `json:"statusCode"`
					Body       string `json:"body"`
				}
				if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode == 0 {
					t.Errorf("%s: not a proxy response: %.300s", s.name, out)
					continue
				}
				var ev events.APIGatewayProxyRequest
				var full events.APIGatewayProxyResponse
				if json.Unmarshal(s.payload, &ev) == nil && json.Unmarshal(out, &full) == nil {
					apitest.CheckContract(t, ev, full) // the sample and its answer must match openapi.yaml too
				}
				switch {
				case s.expectStatus != 0 && resp.StatusCode != s.expectStatus:
					t.Errorf("%s: status %d, want %d (%.300s)", s.name, resp.StatusCode, s.expectStatus, resp.Body)
				case resp.StatusCode >= 500:
					t.Errorf("%s: status %d (%.300s)", s.name, resp.StatusCode, resp.Body)
				}
			}
		})
	}
}

func BenchmarkBootstrapSize(b *testing.B) {
	for _, f := range functions(b) {
		b.Run(f.name(), func(b *testing.B) {
			st, err := os.Stat(build(b, f, "linux", "arm64", true))
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
			}
			b.ReportMetric(float64(st.Size()), "bytes")
		})
	}
}

// BenchmarkColdStart starts a fresh host-arch process per iteration and invokes it once: ms/coldstart is exec
// to the first answer (init + first invoke), ms/init exec to the first GET /next.
func BenchmarkColdStart(b *testing.B) {
	for _, f := range functions(b) {
		b.Run(f.name(), func(b *testing.B) {
			bootstrap := build(b, f, "", "", false)
			env := localEnv(b, f)
			payload := []byte(`{}`)
			if cases := samples(b, f); len(cases) > 0 {
				payload = cases[0].payload
			}
			ctx := context.Background()
			var total, init time.Duration
			n := 0
			for b.Loop() {
				fn := startFunction(b, f, bootstrap, env)
				if _, err := fn.Invoke(ctx, payload); err != nil {
					var ferr *runtimeapi.FunctionError
					if !errors.As(err, &ferr) {
						b.Fatal(err)
					}
				}
				cs := fn.ColdStart()
				total += cs.InitAndFirstInvoke
				init += cs.Init
				n++
				_ = fn.Stop()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(n), "ms/coldstart")
			b.ReportMetric(float64(init.Microseconds())/1000/float64(n), "ms/init")
		})
	}
}
