// Package config reads a function's settings from its environment once, at cold start, and fails
// fast with every problem listed rather than the first.
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// Env reads variables and collects what is missing or malformed.
type Env struct {
	lookup func(string) (string, bool)
	errs   []error
}

// FromOS reads the process environment.
func FromOS() *Env { return &Env{lookup: os.LookupEnv} }

// FromMap reads a fixed environment (tests).
func FromMap(m map[string]string) *Env {
	return &Env{lookup: func(k string) (string, bool) { v, ok := m[k]; return v, ok }}
}

// Required returns a non-empty variable.
func (e *Env) Required(name string) string {
	v, ok := e.lookup(name)
	if !ok || strings.TrimSpace(v) == "" {
		e.errs = append(e.errs, fmt.Errorf("%s is required", name))
	}
	return strings.TrimSpace(v)
}

// Optional returns a variable or def.
func (e *Env) Optional(name, def string) string {
	if v, ok := e.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

// Int returns an integer variable or def.
func (e *Env) Int(name string, def int64) int64 {
	v, ok := e.lookup(name)
	if !ok || strings.TrimSpace(v) == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s must be an integer, got %q", name, v))
		return def
	}
	return n
}

// Err is every problem found so far.
func (e *Env) Err() error { return errors.Join(e.errs...) }

// Core is what every function needs.
type Core struct {
	TableName       string
	DefaultCurrency string
	AllowedOrigin   string
	LogLevel        string
}

// LoadCore reads the Globals every function shares.
func LoadCore(e *Env) Core {
	return Core{
		TableName:       e.Required("TABLE_NAME"),
		DefaultCurrency: e.Optional("DEFAULT_CURRENCY", "IDR"),
		AllowedOrigin:   e.Optional("ALLOWED_ORIGIN", "*"),
		LogLevel:        e.Optional("AWS_LAMBDA_LOG_LEVEL", e.Optional("LOG_LEVEL", "INFO")),
	}
}

// IdempotencyTable is the Idempotency-Key table, required only by the functions that honour the header (the
// API functions that change something); the others run without it.
func IdempotencyTable(e *Env) string {
	return e.Required("IDEMPOTENCY_TABLE_NAME")
}

// ReturnPolicy reads the configurable return rules, defaulting to returnpolicy.Default.
func ReturnPolicy(e *Env) returnpolicy.Policy {
	p := returnpolicy.Default()
	p.Version = e.Optional("RETURN_POLICY_VERSION", p.Version)
	p.WindowDays = int(e.Int("RETURN_WINDOW_DAYS", int64(p.WindowDays)))
	p.RestockingFeeBps = e.Int("RESTOCKING_FEE_BPS", p.RestockingFeeBps)
	p.TimeZone = e.Optional("SHOP_TIME_ZONE", p.TimeZone)
	if err := p.Validate(); err != nil {
		e.errs = append(e.errs, err)
	}
	return p
}

// AWS builds the SDK configuration from the variables Lambda always sets (AWS_REGION and the
// execution role's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN). The SDK's full
// default chain (shared files, SSO, STS, IMDS) would double every bootstrap's size and cold start
// for credential sources a Lambda never uses.
func AWS(e *Env) aws.Config {
	return aws.Config{
		Region: e.Required("AWS_REGION"),
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			e.Required("AWS_ACCESS_KEY_ID"), e.Required("AWS_SECRET_ACCESS_KEY"), e.Optional("AWS_SESSION_TOKEN", ""))),
		RetryMaxAttempts: 3,
	}
}

// Endpoint returns the endpoint override for a service from the SDK's standard AWS_ENDPOINT_URL_<SERVICE>
// (or AWS_ENDPOINT_URL) variable, or nil for the service's regional endpoint. Only local runs set them.
func (e *Env) Endpoint(service string) *string {
	for _, name := range []string{"AWS_ENDPOINT_URL_" + strings.ToUpper(service), "AWS_ENDPOINT_URL"} {
		if v, ok := e.lookup(name); ok && strings.TrimSpace(v) != "" {
			ep := strings.TrimSpace(v)
			return &ep
		}
	}
	return nil
}
