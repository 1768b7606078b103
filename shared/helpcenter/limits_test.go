package helpcenter_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// A body may be MaxBodyRunes long; one rune more is refused, naming the limit. A single problem is enough
// to refuse a draft.
func TestArticleBodyLimitAndASingleProblem(t *testing.T) {
	draft := func(body string) helpcenter.Draft {
		return helpcenter.Draft{Category: "returns", Content: map[string]helpcenter.Content{"id": {Title: "Cara retur", Body: body}}}
	}
	if _, err := draft(strings.Repeat("é", helpcenter.MaxBodyRunes)).Validate(); err != nil {
		t.Fatalf("a body at the limit: %v", err)
	}
	_, err := draft(strings.Repeat("é", helpcenter.MaxBodyRunes+1)).Validate()
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) != 1 || fe.Fields[0] != (failure.FieldError{Field: "content.id.body", Code: "max_length", Param: strconv.Itoa(helpcenter.MaxBodyRunes)}) {
		t.Fatalf("one rune over: %v", err)
	}
}
