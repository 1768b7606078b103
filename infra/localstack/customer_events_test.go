package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// doWith is client.do with extra request headers (Accept-Language, Idempotency-Key).
func (c client) doWith(method, path, auth, body string, headers map[string]string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", auth)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestLocalStackWalkthroughReplyAndRefundReachInboxAndTopic is the README walkthrough through `make run`'s
// stack: an agent's reply and a refund arrive in the customer's inbox (in the language the customer used) and,
// through the relay on the SupportTable stream, on CustomerEventsTopic, which the stack prints one line each.
// Every function runs under its template policy (the test fails on any refusal).
func TestLocalStackWalkthroughReplyAndRefundReachInboxAndTopic(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s, _, logs := startTestStack(ctx, t, "evt", func(o *options) {
		o.Functions = []string{"OrdersFunction", "ReturnsFunction", "ComplaintsFunction", "NotificationsFunction", "EscalationRelayFunction"}
		o.ScheduleInterval = time.Hour // the stream path, not the sweep, publishes
	})
	for _, id := range []string{"ReturnsFunction", "ComplaintsFunction", "NotificationsFunction", "EscalationRelayFunction"} {
		if _, ok := s.functions[id]; !ok {
			t.Fatalf("%s is not running: %s", id, s.skipped[id])
		}
	}
	c := client{t: t, base: s.URL()}
	budi := "Bearer dev-customer:cust-budi"
	en := map[string]string{"Accept-Language": "en"}

	status, body := c.doWith("POST", "/complaints", budi, `{"channel":"web","category":"delivery","subject":"Late parcel","description":"My parcel is late."}`, en)
	var ticket struct {
		ID string `json:"ticketId"`
	}
	if status != 201 || json.Unmarshal(body, &ticket) != nil {
		t.Fatalf("POST /complaints: %d %s", status, body)
	}
	if status, body := c.do("POST", "/ops/complaints/"+ticket.ID+"/responses", "Bearer dev-ops:dewi", `{"message":"We are tracing it."}`); status != 200 {
		t.Fatalf("reply: %d %s", status, body)
	}

	order := "TGP-10001" // a delivered demo order of cust-budi (README, "Try it")
	status, body = c.doWith("GET", "/orders/"+order, budi, "", nil)
	var o struct {
		Lines []struct {
			LineID     string `json:"lineId"`
			Returnable int    `json:"returnableQuantity"`
		} `json:"lines"`
	}
	if status != 200 || json.Unmarshal(body, &o) != nil {
		t.Fatalf("GET order: %d %s", status, body)
	}
	line := ""
	for _, l := range o.Lines {
		if l.Returnable > 0 {
			line = l.LineID
		}
	}
	if line == "" {
		t.Fatalf("order %s has no returnable line: %s", order, body)
	}
	status, body = c.doWith("POST", "/orders/"+order+"/returns", budi,
		`{"lines":[{"lineId":"`+line+`","quantity":1,"reason":"defective","condition":"opened"}],"resolution":"refund"}`, en)
	var ret struct {
		ID string `json:"returnId"`
	}
	if status != 201 || json.Unmarshal(body, &ret) != nil {
		t.Fatalf("request return: %d %s", status, body)
	}
	for _, step := range []struct{ path, body string }{
		{"approve", ""}, {"receive", `{"lines":[{"lineId":"` + line + `","condition":"opened"}]}`}, {"refund", ""},
	} {
		if status, body := c.do("POST", "/ops/returns/"+ret.ID+"/"+step.path, "Bearer dev-ops:dewi", step.body); status != 200 {
			t.Fatalf("%s: %d %s", step.path, status, body)
		}
	}

	// The inbox: newest first, in English (the language of both requests).
	status, body = c.doWith("GET", "/notifications", budi, "", nil)
	var inbox struct {
		Items []struct {
			Type  string `json:"type"`
			Title string `json:"title"`
			Text  string `json:"text"`
		} `json:"items"`
		UnreadCount int `json:"unreadCount"`
	}
	if status != 200 || json.Unmarshal(body, &inbox) != nil {
		t.Fatalf("GET /notifications: %d %s", status, body)
	}
	var types []string
	for _, it := range inbox.Items {
		types = append(types, it.Type)
	}
	got := strings.Join(types, ",")
	// The seeded delivered orders are in the inbox too (order.delivered), and the relay may already have
	// added survey invitations: look for the walkthrough's own, in order.
	for _, want := range []string{"return.refunded", "return.received", "return.approved", "ticket.replied"} {
		i := strings.Index(got, want)
		if i < 0 {
			t.Fatalf("inbox %s lacks %s", got, want)
		}
		got = got[i+len(want):]
	}
	if !strings.Contains(string(body), `"title":"Refund issued"`) || !strings.Contains(string(body), `"title":"New reply to your complaint"`) ||
		strings.Contains(string(body), `"type":"refund.issued"`) || inbox.UnreadCount < 4 {
		t.Fatalf("inbox: %s", body)
	}

	// On the topic, printed by the stack's inspection subscriber.
	deadline := time.Now().Add(60 * time.Second)
	for {
		l := logs.String()
		if strings.Contains(l, "[CustomerEventsTopic] ticket.replied ticket/"+ticket.ID) &&
			strings.Contains(l, "[CustomerEventsTopic] refund.issued return/"+ret.ID) &&
			strings.Contains(l, "[CustomerEventsTopic] survey.invited return/"+ret.ID) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events not printed from the topic in time:\n%s", l)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The inspection subscription names the template's dead-letter queue, as a shop's subscriptions do.
	subs, err := s.clients.SNS.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(s.resources.Topics[inspectedTopic])})
	if err != nil || len(subs.Subscriptions) != 1 {
		t.Fatalf("subscriptions of %s: %v %v", inspectedTopic, subs, err)
	}
	attrs, err := s.clients.SNS.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: subs.Subscriptions[0].SubscriptionArn})
	if err != nil {
		t.Fatal(err)
	}
	var redrive struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	}
	if dlq := s.resources.Queues[inspectionDeadLetters].ARN; json.Unmarshal([]byte(attrs.Attributes["RedrivePolicy"]), &redrive) != nil ||
		dlq == "" || redrive.DeadLetterTargetArn != dlq {
		t.Errorf("inspection subscription RedrivePolicy %q, want %s", attrs.Attributes["RedrivePolicy"], dlq)
	}
}
