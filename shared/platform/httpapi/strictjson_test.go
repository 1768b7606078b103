package httpapi_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
)

// Through the production path: each body is refused with a 400 naming the field by JSON path.
func TestStrictBodiesNameTheField(t *testing.T) {
	h := newAPI(t, new(atomic.Int32))
	const ok = `"name":"a","quantity":1,"lines":[{"sku":"x"}]`
	cases := []struct {
		name, body, field, code string
	}{
		{"duplicate key", `{"name":"a","quantity":1,"quantity":100,"lines":[{"sku":"x"}]}`, "quantity", "duplicate"},
		{"duplicate nested key", `{"name":"a","quantity":1,"lines":[{"sku":"x","sku":"y"}]}`, "lines[0].sku", "duplicate"},
		{"upper case key", `{"name":"a","QUANTITY":1,"lines":[{"sku":"x"}]}`, "QUANTITY", "unknown"},
		{"capitalised key", `{"Name":"a","quantity":1,"lines":[{"sku":"x"}]}`, "Name", "unknown"},
		{"case variant in an array", `{"name":"a","quantity":1,"lines":[{"SKU":"x"}]}`, "lines[0].SKU", "unknown"},
		{"unknown nested field", `{"name":"a","quantity":1,"lines":[{"sku":"x"},{"sku":"y","price":5}]}`, "lines[1].price", "unknown"},
		{"invalid UTF-8", "{\"name\":\"a\xff\",\"quantity\":1,\"lines\":[{\"sku\":\"x\"}]}", "name", "utf8"},
		{"invalid UTF-8 in an array", "{\"name\":\"a\",\"quantity\":1,\"lines\":[{\"sku\":\"\xc3\x28\"}]}", "lines[0].sku", "utf8"},
		{"lone surrogate escape", `{"name":"\ud800","quantity":1,"lines":[{"sku":"x"}]}`, "name", "utf8"},
		{"invalid UTF-8 in a key", "{\"name\":\"a\",\"quantity\":1,\"lines\":[{\"sk\xffu\":\"x\"}]}", "lines[0]", "utf8"},
		{"string for integer", `{"name":"a","quantity":"1","lines":[{"sku":"x"}]}`, "quantity", "type"},
		{"fraction for integer", `{"name":"a","quantity":1.5,"lines":[{"sku":"x"}]}`, "quantity", "type"},
		{"huge number", `{"name":"a","quantity":1e309,"lines":[{"sku":"x"}]}`, "quantity", "type"},
		{"integer out of range", `{"name":"a","quantity":99999999999999999999,"lines":[{"sku":"x"}]}`, "quantity", "type"},
		{"number for string in an array", `{"name":"a","quantity":1,"lines":[{"sku":"x"},{"sku":5}]}`, "lines[1].sku", "type"},
		{"null for a required value", `{"name":null,"quantity":1,"lines":[{"sku":"x"}]}`, "name", "type"},
		{"object for an array", `{"name":"a","quantity":1,"lines":{"sku":"x"}}`, "lines", "type"},
	}
	for _, c := range cases {
		p := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: c.body, As: apitest.AsCustomer("c1"),
			Headers: map[string]string{"Accept-Language": "en"}}, 400).Problem()
		if p.Code != "validation_failed" || len(p.Errors) != 1 || p.Errors[0].Field != c.field || p.Errors[0].Code != c.code ||
			p.Errors[0].Message == "" || strings.HasPrefix(p.Errors[0].Message, "field.") {
			t.Errorf("%s: got %+v, want %s %s", c.name, p, c.field, c.code)
		}
	}
	// Still accepted: a replacement character the client really sent, escaped or not.
	for _, name := range []string{`"\ufffd"`, `"\uFFFD"`, "\"\uFFFD\"", `"\ud83d\ude00"`} {
		apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: `{"name":` + name + `,"quantity":1,"lines":[{"sku":"x"}]}`,
			As: apitest.AsCustomer("c1")}, 201)
	}
	for _, body := range []string{`[` + `{` + ok + `}]`, `"x"`, `null`, `{` + ok + `,}`, "{" + ok + "}\x00"} {
		if p := apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/widgets", Body: body, As: apitest.AsCustomer("c1")}, 400).Problem(); p.Code != "malformed_json" {
			t.Errorf("%q: %+v", body, p)
		}
	}
}

type cappedRequest struct {
	Lines []struct {
		SKU string `json:"sku" validate:"required"`
	} `json:"lines" validate:"required,max=3,dive"`
	At       time.Time  `json:"at"`
	Optional *time.Time `json:"optional"`
	Note     *string    `json:"note"`
}

func TestStrictDecodeCapsArraysAndChecksTimes(t *testing.T) {
	var req cappedRequest
	err := httpapi.DecodeBytes([]byte(`{"lines":[`+strings.Repeat(`{"sku":""},`, 15000)+`{}],"at":"2026-01-02T03:04:05Z"}`), &req)
	if fe, ok := failure.As(err); !ok || len(fe.Fields) != 1 || fe.Fields[0] != (failure.FieldError{Field: "lines", Code: "max", Param: "3"}) {
		t.Fatalf("got %v", err)
	}
	err = httpapi.DecodeBytes([]byte(`{"lines":[{"sku":"a"}],"at":"yesterday"}`), &req)
	if fe, ok := failure.As(err); !ok || len(fe.Fields) != 1 || fe.Fields[0].Field != "at" || fe.Fields[0].Code != "datetime" {
		t.Fatalf("got %v", err)
	}
	req = cappedRequest{}
	if err := httpapi.DecodeBytes([]byte(`{"lines":[{"sku":"a"}],"at":"2026-01-02T03:04:05+07:00","optional":null,"note":null}`), &req); err != nil ||
		req.At.IsZero() || req.Optional != nil || req.Note != nil {
		t.Fatalf("%v %+v", err, req)
	}
}
