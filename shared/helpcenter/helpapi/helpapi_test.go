package helpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/helpcenter/helpapi"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// clock is a settable time source shared by a test's services.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	env   *testenv.DynamoEnv
	store *dynamostore.HelpCenter
	clock *clock
	h     http.Handler
}

// newFixture serves the help routes on DynamoDB Local, as the function does.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testenv.DynamoDB(t)
	f := &fixture{env: env, store: dynamostore.NewHelpCenter(env.Client, env.SupportTable), clock: &clock{t: time.Now().UTC()}}
	f.h = f.instance(t)
	return f
}

// instance is another execution environment of the function over the same table (its own index copy).
func (f *fixture) instance(t *testing.T) http.Handler {
	t.Helper()
	svc := helpcenter.NewService(f.store, f.store, f.clock.now)
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(f.env.Client, f.env.IdempotencyTable))},
		helpapi.Routes(svc))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

const ops = "dewi"

func (f *fixture) put(t *testing.T, slug string, body any, want int) apitest.Response {
	t.Helper()
	return apitest.Expect(t, f.h, apitest.Request{Method: "PUT", Path: "/ops/help/articles/" + slug, Resource: "/ops/help/articles/{slug}",
		Body: body, As: apitest.AsOperator(ops)}, want)
}

func (f *fixture) action(t *testing.T, slug, action string, want int) apitest.Response {
	t.Helper()
	return apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/ops/help/articles/" + slug + "/" + action,
		Resource: "/ops/help/articles/{slug}/" + action, As: apitest.AsOperator(ops)}, want)
}

func (f *fixture) search(t *testing.T, h http.Handler, path, q, lang string) helpapi.SearchView {
	t.Helper()
	r := apitest.Expect(t, h, apitest.Request{Method: "GET", Path: path, Query: map[string]string{"q": q},
		Headers: map[string]string{"Accept-Language": lang}, As: apitest.AsGuest()}, http.StatusOK)
	var v helpapi.SearchView
	r.JSON(&v)
	return v
}

