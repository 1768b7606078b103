// Package helpapi serves the help center over HTTP: ops manage articles (AWS_IAM), anyone reads,
// searches and rates the published ones.
package helpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/helpcenter/helpsearch"
	"github.com/tanggap/tanggap/shared/helpcenter/safemarkdown"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/identity"
)

// Routes are the help-center routes; template.yaml must declare the same set (checked by a test).
func Routes(svc *helpcenter.Service) []httpapi.Route {
	h := handlers{svc: svc}
	return []httpapi.Route{
		{Method: "GET", Path: "/ops/help/articles", Access: httpapi.Operator, Handle: h.opsList},
		{Method: "GET", Path: "/ops/help/articles/{slug}", Access: httpapi.Operator, Handle: h.opsGet},
		{Method: "PUT", Path: "/ops/help/articles/{slug}", Access: httpapi.Operator, Idempotent: true, Handle: h.opsPut},
		{Method: "POST", Path: "/ops/help/articles/{slug}/publish", Access: httpapi.Operator, Idempotent: true, Handle: h.opsPublish},
		{Method: "POST", Path: "/ops/help/articles/{slug}/unpublish", Access: httpapi.Operator, Idempotent: true, Handle: h.opsUnpublish},
		{Method: "POST", Path: "/ops/help/articles/{slug}/delete", Access: httpapi.Operator, Idempotent: true, Handle: h.opsDelete},
		{Method: "GET", Path: "/ops/help/articles/{slug}/versions", Access: httpapi.Operator, Handle: h.opsVersions},

		{Method: "GET", Path: "/help/categories", Access: httpapi.Public, Handle: h.categories},
		{Method: "GET", Path: "/help/articles/{slug}", Access: httpapi.Public, Handle: h.article},
		{Method: "GET", Path: "/help/search", Access: httpapi.Public, Handle: h.search},
		{Method: "GET", Path: "/help/suggest", Access: httpapi.Public, Handle: h.suggest},
		{Method: "POST", Path: "/help/articles/{slug}/feedback", Access: httpapi.Public, Idempotent: true, Handle: h.feedback},
	}
}

type handlers struct{ svc *helpcenter.Service }

// Public answers may be cached this long by browsers, API Gateway caching or a CDN; ETag and
// If-None-Match make revalidation cheap.
const (
	articleMaxAge = 300
	listingMaxAge = 60
)

// ContentRequest is an article's title and Markdown body in one language.
type ContentRequest struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// ArticleRequest is the body of PUT /ops/help/articles/{slug}.
type ArticleRequest struct {
	Category string                    `json:"category"`
	Tags     []string                  `json:"tags" validate:"max=12"`
	Content  map[string]ContentRequest `json:"content"`
	// Version, when given, must be the stored version: the write is refused (409) if someone else
	// changed the article since the editor read it.
	Version *int `json:"version"`
}

