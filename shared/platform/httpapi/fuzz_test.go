package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// fuzzBody has every kind of field the request types use.
type fuzzBody struct {
	Name  string     `json:"name" validate:"max=20"`
	Count int        `json:"count"`
	Price int64      `json:"price"`
	Score *float64   `json:"score"`
	At    time.Time  `json:"at"`
	Until *time.Time `json:"until"`
	Flag  bool       `json:"flag"`
	Lines []struct {
		ID       string `json:"lineId" validate:"required"`
		Quantity int    `json:"quantity" validate:"gte=1"`
	} `json:"lines" validate:"max=5,dive"`
}

// FuzzDecodeBytes: any body is either decoded or refused as a 4xx problem of bounded size; nothing accepted
// holds invalid UTF-8 or a duplicate key.
func FuzzDecodeBytes(f *testing.F) {
	for _, seed := range []string{
		`{"name":"a","count":1,"lines":[{"lineId":"L1","quantity":1}]}`,
		`{"name":"a","count":1,"count":100}`,
		`{"NAME":"a"}`,
		"{\"name\":\"\xff\"}",
		`{"name":"\ud800"}`,
		`{"count":"1"}`, `{"count":1.5}`, `{"count":1e309}`, `{"price":-9223372036854775809}`,
		`{"lines":[{"lineId":"L1","price":5}]}`,
		`{"lines":[` + strings.Repeat(`{},`, 200) + `{}]}`,
		`{"at":"2026-11-20T10:00:00+07:00","until":null,"score":4.5,"flag":true}`,
		`{"at":"not a time"}`, `[]`, `null`, `{"name":"a"} {}`, strings.Repeat("[", 5000),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var dst fuzzBody
		err := httpapi.DecodeBytes(body, &dst)
		if err == nil {
			if !utf8.Valid(body) || !json.Valid(body) {
				t.Fatalf("accepted %q", body)
			}
			return
		}
		fe, ok := failure.As(err)
		if !ok || fe.Kind != failure.KindInvalid {
			t.Fatalf("not a client error: %v", err)
		}
		p := httpapi.ProblemFor(err, i18n.English)
		if p.Status != 400 || len(p.Errors) > httpapi.MaxFieldErrors {
			t.Fatalf("problem %+v", p)
		}
		out, _ := json.Marshal(p)
		if len(out) > 8<<10 {
			t.Fatalf("problem is %d bytes", len(out))
		}
	})
}
