package exactlyonce_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnapi"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
)

// faultTransport sits between the SDK's DynamoDB client and DynamoDB Local. It counts requests by
// operation and can let one request reach DynamoDB and then lose its answer, after which the
// invocation is "dead": every further request fails without reaching DynamoDB, as if the function had
// timed out, until revive.
type faultTransport struct {
	next http.RoundTripper

	mu     sync.Mutex
	counts map[string]int
	ops    []string
	loseOp string // the operation whose answer is lost next
	dead   bool
	lost   int // answers lost so far
	// reviveAfterLoss keeps the invocation alive after the lost answer (only the answer is lost).
	reviveAfterLoss bool
}

var errLostAnswer = errors.New("fault: the answer was lost (invocation timed out)")

func (f *faultTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op := req.Header.Get("X-Amz-Target")
	op = op[strings.LastIndexByte(op, '.')+1:]
	f.mu.Lock()
	if f.dead {
		f.mu.Unlock()
		return nil, errLostAnswer
	}
	f.counts[op]++
	f.ops = append(f.ops, op)
	lose := f.loseOp != "" && f.loseOp == op
	f.mu.Unlock()

	resp, err := f.send(req)
	if !lose {
		return resp, err
	}
	f.mu.Lock()
	f.loseOp, f.dead = "", !f.reviveAfterLoss
	f.reviveAfterLoss = false
	f.lost++
	f.mu.Unlock()
	return nil, errLostAnswer
}

// send passes req to DynamoDB Local and reads the whole answer. A connection dropped under a request or
// its answer is sent again, up to three times, as the SDK's standard retryer does in a deployment: the
// fixture turns that retryer off so that a lost answer stays lost, and loaded clean-clone runs saw DynamoDB
// Local's connection close under an answer ("use of closed network connection"). The operation is counted once.
func (f *faultTransport) send(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	var err error
	for range 3 {
		attempt := req.Clone(req.Context())
		attempt.Body = io.NopCloser(bytes.NewReader(body))
		attempt.ContentLength = int64(len(body))
		var resp *http.Response
		if resp, err = f.next.RoundTrip(attempt); err != nil {
			continue
		}
		answer, readErr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err = readErr; err != nil {
			continue
		}
		resp.Body = io.NopCloser(bytes.NewReader(answer))
		return resp, nil
	}
	return nil, err
}

// loseNext arms the fault for the next request of op (e.g. "TransactWriteItems").
func (f *faultTransport) loseNext(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loseOp = op
}

func (f *faultTransport) revive() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dead, f.loseOp = false, ""
}

// take returns the operations made since the last take.
func (f *faultTransport) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ops := f.ops
	f.ops = nil
	return ops
}

// fixture is the four HTTP functions' handlers, wired as their main packages wire them, on fresh tables.
type fixture struct {
	t         *testing.T
	env       *testenv.DynamoEnv
	net       *faultTransport
	db        *dynamodb.Client
	guard     *idempotency.Guard
	offset    atomic.Int64 // added to the guard's clock
	orders    http.Handler
	returns   http.Handler
	complaint http.Handler
	surveys   http.Handler
	run       string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testenv.DynamoDB(t)
	// A transport of its own, without keep-alive: no connection is shared with the test environment's
	// clients or reused across requests (clean-clone runs saw connections closed under an answer).
	ft := &faultTransport{next: &http.Transport{DisableKeepAlives: true}, counts: map[string]int{}}
	db := dynamodb.NewFromConfig(testenv.AWSConfig(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(testenv.DynamoDBEndpoint(t))
		o.HTTPClient = &http.Client{Transport: ft}
		o.RetryMaxAttempts = 1 // a lost answer is final: the invocation is gone
	})
	f := &fixture{t: t, env: env, net: ft, db: db, run: fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000)}
	f.guard = idempotency.NewGuard(dynamostore.NewIdempotency(db, env.IdempotencyTable))
	f.guard.Now = func() time.Time { return time.Now().Add(time.Duration(f.offset.Load())) }

	opts := httpapi.Options{Idempotency: f.guard}
	policy := config.ReturnPolicy(config.FromMap(nil))
	ordersStore := dynamostore.NewOrders(db, env.SupportTable)
	f.orders = must(t)(httpapi.New(opts, orderapi.Routes(order.NewService(ordersStore, policy, time.Now))))
	f.returns = must(t)(httpapi.New(opts, returnapi.Routes(returns.NewService(dynamostore.NewReturns(db, env.SupportTable), policy, time.Now))))
	tickets := ticket.NewService(dynamostore.NewTickets(db, env.SupportTable), ordersStore, ticket.DefaultRules(), ticket.DefaultSLA(), time.Now)
	f.complaint = must(t)(httpapi.New(opts, complaintapi.Routes(tickets)))
	f.surveys = must(t)(httpapi.New(opts, surveyapi.Routes(survey.NewService(dynamostore.NewSurveys(db, env.SupportTable), time.Now, io.Discard))))
	return f
}

func must(t *testing.T) func(http.Handler, error) http.Handler {
	return func(h http.Handler, err error) http.Handler {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
}

// passLock moves the guard's clock past the lock of every claim made so far.
func (f *fixture) passLock() {
	f.offset.Add(int64(idempotency.DefaultLock + time.Second))
}

// orderBody is an order pushed by the shop: delivered yesterday, two lines of three units.
func orderBody(customer string, updated time.Time) map[string]any {
	placed := updated.Add(-72 * time.Hour).UTC().Truncate(time.Second)
	delivered := updated.Add(-24 * time.Hour).UTC().Truncate(time.Second)
	return map[string]any{
		"customerId": customer, "email": customer + "@example.test", "status": "delivered",
		"placedAt": placed, "updatedAt": updated.UTC().Truncate(time.Millisecond), "currency": "IDR",
		"paymentMethod": "ewallet", "shippingFee": 1500000,
		"shipment": map[string]any{"status": "delivered", "carrier": "JNE", "trackingNumber": "JN1", "deliveredAt": delivered},
		"lines": []map[string]any{
			{"lineId": "L1", "sku": "SKU-1", "name": "Kompor", "quantity": 3, "unitPrice": 25000000},
			{"lineId": "L2", "sku": "SKU-2", "name": "Panci", "quantity": 3, "unitPrice": 10000000},
		},
	}
}

// do sends req with an Idempotency-Key through h.
func (f *fixture) do(h http.Handler, req apitest.Request, key string) apitest.Response {
	f.t.Helper()
	if req.Headers == nil {
		req.Headers = map[string]string{}
	}
	if key != "" {
		req.Headers["Idempotency-Key"] = key
	}
	return apitest.Do(f.t, h, req)
}
