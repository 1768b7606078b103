package config

import (
	"strings"
	"testing"
)

func TestLoadCoreListsEveryProblem(t *testing.T) {
	e := FromMap(map[string]string{"RETURN_WINDOW_DAYS": "thirty", "RESTOCKING_FEE_BPS": "20000"})
	LoadCore(e)
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
