// Package i18n holds the customer-facing messages in Bahasa Indonesia and English and picks the
// language a request asked for.
package i18n

import (
	"sort"
	"strconv"
	"strings"
	"time"
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

// Message renders code in lang, substituting {name} placeholders from params. Parameters are shown the way
// a reader of lang expects: whole numbers with the language's thousands separator (5.000 / 5,000), a status
// or other code by its label (see paramLabels), and the accepted values of a "oneof" rule as their labels.
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
		pairs = append(pairs, "{"+k+"}", formatParam(lang, code, k, v))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// paramLabels names, per message, the parameters that carry a code and the label kind that shows it, so no
// raw code lands inside a sentence.
var paramLabels = map[string]map[string]string{
	"ticket_invalid_transition": {"status": "ticket_status"},
}

func formatParam(lang Lang, code, key, value string) string {
	if kind, ok := paramLabels[code][key]; ok {
		return Label(lang, kind, value)
	}
	if code == "field.oneof" {
		return oneOfList(lang, strings.Fields(value))
	}
	// Only a rule's {param} is a number to group (Maksimal 5.000); ids such as {orderId} stay as given.
	if key != "param" {
		return value
	}
	if n, err := strconv.ParseInt(value, 10, 64); err == nil && value == strconv.FormatInt(n, 10) {
		return FormatInt(lang, n)
	}
	return value
}

// FormatInt writes n with the thousands separator of lang: 5.000 in Indonesian, 5,000 in English.
func FormatInt(lang Lang, n int64) string {
	sep := "."
	if lang == English {
		sep = ","
	}
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}

// Label is the text for code of an enumeration kind (e.g. Label(id, "ticket_status", "in_progress") is
// "Sedang diproses"). Codes without a label are shown quoted, which a test per enumeration prevents.
func Label(lang Lang, kind, code string) string {
	if code == "" {
		return ""
	}
	if t, ok := catalog[kind+"."+code]; ok {
		return t.in(lang)
	}
	return "\u201c" + code + "\u201d"
}

// labelKinds are the enumerations that have labels, in the order a oneof list is matched against them.
var labelKinds []string

// addLabels registers the labels of one enumeration: code -> text.
func addLabels(kind string, labels map[string]Text) {
	m := make(map[string]Text, len(labels))
	for code, t := range labels {
		m[kind+"."+code] = t
	}
	add(m)
	labelKinds = append(labelKinds, kind)
}

// oneOfList shows the values a "oneof" rule accepts. When they are exactly the codes of one labelled
// enumeration (or a subset of it), they are shown as its labels; otherwise each value is quoted.
func oneOfList(lang Lang, values []string) string {
	kind := ""
	for _, exact := range []bool{true, false} { // the enumeration with exactly these codes wins over a superset
		for _, k := range labelKinds {
			if kind == "" && all(values, func(v string) bool { _, ok := catalog[k+"."+v]; return ok }) &&
				(!exact || labelCount(k) == len(values)) {
				kind = k
			}
		}
	}
	out := make([]string, len(values))
	for i, v := range values {
		if kind != "" {
			out[i] = catalog[kind+"."+v].in(lang)
		} else {
			out[i] = "\u201c" + v + "\u201d"
		}
	}
	return strings.Join(out, ", ")
}

func labelCount(kind string) int {
	n := 0
	for code := range catalog {
		if strings.HasPrefix(code, kind+".") {
			n++
		}
	}
	return n
}

func all(values []string, ok func(string) bool) bool {
	for _, v := range values {
		if !ok(v) {
			return false
		}
	}
	return len(values) > 0
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
		// "in" is the legacy code for Indonesian (Java and Android still send in-ID).
		case tag == "id" || strings.HasPrefix(tag, "id-") || tag == "in" || strings.HasPrefix(tag, "in-"):
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

var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// FormatDateTime writes t, in its own location, the way people read it, with the zone's abbreviation:
// "4 Januari 2027, 23.59 WIB" (EYD: a period between hours and minutes) or "4 January 2027, 23:59 WIB".
func FormatDateTime(lang Lang, t time.Time) string {
	zone, _ := t.Zone()
	if lang == English {
		return t.Format("2 January 2006, 15:04 ") + zone
	}
	return strconv.Itoa(t.Day()) + " " + monthsID[t.Month()-1] + " " + strconv.Itoa(t.Year()) + ", " + t.Format("15.04 ") + zone
}
