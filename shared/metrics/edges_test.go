package metrics

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// What CloudWatch accepts at its limits is written; one past them is refused without writing anything.
func TestEMFAtItsLimits(t *testing.T) {
	dims := func(n int) []Dimension {
		out := make([]Dimension, n)
		for i := range out {
			out[i] = Dimension{Name: "D" + strconv.Itoa(i), Value: "v"}
		}
		return out
	}
	values := func(n int) []Value {
		out := make([]Value, n)
		for i := range out {
			out[i] = Value{Name: "M" + strconv.Itoa(i), Value: 1}
		}
		return out
	}
	for _, c := range []struct {
		name   string
		ns     string
		dims   []Dimension
		values []Value
		ok     bool
	}{
		{"100 metrics", Namespace, dims(1), values(100), true},
		{"30 dimensions", Namespace, dims(30), values(1), true},
		{"31 dimensions", Namespace, dims(31), values(1), false},
		{"no namespace", "", dims(1), values(1), false},
		{"empty dimension name", Namespace, []Dimension{{Name: "", Value: "x"}}, values(1), false},
		{"repeated dimension", Namespace, []Dimension{{Name: "Service", Value: "a"}, {Name: "Service", Value: "b"}}, values(1), false},
		{"dimension named _aws", Namespace, []Dimension{{Name: "_aws", Value: "x"}}, values(1), false},
		{"empty metric name", Namespace, dims(1), []Value{{Name: "", Value: 1}}, false},
		{"minus infinity", Namespace, dims(1), []Value{{Name: "A", Value: math.Inf(-1)}}, false},
	} {
		var buf bytes.Buffer
		err := EMF(&buf, time.UnixMilli(0), c.ns, c.dims, c.values)
		if c.ok && (err != nil || buf.Len() == 0) {
			t.Errorf("%s: err %v, wrote %d bytes; want a line", c.name, err, buf.Len())
		}
		if !c.ok && (err == nil || buf.Len() != 0) {
			t.Errorf("%s: err %v, wrote %q; want an error and nothing written", c.name, err, buf.String())
		}
	}
}

func TestEMFReturnsTheWriteError(t *testing.T) {
	err := EMF(failingWriter{}, time.Now(), Namespace, nil, []Value{{Name: "A", Value: 1}})
	if err == nil || !strings.Contains(err.Error(), "stdout closed") {
		t.Fatalf("err = %v, want the writer's error", err)
	}
}

// The survey flags that CloudWatch averages into CSAT %, NPS and mean CES, at each boundary: CSAT 4 is
// satisfied and 3 is not; NPS 9 is a promoter, 7 and 8 are passive, 6 is a detractor.
func TestSurveyValuesAtTheBoundaries(t *testing.T) {
	flags := func(csat int, ces, nps *int) map[string]float64 {
		out := map[string]float64{}
		for _, v := range SurveyValues(csat, ces, nps, false) {
			out[v.Name] = v.Value
		}
		return out
	}
	for _, c := range []struct {
		csat      int
		satisfied float64
	}{{5, 1}, {4, 1}, {3, 0}, {1, 0}} {
		if got := flags(c.csat, nil, nil)["CSATSatisfied"]; got != c.satisfied {
			t.Errorf("CSAT %d: CSATSatisfied %v, want %v", c.csat, got, c.satisfied)
		}
	}
	for _, c := range []struct {
		nps                 int
		promoter, detractor float64
	}{{10, 1, 0}, {9, 1, 0}, {8, 0, 0}, {7, 0, 0}, {6, 0, 1}, {0, 0, 1}} {
		got := flags(5, nil, &c.nps)
		if got["NPSPromoter"] != c.promoter || got["NPSDetractor"] != c.detractor || got["NPSScore"] != float64(c.nps) {
			t.Errorf("NPS %d: %v, want promoter %v detractor %v", c.nps, got, c.promoter, c.detractor)
		}
	}
	ces := 6
	if got, ok := flags(5, &ces, nil)["CESScore"]; !ok || got != 6 {
		t.Errorf("CES 6: CESScore %v (present %v)", got, ok)
	}
	if _, ok := flags(5, nil, nil)["CESScore"]; ok {
		t.Error("no CES answer, but a CESScore value")
	}
}

