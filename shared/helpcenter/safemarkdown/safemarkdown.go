// Package safemarkdown reads the Markdown subset help articles are written in and renders it to HTML
// that is safe to show as is: every piece of text is HTML-escaped, the only elements are the ones listed
// below, and links only go to https, http, mailto or a path on the shop's own site.
//
// Subset: paragraphs; headings "#", "##", "###" (rendered h2-h4: the article title is the page's h1);
// bullet lists ("- ", "* "); numbered lists ("1. "); pipe tables with a "| --- |" line under the header;
// inline **bold**, *italic* or _italic_, `code` and [text](url). Everything else is text.
//
// Raw HTML is not part of the subset. Check refuses it when an article is written, so what ops type is
// what customers see; Render escapes it anyway.
package safemarkdown

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Elements lists every element Render can produce.
var Elements = []string{"h2", "h3", "h4", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "strong", "em", "code", "a"}

// Problem codes Check reports.
const (
	ProblemHTML    = "markdown_html"    // raw HTML (a tag, comment or processing instruction)
	ProblemLink    = "markdown_link"    // a link to a scheme other than https, http or mailto
	ProblemControl = "markdown_control" // a control character other than tab and newline, or invalid UTF-8
)

// Check returns the first problem of src, or "" when it is within the subset's rules.
func Check(src string) string {
	if !utf8.ValidString(src) {
		return ProblemControl
	}
	for _, r := range src {
		if r != '\n' && r != '\t' && r != '\r' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return ProblemControl
		}
	}
	for i := 0; i < len(src)-1; i++ {
		if src[i] == '<' {
			if c := src[i+1]; c == '/' || c == '!' || c == '?' || isASCIILetter(c) {
				return ProblemHTML
			}
		}
	}
	for _, l := range links(src) {
		if !SafeURL(l) {
			return ProblemLink
		}
	}
	return ""
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// links returns the targets of every [text](target) in src.
func links(src string) []string {
	var out []string
	for i := 0; i < len(src); i++ {
		if src[i] != ']' || i+1 >= len(src) || src[i+1] != '(' {
			continue
		}
		if end := closingParen(src[i+2:]); end >= 0 {
			out = append(out, src[i+2:i+2+end])
		}
	}
	return out
}

// closingParen returns the index of the ")" that closes a link target starting at s[0] (parentheses
// inside it nest, as in Markdown), or -1.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		case '\n':
			return -1
		}
	}
	return -1
}

// SafeURL reports whether a link target may be rendered: https, http or mailto, or a path on the
// same site ("/bantuan/..."). Scheme-relative URLs ("//evil") and everything else are refused.
func SafeURL(u string) bool {
	u = strings.TrimSpace(u)
	if u == "" || strings.ContainsAny(u, " \t\n\r\"'<>\\`") {
		return false
	}
	lower := strings.ToLower(u)
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "mailto:"):
		return true
	case strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//"):
		return true
	}
	return false
}

// block is one parsed block of the source.
type block struct {
	kind  string     // "h2".."h4", "p", "ul", "ol", "table"
	lines []string   // paragraph lines, or list items
	rows  [][]string // table: header row first
}

func parse(src string) []block {
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(src, "\n")
	var out []block
	var cur *block
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case trimmed == "":
			flush()
		case heading(trimmed) != "":
			flush()
			level := heading(trimmed)
			out = append(out, block{kind: level, lines: []string{strings.TrimSpace(strings.TrimLeft(trimmed, "#"))}})
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* "):
			if cur == nil || cur.kind != "ul" {
				flush()
				cur = &block{kind: "ul"}
			}
			cur.lines = append(cur.lines, strings.TrimSpace(trimmed[2:]))
		case numbered(trimmed) > 0:
			if cur == nil || cur.kind != "ol" {
				flush()
				cur = &block{kind: "ol"}
			}
			cur.lines = append(cur.lines, strings.TrimSpace(trimmed[numbered(trimmed):]))
		case strings.HasPrefix(trimmed, "|") && i+1 < len(lines) && isTableRule(lines[i+1]):
			flush()
			t := block{kind: "table", rows: [][]string{cells(trimmed)}}
			i += 2
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				t.rows = append(t.rows, cells(strings.TrimSpace(lines[i])))
			}
			i--
			out = append(out, t)
		default:
			if cur != nil && (cur.kind == "ul" || cur.kind == "ol") && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) {
				// a continuation line of the last list item
				cur.lines[len(cur.lines)-1] += " " + trimmed
				continue
			}
			if cur == nil || cur.kind != "p" {
				flush()
				cur = &block{kind: "p"}
			}
			cur.lines = append(cur.lines, trimmed)
		}
	}
	flush()
	return out
}

func heading(line string) string {
	for n, tag := range []string{"### ", "## ", "# "} {
		if strings.HasPrefix(line, tag) {
			return [...]string{"h4", "h3", "h2"}[n]
		}
	}
	return ""
}

