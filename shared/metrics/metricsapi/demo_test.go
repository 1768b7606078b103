package metricsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/localstack/gateway"
	"github.com/tanggap/tanggap/infra/localstack/seed"
	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/helpcenter/helpapi"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/metrics/metricsapi"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
	"github.com/tanggap/tanggap/shared/workspace/customer"
	"github.com/tanggap/tanggap/shared/workspace/customerapi"
	"github.com/tanggap/tanggap/shared/workspace/macro"
)

// demoNow pins the demo seed's relative times ("${now-6d}"): 10:00 WIB on 22 November 2026.
var demoNow = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)

// demoStack is the local API (infra/localstack/gateway: template routes, dev tokens, proxy events) in front of
// the orders, surveys and metrics handlers running in-process on fresh template tables.
func demoStack(t *testing.T) http.Handler {
	t.Helper()
	env := testenv.DynamoDB(t)
	clock := func() time.Time { return demoNow }
	guard := idempotency.NewGuard(dynamostore.NewIdempotency(env.Client, env.IdempotencyTable))
	build := func(opts httpapi.Options, routes []httpapi.Route) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		h, err := httpapi.New(opts, routes)
		if err != nil {
			t.Fatal(err)
		}
		return httpapi.LambdaHandler(h)
	}
	functions := map[string]func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error){
		"OrdersFunction": build(httpapi.Options{Idempotency: guard}, orderapi.Routes(
			order.NewService(dynamostore.NewOrders(env.Client, env.SupportTable), returnpolicy.Default(), clock))),
		"SurveysFunction": build(httpapi.Options{Idempotency: guard}, surveyapi.Routes(
			survey.NewService(dynamostore.NewSurveys(env.Client, env.SupportTable), clock, nil))),
		"HelpCenterFunction": build(httpapi.Options{Idempotency: guard}, helpapi.Routes(
			helpcenter.NewService(dynamostore.NewHelpCenter(env.Client, env.SupportTable), dynamostore.NewHelpCenter(env.Client, env.SupportTable), clock))),
		"MetricsFunction": build(httpapi.Options{}, metricsapi.Routes(
			metrics.NewService(dynamostore.NewMetrics(env.Client, env.SupportTable), nil, clock))),
		// The seed's saved replies.
		"WorkspaceFunction": build(httpapi.Options{Idempotency: guard}, customerapi.Routes(
			customer.NewService(dynamostore.NewCustomers(env.Client, env.SupportTable)),
			macro.NewService(dynamostore.NewMacros(env.Client, env.SupportTable), clock))),
	}
	invoke := func(ctx context.Context, id string, payload []byte) ([]byte, error) {
		fn, ok := functions[id]
		if !ok {
			return nil, fmt.Errorf("%w: %s", gateway.ErrFunctionUnavailable, id)
		}
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		resp, err := fn(ctx, ev)
		if err != nil {
			return nil, err
		}
		apitest.CheckContract(t, ev, resp)
		return json.Marshal(resp)
	}
	tpl := testenv.ProjectTemplate(t)
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	apis, err := gateway.APIsFromTemplate(tpl, samtemplate.Names{})
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(gateway.Config{Routes: routes, Invoker: gateway.InvokerFunc(invoke), APIs: apis})
	if err != nil {
		t.Fatal(err)
	}

	root, err := samtemplate.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := seed.Load(filepath.Join(root, "infra", "localstack", "seed"), demoNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Apply(t.Context(), gw, data, t.Logf); err != nil {
		t.Fatal(err)
	}
	return gw
}