// seedDemo writes and publishes the demo articles make run seeds, through the ops routes.
func (f *fixture) seedDemo(t *testing.T) int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "infra", "localstack", "seed", "30-help-articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var seed struct {
		Requests []struct {
			Method string          `json:"method"`
			Path   string          `json:"path"`
			Body   json.RawMessage `json:"body"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(raw, &seed); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range seed.Requests {
		slug := strings.Split(strings.TrimPrefix(r.Path, "/ops/help/articles/"), "/")[0]
		if r.Method == "PUT" {
			f.put(t, slug, string(r.Body), http.StatusCreated)
			n++
		} else {
			f.action(t, slug, "publish", http.StatusOK)
		}
	}
	return n
}

func slugs(v helpapi.SearchView) []string {
	var out []string
	for _, it := range v.Items {
		out = append(out, it.Slug)
	}
	return out
}

func article(title, body string) map[string]any {
	return map[string]any{"category": "returns", "tags": []string{"retur"},
		"content": map[string]any{"id": map[string]string{"title": title, "body": body}}}
}

// Issue 12, "done when": a guest searching in either language gets the right article first, and every
// form of "kembali" finds the returns article.
func TestGuestsFindTheRightArticleInBothLanguages(t *testing.T) {
	f := newFixture(t)
	if n := f.seedDemo(t); n < 18 {
		t.Fatalf("%d demo articles", n)
	}
	first := []struct{ q, lang, want string }{
		{"cara mengembalikan barang", "id", "cara-mengembalikan-barang"},
		{"refund belum masuk", "id", "waktu-refund-per-metode-pembayaran"},
		{"how to return an item", "en", "cara-mengembalikan-barang"},
		{"my refund hasn't arrived", "en", "waktu-refund-per-metode-pembayaran"},
	}
	for _, c := range first {
		v := f.search(t, f.h, "/help/search", c.q, c.lang)
		if len(v.Items) == 0 || v.Items[0].Slug != c.want {
			t.Errorf("%q: %v, want %s first", c.q, slugs(v), c.want)
			continue
		}
		if v.Items[0].Language != c.lang || !strings.Contains(v.Items[0].SnippetHTML, "<mark>") {
			t.Errorf("%q: first hit %+v, want it in %s with a highlighted snippet", c.q, v.Items[0], c.lang)
		}
	}
	for _, q := range []string{"pengembalian barang", "barang dikembalikan", "kembalikan barang", "mengembalikan", "pengembalin barang"} {
		v := f.search(t, f.h, "/help/search", q, "id")
		found := false
		for _, s := range slugs(v)[:min(3, len(v.Items))] {
			found = found || s == "cara-mengembalikan-barang"
		}
		if !found {
			t.Errorf("%q: %v, want cara-mengembalikan-barang in the top 3", q, slugs(v))
		}
	}
	// A stop-word-only query finds nothing rather than everything.
	if v := f.search(t, f.h, "/help/search", "yang dan atau the", "id"); len(v.Items) != 0 {
		t.Errorf("stop words only: %v", slugs(v))
	}
	// Suggestions for a complaint subject: at most 3, same ranking.
	v := f.search(t, f.h, "/help/suggest", "dana refund belum masuk ke gopay", "id")
	if len(v.Items) == 0 || len(v.Items) > 3 || v.Items[0].Slug != "waktu-refund-per-metode-pembayaran" {
		t.Errorf("suggest: %v", slugs(v))
	}
	// Categories list every published article under its category, titles in the asked language.
	r := apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/help/categories", Headers: map[string]string{"Accept-Language": "en"}, As: apitest.AsGuest()}, http.StatusOK)
	var cats struct {
		Items []helpapi.CategoryView `json:"items"`
	}
	r.JSON(&cats)
	total := 0
	for _, c := range cats.Items {
		for _, a := range c.Articles {
			total++
			if a.Language != "en" || a.Title == "" {
				t.Errorf("%s/%s: %+v, want an English title", c.Category, a.Slug, a)
			}
		}
	}
	if len(cats.Items) != len(helpcenter.Categories) || total < 18 || r.Header("Content-Language") != "en" {
		t.Errorf("%d categories with %d articles, Content-Language %q", len(cats.Items), total, r.Header("Content-Language"))
	}
}

func TestPublicReadsAreCacheableAndTruthfulAboutLanguage(t *testing.T) {
	f := newFixture(t)
	f.put(t, "hanya-bahasa-indonesia", article("Cara retur", "Barang **dapat** dikembalikan dalam 30 hari."), http.StatusCreated)
	get := func(lang, etag string, want int) apitest.Response {
		h := map[string]string{"Accept-Language": lang}
		if etag != "" {
			h["If-None-Match"] = etag
		}
		return apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/help/articles/hanya-bahasa-indonesia", Resource: "/help/articles/{slug}",
			Headers: h, As: apitest.AsGuest()}, want)
	}
	get("id", "", http.StatusNotFound) // a draft is not public
	f.action(t, "hanya-bahasa-indonesia", "publish", http.StatusOK)

	r := get("en", "", http.StatusOK)
	var v helpapi.ArticleView
	r.JSON(&v)
	if r.Header("Content-Language") != "id" || v.Language != "id" || v.HTML != "<p>Barang <strong>dapat</strong> dikembalikan dalam 30 hari.</p>\n" {
		t.Errorf("English asked, only Indonesian written: Content-Language %q, view %+v", r.Header("Content-Language"), v)
	}
	etag := r.Header("ETag")
	if !strings.HasPrefix(etag, `"`) || r.Header("Cache-Control") != "public, max-age=300" {
		t.Errorf("ETag %q Cache-Control %q", etag, r.Header("Cache-Control"))
	}
	if nm := get("en", etag, http.StatusNotModified); nm.Body != "" || nm.Header("ETag") != etag {
		t.Errorf("304 with body %q ETag %q", nm.Body, nm.Header("ETag"))
	}
	get("en", `W/`+etag+`, "other"`, http.StatusNotModified)
	get("en", `"stale"`, http.StatusOK)

	// A new version changes the ETag.
	f.put(t, "hanya-bahasa-indonesia", article("Cara retur", "Barang dapat dikembalikan dalam 30 hari sejak diterima."), http.StatusOK)
	f.action(t, "hanya-bahasa-indonesia", "publish", http.StatusOK)
	if r := get("en", etag, http.StatusOK); r.Header("ETag") == etag {
		t.Error("the ETag did not change with the article")
	}
}

