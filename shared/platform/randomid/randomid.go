// Package randomid makes the unguessable ids of things customers create (returns, tickets): a prefix and
// 80 random bits as 16 base32 characters, so an id reveals nothing and cannot be enumerated.
package randomid

import (
	"crypto/rand"
	"encoding/base32"
	"regexp"
)

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Kind is one family of ids, such as "RTN-" for returns.
type Kind struct {
	prefix  string
	pattern *regexp.Regexp
}

// NewKind returns the ids starting with prefix.
func NewKind(prefix string) Kind {
	return Kind{prefix: prefix, pattern: regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `[A-Z2-7]{16}$`)}
}

// New returns a fresh id.
func (k Kind) New() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // never fails (Go 1.24+): it crashes the program rather than return weak bytes
	return k.prefix + encoding.EncodeToString(b[:])
}

// Valid reports whether s has the shape of this kind's ids, so a malformed id is "not found" without a read.
func (k Kind) Valid(s string) bool { return k.pattern.MatchString(s) }
