// Package helpcenter is the shop's help center: articles ops write and publish in Bahasa Indonesia and
// English with an audited version history, what anyone may read of them, search over the published ones
// (shared/helpcenter/helpsearch), and the feedback that measures how many complaints the articles deflect.
package helpcenter

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/helpcenter/helpsearch"
	"github.com/tanggap/tanggap/shared/helpcenter/safemarkdown"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Languages an article can be written in (at least one of them).
var Languages = helpsearch.Languages

// Categories are the sections of the help center, in the order they are listed.
var Categories = []string{"orders", "shipping", "payments", "returns", "refunds", "complaints", "account", "surveys"}

// Status of an article.
type Status string

const (
	StatusDraft     Status = "draft"     // never published, or unpublished
	StatusPublished Status = "published" // customers see its published snapshot
	StatusDeleted   Status = "deleted"   // gone for customers and ops lists; its history stays
)

// Limits on what ops write.
const (
	MaxTitleRunes = 200
	MaxBodyRunes  = 15000
	MaxTags       = 12
	MaxTagRunes   = 40
)

// Content is an article's title and Markdown body in one language.
type Content struct {
	Title string
	Body  string
}

// Draft is what ops write: the article's fields.
type Draft struct {
	Category string
	Tags     []string
	Content  map[string]Content // by language
}

// Snapshot is a draft as published at a version.
type Snapshot struct {
	Draft
	Version int
	At      time.Time
	By      string
}

// Article is a help article: its working draft and, while published, the snapshot customers read.
type Article struct {
	Slug      string
	Draft     Draft
	Status    Status
	Version   int // every change adds one
	Published *Snapshot
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
}

// Action names a change in the version history.
type Action string

const (
	ActionCreate    Action = "create"
	ActionUpdate    Action = "update"
	ActionPublish   Action = "publish"
	ActionUnpublish Action = "unpublish"
	ActionDelete    Action = "delete"
)

// Version is one entry of an article's history: who changed what, and the draft after the change.
type Version struct {
	Slug    string
	Version int
	Action  Action
	Status  Status
	By      string
	At      time.Time
	Draft   Draft
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a slug: lower-case letters and digits in words joined by single
// hyphens, 3 to 80 characters.
func ValidSlug(s string) bool { return len(s) >= 3 && len(s) <= 80 && slugPattern.MatchString(s) }

// Validate checks a draft and returns it cleaned (trimmed, tags folded and deduplicated), or every
// problem as field errors by JSON path (content.id.body, tags[2]).
func (d Draft) Validate() (Draft, error) {
	var errs []failure.FieldError
	out := Draft{Category: strings.TrimSpace(d.Category), Content: map[string]Content{}}
	if !slices.Contains(Categories, out.Category) {
		code := "oneof"
		if out.Category == "" {
			code = "required"
		}
		errs = append(errs, failure.FieldError{Field: "category", Code: code, Param: strings.Join(Categories, " ")})
	}
	if len(d.Tags) > MaxTags {
		errs = append(errs, failure.FieldError{Field: "tags", Code: "max", Param: strconv.Itoa(MaxTags)})
	}
	for i, t := range d.Tags {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		field := "tags[" + strconv.Itoa(i) + "]"
		switch {
		case t == "":
			errs = append(errs, failure.FieldError{Field: field, Code: "required"})
		case utf8.RuneCountInString(t) > MaxTagRunes:
			errs = append(errs, failure.FieldError{Field: field, Code: "max_length", Param: strconv.Itoa(MaxTagRunes)})
		case !plainText(t):
			errs = append(errs, failure.FieldError{Field: field, Code: "plain_text"})
		case !slices.Contains(out.Tags, t):
			out.Tags = append(out.Tags, t)
		}
	}
	for lang := range d.Content {
		if !slices.Contains(Languages, lang) {
			errs = append(errs, failure.FieldError{Field: "content." + lang, Code: "unknown"})
		}
	}
	for _, lang := range Languages {
		c, ok := d.Content[lang]
		if !ok {
			continue
		}
		title, body := strings.Join(strings.Fields(c.Title), " "), strings.TrimSpace(strings.ReplaceAll(c.Body, "\r\n", "\n"))
		prefix := "content." + lang + "."
		switch {
		case title == "":
			errs = append(errs, failure.FieldError{Field: prefix + "title", Code: "required"})
		case utf8.RuneCountInString(title) > MaxTitleRunes:
			errs = append(errs, failure.FieldError{Field: prefix + "title", Code: "max_length", Param: strconv.Itoa(MaxTitleRunes)})
		case !plainText(title):
			errs = append(errs, failure.FieldError{Field: prefix + "title", Code: "plain_text"})
		}
		switch {
		case body == "":
			errs = append(errs, failure.FieldError{Field: prefix + "body", Code: "required"})
		case utf8.RuneCountInString(body) > MaxBodyRunes:
			errs = append(errs, failure.FieldError{Field: prefix + "body", Code: "max_length", Param: strconv.Itoa(MaxBodyRunes)})
		default:
			if p := safemarkdown.Check(body); p != "" {
				errs = append(errs, failure.FieldError{Field: prefix + "body", Code: p})
			}
		}
		out.Content[lang] = Content{Title: title, Body: body}
	}
	if len(d.Content) == 0 {
		errs = append(errs, failure.FieldError{Field: "content", Code: "content_language_required"})
	}
	if len(errs) > 0 {
		return Draft{}, failure.Invalid(errs...)
	}
	return out, nil
}

// plainText: valid text with no control characters and no markup characters (titles and tags are shown
// as text everywhere, so "<" has no business there).
func plainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '<' || r == '>' {
			return false
		}
	}
	return true
}

// Equal reports whether two drafts have the same fields.
func (d Draft) Equal(o Draft) bool {
	if d.Category != o.Category || !slices.Equal(d.Tags, o.Tags) || len(d.Content) != len(o.Content) {
		return false
	}
	for lang, c := range d.Content {
		if oc, ok := o.Content[lang]; !ok || oc != c {
			return false
		}
	}
	return true
}

// Pick returns the language to show: want when the draft is written in it, otherwise the other one.
func (d Draft) Pick(want string) string {
	if _, ok := d.Content[want]; ok {
		return want
	}
	for _, l := range Languages {
		if _, ok := d.Content[l]; ok {
			return l
		}
	}
	return want
}

// searchable is the published snapshot as the search index takes it.
func (s Snapshot) searchable(slug string) helpsearch.Article {
	a := helpsearch.Article{Slug: slug, Category: s.Category, Tags: s.Tags, Texts: map[string]helpsearch.Text{}}
	for lang, c := range s.Content {
		a.Texts[lang] = helpsearch.Text{Title: c.Title, Body: safemarkdown.PlainText(c.Body)}
	}
	return a
}