func call(t *testing.T, api http.Handler, method, target, token string, body any) *httptest.ResponseRecorder {
	t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	req := httptest.NewRequest(method, target, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	return rec
}

// The demo seed (infra/localstack/seed) sent through the local API, then GET /ops/metrics as ops: the seed
// holds orders and help articles (nobody has read one yet), so these are its order figures; then demo customers answer surveys and the survey figures
// follow exactly. If the seed changes, update the expected figures with it (30-workspace.json adds three orders of
// seven units for the demo return queues).
func TestMetricsOverTheDemoData(t *testing.T) {
	api := demoStack(t)
	// The oldest demo order is ${now-44d}: 9 October, 10:00 WIB, the first day of the range.
	const target = "/ops/metrics?from=2026-10-09&to=2026-11-22"
	// Cohorts: budi's first order is ${now-44d} and his next ${now-6d} (38 days: within 60, not 30); siti's
	// (${now-15d}, ${now-9d}) and andi's (${now-6d} in 30-workspace.json, ${now-4d}) are days apart (within
	// 30). Nobody has contacted support. 30-workspace.json adds three orders (7 units) to 20-orders.json's seven.
	const retention = `"retention":{"cohort":{"customers":3,"orderedAgainWithin":[{"days":30,"customers":2,"percent":66.7},` +
		`{"days":60,"customers":3,"percent":100},{"days":90,"customers":3,"percent":100}]},` +
		`"afterSupport":{"customers":0,"orderedAgainWithin90Days":0,"percent":null,"byLastTicketSla":[` +
		`{"outcome":"sla_met","customers":0,"orderedAgainWithin90Days":0,"percent":null},` +
		`{"outcome":"sla_missed","customers":0,"orderedAgainWithin90Days":0,"percent":null},` +
		`{"outcome":"unresolved","customers":0,"orderedAgainWithin90Days":0,"percent":null},` +
		`{"outcome":"no_ticket","customers":0,"orderedAgainWithin90Days":0,"percent":null}]}},`
	want := func(surveys string) string {
		return `{"from":"2026-10-09","to":"2026-11-22","days":45,"timeZone":"UTC+07:00 (WIB)",` + surveys + `,` +
			`"firstResponseTime":{"count":0,"meanSeconds":null,"p50":null,"p90":null,"method":"bucket_upper_bound",` +
			`"bucketUpperBoundsSeconds":[300,900,1800,3600,7200,14400,28800,86400,172800],"bucketCounts":[0,0,0,0,0,0,0,0,0,0]},` +
			`"resolutionTime":{"count":0,"meanSeconds":null,"p50":null,"p90":null,"method":"bucket_upper_bound",` +
			`"bucketUpperBoundsSeconds":[3600,14400,28800,86400,172800,259200,604800,1209600],"bucketCounts":[0,0,0,0,0,0,0,0,0]},` +
			retention
	}
	// The relay (not running here) writes invitations; the demo data has none.
	const noInvitations = `"surveyResponseRate":{"overall":{"invited":0,"answered":0,"percent":null},"bySubjectType":{` +
		`"order":{"invited":0,"answered":0,"percent":null},"return":{"invited":0,"answered":0,"percent":null},` +
		`"ticket":{"invited":0,"answered":0,"percent":null}}}`
	counts := func(surveys, recoveries int) string {
		return fmt.Sprintf(`"counts":{"surveys":%d,"orders":10,"unitsOrdered":25,"tickets":0,"ticketsByPriority":{"high":0,"low":0,"normal":0,"urgent":0},`+
			`"firstResponses":0,"resolutions":0,"escalations":0,"serviceRecoveries":%d,"returns":0,"unitsReturned":0,"refunds":0},`+
			`"returnRate":{"unitsPercent":0,"returnsPerOrdersPercent":0},`+
			`"helpCenter":{"articleViews":0,"feedback":{"helpful":0,"notHelpful":0,"helpfulPercent":null},`+
			`"deflection":{"complaintFormHelpful":0,"complaintFormNotHelpful":0,"complaintsFiled":0,"percent":null}},`+noInvitations+`,`, surveys, recoveries) // later sections have tests of their own
	}

	rec := call(t, api, "GET", target, "dev-ops:dewi", nil)
	noSurveys := `"csat":{"responses":0,"satisfied":0,"percent":null,"meanScore":null},"ces":{"responses":0,"mean":null},` +
		`"nps":{"responses":0,"promoters":0,"passives":0,"detractors":0,"score":null}`
	if got := strings.TrimSpace(rec.Body.String()); rec.Code != 200 || !strings.HasPrefix(got, want(noSurveys)+counts(0, 0)) {
		t.Fatalf("%d\n%s\nwant\n%s", rec.Code, got, want(noSurveys)+counts(0, 0))
	}

	// Demo customers rate their delivered orders; refused answers change nothing.
	for _, s := range []struct {
		customer string
		body     map[string]any
		status   int
	}{
		{"cust-budi", map[string]any{"subjectType": "order", "subjectId": "TGP-10001", "csat": 5, "ces": 2, "nps": 9}, 201},
		{"cust-budi", map[string]any{"subjectType": "order", "subjectId": "TGP-10002", "csat": 4, "nps": 10}, 201},
		{"cust-siti", map[string]any{"subjectType": "order", "subjectId": "TGP-10004", "csat": 2, "ces": 5, "nps": 4, "comment": "Sambal bocor di paket."}, 201},
		{"cust-andi", map[string]any{"subjectType": "order", "subjectId": "TGP-10006", "csat": 3, "nps": 7}, 201},
		{"cust-budi", map[string]any{"subjectType": "order", "subjectId": "TGP-10003", "csat": 5}, 422}, // still shipping
		{"cust-andi", map[string]any{"subjectType": "order", "subjectId": "TGP-10005", "csat": 1}, 404}, // siti's order
		{"cust-budi", map[string]any{"subjectType": "order", "subjectId": "TGP-10001", "csat": 1}, 409}, // second answer
	} {
		if rec := call(t, api, "POST", "/surveys", "dev-customer:"+s.customer, s.body); rec.Code != s.status {
			t.Fatalf("%s %v: %d %s", s.customer, s.body, rec.Code, rec.Body)
		}
	}
	rec = call(t, api, "GET", target, "dev-ops:dewi", nil)
	// CSAT 2 of 4 satisfied; mean (5+4+2+3)/4 = 3.5; CES (2+5)/2 = 3.5; NPS (2 promoters − 1 detractor) / 4 = 25.
	withSurveys := `"csat":{"responses":4,"satisfied":2,"percent":50,"meanScore":3.5},"ces":{"responses":2,"mean":3.5},` +
		`"nps":{"responses":4,"promoters":2,"passives":1,"detractors":1,"score":25}`
	if got := strings.TrimSpace(rec.Body.String()); rec.Code != 200 || !strings.HasPrefix(got, want(withSurveys)+counts(4, 1)) {
		t.Fatalf("%d\n%s\nwant\n%s", rec.Code, got, want(withSurveys)+counts(4, 1))
	}

	// Through the local API the route is IAM-only: a customer token never reaches the function.
	if rec := call(t, api, "GET", target, "dev-customer:cust-budi", nil); rec.Code != http.StatusForbidden {
		t.Fatalf("customer: %d %s", rec.Code, rec.Body)
	}
}
