package safemarkdown

import (
	"strings"
	"testing"
)

// The block rules at their edges: what starts, continues and ends a heading, list, table or paragraph.
func TestRenderBlockEdges(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a hash without a space is text", "#tag", "<p>#tag</p>\n"},
		{"four hashes are text", "#### A", "<p>#### A</p>\n"},
		{"heading text is trimmed and inline", "##   **B**  ", "<h3><strong>B</strong></h3>\n"},
		{"a heading ends a paragraph", "a\n# B\nc", "<p>a</p>\n<h2>B</h2>\n<p>c</p>\n"},
		{"indented heading", "  # A", "<h2>A</h2>\n"},
		{"a bare carriage return ends a line", "a\r\rb", "<p>a</p>\n<p>b</p>\n"},
		{"trailing blanks of a line are dropped", "a  \t\nb", "<p>a b</p>\n"},
		{"blank line between bullets makes two lists", "- a\n\n- b", "<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>\n"},
		{"a dash without a space is text", "-a", "<p>-a</p>\n"},
		{"bullet after a paragraph starts a list", "a\n- b", "<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n"},
		{"numbered after bullets is a new list", "- a\n1. b", "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n"},
		{"bullets after numbered is a new list", "1. a\n- b", "<ol>\n<li>a</li>\n</ol>\n<ul>\n<li>b</li>\n</ul>\n"},
		{"paragraph after a list", "- a\nb", "<ul>\n<li>a</li>\n</ul>\n<p>b</p>\n"},
		{"continuation by tab", "1. a\n\tb", "<ol>\n<li>a b</li>\n</ol>\n"},
		{"indented line after a paragraph is the paragraph", "a\n  b", "<p>a b</p>\n"},
		{"three-digit number", "100. a", "<ol>\n<li>a</li>\n</ol>\n"},
		{"four digits are text", "1000. a", "<p>1000. a</p>\n"},
		{"number without dot is text", "1 a", "<p>1 a</p>\n"},
		{"number without space is text", "1.a", "<p>1.a</p>\n"},
		{"number and dot alone is text", "1.", "<p>1.</p>\n"},
		{"dot alone is text", ". a", "<p>. a</p>\n"},
		{"table with aligned rule and no body", "| A |\n|:---:|", "<table>\n<thead><tr><th>A</th></tr></thead>\n<tbody>\n</tbody>\n</table>\n"},
		{"table ends at a line without a pipe", "| A |\n| - |\n| 1 |\nb", "<table>\n<thead><tr><th>A</th></tr></thead>\n<tbody>\n<tr><td>1</td></tr>\n</tbody>\n</table>\n<p>b</p>\n"},
		{"table after a paragraph", "a\n| A |\n| - |", "<p>a</p>\n<table>\n<thead><tr><th>A</th></tr></thead>\n<tbody>\n</tbody>\n</table>\n"},
		{"two tables", "| A |\n| - |\n\n| B |\n| - |", "<table>\n<thead><tr><th>A</th></tr></thead>\n<tbody>\n</tbody>\n</table>\n<table>\n<thead><tr><th>B</th></tr></thead>\n<tbody>\n</tbody>\n</table>\n"},
		{"rule without a dash is no rule", "| A |\n| : |", "<p>| A | | : |</p>\n"},
		{"rule without a leading pipe is no rule", "| A |\n--- |", "<p>| A | --- |</p>\n"},
		{"rule with other text is no rule", "| A |\n| -x- |", "<p>| A | | -x- |</p>\n"},
		{"header on the last line is a paragraph", "| A |", "<p>| A |</p>\n"},
		{"cells without outer pipes are trimmed", "|a|b\n|-|-|\n|  1 |2|", "<table>\n<thead><tr><th>a</th><th>b</th></tr></thead>\n<tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody>\n</table>\n"},
		{"an indented first line is a paragraph", "  a", "<p>a</p>\n"},
		{"an indented line after a heading is a paragraph", "# A\n  b", "<h2>A</h2>\n<p>b</p>\n"},
		{"a letter and a dot is no number", "a. b", "<p>a. b</p>\n"},
		{"digits alone are text", "12", "<p>12</p>\n"},
		{"nine", "9. a", "<ol>\n<li>a</li>\n</ol>\n"},
		{"an indented rule", "| A |\n  | - |", "<table>\n<thead><tr><th>A</th></tr></thead>\n<tbody>\n</tbody>\n</table>\n"},
		{"a header row ending in a no-break space", "| A |\u00a0\n| - |\n| 1 |", "<table>\n<thead><tr><th>A</th></tr></thead>\n<tbody>\n<tr><td>1</td></tr>\n</tbody>\n</table>\n"},
		{"empty source", "", ""},
		{"only blank lines", "\n \n\t\n", ""},
	}
	for _, c := range cases {
		if got := Render(c.in); got != c.want {
			t.Errorf("%s: Render(%q)\n got %q\nwant %q", c.name, c.in, got, c.want)
		}
	}
}

