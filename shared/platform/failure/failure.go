// Package failure is the vocabulary domain code uses to say why a request cannot be served.
// Domain packages return *failure.Error; shared/platform/httpapi is the one place that turns it into HTTP.
package failure

import (
	"errors"
	"fmt"
)

// Kind classifies a failure independently of transport.
type Kind int

const (
	KindInvalid         Kind = iota + 1 // the input is malformed or out of range
	KindNotFound                        // the thing does not exist, or the caller may not know it exists
	KindConflict                        // the current state forbids the action (lost race, duplicate, wrong status)
	KindRejected                        // well-formed, but a business rule refuses it
	KindForbidden                       // authenticated, but not allowed
	KindUnauthenticated                 // no usable identity
	KindUnavailable                     // a dependency is down; the caller may retry
)

// FieldError names one invalid input field. Code is a stable machine code (e.g. "required", "max");
// Param carries the rule's parameter (e.g. "5" for max=5) for the localized message.
type FieldError struct {
	Field string
	Code  string
	Param string
}

// Error is a domain failure with a stable code. Code selects the localized message; Params fill it.
type Error struct {
	Kind   Kind
	Code   string
	Params map[string]string
	Fields []FieldError
	cause  error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %v", e.Code, e.cause)
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.cause }

// With returns a copy carrying a message parameter.
func (e *Error) With(key, value string) *Error {
	c := *e
	c.Params = make(map[string]string, len(e.Params)+1)
	for k, v := range e.Params {
		c.Params[k] = v
	}
	c.Params[key] = value
	return &c
}

// Wrap returns a copy that keeps cause for logs; the cause never reaches a response.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

func New(kind Kind, code string) *Error { return &Error{Kind: kind, Code: code} }

func NotFound(code string) *Error    { return New(KindNotFound, code) }
func Conflict(code string) *Error    { return New(KindConflict, code) }
func Rejected(code string) *Error    { return New(KindRejected, code) }
func Forbidden(code string) *Error   { return New(KindForbidden, code) }
func Unavailable(code string) *Error { return New(KindUnavailable, code) }

// Invalid reports field-level validation failures.
func Invalid(fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: "validation_failed", Fields: fields}
}

// As extracts a *Error from err's chain.
func As(err error) (*Error, bool) {
	var fe *Error
	ok := errors.As(err, &fe)
	return fe, ok
}

// IsKind reports whether err is a failure of the given kind.
func IsKind(err error, kind Kind) bool {
	fe, ok := As(err)
	return ok && fe.Kind == kind
}
