package eventsource

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Schedule invokes a function on a fixed local interval instead of its rate()/cron() expression, with the
// payload EventBridge would send for a scheduled rule.
type Schedule struct {
	RuleName  string // e.g. tanggap-local-EscalationRelayFunctionSweep
	Region    string
	AccountID string
	Interval  time.Duration
	// Input replaces the event when the template sets one (the rule target's Input).
	Input  string
	Invoke InvokeFunc
	Logf   func(format string, args ...any)
	Now    func() time.Time
}

// Run fires every Interval until ctx is done. A failing invocation is logged; the next tick tries again.
func (s *Schedule) Run(ctx context.Context) error {
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if _, err := s.Fire(ctx); err != nil && ctx.Err() == nil && s.Logf != nil {
				s.Logf("schedule %s: %v", s.RuleName, err)
			}
		}
	}
}

// Fire invokes the function once.
func (s *Schedule) Fire(ctx context.Context) ([]byte, error) {
	payload := []byte(s.Input)
	if s.Input == "" {
		var err error
		if payload, err = json.Marshal(s.Event()); err != nil {
			return nil, err
		}
	}
	return s.Invoke(ctx, payload)
}

// Event is the EventBridge "Scheduled Event" for this rule at the current time.
func (s *Schedule) Event() events.EventBridgeEvent {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	h := hex.EncodeToString(id)
	return events.EventBridgeEvent{
		Version:    "0",
		ID:         h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:],
		DetailType: "Scheduled Event",
		Source:     "aws.events",
		AccountID:  s.AccountID,
		Time:       now().UTC().Truncate(time.Second),
		Region:     s.Region,
		Resources:  []string{fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", s.Region, s.AccountID, s.RuleName)},
		Detail:     json.RawMessage(`{}`),
	}
}
