package safemarkdown

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"paragraph joins lines", "Satu\ndua.", "<p>Satu dua.</p>\n"},
		{"headings are h2-h4", "# A\n## B\n### C", "<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n"},
		{"bullets", "- satu\n* dua", "<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>\n"},
		{"numbered", "1. satu\n2. dua", "<ol>\n<li>satu</li>\n<li>dua</li>\n</ol>\n"},
		{"continuation", "- satu\n  lanjut", "<ul>\n<li>satu lanjut</li>\n</ul>\n"},
		{"inline", "**tebal** *miring* _juga_ `kode`", "<p><strong>tebal</strong> <em>miring</em> <em>juga</em> <code>kode</code></p>\n"},
		{"snake_case and 2*3 stay text", "nama_file dan 2*3*4", "<p>nama_file dan 2*3*4</p>\n"},
		{"unclosed bold", "**tebal", "<p>**tebal</p>\n"},
		{"link", "[Bantuan](https://toko.example/bantuan?a=1&b=2)", `<p><a href="https://toko.example/bantuan?a=1&amp;b=2" rel="noopener nofollow">Bantuan</a></p>` + "\n"},
		{"same-site link", "[retur](/bantuan/retur)", `<p><a href="/bantuan/retur" rel="noopener nofollow">retur</a></p>` + "\n"},
		{"unsafe link is text", "[x](javascript:alert(1))", "<p>x</p>\n"},
		{"scheme-relative link is text", "[x](//evil.example)", "<p>x</p>\n"},
		{"html is escaped", "<script>alert('x')</script> & \"", "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;</p>\n"},
		{"table", "| A | B |\n| --- | --- |\n| 1 | **2** |", "<table>\n<thead><tr><th>A</th><th>B</th></tr></thead>\n<tbody>\n<tr><td>1</td><td><strong>2</strong></td></tr>\n</tbody>\n</table>\n"},
		{"pipe line without rule is a paragraph", "| A |", "<p>| A |</p>\n"},
		{"crlf", "a\r\n\r\nb", "<p>a</p>\n<p>b</p>\n"},
	}
	for _, c := range cases {
		if got := Render(c.in); got != c.want {
			t.Errorf("%s: Render(%q)\n got %q\nwant %q", c.name, c.in, got, c.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	in := "# Judul\nSatu **dua** [tiga](https://x.example).\n\n- a\n- b\n\n| A | B |\n| --- | --- |\n| 1 | 2 |"
	want := "Judul\nSatu dua tiga.\na\nb\nA · B\n1 · 2"
	if got := PlainText(in); got != want {
		t.Errorf("PlainText\n got %q\nwant %q", got, want)
	}
}

func TestCheck(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Teks biasa dengan **tebal** dan [tautan](https://x.example).", ""},
		{"2 < 3 dan 5 > 4", ""},
		{"a <b>tebal</b>", ProblemHTML},
		{"a </p>", ProblemHTML},
		{"<!-- komentar -->", ProblemHTML},
		{"<?php ?>", ProblemHTML},
		{"<img src=x onerror=alert(1)>", ProblemHTML},
		{"[x](javascript:alert(1))", ProblemLink},
		{"[x](data:text/html;base64,AAAA)", ProblemLink},
		{"[x](//evil.example)", ProblemLink},
		{"[x](mailto:cs@toko.example)", ""},
		{"a\x00b", ProblemControl},
		{"a\x1bb", ProblemControl},
		{"a\u2028b", ProblemControl},
		{"a\xffb", ProblemControl},
		{"tab\tdan\r\nbaris", ""},
	}
	for _, c := range cases {
		if got := Check(c.in); got != c.want {
			t.Errorf("Check(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

var (
	tagPattern  = regexp.MustCompile(`<(/?)([a-zA-Z0-9]+)([^>]*)>`)
	hrefPattern = regexp.MustCompile(`^ href="([^"]*)" rel="noopener nofollow"$`)
)

// assertSafe checks the promise the README makes about rendered HTML.
func assertSafe(t *testing.T, src, out string) {
	t.Helper()
	for _, m := range tagPattern.FindAllStringSubmatch(out, -1) {
		name, attrs := m[2], m[3]
		if !slices.Contains(Elements, name) {
			t.Fatalf("Render(%q) produced element %q: %s", src, name, out)
		}
		switch {
		case m[1] == "/" && attrs != "":
			t.Fatalf("closing tag with attributes in %s", out)
		case name == "a" && m[1] == "":
			h := hrefPattern.FindStringSubmatch(attrs)
			if h == nil || !SafeURL(strings.ReplaceAll(h[1], "&amp;", "&")) {
				t.Fatalf("Render(%q): link %q", src, attrs)
			}
		case attrs != "":
			t.Fatalf("Render(%q): attributes %q on %s", src, attrs, name)
		}
	}
	// Outside tags there is no raw < or >: every one of them is escaped.
	rest := tagPattern.ReplaceAllString(out, "")
	if strings.ContainsAny(rest, "<>") {
		t.Fatalf("Render(%q) left a raw angle bracket: %s", src, out)
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# a\n- b\n1. c\n| x | y |\n| - | - |\n| 1 | 2 |", "**a** *b* `c` [d](https://e)", "<script>x</script>",
		"[a](javascript:x)", "[a](https://x\" onmouseover=\"y)", "[a](/p)", "*[a](b)*", "`<b>`", "| <i> |\n| --- |\n| x |"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := Render(src)
		assertSafe(t, src, out)
		if plain := PlainText(src); strings.Count(plain, "<") > strings.Count(src, "<") {
			t.Fatalf("PlainText invented markup: %q -> %q", src, plain)
		}
		if Check(src) == "" && strings.Contains(strings.ToLower(src), "<script") {
			t.Fatalf("Check accepted %q", src)
		}
	})
}
