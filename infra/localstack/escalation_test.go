package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
)

// TestLocalStackEscalatesUrgentComplaint is the "done when" through `make run`'s stack: a complaint
// with an urgent keyword is filed over HTTP, the relay picks its outbox item from the SupportTable stream
// (the sweep is pushed out of the way) and sends it to the queue, the consumer's SQS event source runs the
// consumer, and the ticket shows escalated, with one notification on the team's subscription.
func TestLocalStackEscalatesUrgentComplaint(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s, o, logs := startTestStack(ctx, t, "esc", func(o *options) {
		o.Functions = []string{"ComplaintsFunction", "EscalationRelayFunction", "EscalationConsumerFunction"}
		o.ScheduleInterval = time.Hour
	})
	resources, prefix := s.resources, o.Prefix
	for _, id := range o.Functions {
		if _, ok := s.functions[id]; !ok {
			t.Fatalf("%s is not running: %s", id, s.skipped[id])
		}
	}
	ops := escalationtest.Subscribe(t, s.clients.SQS, s.clients.SNS, resources.Topics["EscalationTopic"], prefix+"quality-ops", `{"team": ["quality"]}`)

	c := client{t: t, base: s.URL()}
	status, body := c.do("POST", "/complaints", "Bearer dev-customer:cust-budi",
		`{"channel":"web","category":"product_quality","subject":"Kompor meledak","description":"Kompor yang saya beli meledak dan tangan saya terluka."}`)
	if status != 201 {
		t.Fatalf("POST /complaints: %d %s", status, body)
	}
	var filed struct {
		TicketID   string `json:"ticketId"`
		Priority   string `json:"priority"`
		Escalation struct {
			Status string `json:"status"`
		} `json:"escalation"`
	}
	if err := json.Unmarshal(body, &filed); err != nil || filed.Priority != "urgent" || filed.Escalation.Status != "pending" {
		t.Fatalf("filed: %v %s", err, body)
	}

	var view struct {
		Escalation struct {
			Status      string     `json:"status"`
			EscalatedAt *time.Time `json:"escalatedAt"`
		} `json:"escalation"`
	}
	deadline := time.Now().Add(60 * time.Second)
	for view.Escalation.Status != "escalated" {
		if time.Now().After(deadline) {
			t.Fatalf("ticket %s not escalated in time: %+v", filed.TicketID, view)
		}
		time.Sleep(200 * time.Millisecond)
		status, body := c.do("GET", "/complaints/"+filed.TicketID, "Bearer dev-customer:cust-budi", "")
		if status != 200 {
			t.Fatalf("GET complaint: %d %s", status, body)
		}
		if err := json.Unmarshal(body, &view); err != nil {
			t.Fatal(err)
		}
	}
	if view.Escalation.EscalatedAt == nil {
		t.Error("escalated without escalatedAt")
	}
	status, body = c.do("GET", "/ops/complaints/"+filed.TicketID, "Bearer dev-ops:alice", "")
	if status != 200 || !strings.Contains(string(body), `"team":"quality"`) || strings.Count(string(body), `"type":"escalated"`) != 1 {
		t.Fatalf("ops view: %d %s", status, body)
	}
	if got := ops.Drain(t, 3*time.Second); len(got) != 1 || got[0].Attributes["team"] != "quality" {
		t.Fatalf("quality team notifications: %+v", got)
	}
	if !strings.Contains(logs.String(), "escalation sent") || strings.Contains(logs.String(), "sweep done") {
		t.Errorf("expected the stream path (not the sweep) to send the escalation:\n%s", logs)
	}
}
