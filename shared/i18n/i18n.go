// Package i18n holds the customer-facing messages in Bahasa Indonesia and English and picks the
// language a request asked for.
package i18n

import (
	"sort"
	"strconv"
	"strings"
)

// Lang is a supported response language.
type Lang string

const (
	Indonesian Lang = "id"
	English    Lang = "en"
)

// Default is used when Accept-Language names nothing we speak: the product is for Indonesian shops.
const Default = Indonesian

// Text is one message in every supported language.
type Text struct {
	ID string
	EN string
}

func (t Text) in(lang Lang) string {
	if lang == English {
		return t.EN
	}
	return t.ID
}

var catalog = map[string]Text{}

// add registers messages; each domain keeps its own file of messages so they live next to nothing else.
func add(messages map[string]Text) {
	for code, text := range messages {
		if _, dup := catalog[code]; dup {
			panic("i18n: duplicate message code " + code)
		}
		catalog[code] = text
	}
}

// Has reports whether code has a message.
func Has(code string) bool {
	_, ok := catalog[code]
	return ok
}

// Codes lists every registered message code, sorted.
func Codes() []string {
	codes := make([]string, 0, len(catalog))
	for c := range catalog {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// Lookup returns the raw template for code, and whether it exists.
func Lookup(code string, lang Lang) (string, bool) {
	t, ok := catalog[code]
	if !ok {
		return "", false
	}
	return t.in(lang), true
}

// Message renders code in lang, substituting {name} placeholders from params.
// An unknown code renders as the generic error message, never as the code itself.
func Message(lang Lang, code string, params map[string]string) string {
	t, ok := catalog[code]
	if !ok {
		t = catalog["internal_error"]
	}
	s := t.in(lang)
	if len(params) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, 2*len(params))
	for k, v := range params {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Negotiate picks the best supported language from an Accept-Language header value (RFC 9110 §12.5.4).
func Negotiate(acceptLanguage string) Lang {
	best, bestQ := Default, -1.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, q := parseLanguageRange(part)
		if tag == "" || q <= 0 {
			continue
		}
		var lang Lang
		switch {
		case tag == "id" || strings.HasPrefix(tag, "id-") || tag == "in": // "in" is the legacy code for Indonesian
			lang = Indonesian
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			lang = English
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

func parseLanguageRange(part string) (tag string, q float64) {
	fields := strings.Split(part, ";")
	tag = strings.ToLower(strings.TrimSpace(fields[0]))
	q = 1
	for _, p := range fields[1:] {
		p = strings.TrimSpace(p)
		if v, ok := strings.CutPrefix(p, "q="); ok {
			parsed, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return "", 0
			}
			q = parsed
		}
	}
	return tag, q
}
