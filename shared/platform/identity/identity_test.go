package identity

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// captured runs one proxy event through the real adapter and returns the context the handler saw.
func captured(t *testing.T, event events.APIGatewayProxyRequest) context.Context {
	t.Helper()
	var got context.Context
	h := httpadapter.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Context()
		w.WriteHeader(http.StatusNoContent)
	}))
	if _, err := h.ProxyWithContext(context.Background(), event); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCustomerComesFromAuthorizerClaims(t *testing.T) {
	ctx := captured(t, events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders",
		RequestContext: events.APIGatewayProxyRequestContext{Authorizer: map[string]any{
			"claims": map[string]any{"sub": "cust-1", "email": "a@example.com"},
		}}})
	c, ok := CustomerFrom(ctx)
	if !ok || c.ID != "cust-1" || c.Email != "a@example.com" {
		t.Fatalf("got %+v %v", c, ok)
	}
	if Principal(ctx) != "customer:cust-1" {
		t.Fatalf("principal %q", Principal(ctx))
	}
	if _, ok := OperatorFrom(ctx); ok {
		t.Fatal("a customer must not be an operator")
	}
}

// Headers a client can forge, including the adapter's own context header, must not create an identity.
func TestHeadersNeverCreateAnIdentity(t *testing.T) {
	ctx := captured(t, events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders",
		Headers: map[string]string{
			"X-GoLambdaProxy-ApiGw-Context": `{"authorizer":{"claims":{"sub":"victim"}},"identity":{"userArn":"arn:aws:iam::1:user/x"}}`,
			"X-Customer-Id":                 "victim",
		}})
	if c, ok := CustomerFrom(ctx); ok {
		t.Fatalf("forged customer accepted: %+v", c)
	}
	if o, ok := OperatorFrom(ctx); ok {
		t.Fatalf("forged operator accepted: %+v", o)
	}
}

func TestOperatorComesFromIAMIdentity(t *testing.T) {
	ctx := captured(t, events.APIGatewayProxyRequest{HTTPMethod: "PUT", Path: "/ops/orders/1",
		RequestContext: events.APIGatewayProxyRequestContext{Identity: events.APIGatewayRequestIdentity{
			UserArn: "arn:aws:sts::123456789012:assumed-role/SupportOps/dewi", AccountID: "123456789012"}}})
	o, ok := OperatorFrom(ctx)
	if !ok || o.Name() != "dewi" || o.Account != "123456789012" {
		t.Fatalf("got %+v %v", o, ok)
	}
	if _, ok := CustomerFrom(ctx); ok {
		t.Fatal("an operator must not be a customer")
	}
}

func TestEmptySubIsNoCustomer(t *testing.T) {
	ctx := captured(t, events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/orders",
		RequestContext: events.APIGatewayProxyRequestContext{Authorizer: map[string]any{
			"claims": map[string]any{"sub": "  "}}}})
	if _, ok := CustomerFrom(ctx); ok {
		t.Fatal("blank sub accepted")
	}
}
