// Command mutation runs the mutation driver (../shared/tools/mutdrive) over the domain packages and prints a
// table of scores. `make mutation` builds the driver and runs this inside the service environment.
//
// Each package is judged in two passes that give the same verdicts as one run with every judge, at a fraction
// of the cost: first by its own tests (fast, pure domain), then only the survivors again by its own tests
// plus its API tests against DynamoDB Local and fauxqs. A mutant the first pass kills would be killed by the
// second too, since its own tests are part of the second pass.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func main() {
	driver := flag.String("mutdrive", ".cache/mutdrive", "mutdrive binary")
	list := flag.String("packages", "", "space-separated entries pkg[:judge,judge...], directories under shared/")
	only := flag.String("only", "", "space-separated package names or directories under shared/ to run (default: every entry)")
	workers := flag.Int("workers", 2, "parallel go test runs per package")
	ownTimeout := flag.String("timeout", "90s", "wall limit per mutant, own tests")
	apiTimeout := flag.String("api-timeout", "300s", "wall limit per mutant, with API tests")
	outDir := flag.String("out", "build/mutation", "where the JSON lines and the survivor list go")
	minScore := flag.Float64("min", 90, "exit 1 when a package scores below this")
	equivalents := flag.String("equivalents", "infra/mutation-equivalents.md", "equivalent mutants (not scored, not rerun)")
	recheck := flag.String("recheck", "", "survivor list (as written to survivors.txt): run only those mutants, to check new tests quickly")
	flag.Parse()

	entries, err := parseEntries(*list)
	if err != nil {
		fail(err)
	}
	entries = selectEntries(entries, strings.Fields(*only))
	if len(entries) == 0 {
		fail(fmt.Errorf("no packages to run (packages %q, only %q)", *list, *only))
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fail(err)
	}
	for _, e := range entries {
		for _, dir := range append([]string{e.dir}, e.judges...) {
			if _, err := os.Stat(filepath.Join("shared", dir)); err != nil {
				fail(fmt.Errorf("%s: package shared/%s not found", e.name, dir))
			}
		}
	}
	if missing := unlisted(entries); len(missing) > 0 && *only == "" {
		fmt.Fprintf(os.Stderr, "mutation: neither mutated nor judging (add domain packages to MUTATION_PACKAGES): %s\n",
			strings.Join(missing, " "))
	}

	r := runner{driver: *driver, workers: *workers, ownTimeout: *ownTimeout, apiTimeout: *apiTimeout, outDir: *outDir}
	if b, err := os.ReadFile(*equivalents); err == nil {
		r.equivalent = equivalentSet(string(b))
	} else if !os.IsNotExist(err) {
		fail(err)
	}
	if *recheck != "" {
		b, err := os.ReadFile(*recheck)
		if err != nil {
			fail(err)
		}
		r.only = survivorKeys(string(b))
	}
	var rows []row
	var survivors []mutant
	for _, e := range entries {
		muts, err := r.run(e)
		if err != nil {
			fail(fmt.Errorf("%s: %w", e.name, err))
		}
		if err := writeJSONL(filepath.Join(*outDir, e.name+".jsonl"), muts); err != nil {
			fail(err)
		}
		rows = append(rows, tally(e, muts))
		for _, m := range muts {
			if m.Status == statusLived {
				survivors = append(survivors, m)
			}
		}
	}
	survivorFile := filepath.Join(*outDir, "survivors.txt")
	if err := writeSurvivors(survivorFile, survivors); err != nil {
		fail(err)
	}
	below := printTable(os.Stdout, rows, *minScore)
	fmt.Printf("survivors: %s (%d); per-mutant results: %s/<package>.jsonl\n", survivorFile, len(survivors), *outDir)
	if len(below) > 0 {
		fmt.Printf("mutation: below %.0f%%: %s\n", *minScore, strings.Join(below, " "))
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutation:", err)
	os.Exit(2)
}

// entry is one package under test and the other packages whose tests also judge its mutants.
type entry struct {
	name   string   // the package's name (its last path element): names outputs, rows and equivalents
	dir    string   // its directory under shared/
	judges []string // directories under shared/
}