// ContentView is one language of an article.
type ContentView struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// PublishedRef says which version customers read.
type PublishedRef struct {
	Version int       `json:"version"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
}

// OpsArticle is an article as ops see it.
type OpsArticle struct {
	Slug          string                 `json:"slug"`
	Category      string                 `json:"category"`
	CategoryLabel string                 `json:"categoryLabel"`
	Tags          []string               `json:"tags"`
	Content       map[string]ContentView `json:"content"`
	Status        string                 `json:"status"`
	StatusLabel   string                 `json:"statusLabel"`
	Version       int                    `json:"version"`
	Published     *PublishedRef          `json:"published"`
	// UnpublishedChanges: the draft differs from what customers read.
	UnpublishedChanges bool      `json:"unpublishedChanges"`
	CreatedAt          time.Time `json:"createdAt"`
	UpdatedAt          time.Time `json:"updatedAt"`
	UpdatedBy          string    `json:"updatedBy"`
}

func contentViews(d helpcenter.Draft) map[string]ContentView {
	out := map[string]ContentView{}
	for lang, c := range d.Content {
		out[lang] = ContentView{Title: c.Title, Body: c.Body}
	}
	return out
}

func tagsOf(d helpcenter.Draft) []string {
	if d.Tags == nil {
		return []string{}
	}
	return d.Tags
}

func opsView(lang i18n.Lang, a helpcenter.Article) OpsArticle {
	v := OpsArticle{Slug: a.Slug, Category: a.Draft.Category, CategoryLabel: i18n.Label(lang, "help_category", a.Draft.Category),
		Tags: tagsOf(a.Draft), Content: contentViews(a.Draft), Status: string(a.Status),
		StatusLabel: i18n.Label(lang, "help_article_status", string(a.Status)), Version: a.Version,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), UpdatedBy: a.UpdatedBy}
	if p := a.Published; p != nil {
		v.Published = &PublishedRef{Version: p.Version, At: p.At.UTC(), By: p.By}
		v.UnpublishedChanges = !p.Draft.Equal(a.Draft)
	}
	return v
}

func lang(r *http.Request) i18n.Lang { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

func operator(r *http.Request) string {
	op, _ := identity.OperatorFrom(r.Context())
	return op.Name()
}

func (h handlers) opsList(w http.ResponseWriter, r *http.Request) error {
	arts, err := h.svc.List(r.Context())
	if err != nil {
		return err
	}
	items := make([]OpsArticle, 0, len(arts))
	for _, a := range arts {
		items = append(items, opsView(lang(r), a))
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (h handlers) opsGet(w http.ResponseWriter, r *http.Request) error {
	a, err := h.svc.Get(r.Context(), httpapi.PathParam(r, "slug"))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, opsView(lang(r), a))
	return nil
}

func (h handlers) opsPut(w http.ResponseWriter, r *http.Request) error {
	var req ArticleRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	d := helpcenter.Draft{Category: req.Category, Tags: req.Tags, Content: map[string]helpcenter.Content{}}
	for l, c := range req.Content {
		d.Content[l] = helpcenter.Content{Title: c.Title, Body: c.Body}
	}
	slug := httpapi.PathParam(r, "slug")
	a, created, err := h.svc.Upsert(r.Context(), operator(r), slug, d, req.Version)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", "/ops/help/articles/"+slug)
	}
	httpapi.WriteJSON(w, status, opsView(lang(r), a))
	return nil
}

func (h handlers) opsAction(act func(*helpcenter.Service, *http.Request, string, string) (helpcenter.Article, error)) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := act(h.svc, r, operator(r), httpapi.PathParam(r, "slug"))
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, http.StatusOK, opsView(lang(r), a))
		return nil
	}
}

func (h handlers) opsPublish(w http.ResponseWriter, r *http.Request) error {
	return h.opsAction(func(s *helpcenter.Service, r *http.Request, by, slug string) (helpcenter.Article, error) {
		return s.Publish(r.Context(), by, slug)
	})(w, r)
}

func (h handlers) opsUnpublish(w http.ResponseWriter, r *http.Request) error {
	return h.opsAction(func(s *helpcenter.Service, r *http.Request, by, slug string) (helpcenter.Article, error) {
		return s.Unpublish(r.Context(), by, slug)
	})(w, r)
}

func (h handlers) opsDelete(w http.ResponseWriter, r *http.Request) error {
	return h.opsAction(func(s *helpcenter.Service, r *http.Request, by, slug string) (helpcenter.Article, error) {
		return s.Delete(r.Context(), by, slug)
	})(w, r)
}

// VersionView is one entry of an article's history.
type VersionView struct {
	Version       int                    `json:"version"`
	Action        string                 `json:"action"`
	ActionLabel   string                 `json:"actionLabel"`
	Status        string                 `json:"status"`
	StatusLabel   string                 `json:"statusLabel"`
	By            string                 `json:"by"`
	At            time.Time              `json:"at"`
	Category      string                 `json:"category"`
	CategoryLabel string                 `json:"categoryLabel"`
	Tags          []string               `json:"tags"`
	Content       map[string]ContentView `json:"content"`
}

func (h handlers) opsVersions(w http.ResponseWriter, r *http.Request) error {
	vs, err := h.svc.Versions(r.Context(), httpapi.PathParam(r, "slug"))
	if err != nil {
		return err
	}
	l := lang(r)
	items := make([]VersionView, 0, len(vs))
	for _, v := range vs {
		items = append(items, VersionView{Version: v.Version, Action: string(v.Action), ActionLabel: i18n.Label(l, "help_article_action", string(v.Action)),
			Status: string(v.Status), StatusLabel: i18n.Label(l, "help_article_status", string(v.Status)), By: v.By, At: v.At.UTC(),
			Category: v.Draft.Category, CategoryLabel: i18n.Label(l, "help_category", v.Draft.Category), Tags: tagsOf(v.Draft), Content: contentViews(v.Draft)})
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// ArticleView is a published article as anyone reads it, in one language.
type ArticleView struct {
	Slug          string   `json:"slug"`
	Category      string   `json:"category"`
	CategoryLabel string   `json:"categoryLabel"`
	Language      string   `json:"language"`
	Languages     []string `json:"languages"` // every language the article is written in
	Title         string   `json:"title"`
	// Body is the Markdown source; HTML is the same rendered safe to insert as is (see README).
	Body        string    `json:"body"`
	HTML        string    `json:"html"`
	Tags        []string  `json:"tags"`
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"publishedAt"`
}