// One response is enough for a figure: a single promoter is NPS 100, a single satisfied answer 100 %, a single
// CES answer its own mean, a single resolution its own mean time.
func TestSummarizeWithOneOfEach(t *testing.T) {
	r := Summarize("2026-03-01", "2026-03-01", 1, Totals{
		Surveys: 1, CSATResponses: 1, CSATSatisfied: 1, CSATScoreSum: 5, CESResponses: 1, CESScoreSum: 3,
		NPSResponses: 1, NPSPromoters: 1, OrdersCreated: 1, UnitsOrdered: 1, ReturnsRequested: 1, UnitsReturned: 1,
		Resolutions: 1, ResolutionSecs: 5400, ResolutionBucket + "1": 1,
	})
	check := func(name string, p *float64, want float64) {
		t.Helper()
		if p == nil || *p != want {
			t.Errorf("%s = %v, want %v", name, p, want)
		}
	}
	check("NPS", r.NPS.Score, 100)
	check("CSAT %", r.CSAT.Percent, 100)
	check("CSAT mean", r.CSAT.MeanScore, 5)
	check("CES mean", r.CES.Mean, 3)
	check("units returned %", r.ReturnRate.UnitsPercent, 100)
	check("returns per orders %", r.ReturnRate.ReturnsPerOrdersPercent, 100)
	if m := r.ResolutionTime.MeanSeconds; m == nil || *m != 5400 {
		t.Errorf("resolution mean = %v, want 5400", m)
	}
}

// p90 of ten values is the ninth: nine fast first responses and one slow one give a fast p90.
func TestSummarizeP90IsTheNinthOfTen(t *testing.T) {
	r := Summarize("2026-03-01", "2026-03-01", 1, Totals{
		FirstResponses: 10, FirstResponseBucket + "0": 9, FirstResponseBucket + "1": 1,
	})
	if p := r.FirstResponseTime.P90; p == nil || p.UpperBoundSeconds == nil || *p.UpperBoundSeconds != 300 {
		t.Fatalf("p90 = %+v, want the 5-minute bucket", p)
	}
}

// The nearest rank is ⌈p × n / 100⌉ for large n too: of 1,000 values with 895 in the first bucket, the 900th
// is in the second.
func TestBucketPercentileOfManyValues(t *testing.T) {
	bounds := []time.Duration{time.Minute, 2 * time.Minute}
	p := BucketPercentile([]int64{895, 105, 0}, bounds, 90)
	if p == nil || p.UpperBoundSeconds == nil || *p.UpperBoundSeconds != 120 {
		t.Fatalf("p90 = %+v, want ≤ 120 s", p)
	}
}

// A one-day report (from = to) is one day; a missing day is only "required", not also a range error.
func TestDayRangeOfOneDayAndOfAMissingDay(t *testing.T) {
	if days, err := DayRange("2026-03-01", "2026-03-01"); err != nil || len(days) != 1 || days[0] != "2026-03-01" {
		t.Fatalf("one day: %v %v", days, err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"", "2026-03-01", "from:required"},
		{"2026-03-01", "", "to:required"},
	} {
		if _, err := DayRange(c.from, c.to); fieldCodes(err) != c.want {
			t.Errorf("%q..%q: %s, want %s", c.from, c.to, fieldCodes(err), c.want)
		}
	}
}

// BusinessMetrics (what the ops dashboard must graph, infra/opsready) is exactly the set of business metrics
// the code emits: every metric passed to CountEvent anywhere, and SurveyValues' response count. A metric
// emitted but left off the list would never be checked against the dashboard.
func TestBusinessMetricsAreTheMetricsTheCodeEmits(t *testing.T) {
	consts := stringConstants(t, ".")
	emitted := map[string]bool{SurveyValues(5, nil, nil, false)[0].Name: true}
	root := filepath.Join("..", "..")
	for _, dir := range []string{"shared", "functions"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || !isMetricsCall(call, "CountEvent") || len(call.Args) < 4 {
					return true
				}
				name, ok := consts[constName(call.Args[3])]
				if !ok {
					t.Errorf("%s: CountEvent's metric %q is not a metrics constant", path, constName(call.Args[3]))
				}
				emitted[name] = true
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for name := range emitted {
		want = append(want, name)
	}
	got := slices.Clone(BusinessMetrics)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("BusinessMetrics = %v, but the code emits %v", got, want)
	}
}

// isMetricsCall reports whether call is metrics.<name>(...).
func isMetricsCall(call *ast.CallExpr, name string) bool {
	fn, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := fn.X.(*ast.Ident)
	return ok && x.Name == "metrics" && fn.Sel.Name == name
}

func constName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// stringConstants maps this package's string constants to their values.
func stringConstants(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							out[n.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no string constants found")
	}
	return out
}