func TestArticleLifecycleIsVersionedAndAudited(t *testing.T) {
	f := newFixture(t)
	slug := "batas-retur"
	f.put(t, slug, article("Batas waktu retur", "Tiga puluh hari."), http.StatusCreated)
	// The same draft again changes nothing.
	r := f.put(t, slug, article("Batas waktu retur", "Tiga puluh hari."), http.StatusOK)
	var a helpapi.OpsArticle
	r.JSON(&a)
	if a.Version != 1 || a.Status != "draft" || a.Published != nil {
		t.Fatalf("after an identical put: %+v", a)
	}
	f.action(t, slug, "publish", http.StatusOK)
	f.action(t, slug, "publish", http.StatusOK) // already published: no new version
	f.put(t, slug, article("Batas waktu retur", "Tiga puluh hari sejak diterima."), http.StatusOK)

	public := func(want int) string {
		r := apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/help/articles/" + slug, Resource: "/help/articles/{slug}", As: apitest.AsGuest()}, want)
		var v helpapi.ArticleView
		if want == http.StatusOK {
			r.JSON(&v)
		}
		return v.Body
	}
	if got := public(http.StatusOK); got != "Tiga puluh hari." {
		t.Errorf("customers read %q before the edit is published", got)
	}
	r = apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/help/articles/" + slug, Resource: "/ops/help/articles/{slug}", As: apitest.AsOperator(ops)}, http.StatusOK)
	r.JSON(&a)
	if !a.UnpublishedChanges || a.Version != 3 || a.Published == nil || a.Published.Version != 2 {
		t.Errorf("ops view %+v", a)
	}
	// An editor who read version 2 cannot overwrite version 3.
	stale := article("Batas", "Lama.")
	stale["version"] = 2
	if p := f.put(t, slug, stale, http.StatusConflict).Problem(); p.Code != "help_article_version_conflict" {
		t.Errorf("stale write: %+v", p)
	}
	f.action(t, slug, "publish", http.StatusOK)
	if got := public(http.StatusOK); got != "Tiga puluh hari sejak diterima." {
		t.Errorf("after publishing: %q", got)
	}
	f.action(t, slug, "unpublish", http.StatusOK)
	public(http.StatusNotFound)
	if v := f.search(t, f.h, "/help/search", "batas waktu retur", "id"); len(v.Items) != 0 {
		t.Errorf("an unpublished article is still found: %v", slugs(v))
	}
	f.action(t, slug, "delete", http.StatusOK)
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/help/articles/" + slug, Resource: "/ops/help/articles/{slug}", As: apitest.AsOperator(ops)}, http.StatusNotFound)
	f.action(t, slug, "publish", http.StatusNotFound)
	// Written again, its history continues.
	f.put(t, slug, article("Batas waktu retur", "Baru."), http.StatusCreated)

	r = apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/help/articles/" + slug + "/versions", Resource: "/ops/help/articles/{slug}/versions",
		As: apitest.AsOperator(ops)}, http.StatusOK)
	var hist struct {
		Items []helpapi.VersionView `json:"items"`
	}
	r.JSON(&hist)
	var got []string
	for i, v := range hist.Items {
		got = append(got, fmt.Sprintf("%d:%s:%s", v.Version, v.Action, v.Status))
		if v.Version != i+1 || v.By != ops || v.At.IsZero() {
			t.Errorf("entry %d: %+v", i, v)
		}
	}
	want := "1:create:draft 2:publish:published 3:update:published 4:publish:published 5:unpublish:draft 6:delete:deleted 7:create:draft"
	if strings.Join(got, " ") != want {
		t.Errorf("history %s\nwant    %s", strings.Join(got, " "), want)
	}
	if hist.Items[2].Content["id"].Body != "Tiga puluh hari sejak diterima." {
		t.Errorf("version 3 keeps its draft: %+v", hist.Items[2].Content)
	}
}

func TestAnotherInstanceSeesPublishedChanges(t *testing.T) {
	f := newFixture(t)
	other := f.instance(t)
	f.put(t, "kurir-cod", map[string]any{"category": "payments", "content": map[string]any{
		"en": map[string]string{"title": "Cash on delivery", "body": "Pay the courier in cash."}}}, http.StatusCreated)
	f.action(t, "kurir-cod", "publish", http.StatusOK)
	if v := f.search(t, other, "/help/search", "courier cash", "en"); len(v.Items) != 1 {
		t.Fatalf("the other instance loads the index at its first search: %v", slugs(v))
	}
	f.put(t, "lacak-paket", map[string]any{"category": "shipping", "content": map[string]any{
		"en": map[string]string{"title": "Track your parcel", "body": "Use the tracking number."}}}, http.StatusCreated)
	f.action(t, "lacak-paket", "publish", http.StatusOK)
	if v := f.search(t, other, "/help/search", "tracking number", "en"); len(v.Items) != 0 {
		t.Errorf("within the refresh interval the loaded index answers: %v", slugs(v))
	}
	f.clock.add(31 * time.Second)
	if v := f.search(t, other, "/help/search", "tracking number", "en"); len(v.Items) != 1 || v.Items[0].Slug != "lacak-paket" {
		t.Errorf("after the refresh interval: %v", slugs(v))
	}
}