func (h handlers) article(w http.ResponseWriter, r *http.Request) error {
	snap, err := h.svc.Published(r.Context(), httpapi.PathParam(r, "slug"))
	if err != nil {
		return err
	}
	want := lang(r)
	show := snap.Pick(string(want))
	c := snap.Content[show]
	v := ArticleView{Slug: httpapi.PathParam(r, "slug"), Category: snap.Category, CategoryLabel: i18n.Label(want, "help_category", snap.Category),
		Language: show, Title: c.Title, Body: c.Body, HTML: safemarkdown.Render(c.Body), Tags: tagsOf(snap.Draft),
		Version: snap.Version, PublishedAt: snap.At.UTC()}
	for _, l := range helpcenter.Languages {
		if _, ok := snap.Content[l]; ok {
			v.Languages = append(v.Languages, l)
		}
	}
	h.svc.CountView(r.Context())
	writeCacheable(w, r, show, articleMaxAge, v)
	return nil
}

// CategoryView is one category of the help center with its published articles.
type CategoryView struct {
	Category string      `json:"category"`
	Label    string      `json:"label"`
	Articles []EntryView `json:"articles"`
}

// EntryView is an article in a listing.
type EntryView struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Language string `json:"language"`
}

func (h handlers) categories(w http.ResponseWriter, r *http.Request) error {
	l := lang(r)
	cats, err := h.svc.Categories(r.Context(), string(l))
	if err != nil {
		return err
	}
	items := make([]CategoryView, 0, len(cats))
	langs := langSet{}
	for _, c := range cats {
		v := CategoryView{Category: c.Category, Label: i18n.Label(l, "help_category", c.Category), Articles: []EntryView{}}
		for _, e := range c.Articles {
			v.Articles = append(v.Articles, EntryView{Slug: e.Slug, Title: e.Title, Language: e.Lang})
			langs.add(e.Lang)
		}
		items = append(items, v)
	}
	writeCacheable(w, r, langs.header(string(l)), listingMaxAge, map[string]any{"items": items})
	return nil
}

// HitView is one search result.
type HitView struct {
	Slug          string  `json:"slug"`
	Category      string  `json:"category"`
	CategoryLabel string  `json:"categoryLabel"`
	Language      string  `json:"language"`
	Title         string  `json:"title"`
	Snippet       string  `json:"snippet"`
	SnippetHTML   string  `json:"snippetHtml"`
	Score         float64 `json:"score"`
}

// SearchView is a page of search results.
type SearchView struct {
	Query string    `json:"query"`
	Items []HitView `json:"items"`
}

