package helpsearch

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/helpcenter/safemarkdown"
)

// demoSeed is the demo content make run seeds; the evaluation set is written against it.
var demoSeed = filepath.Join("..", "..", "..", "infra", "localstack", "seed", "30-help-articles.json")

type seedArticle struct {
	Category string   `json:"category"`
	Tags     []string `json:"tags"`
	Content  map[string]struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	} `json:"content"`
}

// demoArticles reads the seeded articles as the help center indexes them (Markdown made plain).
func demoArticles(tb testing.TB) []Article {
	tb.Helper()
	raw, err := os.ReadFile(demoSeed)
	if err != nil {
		tb.Fatal(err)
	}
	var seed struct {
		Requests []struct {
			Method string          `json:"method"`
			Path   string          `json:"path"`
			Body   json.RawMessage `json:"body"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(raw, &seed); err != nil {
		tb.Fatal(err)
	}
	var out []Article
	for _, r := range seed.Requests {
		if r.Method != "PUT" {
			continue
		}
		var sa seedArticle
		if err := json.Unmarshal(r.Body, &sa); err != nil {
			tb.Fatal(err)
		}
		a := Article{Slug: strings.TrimPrefix(r.Path, "/ops/help/articles/"), Category: sa.Category, Tags: sa.Tags, Texts: map[string]Text{}}
		for lang, c := range sa.Content {
			a.Texts[lang] = Text{Title: c.Title, Body: safemarkdown.PlainText(c.Body)}
		}
		out = append(out, a)
	}
	return out
}

type evalCase struct {
	Lang  string `json:"lang"`
	Query string `json:"query"`
	Want  string `json:"want"`
}

func evalCases(tb testing.TB) []evalCase {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "eval.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c evalCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

type evalResult struct {
	n          int
	rr         float64 // sum of reciprocal ranks
	top1, top3 int
	misses     []string
}

func (r evalResult) mrr() float64      { return r.rr / float64(r.n) }
func (r evalResult) top3Rate() float64 { return float64(r.top3) / float64(r.n) }

// evaluate ranks every case's query (the top 10) and scores where its expected article lands.
func evaluate(tb testing.TB, ix *Index, cases []evalCase) map[string]*evalResult {
	res := map[string]*evalResult{}
	for _, c := range cases {
		r := res[c.Lang]
		if r == nil {
			r = &evalResult{}
			res[c.Lang] = r
		}
		r.n++
		rank := 0
		hits := ix.Search(c.Query, c.Lang, 10)
		for i, h := range hits {
			if h.Slug == c.Want {
				rank = i + 1
				break
			}
		}
		if rank > 0 {
			r.rr += 1 / float64(rank)
		}
		if rank == 1 {
			r.top1++
		}
		if rank >= 1 && rank <= 3 {
			r.top3++
		}
		if rank != 1 {
			got := ""
			if len(hits) > 0 {
				got = hits[0].Slug
			}
			r.misses = append(r.misses, fmt.Sprintf("%s %q: rank %d (first %s)", c.Lang, c.Query, rank, got))
		}
	}
	return res
}

func demoIndex(tb testing.TB) *Index {
	tb.Helper()
	blob, err := Build(demoArticles(tb))
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := Decode(blob)
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

// Targets of issue 12: top-3 hit rate >= 90% and MRR >= 0.8 in each language, over at least 40
// queries per language.
func TestEvaluationSetMeetsTargets(t *testing.T) {
	ix := demoIndex(t)
	cases := evalCases(t)
	slugs := map[string]bool{}
	for _, e := range ix.Entries("id") {
		slugs[e.Slug] = true
	}
	for _, c := range cases {
		if !slugs[c.Want] {
			t.Errorf("%q expects %s, which is not a demo article", c.Query, c.Want)
		}
	}
	res := evaluate(t, ix, cases)
	for _, lang := range Languages {
		r := res[lang]
		if r == nil || r.n < 40 {
			t.Fatalf("%s: fewer than 40 queries in the evaluation set", lang)
		}
		t.Logf("%s: %d queries, MRR %.3f, top-1 %.1f%%, top-3 %.1f%%", lang, r.n, r.mrr(), 100*float64(r.top1)/float64(r.n), 100*r.top3Rate())
		for _, m := range r.misses {
			t.Log("  ", m)
		}
		if r.mrr() < 0.8 || r.top3Rate() < 0.9 {
			t.Errorf("%s: MRR %.3f (want >= 0.8), top-3 %.1f%% (want >= 90%%)", lang, r.mrr(), 100*r.top3Rate())
		}
	}
}

// BenchmarkSearchEvaluation reports the evaluation figures in make bench.
func BenchmarkSearchEvaluation(b *testing.B) {
	ix := demoIndex(b)
	cases := evalCases(b)
	var res map[string]*evalResult
	for b.Loop() {
		res = evaluate(b, ix, cases)
	}
	for _, lang := range Languages {
		b.ReportMetric(res[lang].mrr(), "MRR_"+lang)
		b.ReportMetric(100*res[lang].top3Rate(), "top3%_"+lang)
	}
}
