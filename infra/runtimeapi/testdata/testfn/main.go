// Command testfn is a tiny Lambda function for the runtimeapi tests. The payload's "action" picks a behaviour.
package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type request struct {
	Action  string   `json:"action"`
	SleepMS int      `json:"sleepMs"`
	Env     []string `json:"env"`
}

type response struct {
	Action      string            `json:"action"`
	RequestID   string            `json:"requestId"`
	FunctionARN string            `json:"functionArn"`
	HasDeadline bool              `json:"hasDeadline"`
	TraceID     string            `json:"traceId"`
	Env         map[string]string `json:"env,omitempty"`
	PID         int               `json:"pid"`
}

func main() {
	if os.Getenv("TESTFN_INIT") == "exit" {
		os.Exit(7) // crash during init
	}
	lambda.Start(handle)
}

func handle(ctx context.Context, req request) (response, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	_, hasDeadline := ctx.Deadline()
	out := response{Action: req.Action, HasDeadline: hasDeadline, TraceID: os.Getenv("_X_AMZN_TRACE_ID"), PID: os.Getpid()}
	if lc != nil {
		out.RequestID, out.FunctionARN = lc.AwsRequestID, lc.InvokedFunctionArn
	}
	switch req.Action {
	case "error":
		return response{}, errors.New("order not found")
	case "panic":
		panic("boom")
	case "exit":
		os.Exit(3)
	case "sleep":
		time.Sleep(time.Duration(req.SleepMS) * time.Millisecond)
	case "env":
		out.Env = map[string]string{}
		for _, k := range req.Env {
			out.Env[k] = os.Getenv(k)
		}
	}
	return out, nil
}