// numbered returns the length of a "12. " marker at the start of line, or 0.
func numbered(line string) int {
	i := 0
	for i < len(line) && i < 3 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(line) && line[i] == '.' && line[i+1] == ' ' {
		return i + 2
	}
	return 0
}

func isTableRule(line string) bool {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.Contains(line, "-") {
		return false
	}
	return strings.Trim(line, "|-: \t") == ""
}

func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	parts := strings.Split(row, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// Render returns the safe HTML of src (see the package comment for what it may contain).
func Render(src string) string {
	var b strings.Builder
	for _, bl := range parse(src) {
		switch bl.kind {
		case "h2", "h3", "h4":
			b.WriteString("<" + bl.kind + ">" + inline(bl.lines[0]) + "</" + bl.kind + ">\n")
		case "p":
			b.WriteString("<p>" + inline(strings.Join(bl.lines, " ")) + "</p>\n")
		case "ul", "ol":
			b.WriteString("<" + bl.kind + ">\n")
			for _, it := range bl.lines {
				b.WriteString("<li>" + inline(it) + "</li>\n")
			}
			b.WriteString("</" + bl.kind + ">\n")
		case "table":
			b.WriteString("<table>\n<thead><tr>")
			for _, c := range bl.rows[0] {
				b.WriteString("<th>" + inline(c) + "</th>")
			}
			b.WriteString("</tr></thead>\n<tbody>\n")
			for _, row := range bl.rows[1:] {
				b.WriteString("<tr>")
				for _, c := range row {
					b.WriteString("<td>" + inline(c) + "</td>")
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</tbody>\n</table>\n")
		}
	}
	return b.String()
}

// PlainText returns the text of src without markup, one line per block, list item or table row (cells
// separated by " · "), for search and snippets.
func PlainText(src string) string {
	var lines []string
	for _, bl := range parse(src) {
		switch bl.kind {
		case "p":
			lines = append(lines, plainInline(strings.Join(bl.lines, " ")))
		case "table":
			for _, row := range bl.rows {
				cs := make([]string, len(row))
				for i, c := range row {
					cs[i] = plainInline(c)
				}
				lines = append(lines, strings.Join(cs, " · "))
			}
		default:
			for _, l := range bl.lines {
				lines = append(lines, plainInline(l))
			}
		}
	}
	return strings.Join(lines, "\n")
}

// span is an inline piece: text, or a marked-up run.
type span struct {
	kind string // "", "strong", "em", "code", "a"
	text string
	href string
}

// spans splits one line into inline spans. Unclosed markers are text.
func spans(s string) []span {
	var out []span
	var text strings.Builder
	emit := func(sp span) {
		if text.Len() > 0 {
			out = append(out, span{text: text.String()})
			text.Reset()
		}
		out = append(out, sp)
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "**"):
			if end := strings.Index(s[i+2:], "**"); end > 0 {
				emit(span{kind: "strong", text: s[i+2 : i+2+end]})
				i += end + 4
				continue
			}
		case s[i] == '*' || s[i] == '_':
			// italic only when the marker opens a word, so snake_case and 2*3 stay text
			if (i == 0 || s[i-1] == ' ' || s[i-1] == '(') && i+1 < len(s) && s[i+1] != ' ' {
				if end := strings.IndexByte(s[i+1:], s[i]); end > 0 && s[i+end] != ' ' {
					emit(span{kind: "em", text: s[i+1 : i+1+end]})
					i += end + 2
					continue
				}
			}
		case s[i] == '`':
			if end := strings.IndexByte(s[i+1:], '`'); end > 0 {
				emit(span{kind: "code", text: s[i+1 : i+1+end]})
				i += end + 2
				continue
			}
		case s[i] == '[':
			if mid := strings.Index(s[i:], "]("); mid > 1 {
				if end := closingParen(s[i+mid+2:]); end >= 0 {
					emit(span{kind: "a", text: s[i+1 : i+mid], href: s[i+mid+2 : i+mid+2+end]})
					i += mid + 3 + end
					continue
				}
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		text.WriteString(s[i : i+size])
		i += size
	}
	if text.Len() > 0 {
		out = append(out, span{text: text.String()})
	}
	return out
}

func inline(s string) string {
	var b strings.Builder
	for _, sp := range spans(s) {
		t := html.EscapeString(sp.text)
		switch sp.kind {
		case "":
			b.WriteString(t)
		case "a":
			if SafeURL(sp.href) {
				b.WriteString(`<a href="` + html.EscapeString(strings.TrimSpace(sp.href)) + `" rel="noopener nofollow">` + t + "</a>")
			} else {
				b.WriteString(t)
			}
		default:
			b.WriteString("<" + sp.kind + ">" + t + "</" + sp.kind + ">")
		}
	}
	return b.String()
}

func plainInline(s string) string {
	var b strings.Builder
	for _, sp := range spans(s) {
		b.WriteString(sp.text)
	}
	return b.String()
}
