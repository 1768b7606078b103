package httpapi_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
)

// strictShapes has one field of each shape the strict check follows: capped and uncapped slices (the cap
// read from the validate tag, before any dive), nested slices, pointers, sized numbers, values of no
// particular type, a struct without a json tag, an embedded struct, and fields JSON never sees.
type strictShapes struct {
	One     []string        `json:"one" validate:"max=1"`
	Tags    []string        `json:"tags" validate:"omitempty,max=2"`
	Sizes   []int           `json:"sizes" validate:"dive,max=5"`
	Grid    [][]int         `json:"grid"`
	Opt     *[]string       `json:"opt"`
	Qty     *int64          `json:"qty"`
	Small   int8            `json:"small"`
	Count   uint16          `json:"count"`
	Ratio   float32         `json:"ratio"`
	Flag    bool            `json:"flag"`
	Meta    any             `json:"meta"`
	Raw     json.RawMessage `json:"raw"`
	Items   []strictItem    `json:"items"`
	Address strictAddress
	strictEmbedded
}

type strictItem struct {
	Secret string `json:"-"`
	hidden string
	Flag   bool    `json:"flag"`
	N      int     `json:"n"`
	U      uint    `json:"u"`
	F      float64 `json:"f"`
	Name   string  `json:"name"`
}

type strictAddress struct {
	City string `json:"city"`
}

type strictEmbedded struct {
	Note string `json:"note"`
}

func decodeShapes(body string) (strictShapes, error) {
	var s strictShapes
	err := httpapi.DecodeBytes([]byte(body), &s)
	return s, err
}

// Every shape decodes when the body is right: limits are where the tags put them and no tighter, numbers use
// their type's whole range, untagged and embedded fields go by their Go and promoted names.
func TestStrictDecodeAcceptsEveryShapeAtItsLimits(t *testing.T) {
	s, err := decodeShapes(`{"one":["a"],"tags":["a","b"],"sizes":[1,2,3,4,5,5],"grid":[[1,2],[3,4]],"opt":["a","b"],
		"qty":9223372036854775807,"small":127,"count":65535,"ratio":1.5,"flag":true,"meta":{"a":[1,{"b":null}]},
		"raw":{"x":[1,2]},"items":[{"flag":false,"n":-3,"u":7,"f":2.5,"name":"x"}],"Address":{"city":"Bandung"},"note":"hi"}`)
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	if s.Qty == nil || *s.Qty != math.MaxInt64 || s.Small != 127 || s.Count != 65535 || s.Ratio != 1.5 || !s.Flag ||
		len(s.Sizes) != 6 || len(s.Grid) != 2 || s.Opt == nil || len(*s.Opt) != 2 || string(s.Raw) != `{"x":[1,2]}` ||
		len(s.Items) != 1 || s.Items[0].Name != "x" || s.Address.City != "Bandung" || s.Note != "hi" {
		t.Fatalf("decoded %+v", s)
	}
	if s.Items[0].hidden != "" || s.Items[0].Secret != "" {
		t.Fatal("fields JSON never sees were set")
	}
}

// What is wrong is named by its JSON path, array index included, with the cap a slice passed.
func TestStrictDecodeNamesWhatIsWrongByPath(t *testing.T) {
	long := strings.Repeat("k", 101)
	for _, c := range []struct {
		name, body string
		want       failure.FieldError
	}{
		{"past a cap of one", `{"one":["a",2]}`, failure.FieldError{Field: "one", Code: "max", Param: "1"}},
		{"past a cap, the extra element wrong too", `{"tags":["a","b",3]}`, failure.FieldError{Field: "tags", Code: "max", Param: "2"}},
		{"a number for an object in an array", `{"items":[5]}`, failure.FieldError{Field: "items[0]", Code: "type"}},
		{"a string for a bool", `{"items":[{"flag":"yes"}]}`, failure.FieldError{Field: "items[0].flag", Code: "type"}},
		{"a string for an int", `{"items":[{"n":"1"}]}`, failure.FieldError{Field: "items[0].n", Code: "type"}},
		{"a fraction for an int", `{"items":[{"n":1.5}]}`, failure.FieldError{Field: "items[0].n", Code: "type"}},
		{"a string for a uint", `{"items":[{"u":"1"}]}`, failure.FieldError{Field: "items[0].u", Code: "type"}},
		{"a negative uint", `{"items":[{"u":-1}]}`, failure.FieldError{Field: "items[0].u", Code: "type"}},
		{"a string for a float", `{"items":[{"f":"x"}]}`, failure.FieldError{Field: "items[0].f", Code: "type"}},
		{"a float out of range", `{"ratio":1e39}`, failure.FieldError{Field: "ratio", Code: "type"}},
		{"an int8 out of range", `{"small":128}`, failure.FieldError{Field: "small", Code: "type"}},
		{"the json:\"-\" name", `{"items":[{"-":"x"}]}`, failure.FieldError{Field: "items[0].-", Code: "unknown"}},
		{"an unexported field", `{"items":[{"hidden":"x"}]}`, failure.FieldError{Field: "items[0].hidden", Code: "unknown"}},
		{"the embedded struct's own name", `{"strictEmbedded":{}}`, failure.FieldError{Field: "strictEmbedded", Code: "unknown"}},
		{"a field of an untagged struct at the top", `{"city":"x"}`, failure.FieldError{Field: "city", Code: "unknown"}},
		{"a long unknown key is cut at 100 bytes", `{"` + long + `":1}`, failure.FieldError{Field: long[:100] + "…", Code: "unknown"}},
		{"an unknown key of 100 bytes is whole", `{"` + long[:100] + `":1}`, failure.FieldError{Field: long[:100], Code: "unknown"}},
	} {
		_, err := decodeShapes(c.body)
		fe, ok := failure.As(err)
		if !ok || len(fe.Fields) != 1 || fe.Fields[0] != c.want {
			t.Errorf("%s: got %v, want %+v", c.name, err, c.want)
		}
	}
}

// Values of no particular type may nest 31 deep inside a field (32 with the body's own object); one more is
// refused as malformed, arrays and objects alike. Nothing may follow the body's value.
func TestStrictDecodeBoundsNestingAndTrailingInput(t *testing.T) {
	arrays := func(n int) string { return `{"meta":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}` }
	objects := func(n int) string {
		return `{"meta":` + strings.Repeat(`{"a":`, n) + `1` + strings.Repeat("}", n) + `}`
	}
	for _, nest := range []func(int) string{arrays, objects} {
		if _, err := decodeShapes(nest(31)); err != nil {
			t.Errorf("%.20s… 31 deep: %v", nest(31), err)
		}
		_, err := decodeShapes(nest(32))
		if fe, ok := failure.As(err); !ok || fe.Code != "malformed_json" {
			t.Errorf("%.20s… 32 deep: %v, want malformed_json", nest(32), err)
		}
	}
	for _, body := range []string{`{"flag":true}}`, `{"flag":true}]`, `{"flag":true} {}`} {
		_, err := decodeShapes(body)
		if fe, ok := failure.As(err); !ok || fe.Code != "malformed_json" {
			t.Errorf("%q: %v, want malformed_json", body, err)
		}
	}
}

// DecodeBytes needs somewhere to decode into: anything but a pointer is a caller's bug, reported, not a panic.
func TestDecodeBytesRefusesANonPointer(t *testing.T) {
	for _, dst := range []any{nil, strictShapes{}} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%T: panicked: %v", dst, p)
				}
			}()
			if err := httpapi.DecodeBytes([]byte(`{}`), dst); err == nil {
				t.Errorf("%T: accepted", dst)
			}
		}()
	}
}
