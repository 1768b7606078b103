package helpcenter_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

func fields(err error) map[string]string {
	out := map[string]string{}
	if fe, ok := failure.As(err); ok {
		for _, f := range fe.Fields {
			out[f.Field] = f.Code
		}
	}
	return out
}

func TestValidateCleansAndNamesEveryProblem(t *testing.T) {
	d, err := helpcenter.Draft{Category: " returns ", Tags: []string{"  Retur  Barang ", "retur barang", "COD"},
		Content: map[string]helpcenter.Content{"id": {Title: "  Cara   retur ", Body: "\r\nIsi.\r\n"}}}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if d.Category != "returns" || strings.Join(d.Tags, "|") != "retur barang|cod" || d.Content["id"] != (helpcenter.Content{Title: "Cara retur", Body: "Isi."}) {
		t.Errorf("cleaned %+v", d)
	}

	_, err = helpcenter.Draft{Category: "", Tags: []string{"", strings.Repeat("x", 41), "a<b"},
		Content: map[string]helpcenter.Content{
			"id": {Title: "", Body: "<b>x</b>"},
			"en": {Title: strings.Repeat("t", 201), Body: strings.Repeat("b", helpcenter.MaxBodyRunes+1)},
			"fr": {Title: "x", Body: "y"},
		}}.Validate()
	want := map[string]string{"category": "required", "tags[0]": "required", "tags[1]": "max_length", "tags[2]": "plain_text",
		"content.id.title": "required", "content.id.body": "markdown_html", "content.en.title": "max_length",
		"content.en.body": "max_length", "content.fr": "unknown"}
	got := fields(err)
	for f, c := range want {
		if got[f] != c {
			t.Errorf("%s: %q, want %q (all: %v)", f, got[f], c, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("reported %v, want exactly %v", got, want)
	}
	_, err = helpcenter.Draft{Category: "misc", Tags: make([]string, 13), Content: map[string]helpcenter.Content{}}.Validate()
	if got := fields(err); got["category"] != "oneof" || got["tags"] != "max" || got["content"] != "content_language_required" {
		t.Errorf("%v", got)
	}
}

func TestSlugs(t *testing.T) {
	for s, want := range map[string]bool{"cara-retur": true, "abc": true, "a1-b2-c3": true, "ab": false, "-abc": false, "abc-": false,
		"a--b": false, "Cara-Retur": false, "cara_retur": false, "cara retur": false, strings.Repeat("a", 81): false, strings.Repeat("a", 80): true} {
		if helpcenter.ValidSlug(s) != want {
			t.Errorf("ValidSlug(%q) = %v", s, !want)
		}
	}
}

func TestDraftEqualAndPick(t *testing.T) {
	a := helpcenter.Draft{Category: "returns", Tags: []string{"a"}, Content: map[string]helpcenter.Content{"id": {Title: "T", Body: "B"}}}
	b := a
	b.Content = map[string]helpcenter.Content{"id": {Title: "T", Body: "B"}}
	if !a.Equal(b) {
		t.Error("equal drafts differ")
	}
	for _, change := range []func(*helpcenter.Draft){
		func(d *helpcenter.Draft) { d.Category = "refunds" },
		func(d *helpcenter.Draft) { d.Tags = []string{"b"} },
		func(d *helpcenter.Draft) { d.Content = map[string]helpcenter.Content{"id": {Title: "T", Body: "C"}} },
		func(d *helpcenter.Draft) { d.Content = map[string]helpcenter.Content{"en": {Title: "T", Body: "B"}} },
		func(d *helpcenter.Draft) {
			d.Content = map[string]helpcenter.Content{"id": {Title: "T", Body: "B"}, "en": {Title: "T", Body: "B"}}
		},
	} {
		c := b
		change(&c)
		if a.Equal(c) || c.Equal(a) {
			t.Errorf("%+v equals %+v", c, a)
		}
	}
	if a.Pick("en") != "id" || a.Pick("id") != "id" {
		t.Error("Pick should fall back to the written language")
	}
}

func TestCleanQuery(t *testing.T) {
	ok := map[string]string{"  refund belum masuk ": "refund belum masuk", "ｒｅｆｕｎｄ": "ｒｅｆｕｎｄ", "2x": "2x", "é": "é"}
	for in, want := range ok {
		if got, err := helpcenter.CleanQuery(in); err != nil || got != want {
			t.Errorf("CleanQuery(%q) = %q, %v", in, got, err)
		}
	}
	bad := map[string]string{"": "required", "   ": "required", "?!": "required", "a\x00": "plain_text", "a\u200e\x7f": "plain_text",
		"\xff": "plain_text", "a\ue000": "plain_text", strings.Repeat("a", 201): "max_length", strings.Repeat("é", 201): "max_length",
		strings.Repeat("\U0001F600", 201): "max_length"}
	for in, code := range bad {
		_, err := helpcenter.CleanQuery(in)
		if got := fields(err)["q"]; got != code {
			t.Errorf("CleanQuery(%q): %q, want %q", in, got, code)
		}
	}
	if _, err := helpcenter.CleanQuery(strings.Repeat("a", 200)); err != nil {
		t.Errorf("200 characters are allowed: %v", err)
	}
}

func FuzzCleanQuery(f *testing.F) {
	for _, s := range []string{"refund belum masuk", "", "  ", "a\x00b", "\xff\xfe", strings.Repeat("x", 300), "ｒｅｆｕｎｄ", "?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, err := helpcenter.CleanQuery(q)
		if err != nil {
			fe, ok := failure.As(err)
			if !ok || fe.Kind != failure.KindInvalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "q" {
				t.Fatalf("CleanQuery(%q): %v, want one invalid q field", q, err)
			}
			return
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > helpcenter.MaxQueryRunes || got != strings.TrimSpace(got) || got == "" {
			t.Fatalf("CleanQuery(%q) = %q", q, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) {
				t.Fatalf("CleanQuery(%q) kept control character %U", q, r)
			}
		}
	})
}

func TestVotes(t *testing.T) {
	a, b := helpcenter.VoterID("guest:203.0.113.7"), helpcenter.VoterID("guest:203.0.113.8")
	if a == b || len(a) != 32 || a != helpcenter.VoterID("guest:203.0.113.7") {
		t.Errorf("voter ids %q %q", a, b)
	}
	cases := []struct {
		f    helpcenter.Feedback
		want map[string]int64
	}{
		{helpcenter.Feedback{Helpful: true, Context: helpcenter.ContextSearch}, map[string]int64{metrics.HelpHelpful: 1}},
		{helpcenter.Feedback{Helpful: false, Context: helpcenter.ContextSearch}, map[string]int64{metrics.HelpNotHelpful: 1}},
		{helpcenter.Feedback{Helpful: true, Context: helpcenter.ContextComplaintForm}, map[string]int64{metrics.HelpHelpful: 1, metrics.HelpComplaintFormHelpful: 1}},
		{helpcenter.Feedback{Helpful: false, Context: helpcenter.ContextComplaintForm}, map[string]int64{metrics.HelpNotHelpful: 1, metrics.HelpComplaintFormNotHelpful: 1}},
	}
	for _, c := range cases {
		got := c.f.Counters()
		if len(got) != len(c.want) {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%+v: %v, want %v", c.f, got, c.want)
			}
		}
	}
}
