package httpapi

import (
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Why a pre-check and not a strict decoder: github.com/go-json-experiment/json (strict about duplicate and
// case-variant names and invalid UTF-8, with JSON pointers in its errors) adds 458,752 bytes to the largest
// bootstrap, 7,733,410 -> 8,192,162, over the 8,000,000-byte ceiling infra/bootstrapbench enforces; building
// with GOEXPERIMENT=jsonv2 instead gives 8,061,090. This walk uses encoding/json's tokenizer, already linked.

// maxDepth bounds nesting where the walk has no type to follow (values of json.Unmarshaler types).
const maxDepth = 32

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType            = reflect.TypeFor[time.Time]()
)

// checkStrict walks body against the Go type t that it will be decoded into, and reports the first thing
// encoding/json would let through silently: a duplicate key, a key that is not in the contract (including one
// that differs only in case), invalid UTF-8 or a lone surrogate in a string, or a value of the wrong JSON type
// (including null for a field that is not nullable, fractions, and numbers out of range). The error names the
// field by JSON path. A slice field whose validate tag says max=N is refused once it passes N elements, before
// the elements are looked at.
func checkStrict(body []byte, t reflect.Type) error {
	if !json.Valid(body) {
		return failure.New(failure.KindInvalid, "malformed_json")
	}
	w := &walker{dec: json.NewDecoder(strings.NewReader(string(body))), body: body}
	w.dec.UseNumber()
	err := w.value("", t, 0, 0)
	if fe, ok := failure.As(err); ok && len(fe.Fields) == 1 && fe.Fields[0].Field == "" {
		return failure.New(failure.KindInvalid, "malformed_json").Wrap(err) // not an object at all
	}
	return err
}

type walker struct {
	dec  *json.Decoder
	body []byte
}

// errSyntax stops the walk; encoding/json's own error is not shown to clients.
func errSyntax(err error) error { return failure.New(failure.KindInvalid, "malformed_json").Wrap(err) }

func fieldError(path, code, param string) error {
	return failure.Invalid(failure.FieldError{Field: path, Code: code, Param: param})
}

// token reads the next token and the raw bytes it came from (with any separators before it).
func (w *walker) token() (json.Token, []byte, error) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, nil, errSyntax(err)
	}
	return tok, w.body[start:w.dec.InputOffset()], nil
}

// value walks the next value, which is to be decoded into t; maxItems (> 0) caps an array's elements.
func (w *walker) value(path string, t reflect.Type, maxItems, depth int) error {
	tok, raw, err := w.token()
	if err != nil {
		return err
	}
	if s, ok := tok.(string); ok && !validString(s, raw) {
		return fieldError(path, "utf8", "")
	}
	if tok == nil { // null
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
			return nil
		}
		return typeError(path)
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		s, ok := tok.(string)
		if !ok {
			return typeError(path)
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fieldError(path, "datetime", "")
		}
		return nil
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
		if _, ok := tok.(string); !ok {
			return typeError(path)
		}
		return nil
	case reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() == reflect.Interface:
		return w.anyFrom(tok, path, depth)
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return typeError(path)
		}
		return w.object(path, depth, func(key string) (reflect.Type, int, bool) {
			f, ok := fieldsOf(t)[key]
			return f.typ, f.maxItems, ok
		})
	case reflect.Map:
		if tok != json.Delim('{') || t.Key().Kind() != reflect.String {
			return typeError(path)
		}
		return w.object(path, depth, func(string) (reflect.Type, int, bool) { return t.Elem(), 0, true })
	case reflect.Slice, reflect.Array:
		if tok != json.Delim('[') {
			return typeError(path)
		}
		return w.array(path, t.Elem(), maxItems, depth)
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return typeError(path)
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return typeError(path)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return typeError(path)
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			return typeError(path)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := tok.(json.Number)
		if !ok {
			return typeError(path)
		}
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); err != nil {
			return typeError(path)
		}
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return typeError(path)
		}
		if _, err := strconv.ParseFloat(string(n), t.Bits()); err != nil {
			return typeError(path)
		}
	default:
		return typeError(path)
	}
	return nil
}

