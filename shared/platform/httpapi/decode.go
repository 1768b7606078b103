package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// MaxBodyBytes bounds request bodies; API Gateway allows 10 MB, no Tanggap request needs more than this.
const MaxBodyBytes = 64 << 10

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	return v
}

// Validate checks v's `validate` tags and reports failures as field errors named by JSON path.
func Validate(v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return failure.Invalid(failure.FieldError{Field: "", Code: "invalid"})
	}
	fields := make([]failure.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, failure.FieldError{Field: jsonPath(fe.Namespace()), Code: ruleCode(fe.Tag()), Param: fe.Param()})
	}
	return failure.Invalid(fields...)
}

// ruleCode maps validator tags to the message codes we localise; unknown rules read as "invalid".
func ruleCode(tag string) string {
	switch tag {
	case "required", "required_if", "required_with", "required_without":
		return "required"
	case "email", "min", "max", "gte", "lte", "gt", "len", "oneof", "iso4217", "datetime", "unique", "dive":
		return tag
	default:
		return "invalid"
	}
}

// jsonPath drops the root struct name from a validator namespace: "req.lines[0].quantity" -> "lines[0].quantity".
func jsonPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

// Decode reads one JSON object from the request into dst, rejecting unknown fields, trailing data,
// oversized bodies and everything DecodeBytes refuses, then validates it.
func Decode(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return failure.New(failure.KindInvalid, "unsupported_media_type")
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return failure.New(failure.KindInvalid, "malformed_json").Wrap(err)
	}
	if len(body) > MaxBodyBytes {
		return failure.New(failure.KindInvalid, "body_too_large")
	}
	return DecodeBytes(body, dst)
}

// DecodeBytes is Decode for a body already read. dst must be a pointer. Strict: duplicate keys, keys that
// differ from the contract (case included), invalid UTF-8 and wrong types are refused, naming the field by
// JSON path (see checkStrict).
func DecodeBytes(body []byte, dst any) error {
	t := reflect.TypeOf(dst)
	if t == nil || t.Kind() != reflect.Pointer {
		return errors.New("httpapi: DecodeBytes needs a pointer")
	}
	if err := checkStrict(body, t.Elem()); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeFailure(err)
	}
	if dec.More() {
		return failure.New(failure.KindInvalid, "malformed_json")
	}
	return Validate(dst)
}

func decodeFailure(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			return failure.New(failure.KindInvalid, "malformed_json").Wrap(err)
		}
		return failure.Invalid(failure.FieldError{Field: field, Code: "type"}).Wrap(err)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return failure.Invalid(failure.FieldError{Field: strings.Trim(name, `"`), Code: "unknown"}).Wrap(err)
	}
	return failure.New(failure.KindInvalid, "malformed_json").Wrap(err)
}
