// Package testenv gives integration tests isolated AWS resources on the local services (DynamoDB Local and
// fauxqs), built from template.yaml so tests always run against the tables and queues the stack deploys.
//
// Endpoints come from TANGGAP_DYNAMODB_ENDPOINT and TANGGAP_SQS_ENDPOINT (SNS is served by the same fauxqs),
// which `make test` sets. Without them tests are skipped, unless TANGGAP_REQUIRE_SERVICES=1, which turns the
// skip into a failure so CI cannot pass by skipping. Every call creates uniquely named resources and deletes
// them in t.Cleanup, so tests may run in parallel.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// Environment variables read by this package.
const (
	EnvDynamoDBEndpoint = "TANGGAP_DYNAMODB_ENDPOINT"
	EnvSQSEndpoint      = "TANGGAP_SQS_ENDPOINT"
	EnvFauxqsCommand    = "TANGGAP_FAUXQS_COMMAND"
	EnvRequireServices  = "TANGGAP_REQUIRE_SERVICES"
)

// Region is the region every local client uses.
const Region = "ap-southeast-3"

// cleanupTimeout bounds resource deletion; t.Context() is already cancelled when cleanups run.
const cleanupTimeout = 30 * time.Second

var projectTemplate = sync.OnceValues(samtemplate.LoadProject)

// ProjectTemplate returns template.yaml, parsed once per test binary.
func ProjectTemplate(t testing.TB) *samtemplate.Template {
	t.Helper()
	tpl, err := projectTemplate()
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return tpl
}

// DynamoDBEndpoint returns TANGGAP_DYNAMODB_ENDPOINT after checking that something listens there, or skips
// (fails under TANGGAP_REQUIRE_SERVICES=1) when it is not set.
func DynamoDBEndpoint(t testing.TB) string {
	t.Helper()
	return serviceEndpoint(t, EnvDynamoDBEndpoint)
}

// SQSEndpoint returns TANGGAP_SQS_ENDPOINT (SQS and SNS) like DynamoDBEndpoint.
func SQSEndpoint(t testing.TB) string {
	t.Helper()
	return serviceEndpoint(t, EnvSQSEndpoint)
}

func serviceEndpoint(t testing.TB, envVar string) string {
	t.Helper()
	endpoint := requireEnv(t, envVar)
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		t.Fatalf("testenv: %s=%q is not a URL", envVar, endpoint)
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	conn, err := net.DialTimeout("tcp", host, 2*time.Second)
	if err != nil {
		t.Fatalf("testenv: %s=%s is not reachable (%v); start the services with `make services-up`", envVar, endpoint, err)
	}
	conn.Close()
	return strings.TrimSuffix(endpoint, "/")
}

// requireEnv returns a non-empty variable, or skips/fails as the package doc describes.
func requireEnv(t testing.TB, envVar string) string {
	t.Helper()
	if v := os.Getenv(envVar); v != "" {
		return v
	}
	if os.Getenv(EnvRequireServices) == "1" {
		t.Fatalf("testenv: %s is not set and %s=1; run the tests through `make test`", envVar, EnvRequireServices)
	}
	t.Skipf("testenv: %s is not set; integration test skipped (run `make test`, or `make services-up` and eval \"$(make -s env)\")", envVar)
	return ""
}

// AWSConfig is the SDK configuration for the local services: static dummy credentials and Region.
func AWSConfig() aws.Config {
	return aws.Config{
		Region:      Region,
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}
}

// NewDynamoDBClient returns a DynamoDB client for endpoint.
func NewDynamoDBClient(endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(AWSConfig(), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// NewSQSClient returns an SQS client for endpoint.
func NewSQSClient(endpoint string) *sqs.Client {
	return sqs.NewFromConfig(AWSConfig(), func(o *sqs.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// NewSNSClient returns an SNS client for endpoint.
func NewSNSClient(endpoint string) *sns.Client {
	return sns.NewFromConfig(AWSConfig(), func(o *sns.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// uniquePrefix names one call's resources: readable in service listings, unique across parallel tests.
func uniquePrefix(t testing.TB) string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("testenv: random: %v", err)
	}
	name := t.Name()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var clean strings.Builder
	for _, r := range name {
		if clean.Len() >= 20 {
			break
		}
		if r < 128 && (r == '-' || r == '_' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			clean.WriteRune(r)
		}
	}
	return "tg-" + clean.String() + "-" + hex.EncodeToString(b[:]) + "-"
}

func cleanupContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), cleanupTimeout)
}
