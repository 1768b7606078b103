package helpcenter_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

func problems(err error) []failure.FieldError {
	if fe, ok := failure.As(err); ok && fe.Kind == failure.KindInvalid {
		return fe.Fields
	}
	return nil
}

// Every limit is inclusive, and a refusal names the limit it broke, so the message can say it.
func TestDraftLimitsAreInclusiveAndNamed(t *testing.T) {
	tags := func(n int, tag string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = tag + string(rune('a'+i))
		}
		return out
	}
	draft := func(title string, tags []string) helpcenter.Draft {
		return helpcenter.Draft{Category: "returns", Tags: tags, Content: map[string]helpcenter.Content{"en": {Title: title, Body: "Body."}}}
	}
	atLimits := draft(strings.Repeat("é", helpcenter.MaxTitleRunes), append(tags(helpcenter.MaxTags-1, "t"), strings.Repeat("é", helpcenter.MaxTagRunes)))
	got, err := atLimits.Validate()
	if err != nil || len(got.Tags) != helpcenter.MaxTags {
		t.Fatalf("a draft at every limit: %v (%d tags)", err, len(got.Tags))
	}
	for _, c := range []struct {
		name string
		d    helpcenter.Draft
		want []failure.FieldError
	}{
		{"title", draft(strings.Repeat("é", helpcenter.MaxTitleRunes+1), nil),
			[]failure.FieldError{{Field: "content.en.title", Code: "max_length", Param: "200"}}},
		{"tag count", draft("T", tags(helpcenter.MaxTags+1, "t")), []failure.FieldError{{Field: "tags", Code: "max", Param: "12"}}},
		{"tag length", draft("T", []string{"ok", strings.Repeat("é", helpcenter.MaxTagRunes+1)}),
			[]failure.FieldError{{Field: "tags[1]", Code: "max_length", Param: "40"}}},
		{"category", helpcenter.Draft{Category: "misc", Content: map[string]helpcenter.Content{"en": {Title: "T", Body: "B"}}},
			[]failure.FieldError{{Field: "category", Code: "oneof", Param: "orders shipping payments returns refunds complaints account surveys"}}},
		{"markup in a title", draft("a > b", nil), []failure.FieldError{{Field: "content.en.title", Code: "plain_text"}}},
		{"control in a title", draft("a\u0007b", nil), []failure.FieldError{{Field: "content.en.title", Code: "plain_text"}}},
		{"markup in a tag", draft("T", []string{"x>y"}), []failure.FieldError{{Field: "tags[0]", Code: "plain_text"}}},
		{"blank body", helpcenter.Draft{Category: "returns", Content: map[string]helpcenter.Content{"id": {Title: "T", Body: " \r\n "}}},
			[]failure.FieldError{{Field: "content.id.body", Code: "required"}}},
	} {
		if _, err := c.d.Validate(); !reflect.DeepEqual(problems(err), c.want) {
			t.Errorf("%s: %v (%+v), want %+v", c.name, err, problems(err), c.want)
		}
	}
}

// Both languages are kept, each cleaned on its own.
func TestValidateKeepsBothLanguages(t *testing.T) {
	d, err := helpcenter.Draft{Category: "refunds", Content: map[string]helpcenter.Content{
		"id": {Title: " Dana  kembali ", Body: "Isi.\r\n"}, "en": {Title: "Refund ", Body: " Text."}}}.Validate()
	want := map[string]helpcenter.Content{"id": {Title: "Dana kembali", Body: "Isi."}, "en": {Title: "Refund", Body: "Text."}}
	if err != nil || !reflect.DeepEqual(d.Content, want) {
		t.Fatalf("%+v %v", d.Content, err)
	}
}

// A query may be 200 characters of any width (up to 800 bytes); the limit is named; U+FFFD, which only
// binary decoding writes, is refused.
func TestQueryBoundsAndReplacementCharacter(t *testing.T) {
	for _, q := range []string{strings.Repeat("\U0001F600", 199) + "a", strings.Repeat("\U0001F600", 200)[:796] + "a"} {
		if _, err := helpcenter.CleanQuery(q); err != nil {
			t.Errorf("%d runes, %d bytes: %v", len([]rune(q)), len(q), err)
		}
	}
	_, err := helpcenter.CleanQuery(strings.Repeat("a", helpcenter.MaxQueryRunes+1))
	if want := []failure.FieldError{{Field: "q", Code: "max_length", Param: "200"}}; !reflect.DeepEqual(problems(err), want) {
		t.Errorf("too long: %+v", problems(err))
	}
	if _, err := helpcenter.CleanQuery("refund \uFFFD"); !reflect.DeepEqual(problems(err), []failure.FieldError{{Field: "q", Code: "plain_text"}}) {
		t.Errorf("U+FFFD: %v", err)
	}
}

// Readers vote from search results or from the complaint form, and from nowhere else.
func TestFeedbackContextsAreTheDocumentedOnes(t *testing.T) {
	if want := []string{"search", "complaint_form"}; !reflect.DeepEqual(helpcenter.FeedbackContexts, want) {
		t.Fatalf("FeedbackContexts = %v, want %v", helpcenter.FeedbackContexts, want)
	}
}

// Bytes that are not UTF-8 are not plain text in a title.
func TestTitleMustBeValidText(t *testing.T) {
	d := helpcenter.Draft{Category: "returns", Content: map[string]helpcenter.Content{"id": {Title: "Retur \xff barang", Body: "Isi."}}}
	if _, err := d.Validate(); !reflect.DeepEqual(problems(err), []failure.FieldError{{Field: "content.id.title", Code: "plain_text"}}) {
		t.Fatalf("%v", err)
	}
}

// A reader gets the language they asked for when the article is written in it.
func TestPickPrefersTheLanguageAskedFor(t *testing.T) {
	both := helpcenter.Draft{Content: map[string]helpcenter.Content{"id": {Title: "T", Body: "B"}, "en": {Title: "T", Body: "B"}}}
	for _, lang := range []string{"id", "en"} {
		if got := both.Pick(lang); got != lang {
			t.Errorf("Pick(%s) = %s", lang, got)
		}
	}
}

// A query of 200 four-byte letters (800 bytes) is at both limits, and allowed.
func TestQueryAtTheByteLimit(t *testing.T) {
	q := strings.Repeat("\U00020000", helpcenter.MaxQueryRunes)
	if len(q) != helpcenter.MaxQueryBytes {
		t.Fatalf("%d bytes", len(q))
	}
	if got, err := helpcenter.CleanQuery(q); err != nil || got != q {
		t.Fatalf("%v", err)
	}
}
