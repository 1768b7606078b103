package config

import (
	"strings"
	"testing"
)

func TestLoadCoreListsEveryProblem(t *testing.T) {
	e := FromMap(map[string]string{"RETURN_WINDOW_DAYS": "thirty", "RESTOCKING_FEE_BPS": "20000"})
	LoadCore(e)
	IdempotencyTable(e)
	ReturnPolicy(e)
	err := e.Err()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"TABLE_NAME is required", "IDEMPOTENCY_TABLE_NAME is required", "RETURN_WINDOW_DAYS must be an integer", "restocking fee 20000"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// Functions that never use the idempotency table (metrics, escalation relay and consumer) start without it.
func TestCoreDoesNotNeedTheIdempotencyTable(t *testing.T) {
	e := FromMap(map[string]string{"TABLE_NAME": "t"})
	LoadCore(e)
	if err := e.Err(); err != nil {
		t.Fatalf("LoadCore without IDEMPOTENCY_TABLE_NAME: %v", err)
	}
	IdempotencyTable(e)
	if err := e.Err(); err == nil || !strings.Contains(err.Error(), "IDEMPOTENCY_TABLE_NAME is required") {
		t.Fatalf("IdempotencyTable without IDEMPOTENCY_TABLE_NAME: err = %v", err)
	}
}

func TestDefaults(t *testing.T) {
	e := FromMap(map[string]string{"TABLE_NAME": "t", "IDEMPOTENCY_TABLE_NAME": "i", "RETURN_WINDOW_DAYS": "14"})
	c := LoadCore(e)
	p := ReturnPolicy(e)
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	if c.DefaultCurrency != "IDR" || c.AllowedOrigin != "*" || p.WindowDays != 14 || p.RestockingFeeBps != 1000 {
		t.Fatalf("%+v %+v", c, p)
	}
}
