// Package identity reads who is calling from the API Gateway request context, which only API Gateway
// (after the Cognito or IAM authorizer) can set. Headers are never consulted.
package identity

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
)

// Customer is a shopper signed in through the Cognito user pool.
type Customer struct {
	ID    string // the Cognito "sub" claim: stable, never reused
	Email string
	Name  string // the standard "name" attribute, when the pool has it
}

// Operator is shop staff calling with SigV4-signed (AWS_IAM) requests.
type Operator struct {
	ARN     string
	Account string
}

// Name is the last segment of the operator's ARN (user or role session), used in audit trails.
func (o Operator) Name() string {
	if i := strings.LastIndex(o.ARN, "/"); i >= 0 {
		return o.ARN[i+1:]
	}
	return o.ARN
}

// RequestContext returns the API Gateway request context the proxy adapter stored in ctx.
func RequestContext(ctx context.Context) (events.APIGatewayProxyRequestContext, bool) {
	return core.GetAPIGatewayContextFromContext(ctx)
}

// CustomerFrom returns the Cognito customer, if the authorizer vouched for one.
func CustomerFrom(ctx context.Context) (Customer, bool) {
	rc, ok := RequestContext(ctx)
	if !ok {
		return Customer{}, false
	}
	claims, ok := rc.Authorizer["claims"].(map[string]any)
	if !ok {
		return Customer{}, false
	}
	sub, _ := claims["sub"].(string)
	if strings.TrimSpace(sub) == "" {
		return Customer{}, false
	}
	email, _ := claims["email"].(string)
	name, _ := claims["name"].(string)
	return Customer{ID: sub, Email: email, Name: name}, true
}

// OperatorFrom returns the IAM principal, if API Gateway authenticated one with AWS_IAM.
func OperatorFrom(ctx context.Context) (Operator, bool) {
	rc, ok := RequestContext(ctx)
	if !ok || rc.Identity.UserArn == "" {
		return Operator{}, false
	}
	return Operator{ARN: rc.Identity.UserArn, Account: rc.Identity.AccountID}, true
}

// Principal is a stable string naming the caller, for scoping idempotency keys and audit entries.
// Guests are scoped by source IP: it is what API Gateway vouches for on an unauthenticated route.
func Principal(ctx context.Context) string {
	if c, ok := CustomerFrom(ctx); ok {
		return "customer:" + c.ID
	}
	if o, ok := OperatorFrom(ctx); ok {
		return "operator:" + o.ARN
	}
	if rc, ok := RequestContext(ctx); ok && rc.Identity.SourceIP != "" {
		return "guest:" + rc.Identity.SourceIP
	}
	return "guest"
}
