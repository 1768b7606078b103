package helpcenter

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/helpcenter/helpsearch"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Query limits: a query is what a person types into a search box.
const (
	MaxQueryRunes = 200
	MaxQueryBytes = 800
	// DefaultResults and MaxResults bound a search page; Suggestions is what the complaint form shows.
	DefaultResults = 5
	MaxResults     = 10
	Suggestions    = 3
)

// rebuildAfter: a content change whose index was not rebuilt within this long (its writer failed) is
// rebuilt by the next search that notices it.
const rebuildAfter = time.Minute

// CleanQuery checks a search query (the q parameter) and returns it trimmed: it must be text, not
// binary (valid UTF-8 without control characters), with at least one letter or digit, and at most
// MaxQueryRunes characters.
func CleanQuery(q string) (string, error) {
	fe := func(code, param string) error {
		return failure.Invalid(failure.FieldError{Field: "q", Code: code, Param: param})
	}
	if len(q) > MaxQueryBytes || utf8.RuneCountInString(q) > MaxQueryRunes {
		return "", fe("max_length", strconv.Itoa(MaxQueryRunes))
	}
	if !utf8.ValidString(q) {
		return "", fe("plain_text", "")
	}
	q = strings.TrimSpace(q)
	hasWord := false
	for _, r := range q {
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r) {
			return "", fe("plain_text", "")
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			hasWord = true
		}
	}
	if !hasWord {
		return "", fe("required", "")
	}
	return q, nil
}

// Search ranks the published articles for query, shown in lang where written.
func (s *Service) Search(ctx context.Context, query, lang string, limit int) ([]helpsearch.Hit, error) {
	q, err := CleanQuery(query)
	if err != nil {
		return nil, err
	}
	ix, err := s.search.current(ctx)
	if err != nil {
		return nil, err
	}
	return ix.Search(q, lang, limit), nil
}

// CategoryList is one category with its published articles.
type CategoryList struct {
	Category string
	Articles []helpsearch.Entry
}

// Categories lists every category with its published articles (titles in lang where written).
// Categories without articles are listed too, empty, so the apps show a stable menu.
func (s *Service) Categories(ctx context.Context, lang string) ([]CategoryList, error) {
	ix, err := s.search.current(ctx)
	if err != nil {
		return nil, err
	}
	by := map[string][]helpsearch.Entry{}
	for _, e := range ix.Entries(lang) {
		by[e.Category] = append(by[e.Category], e)
	}
	out := make([]CategoryList, 0, len(Categories))
	for _, c := range Categories {
		out = append(out, CategoryList{Category: c, Articles: by[c]})
	}
	return out, nil
}

// searcher keeps the search index of this execution environment: loaded at the first search, and
// checked against the stored head at most every refreshEvery while searches come in.
type searcher struct {
	store        IndexStore
	now          func() time.Time
	refreshEvery time.Duration
	rebuild      func(context.Context) error

	mu      sync.Mutex
	ix      *helpsearch.Index
	seq     int64
	checked time.Time
}

// emptyIndex answers searches before anything is published; the zero Index finds nothing, at no cold-start cost.
var emptyIndex = &helpsearch.Index{}

func (s *searcher) current(ctx context.Context) (*helpsearch.Index, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.ix != nil && now.Sub(s.checked) < s.refreshEvery {
		return s.ix, nil
	}
	head, err := s.store.IndexHead(ctx)
	if err != nil {
		return s.stale(ctx, err)
	}
	s.checked = now
	if head.ContentSeq > head.Seq && now.Sub(head.ContentChangedAt) > rebuildAfter && s.rebuild != nil {
		if err := s.rebuild(ctx); err != nil {
			slog.WarnContext(ctx, "rebuilding an overdue help search index failed", slog.Any("err", err))
		} else if head, err = s.store.IndexHead(ctx); err != nil {
			return s.stale(ctx, err)
		}
	}
	if s.ix != nil && head.Seq == s.seq {
		return s.ix, nil
	}
	if head.Chunks == 0 {
		s.ix, s.seq = emptyIndex, head.Seq
		return s.ix, nil
	}
	blob, err := s.store.LoadIndex(ctx, head)
	if err != nil {
		return s.stale(ctx, err)
	}
	ix, err := helpsearch.Decode(blob)
	if err != nil {
		return s.stale(ctx, err)
	}
	s.ix, s.seq = ix, head.Seq
	return ix, nil
}

// stale serves the index already loaded when the store cannot be read; without one the search fails.
func (s *searcher) stale(ctx context.Context, err error) (*helpsearch.Index, error) {
	if s.ix != nil {
		slog.WarnContext(ctx, "refreshing the help search index failed; serving the loaded one", slog.Any("err", err))
		return s.ix, nil
	}
	return nil, err
}
