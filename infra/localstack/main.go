// Command localstack is `make run`: the template's API, SQS consumers and schedules on this machine, without
// Docker. It provisions the template's tables, queues and topics in the local services (DynamoDB Local and
// fauxqs, which `make services-up` starts), builds every function that has a folder for the host, runs each
// bootstrap under the Lambda Runtime API stand-in, seeds demo data through the ops routes and serves the API
// on 127.0.0.1:3000 with local dev tokens in place of Cognito and SigV4.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tanggap/tanggap/infra/runtimeapi"
	"github.com/tanggap/tanggap/infra/samtemplate"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "localstack:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := samtemplate.RepoRoot()
	if err != nil {
		return err
	}
	o := options{Root: root, Log: os.Stderr, Params: map[string]string{}}
	flag.StringVar(&o.Listen, "listen", "127.0.0.1:3000", "address of the local API")
	flag.StringVar(&o.Endpoints.DynamoDB, "dynamodb-endpoint", envOr("TANGGAP_DYNAMODB_ENDPOINT", "http://127.0.0.1:8000"), "DynamoDB Local URL")
	flag.StringVar(&o.Endpoints.SQS, "sqs-endpoint", envOr("TANGGAP_SQS_ENDPOINT", "http://127.0.0.1:4566"), "SQS (fauxqs) URL")
	flag.StringVar(&o.Endpoints.SNS, "sns-endpoint", "", "SNS URL (default: the SQS endpoint; fauxqs serves both)")
	flag.StringVar(&o.Region, "region", envOr("AWS_REGION", "ap-southeast-3"), "region in ARNs and the functions' AWS_REGION")
	flag.StringVar(&o.TemplatePath, "template", filepath.Join(root, "template.yaml"), "SAM template")
	flag.StringVar(&o.Prefix, "prefix", "", "prefix for table, queue and topic names (default: the logical ids)")
	flag.StringVar(&o.BuildDir, "build-dir", filepath.Join(root, ".cache", "local"), "where host builds of the bootstraps go")
	flag.StringVar(&o.SeedDir, "seed-dir", filepath.Join(root, "infra", "localstack", "seed"), "demo data folder (empty: no seeding)")
	flag.DurationVar(&o.ScheduleInterval, "schedule-interval", 0, "how often Schedule events fire locally (0: the template's rate)")
	flag.IntVar(&o.MaxInstances, "max-instances", runtimeapi.DefaultMaxConcurrency,
		"most bootstrap processes per function without ReservedConcurrentExecutions (busy: requests wait)")
	flag.StringVar(&o.SystemLogLevel, "system-log-level", "",
		"override the template's LoggingConfig SystemLogLevel (INFO shows each invocation's platform.start/report lines)")
	flag.BoolVar(&o.NoIAM, "no-iam", false, "do not enforce each function's template policy on its DynamoDB requests")
	functions := flag.String("functions", "", "comma-separated logical ids to run (default: every function with a folder)")
	flag.Func("param", "template parameter override Name=Value (repeatable)", func(kv string) error {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("want Name=Value")
		}
		o.Params[k] = v
		return nil
	})
	flag.Parse()
	if o.Endpoints.SNS == "" {
		o.Endpoints.SNS = o.Endpoints.SQS
	}
	if *functions != "" {
		o.Functions = strings.Split(*functions, ",")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := startStack(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprint(os.Stderr, s.banner())
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "\nlocalstack: stopping the functions")
	s.Close()
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