func TestOverdueIndexIsRebuiltByASearch(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	// A published article whose writer died before rebuilding the index: the change committed (contentSeq
	// moved) but nothing rebuilt.
	now := f.clock.now()
	a := helpcenter.Article{Slug: "akun-aman", Status: helpcenter.StatusPublished, Version: 1, CreatedAt: now, UpdatedAt: now, UpdatedBy: ops,
		Draft: helpcenter.Draft{Category: "account", Content: map[string]helpcenter.Content{"id": {Title: "Keamanan akun", Body: "Jangan berikan kode OTP."}}}}
	a.Published = &helpcenter.Snapshot{Draft: a.Draft, Version: 1, At: now, By: ops}
	if err := f.store.Save(ctx, a, 0, helpcenter.Version{Slug: a.Slug, Version: 1, Action: helpcenter.ActionPublish, Status: a.Status, By: ops, At: now, Draft: a.Draft}, true); err != nil {
		t.Fatal(err)
	}
	if v := f.search(t, f.h, "/help/search", "kode otp", "id"); len(v.Items) != 0 {
		t.Errorf("a fresh change is left to its writer: %v", slugs(v))
	}
	f.clock.add(2 * time.Minute)
	if v := f.search(t, f.h, "/help/search", "kode otp", "id"); len(v.Items) != 1 {
		t.Errorf("an overdue change is rebuilt by the search that notices it: %v", slugs(v))
	}
}

func TestFeedbackCountsOncePerReaderAndFeedsDeflection(t *testing.T) {
	f := newFixture(t)
	f.put(t, "refund-cod", article("Refund COD", "Dana masuk 1–3 hari kerja."), http.StatusCreated)
	f.action(t, "refund-cod", "publish", http.StatusOK)
	vote := func(ip, key string, body string, want int) helpapi.FeedbackView {
		t.Helper()
		h := map[string]string{}
		if key != "" {
			h["Idempotency-Key"] = key
		}
		r := apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/help/articles/refund-cod/feedback", Resource: "/help/articles/{slug}/feedback",
			Body: body, Headers: h, As: func(rc *events.APIGatewayProxyRequestContext) { rc.Identity.SourceIP = ip }}, want)
		var v helpapi.FeedbackView
		r.JSON(&v)
		return v
	}
	if v := vote("198.51.100.1", "fb-1", `{"helpful":true,"context":"complaint_form"}`, http.StatusCreated); !v.Counted || !v.Helpful {
		t.Errorf("first vote %+v", v)
	}
	vote("198.51.100.1", "fb-1", `{"helpful":true,"context":"complaint_form"}`, http.StatusCreated) // replayed
	// The same reader again, without the key and changing their mind: the first vote stands.
	if v := vote("198.51.100.1", "", `{"helpful":false,"context":"search"}`, http.StatusOK); v.Counted || !v.Helpful || v.Context != "complaint_form" {
		t.Errorf("repeat vote %+v", v)
	}
	// A header claiming another identity changes nothing: only the request context counts.
	r := apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/help/articles/refund-cod/feedback", Resource: "/help/articles/{slug}/feedback",
		Body: `{"helpful":false,"context":"search"}`, Headers: map[string]string{"X-Forwarded-For": "192.0.2.99"},
		As: func(rc *events.APIGatewayProxyRequestContext) { rc.Identity.SourceIP = "198.51.100.1" }}, http.StatusOK)
	_ = r
	vote("198.51.100.2", "", `{"helpful":false,"context":"search"}`, http.StatusCreated)
	vote("198.51.100.3", "", `{"helpful":true,"context":"search"}`, http.StatusCreated)
	apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/help/articles/tidak-ada/feedback", Resource: "/help/articles/{slug}/feedback",
		Body: `{"helpful":true,"context":"search"}`, As: apitest.AsGuest()}, http.StatusNotFound)
	for _, body := range []string{`{"helpful":true}`, `{"context":"search"}`, `{"helpful":"yes","context":"search"}`, `{"helpful":true,"context":"email"}`} {
		apitest.Expect(t, f.h, apitest.Request{Method: "POST", Path: "/help/articles/refund-cod/feedback", Resource: "/help/articles/{slug}/feedback",
			Body: body, As: apitest.AsGuest()}, http.StatusBadRequest)
	}
	for range 3 {
		apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/help/articles/refund-cod", Resource: "/help/articles/{slug}", As: apitest.AsGuest()}, http.StatusOK)
	}

	day := metrics.Day(f.clock.now())
	report, err := metrics.NewService(dynamostore.NewMetrics(f.env.Client, f.env.SupportTable), io.Discard, f.clock.now).Report(t.Context(), day, day)
	if err != nil {
		t.Fatal(err)
	}
	hc := report.HelpCenter
	if hc.ArticleViews != 3 || hc.Feedback.Helpful != 2 || hc.Feedback.NotHelpful != 1 || hc.Feedback.HelpfulPercent == nil || *hc.Feedback.HelpfulPercent != 66.7 ||
		hc.Deflection.ComplaintFormHelpful != 1 || hc.Deflection.ComplaintsFiled != 0 || hc.Deflection.Percent == nil || *hc.Deflection.Percent != 100 {
		raw, _ := json.Marshal(hc)
		t.Errorf("help-center figures %s", raw)
	}
}

