// Package lambdaboot is what every function does before its own wiring: read the shared settings once,
// install the redacting JSON logger, and build the AWS configuration and DynamoDB client from the
// variables Lambda sets. A function's main adds its own settings, calls MustBeConfigured, wires its
// services and calls lambda.Start.
package lambdaboot

import (
	"errors"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/platform/logging"
)

// Function is a cold-started function's shared dependencies.
type Function struct {
	Env  *config.Env
	Core config.Core
	AWS  aws.Config
	DB   *dynamodb.Client
	Log  *slog.Logger
}

// Boot reads the shared settings, installs the logger and builds the DynamoDB client.
func Boot() *Function {
	env := config.FromOS()
	core := config.LoadCore(env)
	log := logging.Install(os.Stdout, core.LogLevel)
	cfg := config.AWS(env)
	return &Function{
		Env: env, Core: core, AWS: cfg, Log: log,
		DB: dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = env.Endpoint("dynamodb") }),
	}
}

// MustBeConfigured ends the cold start with every configuration problem found, including extra ones the
// function's own settings reported, so a bad deploy fails loudly at init rather than per request.
func (f *Function) MustBeConfigured(extra ...error) {
	if err := errors.Join(append([]error{f.Env.Err()}, extra...)...); err != nil {
		f.Fail("invalid configuration", err)
	}
}

// Fail logs why the function cannot start and exits; Lambda reports it as an init error.
func (f *Function) Fail(msg string, err error) {
	f.Log.Error(msg, slog.Any("err", err))
	os.Exit(1)
}

// Idempotency is the Idempotency-Key guard over the function's idempotency table (IDEMPOTENCY_TABLE_NAME,
// which only the functions calling this need); without the table the function does not start.
func (f *Function) Idempotency() *idempotency.Guard {
	table := config.IdempotencyTable(f.Env)
	f.MustBeConfigured()
	return idempotency.NewGuard(dynamostore.NewIdempotency(f.DB, table))
}