// typeError reports a value of the wrong JSON type; the body is known to be well-formed, so the rest of the
// value need not be read.
func typeError(path string) error { return fieldError(path, "type", "") }

// object walks the members of an object whose '{' was read. member says which type a key's value has, and
// the most elements it may have when it is an array (0: no limit); ok false means the key is unknown.
func (w *walker) object(path string, depth int, member func(key string) (t reflect.Type, maxItems int, ok bool)) error {
	if depth >= maxDepth {
		return errSyntax(errors.New("nested too deeply"))
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, raw, err := w.token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if !validString(key, raw) {
			return fieldError(path, "utf8", "")
		}
		at := joinPath(path, key)
		if seen[key] {
			return fieldError(at, "duplicate", "")
		}
		seen[key] = true
		t, maxItems, ok := member(key)
		if !ok {
			return fieldError(at, "unknown", "")
		}
		if err := w.value(at, t, maxItems, depth+1); err != nil {
			return err
		}
	}
	_, _, err := w.token() // '}'
	return err
}

// array walks the elements of an array whose '[' was read; past maxItems (when > 0) it stops with a "max"
// error at the array without looking at more elements.
func (w *walker) array(path string, elem reflect.Type, maxItems, depth int) error {
	if depth >= maxDepth {
		return errSyntax(errors.New("nested too deeply"))
	}
	for i := 0; w.dec.More(); i++ {
		if maxItems > 0 && i >= maxItems {
			return fieldError(path, "max", strconv.Itoa(maxItems))
		}
		if err := w.value(path+"["+strconv.Itoa(i)+"]", elem, 0, depth+1); err != nil {
			return err
		}
	}
	_, _, err := w.token() // ']'
	return err
}

var anyType = reflect.TypeFor[any]()

// anyFrom walks a value of no particular type: only duplicate keys, UTF-8 and syntax are checked.
func (w *walker) anyFrom(tok json.Token, path string, depth int) error {
	switch tok {
	case json.Delim('{'):
		return w.object(path, depth, func(string) (reflect.Type, int, bool) { return anyType, 0, true })
	case json.Delim('['):
		return w.array(path, anyType, 0, depth)
	}
	return nil
}

func joinPath(path, key string) string {
	if len(key) > 100 {
		key = key[:100] + "…"
		for !utf8.ValidString(key) {
			key = key[:len(key)-len("…")-1] + "…"
		}
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// validString reports whether the string token decoded from raw came from valid UTF-8 without lone surrogate
// escapes: encoding/json replaces both with U+FFFD, so any U+FFFD it produced must have been written as one.
func validString(decoded string, raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	n := strings.Count(decoded, "\uFFFD")
	if n == 0 {
		return true
	}
	written := strings.Count(string(raw), "\uFFFD") + strings.Count(strings.ToLower(string(raw)), `\ufffd`)
	return n <= written
}

type fieldInfo struct {
	typ      reflect.Type
	maxItems int
}

var fieldCache sync.Map // reflect.Type -> map[string]fieldInfo

// fieldsOf maps the JSON names of t's fields, exactly as spelled in the contract, to their types.
func fieldsOf(t reflect.Type) map[string]fieldInfo {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]fieldInfo)
	}
	m := map[string]fieldInfo{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range fieldsOf(ft) {
					if _, shadowed := m[k]; !shadowed {
						m[k] = v
					}
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		m[name] = fieldInfo{typ: f.Type, maxItems: maxItemsOf(f)}
	}
	fieldCache.Store(t, m)
	return m
}

// maxItemsOf reads max=N from a slice field's validate tag (before any dive: later rules are the elements').
func maxItemsOf(f reflect.StructField) int {
	if k := f.Type.Kind(); k != reflect.Slice && k != reflect.Array {
		return 0
	}
	for _, rule := range strings.Split(f.Tag.Get("validate"), ",") {
		if rule == "dive" {
			break
		}
		if v, ok := strings.CutPrefix(rule, "max="); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}