func TestBadInputIsRefusedWithTheField(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name, field, code string
		req               apitest.Request
	}{
		{"empty query", "q", "required", apitest.Request{Method: "GET", Path: "/help/search", Query: map[string]string{"q": "  "}}},
		{"no query", "q", "required", apitest.Request{Method: "GET", Path: "/help/suggest"}},
		{"punctuation only", "q", "required", apitest.Request{Method: "GET", Path: "/help/search", Query: map[string]string{"q": "?!.."}}},
		{"huge query", "q", "max_length", apitest.Request{Method: "GET", Path: "/help/search", Query: map[string]string{"q": strings.Repeat("retur ", 40)}}},
		{"binary query", "q", "plain_text", apitest.Request{Method: "GET", Path: "/help/search", Query: map[string]string{"q": "retur\x00\x01"}}},
		{"invalid UTF-8", "q", "plain_text", apitest.Request{Method: "GET", Path: "/help/search", Query: map[string]string{"q": "retur \xff\xfe"}}},
		{"bad limit", "limit", "invalid", apitest.Request{Method: "GET", Path: "/help/search", Query: map[string]string{"q": "retur", "limit": "11"}}},
		{"script in markdown", "content.id.body", "markdown_html", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: article("Judul", "Halo <script>alert(1)</script>")}},
		{"html comment", "content.id.body", "markdown_html", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: article("Judul", "Halo <!-- x -->")}},
		{"javascript link", "content.id.body", "markdown_link", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: article("Judul", "[klik](javascript:alert(1))")}},
		{"markup in title", "content.id.title", "plain_text", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: article("<b>Judul</b>", "Isi.")}},
		{"unknown category", "category", "oneof", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: map[string]any{"category": "misc", "content": map[string]any{"id": map[string]string{"title": "a", "body": "b"}}}}},
		{"no language", "content", "content_language_required", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: map[string]any{"category": "returns", "content": map[string]any{}}}},
		{"unknown language", "content.fr", "unknown", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: map[string]any{"category": "returns", "content": map[string]any{"fr": map[string]string{"title": "a", "body": "b"}}}}},
		{"bad slug", "slug", "slug", apitest.Request{Method: "PUT", Path: "/ops/help/articles/Bad_Slug", Body: article("Judul", "Isi.")}},
		{"huge body", "content.id.body", "max_length", apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss",
			Body: article("Judul", strings.Repeat("kata ", 3001))}},
	}
	for _, c := range cases {
		req := c.req
		if strings.HasPrefix(req.Path, "/ops/") {
			req.As, req.Resource = apitest.AsOperator(ops), "/ops/help/articles/{slug}"
		} else {
			req.As = apitest.AsGuest()
		}
		p := apitest.Expect(t, f.h, req, http.StatusBadRequest).Problem()
		found := false
		for _, e := range p.Errors {
			found = found || (e.Field == c.field && e.Code == c.code)
		}
		if !found {
			t.Errorf("%s: errors %+v, want %s %s", c.name, p.Errors, c.field, c.code)
		}
	}
	// Nothing was stored by the refused writes.
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/help/articles", As: apitest.AsOperator(ops)}, http.StatusOK)
	apitest.Expect(t, f.h, apitest.Request{Method: "GET", Path: "/ops/help/articles/xss", Resource: "/ops/help/articles/{slug}", As: apitest.AsOperator(ops)}, http.StatusNotFound)
	// Ops routes refuse callers API Gateway did not authenticate with IAM.
	apitest.Expect(t, f.h, apitest.Request{Method: "PUT", Path: "/ops/help/articles/xss", Resource: "/ops/help/articles/{slug}",
		Body: article("Judul", "Isi."), As: apitest.AsGuest()}, http.StatusForbidden)
}
