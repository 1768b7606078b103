package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The local API applies the template's WAF rules, as the deployed stage does: a body over 64 KB and the
// guest lookup rate limit (GuestLookupRateLimit, overridden here to its minimum of 10) are refused with the
// WAF_FILTERED problem document before any function runs.
func TestLocalAPIAppliesTheTemplateWAF(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s, _, _ := startTestStack(ctx, t, "waf", func(o *options) {
		o.Params = map[string]string{"GuestLookupRateLimit": "10"}
	})
	c := client{t: t, base: s.URL()}
	blocked := func(status int, body []byte) bool {
		var p struct {
			Status int    `json:"status"`
			Code   string `json:"code"`
		}
		return status == 403 && json.Unmarshal(body, &p) == nil && p.Status == 403 && p.Code == "request_blocked"
	}

	if status, body := c.do("POST", "/complaints", "Bearer dev-customer:cust-budi", `{"description":"`+strings.Repeat("a", 64*1024)+`"}`); !blocked(status, body) {
		t.Errorf("a body over 64 KB: %d %s, want 403 request_blocked", status, body)
	}
	lookup := `{"orderId":"TGP-10004","email":"siti.rahayu@example.co.id"}`
	for i := 1; i <= 10; i++ {
		if status, body := c.do("POST", "/orders/lookup", "", lookup); status != 200 {
			t.Fatalf("guest lookup %d of 10: %d %s", i, status, body)
		}
	}
	if status, body := c.do("POST", "/orders/lookup", "", lookup); !blocked(status, body) {
		t.Errorf("guest lookup 11 within 5 minutes: %d %s, want 403 request_blocked", status, body)
	}
	// Other routes from the same client are not limited.
	if status, body := c.do("GET", "/orders", "Bearer dev-customer:cust-budi", ""); status != 200 {
		t.Errorf("GET /orders after the lookup limit: %d %s", status, body)
	}
}
