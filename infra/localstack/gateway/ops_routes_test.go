package gateway

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// A signed-in customer's token reaches no AWS_IAM route: every one of them in the template (the ops
// workspace's customer history, email lookup and saved replies included) is refused by the gateway with
// the invalid-signature 403 before any function runs.
func TestCustomerTokensReachNoOpsRoute(t *testing.T) {
	inv := &fakeInvoker{response: events.APIGatewayProxyResponse{StatusCode: 200}}
	g := newTestGateway(t, inv)
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	seen := map[string]bool{}
	for _, r := range routes {
		if r.Auth != samtemplate.AuthIAM {
			continue
		}
		path := param.ReplaceAllString(r.Path, "X1")
		var body []byte
		if r.Method != http.MethodGet && r.Method != http.MethodDelete {
			body = []byte(`{}`)
		}
		assertRefusal(t, serve(g, r.Method, path, "Bearer dev-customer:cust-budi", body, nil), http.StatusForbidden, "invalid_signature")
		seen[r.Method+" "+r.Path] = true
	}
	for _, must := range []string{"GET /ops/customers", "GET /ops/customers/{customerId}", "GET /ops/macros", "POST /ops/macros",
		"GET /ops/macros/{macroId}", "PUT /ops/macros/{macroId}", "DELETE /ops/macros/{macroId}", "POST /ops/complaints/{ticketId}/responses"} {
		if !seen[must] {
			t.Errorf("%s is not an AWS_IAM route in template.yaml", must)
		}
	}
	if inv.count() != 0 {
		t.Fatalf("customer tokens reached ops functions %d times", inv.count())
	}
}