func parseEntries(list string) ([]entry, error) {
	var out []entry
	seen := map[string]bool{}
	for _, f := range strings.Fields(list) {
		dir, judges, _ := strings.Cut(f, ":")
		name := path.Base(dir)
		if dir == "" || seen[name] {
			return nil, fmt.Errorf("bad or repeated entry %q", f)
		}
		seen[name] = true
		e := entry{name: name, dir: dir}
		for _, j := range strings.Split(judges, ",") {
			if j != "" && j != dir {
				e.judges = append(e.judges, j)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func selectEntries(all []entry, only []string) []entry {
	if len(only) == 0 {
		return all
	}
	want := map[string]bool{}
	for _, o := range only {
		want[o] = true
	}
	var out []entry
	for _, e := range all {
		if want[e.name] || want[e.dir] {
			out = append(out, e)
		}
	}
	return out
}

// unlisted names the packages under shared/ that are neither mutated nor judges, so a new domain package
// missing from MUTATION_PACKAGES is seen, not silently skipped.
func unlisted(entries []entry) []string {
	known := map[string]bool{}
	for _, e := range entries {
		known[e.dir] = true
		for _, j := range e.judges {
			known[j] = true
		}
	}
	var out []string
	_ = filepath.WalkDir("shared", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() == "testdata" {
			return err
		}
		if dir := filepath.ToSlash(strings.TrimPrefix(p, "shared"+string(filepath.Separator))); !known[dir] && hasSource(p) {
			out = append(out, dir)
		}
		return nil
	})
	return out
}

func hasSource(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			return true
		}
	}
	return false
}

// mutant is one line of mutdrive's JSON output (the fields this command reads).
type mutant struct {
	Pkg    string  `json:"pkg"`
	File   string  `json:"file"`
	Line   int     `json:"line"`
	Col    int     `json:"col"`
	Kind   string  `json:"kind"`
	Desc   string  `json:"desc"`
	Orig   string  `json:"orig"`
	Mut    string  `json:"mut"`
	Status string  `json:"status"`
	Detail string  `json:"detail,omitempty"`
	Secs   float64 `json:"secs"`
	// Judge says which pass decided the status: "own" or "api".
	Judge string `json:"judge"`
}

const (
	statusKilled     = "KILLED"
	statusLived      = "LIVED"
	statusTimedOut   = "TIMED OUT"
	statusNotCovered = "NOT COVERED"
	statusNotViable  = "NOT VIABLE"
	statusEquivalent = "EQUIVALENT" // survived, and documented as changing nothing observable
)

// key is what mutdrive's -select matches: file:line:col:kind.
func (m mutant) key() string { return fmt.Sprintf("%s:%d:%d:%s", m.File, m.Line, m.Col, m.Kind) }

type runner struct {
	driver, ownTimeout, apiTimeout, outDir string
	workers                                int
	// only, when set, holds the select regexp for each package: a recheck of a survivor list.
	only map[string]string
	// equivalent holds the identities (see equivalentID) of the mutants documented as equivalent.
	equivalent map[string]bool
}

// equivalentID identifies a mutant by package, file, kind, description and the original line, not by its
// position, so an entry survives edits elsewhere in the file and goes stale when that line changes.
func equivalentID(pkg, file, kind, desc, orig string) string {
	return strings.Join([]string{pkg + "/" + file, kind, desc, strings.TrimSpace(orig)}, "\x00")
}

// equivalentSet reads the entries of infra/mutation-equivalents.md: lines of the form
// "- pkg/file.go:line:col KIND [desc] | original line — why it is equivalent".
func equivalentSet(doc string) map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(doc, "\n") {
		entry, ok := strings.CutPrefix(strings.TrimSpace(line), "- ")
		if !ok {
			continue
		}
		if i := strings.LastIndex(entry, " — "); i >= 0 {
			entry = entry[:i]
		}
		pos, rest, ok := strings.Cut(entry, " ")
		kind, rest, ok2 := strings.Cut(rest, " [")
		desc, orig, ok3 := strings.Cut(rest, "] | ")
		pkgFile, _, ok4 := strings.Cut(pos, ":")
		pkg, file := filepath.Split(pkgFile)
		if !ok || !ok2 || !ok3 || !ok4 || pkg == "" {
			continue
		}
		out[equivalentID(filepath.Base(pkg), file, kind, desc, orig)] = true
	}
	return out
}

// survivorKeys reads lines like "returns/decide.go:126:4 INVERT_LOOPCTRL [...] | ..." into a select regexp
// per package.
func survivorKeys(list string) map[string]string {
	keys := map[string][]string{}
	for _, line := range strings.Split(list, "\n") {
		pos, rest, ok := strings.Cut(strings.TrimSpace(line), " ")
		kind, _, _ := strings.Cut(rest, " ")
		pkgFile, lineCol, ok2 := strings.Cut(pos, ":")
		pkg, file := filepath.Split(pkgFile)
		if !ok || !ok2 || pkg == "" || kind == "" {
			continue
		}
		pkg = filepath.Base(pkg)
		keys[pkg] = append(keys[pkg], regexp.QuoteMeta(file+":"+lineCol+":"+kind))
	}
	out := map[string]string{}
	for pkg, k := range keys {
		out[pkg] = "^(" + strings.Join(k, "|") + ")$"
	}
	return out
}

func (r runner) run(e entry) ([]mutant, error) {
	pkg := "./shared/" + e.dir
	args := []string{"-pkg", pkg, "-timeout", r.ownTimeout}
	if r.only != nil {
		if r.only[e.name] == "" {
			return nil, nil
		}
		args = append(args, "-select", r.only[e.name])
	}
	own, err := r.mutdrive(e.name, "own", args...)
	if err != nil {
		return nil, err
	}
	for i := range own {
		own[i].Judge = "own"
		m := own[i]
		if m.Status == statusLived && r.equivalent[equivalentID(m.Pkg, m.File, m.Kind, m.Desc, m.Orig)] {
			own[i].Status = statusEquivalent
		}
	}
	lived := selectRegexp(own)
	if lived == "" || len(e.judges) == 0 {
		return own, nil
	}
	tests := []string{pkg}
	for _, j := range e.judges {
		tests = append(tests, "./shared/"+j)
	}
	api, err := r.mutdrive(e.name, "api", "-pkg", pkg, "-timeout", r.apiTimeout, "-select", lived, "-test", strings.Join(tests, " "))
	if err != nil {
		return nil, err
	}
	return merge(own, api), nil
}

