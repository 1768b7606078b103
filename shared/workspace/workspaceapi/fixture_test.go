package workspaceapi_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
	"github.com/tanggap/tanggap/shared/workspace/workqueue"
	"github.com/tanggap/tanggap/shared/workspace/workspaceapi"
)

var start = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// countingDB counts the requests the workspace makes on the real client.
type countingDB struct {
	dynamostore.DB
	mu      sync.Mutex
	queries int
	batches int
	other   int
}

func (c *countingDB) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.mu.Lock()
	c.queries++
	c.mu.Unlock()
	return c.DB.Query(ctx, in, o...)
}

func (c *countingDB) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	c.mu.Lock()
	c.batches++
	c.mu.Unlock()
	return c.DB.BatchGetItem(ctx, in, o...)
}

func (c *countingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.mu.Lock()
	c.other++
	c.mu.Unlock()
	return c.DB.GetItem(ctx, in, o...)
}

func (c *countingDB) reset() (queries, batches, other int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	queries, batches, other = c.queries, c.batches, c.other
	c.queries, c.batches, c.other = 0, 0, 0
	return
}

type fixture struct {
	t       *testing.T
	env     *testenv.DynamoEnv
	clock   *clock
	tickets *ticket.Service
	returns *returns.Service
	orders  *dynamostore.Orders
	db      *countingDB
	h       http.Handler
	ids     []string // every ticket filed, in order
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testenv.DynamoDB(t)
	clk := &clock{t: start}
	f := &fixture{t: t, env: env, clock: clk, db: &countingDB{DB: env.Client},
		orders: dynamostore.NewOrders(env.Client, env.SupportTable)}
	f.tickets = ticket.NewService(dynamostore.NewTickets(env.Client, env.SupportTable), f.orders,
		ticket.DefaultRules(), ticket.DefaultSLA(), clk.Now)
	f.tickets.Calendars = calendar.Fixed(calendar.AlwaysOpen()) // due times here are wall-clock offsets
	f.returns = returns.NewService(dynamostore.NewReturns(env.Client, env.SupportTable), returnpolicy.Default(), clk.Now)
	h, err := httpapi.New(httpapi.Options{},
		workspaceapi.Routes(workqueue.NewService(dynamostore.NewQueues(f.db, env.SupportTable), clk.Now)))
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

// file files a complaint as customer; the category picks the team (payment: payments, delivery:
// logistics, other: customer_care ...) and a bland text keeps the category's priority.
func (f *fixture) file(customer string, category ticket.Category, channel ticket.Channel) string {
	f.t.Helper()
	d, err := f.tickets.Create(context.Background(), customer, ticket.NewComplaint{
		Channel: channel, Category: category, Subject: "Mohon dibantu", Description: "Mohon dibantu, terima kasih.",
		CustomerName: "Pelanggan " + customer, CustomerEmail: customer + "@example.co.id",
	})
	if err != nil {
		f.t.Fatal(err)
	}
	f.ids = append(f.ids, d.Ticket.ID)
	return d.Ticket.ID
}

func (f *fixture) must(_ ticket.Detail, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func asOps() apitest.Caller { return apitest.AsOperator("dewi") }

// page GETs one page of path with query q as ops.
func (f *fixture) page(path string, q map[string]string, v any) {
	f.t.Helper()
	apitest.Expect(f.t, f.h, apitest.Request{Method: "GET", Path: path, Query: q, As: asOps(),
		Headers: map[string]string{"Accept-Language": "en"}}, http.StatusOK).JSON(v)
}

// ticketView pages through a ticket view with limit, returning the ticket ids in order and the number of
// Queries each page took.
func (f *fixture) ticketView(q map[string]string, limit string) (ids []string, queriesPerPage []int) {
	f.t.Helper()
	q = copyQuery(q)
	q["limit"] = limit
	f.db.reset()
	for pages := 0; ; pages++ {
		if pages > 200 {
			f.t.Fatalf("view %v does not end", q)
		}
		var p workspaceapi.TicketPage
		f.page("/ops/complaints", q, &p)
		n, _, other := f.db.reset()
		if other != 0 {
			f.t.Fatalf("view %v: %d requests besides Query/BatchGetItem", q, other)
		}
		queriesPerPage = append(queriesPerPage, n)
		for _, it := range p.Items {
			ids = append(ids, it.TicketID)
		}
		if p.NextCursor == "" {
			return ids, queriesPerPage
		}
		q["cursor"] = p.NextCursor
	}
}

func copyQuery(q map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range q {
		out[k] = v
	}
	return out
}

// storedTicket is a ticket header as a brute-force reader sees it, decoded independently of the store.
type storedTicket struct {
	ID                 string     `dynamodbav:"ticketId"`
	Entity             string     `dynamodbav:"entity"`
	Status             string     `dynamodbav:"status"`
	Team               string     `dynamodbav:"team"`
	Priority           string     `dynamodbav:"priority"`
	Channel            string     `dynamodbav:"channel"`
	Category           string     `dynamodbav:"category"`
	AssignedAgent      string     `dynamodbav:"assignedAgent"`
	CreatedAt          time.Time  `dynamodbav:"createdAt"`
	FirstResponseDueAt time.Time  `dynamodbav:"firstResponseDueAt"`
	ResolutionDueAt    time.Time  `dynamodbav:"resolutionDueAt"`
	FirstRespondedAt   *time.Time `dynamodbav:"firstRespondedAt"`
}

func (s storedTicket) nextDue() time.Time {
	if s.FirstRespondedAt == nil {
		return s.FirstResponseDueAt
	}
	return s.ResolutionDueAt
}

// scanTickets reads every ticket header in the table: the brute-force oracle (tests only; the product never
// scans).
func (f *fixture) scanTickets() []storedTicket {
	f.t.Helper()
	var out []storedTicket
	in := &dynamodb.ScanInput{TableName: aws.String(f.env.SupportTable), ConsistentRead: aws.Bool(true),
		FilterExpression:          aws.String("entity = :e"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": &types.AttributeValueMemberS{Value: "ticket"}}}
	for {
		res, err := f.env.Client.Scan(context.Background(), in)
		if err != nil {
			f.t.Fatal(err)
		}
		var page []storedTicket
		if err := attributevalue.UnmarshalListOfMaps(res.Items, &page); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, page...)
		if len(res.LastEvaluatedKey) == 0 {
			return out
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// expectedView is the brute-force answer to a view: every stored ticket that matches, most urgent first.
func expectedView(all []storedTicket, now time.Time, match func(storedTicket) bool) []string {
	var sel []storedTicket
	for _, s := range all {
		if s.Status != "closed" && match(s) {
			sel = append(sel, s)
		}
	}
	sort.Slice(sel, func(i, j int) bool {
		a, b := sel[i], sel[j]
		if !a.nextDue().Equal(b.nextDue()) {
			return a.nextDue().Before(b.nextDue())
		}
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	ids := make([]string, len(sel))
	for i, s := range sel {
		ids[i] = s.ID
	}
	return ids
}

func in(v string, list ...string) bool {
	for _, l := range list {
		if v == l {
			return true
		}
	}
	return false
}

// customerWithName is a Cognito customer whose token carries a name.
func customerWithName(id, name string) apitest.Caller {
	return func(rc *events.APIGatewayProxyRequestContext) {
		rc.Authorizer = map[string]any{"claims": map[string]any{
			"sub": id, "email": id + "@example.co.id", "name": name, "token_use": "id",
		}}
	}
}

var agentDewi = "arn:aws:iam::123456789012:user/dewi"

func joined(ids []string) string { return strings.Join(ids, " ") }