func (h handlers) search(w http.ResponseWriter, r *http.Request) error {
	limit := helpcenter.DefaultResults
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > helpcenter.MaxResults {
			return failure.Invalid(failure.FieldError{Field: "limit", Code: "invalid"})
		}
		limit = n
	}
	return h.ranked(w, r, limit)
}

func (h handlers) suggest(w http.ResponseWriter, r *http.Request) error {
	return h.ranked(w, r, helpcenter.Suggestions)
}

func (h handlers) ranked(w http.ResponseWriter, r *http.Request, limit int) error {
	qs := r.URL.Query()
	if len(qs["q"]) > 1 {
		return failure.Invalid(failure.FieldError{Field: "q", Code: "duplicate"})
	}
	l := lang(r)
	hits, err := h.svc.Search(r.Context(), qs.Get("q"), string(l), limit)
	if err != nil {
		return err
	}
	v := SearchView{Query: strings.TrimSpace(qs.Get("q")), Items: make([]HitView, 0, len(hits))}
	langs := langSet{}
	for _, hit := range hits {
		v.Items = append(v.Items, hitView(l, hit))
		langs.add(hit.Lang)
	}
	writeCacheable(w, r, langs.header(string(l)), listingMaxAge, v)
	return nil
}

func hitView(l i18n.Lang, hit helpsearch.Hit) HitView {
	return HitView{Slug: hit.Slug, Category: hit.Category, CategoryLabel: i18n.Label(l, "help_category", hit.Category),
		Language: hit.Lang, Title: hit.Title, Snippet: hit.Snippet, SnippetHTML: hit.SnippetHTML, Score: hit.Score}
}

// FeedbackRequest is a reader's vote on an article.
type FeedbackRequest struct {
	Helpful *bool  `json:"helpful" validate:"required"`
	Context string `json:"context" validate:"required,oneof=search complaint_form"`
}

// FeedbackView is the vote that counts for this reader and article.
type FeedbackView struct {
	Slug         string `json:"slug"`
	Helpful      bool   `json:"helpful"`
	Context      string `json:"context"`
	ContextLabel string `json:"contextLabel"`
	// Counted is false when this reader had voted on the article before: the first vote stands.
	Counted bool `json:"counted"`
}

// feedback records a vote. The reader is who API Gateway says is calling: the Cognito sub when an
// authorizer vouched for one, otherwise the source IP of the request context (never a header).
func (h handlers) feedback(w http.ResponseWriter, r *http.Request) error {
	var req FeedbackRequest
	if err := httpapi.Decode(r, &req); err != nil {
		return err
	}
	slug := httpapi.PathParam(r, "slug")
	f, counted, err := h.svc.Vote(r.Context(), identity.Principal(r.Context()), slug, *req.Helpful, req.Context)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if counted {
		status = http.StatusCreated
	}
	httpapi.WriteJSON(w, status, FeedbackView{Slug: slug, Helpful: f.Helpful, Context: f.Context,
		ContextLabel: i18n.Label(lang(r), "help_feedback_context", f.Context), Counted: counted})
	return nil
}

// langSet collects the languages of what an answer shows, for a truthful Content-Language.
type langSet map[string]bool

func (s langSet) add(l string) { s[l] = true }

// header lists the languages shown, the requested one first; with nothing shown, the requested one
// (the labels are in it).
func (s langSet) header(requested string) string {
	out := []string{requested}
	for _, l := range helpcenter.Languages {
		if s[l] && l != requested {
			out = append(out, l)
		}
	}
	return strings.Join(out, ", ")
}

// writeCacheable answers a public GET with v, cacheable for maxAge seconds and validated by a strong
// ETag over the body and its language: a matching If-None-Match gets 304 without a body.
func writeCacheable(w http.ResponseWriter, r *http.Request, contentLanguage string, maxAge int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	body = append(body, '\n')
	sum := sha256.Sum256(append([]byte(contentLanguage+"\n"), body...))
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	hd := w.Header()
	hd.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	hd.Set("ETag", etag)
	hd.Set("Content-Language", contentLanguage)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// etagMatches implements If-None-Match's weak comparison: "*", or any listed tag equal to etag with or
// without a W/ prefix.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