// selectRegexp matches exactly the survivors' keys, or is empty when nothing survived.
func selectRegexp(muts []mutant) string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range muts {
		if m.Status == statusLived && !seen[m.key()] {
			seen[m.key()] = true
			keys = append(keys, regexp.QuoteMeta(m.key()))
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return "^(" + strings.Join(keys, "|") + ")$"
}

// merge takes the second pass's verdict for each first-pass survivor it ran.
func merge(own, api []mutant) []mutant {
	type id struct{ key, desc, mut string }
	second := map[id]mutant{}
	for _, m := range api {
		second[id{m.key(), m.Desc, m.Mut}] = m
	}
	out := make([]mutant, len(own))
	for i, m := range own {
		if s, ok := second[id{m.key(), m.Desc, m.Mut}]; ok && m.Status == statusLived {
			s.Judge = "api"
			m = s
		}
		out[i] = m
	}
	return out
}

// mutdrive runs the driver with its own temporary directory, so concurrent runs (several engineers, or two
// packages with the same base name) never share mutdrive's overlay files and cover profile.
func (r runner) mutdrive(name, pass string, args ...string) ([]mutant, error) {
	tmp, err := os.MkdirTemp("", "mutation-"+name+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(r.outDir, name+"."+pass+".jsonl")
	args = append(args, "-workers", fmt.Sprint(r.workers), "-out", out)
	fmt.Fprintf(os.Stderr, "mutation: %s (%s tests): mutdrive %s\n", name, pass, strings.Join(args, " "))
	cmd := exec.Command(r.driver, args...)
	// Linking dominates a mutant's run; without DWARF an API test binary takes about a quarter less CPU.
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -ldflags=-w"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("mutdrive: %w", err)
	}
	return readJSONL(out)
}

func readJSONL(path string) ([]mutant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mutant
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m mutant
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

func writeJSONL(path string, muts []mutant) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, m := range muts {
		if err := enc.Encode(m); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// writeSurvivors writes one line per survivor in the form of ../shared/reference/mutation-survivors-*.txt.
func writeSurvivors(path string, muts []mutant) error {
	sort.SliceStable(muts, func(i, j int) bool {
		a, b := muts[i], muts[j]
		if a.Pkg+a.File != b.Pkg+b.File {
			return a.Pkg+"/"+a.File < b.Pkg+"/"+b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	var b strings.Builder
	for _, m := range muts {
		fmt.Fprintf(&b, "%s/%s:%d:%d %s [%s] | %s\n", m.Pkg, m.File, m.Line, m.Col, m.Kind, m.Desc, strings.TrimSpace(m.Orig))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

type row struct {
	name                                                                        string
	judges                                                                      []string
	total, covered, killed, killedByAPI, lived, equivalent, timedOut, notViable int
}

func (r row) score() (float64, bool) {
	if r.killed+r.lived == 0 {
		return 0, false
	}
	return 100 * float64(r.killed) / float64(r.killed+r.lived), true
}

func tally(e entry, muts []mutant) row {
	r := row{name: e.name, judges: e.judges, total: len(muts)}
	for _, m := range muts {
		if m.Status != statusNotCovered {
			r.covered++
		}
		switch m.Status {
		case statusKilled:
			r.killed++
			if m.Judge == "api" {
				r.killedByAPI++
			}
		case statusLived:
			r.lived++
		case statusTimedOut:
			r.timedOut++
		case statusNotViable:
			r.notViable++
		case statusEquivalent:
			r.equivalent++
		}
	}
	return r
}

// printTable prints one line per package and returns the names scoring below min.
func printTable(w io.Writer, rows []row, min float64) []string {
	var below []string
	fmt.Fprintf(w, "\n%-14s %7s %7s %7s %7s %6s %6s %8s %10s %8s  %s\n",
		"package", "mutants", "covered", "killed", "by-api", "lived", "equiv", "timeout", "not-viable", "score", "judged also by")
	var k, l int
	for _, r := range rows {
		s, ok := r.score()
		score := "-"
		if ok {
			score = fmt.Sprintf("%.1f%%", s)
			if s < min {
				score += " !"
				below = append(below, r.name)
			}
		}
		fmt.Fprintf(w, "%-14s %7d %7d %7d %7d %6d %6d %8d %10d %8s  %s\n",
			r.name, r.total, r.covered, r.killed, r.killedByAPI, r.lived, r.equivalent, r.timedOut, r.notViable, score, strings.Join(r.judges, " "))
		k += r.killed
		l += r.lived
	}
	if k+l > 0 {
		fmt.Fprintf(w, "%-14s %7s %7s %7d %7s %6d %6s %8s %10s %7.1f%%\n", "all", "", "", k, "", l, "", "", "", 100*float64(k)/float64(k+l))
	}
	return below
}
