package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/localstack/provision"
	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/infra/testenv"
)

// syncBuffer collects the stack's log for failure messages.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testOptions(t *testing.T, prefix, buildDir string, log io.Writer) options {
	root, err := samtemplate.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	sqsEndpoint := testenv.SQSEndpoint(t)
	return options{
		Root: root, TemplatePath: filepath.Join(root, "template.yaml"),
		Endpoints: provision.Endpoints{DynamoDB: testenv.DynamoDBEndpoint(t), SQS: sqsEndpoint, SNS: sqsEndpoint},
		Region:    testenv.Region, Prefix: prefix, Listen: "127.0.0.1:0", BuildDir: buildDir,
		SeedDir: filepath.Join(root, "infra", "localstack", "seed"), Functions: []string{"OrdersFunction"},
		SQSWaitSeconds: 1, Log: log,
	}
}

type client struct {
	t    *testing.T
	base string
}

func (c client) do(method, path, auth, body string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// startTestStack starts a stack under a fresh resource prefix (name-<random>-), with configure adjusting
// the options first. It deletes the stack's resources when the test ends and shows the stack log if the
// test failed. The options are returned so a test can start the same stack again.
func startTestStack(ctx context.Context, t *testing.T, name string, configure func(*options)) (*stack, options, *syncBuffer) {
	t.Helper()
	var b [4]byte
	_, _ = rand.Read(b[:])
	logs := &syncBuffer{}
	o := testOptions(t, name+"-"+hex.EncodeToString(b[:])+"-", t.TempDir(), logs)
	if configure != nil {
		configure(&o)
	}
	s, err := startStack(ctx, o)
	if err != nil {
		t.Fatalf("startStack: %v\n%s", err, logs)
	}
	resources := s.resources
	t.Cleanup(func() {
		s.Close()
		// Every function ran under its template policy: a refusal means a code path without its grant.
		for id, denied := range s.iamDenials() {
			t.Errorf("%s's template policy refused %d DynamoDB request(s), first: %s", id, len(denied), denied[0])
		}
		if t.Failed() {
			t.Logf("stack log:\n%s", logs)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := provision.Delete(ctx, s.clients, resources); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return s, o, logs
}

// TestLocalAPIEndToEnd runs the orders function as `make run` does (provisioned resources, host build under the
// Runtime API stand-in, seed through the ops route) and talks to it over real HTTP.
func TestLocalAPIEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s, o, logs := startTestStack(ctx, t, "e2e", nil)
	if _, ok := s.functions["OrdersFunction"]; !ok {
		t.Fatalf("OrdersFunction is not running: %s", s.skipped["OrdersFunction"])
	}
	if s.resources.Tables["SupportTable"] != o.Prefix+"SupportTable" {
		t.Fatalf("stack uses table %q, want the prefixed one", s.resources.Tables["SupportTable"])
	}
	c := client{t: t, base: s.URL()}

	// Budi sees exactly his seeded orders.
	status, body := c.do("GET", "/orders", "Bearer dev-customer:cust-budi", "")
	if status != 200 {
		t.Fatalf("GET /orders as budi: %d %s", status, body)
	}
	var list struct {
		Items []struct {
			OrderID string `json:"orderId"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range list.Items {
		got = append(got, it.OrderID)
	}
	sort.Strings(got)
	want := seededOrders(t, s, "cust-budi")
	if strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
		t.Errorf("budi's orders %v, want %v", got, want)
	}

	// Someone else's order is not found, not forbidden.
	sitiOrder := seededOrders(t, s, "cust-siti")[0]
	if status, body := c.do("GET", "/orders/"+sitiOrder, "Bearer dev-customer:cust-budi", ""); status != 404 {
		t.Errorf("budi GET siti's %s: %d %s", sitiOrder, status, body)
	}
	if status, body := c.do("GET", "/orders/"+want[0], "Bearer dev-customer:cust-budi", ""); status != 200 || !strings.Contains(string(body), want[0]) {
		t.Errorf("budi GET his %s: %d %s", want[0], status, body)
	}

	// Guest lookup by order number and email, without a token.
	lookup := `{"orderId":"` + sitiOrder + `","email":"Siti.Rahayu@example.co.id"}`
	if status, body := c.do("POST", "/orders/lookup", "", lookup); status != 200 || !strings.Contains(string(body), `"orderId":"`+sitiOrder+`"`) {
		t.Errorf("guest lookup: %d %s", status, body)
	}
	if status, _ := c.do("POST", "/orders/lookup", "", `{"orderId":"`+sitiOrder+`","email":"budi.santoso@example.co.id"}`); status != 404 {
		t.Errorf("guest lookup with the wrong email: %d, want 404", status)
	}

	// The gateway's own answers: the template's GatewayResponses problem documents.
	if status, body := c.do("GET", "/orders", "", ""); status != 401 ||
		!strings.HasPrefix(string(body), `{"type":"urn:tanggap:problem:unauthenticated",`) || !strings.Contains(string(body), `"code":"unauthenticated"}`) {
		t.Errorf("no token: %d %s", status, body)
	}
	if status, _ := c.do("GET", "/ops/orders/"+sitiOrder, "Bearer dev-customer:cust-siti", ""); status != 403 {
		t.Errorf("customer token on an ops route: %d, want 403", status)
	}
	if status, body := c.do("GET", "/ops/orders/"+sitiOrder, "Bearer dev-ops:alice", ""); status != 200 {
		t.Errorf("ops GET: %d %s", status, body)
	}

	// A restart keeps the data and does not seed twice.
	s.Close()
	s2, err := startStack(ctx, o)
	if err != nil {
		t.Fatalf("restart: %v\n%s", err, logs)
	}
	defer s2.Close()
	if !strings.Contains(logs.String(), "seed: 0 created, ") {
		t.Errorf("restart re-created seed data:\n%s", logs)
	}
	c2 := client{t: t, base: s2.URL()}
	if status, body := c2.do("GET", "/orders/"+want[0], "Bearer dev-customer:cust-budi", ""); status != 200 {
		t.Errorf("after restart: %d %s", status, body)
	}
}

// seededOrders lists the order ids the seed data gives a customer.
func seededOrders(t *testing.T, s *stack, customerID string) []string {
	t.Helper()
	var ids []string
	for _, r := range s.seedData.Requests {
		// Only the order upserts: the seed also reads orders first and files other things.
		if r.Method != "PUT" || !strings.HasPrefix(r.Path, "/ops/orders/") {
			continue
		}
		var b struct {
			CustomerID string `json:"customerId"`
		}
		if err := json.Unmarshal(r.Body, &b); err != nil {
			t.Fatal(err)
		}
		if b.CustomerID == customerID {
			ids = append(ids, strings.TrimPrefix(r.Path, "/ops/orders/"))
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		t.Fatalf("no seeded orders for %s", customerID)
	}
	return ids
}