// Inline markers at their edges: what opens and closes bold, italic, code and links, and what stays text.
func TestRenderInlineEdges(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty bold is text", "****", "****"},
		{"bold of one letter", "**a**", "<strong>a</strong>"},
		{"bold in a word", "x**a**y", "x<strong>a</strong>y"},
		{"text after bold", "**a** b", "<strong>a</strong> b"},
		{"italic after an opening parenthesis", "(*a*)", "(<em>a</em>)"},
		{"italic after a letter is text", "x*a*", "x*a*"},
		{"italic marker before a space is text", "b * a*", "b * a*"},
		{"italic closed after a space is text", "*a *", "*a *"},
		{"empty italic is text", "** b", "** b"},
		{"italic marker at the end is text", "a *", "a *"},
		{"underscore and star do not close each other", "_a*", "_a*"},
		{"text after italic", "_a_ b", "<em>a</em> b"},
		{"italic of two words", "*a b*", "<em>a b</em>"},
		{"empty code is text", "`` a", "`` a"},
		{"unclosed code is text", "`a", "`a"},
		{"code keeps markers as text", "`**a**`", "<code>**a**</code>"},
		{"code escapes", "`<b>`", "<code>&lt;b&gt;</code>"},
		{"text after code", "`a`b", "<code>a</code>b"},
		{"empty link text is text", "[](https://x.example)", "[](https://x.example)"},
		{"link text of one letter", "[a](/p)", `<a href="/p" rel="noopener nofollow">a</a>`},
		{"unclosed link is text", "[a](/p", "[a](/p"},
		{"link without parenthesis is text", "[a] (/p)", "[a] (/p)"},
		{"parentheses nest in a target", "[a](/p(1)) b", `<a href="/p(1)" rel="noopener nofollow">a</a> b`},
		{"text after a link", "[a](/p)b", `<a href="/p" rel="noopener nofollow">a</a>b`},
		{"target trimmed", "[a]( /p )", `<a href="/p" rel="noopener nofollow">a</a>`},
		{"link text escaped", "[<i>](/p)", `<a href="/p" rel="noopener nofollow">&lt;i&gt;</a>`},
		{"refused link keeps its text only", "[a](ftp://x)", "a"},
		{"multibyte text is kept whole", "é*ü*", "é*ü*"},
		{"empty underscore italic is text", "__ b", "__ b"},
		{"a link with an empty target keeps its text", "[a]()", "a"},
		// a marker right after a span opens the next one
		{"bold then bold", "**a****b**", "<strong>a</strong><strong>b</strong>"},
		{"bold then code", "**a**`b`", "<strong>a</strong><code>b</code>"},
		{"code then link", "`a`[b](/p)", `<code>a</code><a href="/p" rel="noopener nofollow">b</a>`},
		{"link then bold", "[a](/p)**b**", `<a href="/p" rel="noopener nofollow">a</a><strong>b</strong>`},
		{"italic then code", "*a*`b`", "<em>a</em><code>b</code>"},
		{"multibyte in markup", "**é** ü", "<strong>é</strong> ü"},
	}
	for _, c := range cases {
		want := "<p>" + c.want + "</p>\n"
		if got := Render(c.in); got != want {
			t.Errorf("%s: Render(%q)\n got %q\nwant %q", c.name, c.in, got, want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://toko.example/a":  true,
		"HTTPS://TOKO.EXAMPLE":    true,
		"http://toko.example":     true,
		"Http://toko.example":     true,
		"mailto:cs@toko.example":  true,
		"MAILTO:cs@toko.example":  true,
		"/bantuan":                true,
		"/":                       true,
		"  /bantuan  ":            true,
		"":                        false,
		"   ":                     false,
		"//evil.example":          false,
		"bantuan/retur":           false,
		"javascript:alert(1)":     false,
		"JavaScript:alert(1)":     false,
		"data:text/html,x":        false,
		"ftp://toko.example":      false,
		"https:/toko.example":     false,
		"https://a b":             false,
		"https://a\tb":            false,
		"https://a\nb":            false,
		"https://a\rb":            false,
		`https://a"b`:             false,
		"https://a'b":             false,
		"https://a<b":             false,
		"https://a>b":             false,
		`https://a\b`:             false,
		"https://a`b":             false,
		"/\\evil.example":         false,
		"https://toko.example/ü?": true,
	} {
		if got := SafeURL(u); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestCheckEdges(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"<", ""},
		{"a <", ""},
		{"a<", ""},
		{"<a>", ProblemHTML},
		{"<z>", ProblemHTML},
		{"<A>", ProblemHTML},
		{"<Z>", ProblemHTML},
		{"<b", ProblemHTML},
		{"x<b", ProblemHTML},
		{"<`", ""},
		{"<{", ""},
		{"<@", ""},
		{"<[", ""},
		{"<1", ""},
		{"< b", ""},
		{"<<", ""},
		{"a\u2029b", ProblemControl},
		{"a\u0085b", ProblemControl},
		{"a\x7fb", ProblemControl},
		{"a\rb", ""},
		{"a\u00a0b", ""},
		{"\x01", ProblemControl},
		{"[x](/a)", ""},
		{"[x](/a) [y](javascript:x)", ProblemLink},
		{"[x](javascript:(1)", ""}, // never closed, so never a link: Render keeps it as text
		{"[x](java\nscript:x)", ""},
		{"[x](/a(b)c) and [y](//evil)", ProblemLink},
		{"[x](/a(b))", ""},
		{"[x]()", ProblemLink},
		{"x]", ""},
		{"](javascript:x)", ProblemLink}, // a target is checked even without its [text]
		{"[a]xjavascript:y)", ""},        // no ( after the ]: not a link
		{"[x](\njavascript:y)", ""},      // a target does not cross a line
		{"[x](/a\")", ProblemLink},       // the target's last character counts
		{"[x](/)", ""},
		{"x](", ""},
		{"<b>[x](javascript:x)", ProblemHTML},
		{"\x00<b>", ProblemControl},
	}
	for _, c := range cases {
		if got := Check(c.in); got != c.want {
			t.Errorf("Check(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPlainTextEdges(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"## Judul *miring*", "Judul miring"},
		{"1. satu\n2. `dua`", "satu\ndua"},
		{"a\nb\n\nc", "a b\nc"},
		{"| **A** | [b](/x) |\n| - | - |", "A · b"},
		{"[x](javascript:y) <b>", "x <b>"},
	}
	for _, c := range cases {
		if got := PlainText(c.in); got != c.want {
			t.Errorf("PlainText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every element the package promises in Elements is one Render can produce, and no other.
func TestElementsAreTheOnesRendered(t *testing.T) {
	out := Render("# a\n## b\n### c\np **s** *e* `c` [a](/x)\n\n- l\n\n1. n\n\n| h |\n| - |\n| d |")
	seen := map[string]bool{}
	for _, m := range tagPattern.FindAllStringSubmatch(out, -1) {
		seen[m[2]] = true
	}
	for _, e := range Elements {
		if !seen[e] {
			t.Errorf("element %s listed but not rendered: %s", e, out)
		}
	}
	if len(seen) != len(Elements) {
		t.Errorf("rendered %v, listed %v", seen, Elements)
	}
	if strings.Count(out, "<a ") != 1 {
		t.Errorf("link: %s", out)
	}
}
