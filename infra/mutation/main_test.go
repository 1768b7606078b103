package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestSecondPassDecidesOnlyTheFirstPassSurvivors(t *testing.T) {
	own := []mutant{
		{File: "a.go", Line: 1, Col: 2, Kind: "REMOVE_STMT", Desc: "remove statement", Status: statusKilled, Judge: "own"},
		{File: "a.go", Line: 3, Col: 4, Kind: "INT_LIT", Desc: "0 -> 1", Status: statusLived, Judge: "own"},
		{File: "a.go", Line: 5, Col: 6, Kind: "INT_LIT", Desc: "2 -> 3", Status: statusLived, Judge: "own"},
		{File: "b.go", Line: 7, Col: 8, Kind: "FLIP_BOOL", Desc: "true -> false", Status: statusNotCovered, Judge: "own"},
	}
	api := []mutant{
		{File: "a.go", Line: 3, Col: 4, Kind: "INT_LIT", Desc: "0 -> 1", Status: statusKilled},
		{File: "a.go", Line: 5, Col: 6, Kind: "INT_LIT", Desc: "2 -> 3", Status: statusLived},
		// A first-pass kill stays a kill even if a rerun were to disagree.
		{File: "a.go", Line: 1, Col: 2, Kind: "REMOVE_STMT", Desc: "remove statement", Status: statusLived},
	}
	got := merge(own, api)
	want := []struct{ status, judge string }{
		{statusKilled, "own"}, {statusKilled, "api"}, {statusLived, "api"}, {statusNotCovered, "own"},
	}
	for i, w := range want {
		if got[i].Status != w.status || got[i].Judge != w.judge {
			t.Errorf("mutant %d: %s by %q, want %s by %q", i, got[i].Status, got[i].Judge, w.status, w.judge)
		}
	}

	r := tally(entry{name: "a"}, got)
	if r.killed != 2 || r.killedByAPI != 1 || r.lived != 1 || r.covered != 3 {
		t.Errorf("tally = %+v", r)
	}
	if s, _ := r.score(); s < 66.6 || s > 66.7 {
		t.Errorf("score = %.2f, want 66.67 (2 killed of 3 that ran)", s)
	}
}

func TestSelectMatchesExactlyTheSurvivors(t *testing.T) {
	muts := []mutant{
		{File: "a.go", Line: 3, Col: 4, Kind: "INT_LIT", Status: statusLived},
		{File: "a.go", Line: 30, Col: 4, Kind: "INT_LIT", Status: statusKilled},
		{File: "a.go", Line: 3, Col: 4, Kind: "INT_LIT", Status: statusLived}, // same key twice
	}
	re := regexp.MustCompile(selectRegexp(muts))
	for key, want := range map[string]bool{
		"a.go:3:4:INT_LIT":  true,
		"a.go:30:4:INT_LIT": false, // killed
		"a.go:3:40:INT_LIT": false, // prefix of the key only
		"aXgo:3:4:INT_LIT":  false, // the dot is literal
	} {
		if re.MatchString(key) != want {
			t.Errorf("select %q matches %q = %v, want %v", re, key, !want, want)
		}
	}
	if strings.Count(re.String(), "|") != 0 {
		t.Errorf("select %q repeats a key", re)
	}
	if got := selectRegexp(muts[1:2]); got != "" {
		t.Errorf("nothing survived but select = %q (it would run every mutant again)", got)
	}
}

func TestEntriesAndTable(t *testing.T) {
	entries, err := parseEntries("money returns:returnapi,dynamostore,returns")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || len(entries[0].judges) != 0 || strings.Join(entries[1].judges, " ") != "returnapi dynamostore" {
		t.Fatalf("entries = %+v", entries)
	}
	if _, err := parseEntries("money money:order"); err == nil {
		t.Error("a repeated package was accepted")
	}
	if got := selectEntries(entries, []string{"returns"}); len(got) != 1 || got[0].name != "returns" {
		t.Errorf("only returns = %+v", got)
	}
	nested, err := parseEntries("platform/money:order,returns/returnapi helpcenter/helpsearch:helpcenter")
	if err != nil {
		t.Fatal(err)
	}
	if m := nested[0]; m.name != "money" || m.dir != "platform/money" || strings.Join(m.judges, " ") != "order returns/returnapi" {
		t.Errorf("nested entry = %+v, want name money in platform/money judged by order and returns/returnapi", m)
	}
	for _, pick := range []string{"helpsearch", "helpcenter/helpsearch"} {
		if got := selectEntries(nested, []string{pick}); len(got) != 1 || got[0].dir != "helpcenter/helpsearch" {
			t.Errorf("only %s = %+v", pick, got)
		}
	}
	if _, err := parseEntries("platform/money other/money"); err == nil {
		t.Error("two packages named money were accepted: their outputs and equivalents would mix")
	}

	var out bytes.Buffer
	below := printTable(&out, []row{
		{name: "money", killed: 9, lived: 1},
		{name: "order", killed: 8, lived: 2},
		{name: "empty"},
	}, 90)
	if strings.Join(below, " ") != "order" {
		t.Errorf("below = %v, want [order] (90%% passes, 80%% does not, nothing run is not a score)", below)
	}
	if !strings.Contains(out.String(), "90.0%") || !strings.Contains(out.String(), "80.0% !") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestRecheckReadsASurvivorList(t *testing.T) {
	keys := survivorKeys("returns/decide.go:126:4 INVERT_LOOPCTRL [continue -> break] | continue\n" +
		"returns/service.go:179:3 ERR_TO_NIL [return err -> nil] | return err\n" +
		"money/money.go:30:2 REMOVE_STMT [remove statement] | m.mustMatch(o)\n\n")
	if len(keys) != 2 {
		t.Fatalf("keys = %v, want two packages", keys)
	}
	re := regexp.MustCompile(keys["returns"])
	for key, want := range map[string]bool{
		"decide.go:126:4:INVERT_LOOPCTRL": true,
		"service.go:179:3:ERR_TO_NIL":     true,
		"decide.go:126:4:REMOVE_STMT":     false,
		"money.go:30:2:REMOVE_STMT":       false,
	} {
		if re.MatchString(key) != want {
			t.Errorf("returns select matches %q = %v, want %v", key, !want, want)
		}
	}
}

// A documented equivalent is recognised by what it changes, not where: it is neither scored nor run again.
func TestEquivalentsAreNotScoredNorRerun(t *testing.T) {
	doc := "# Equivalent mutants\n\n" +
		"- metrics/emf.go:100:2 REMOVE_STMT [remove statement] | if err != nil { — json.Marshal of these types cannot fail.\n" +
		"Some prose that is not an entry.\n"
	eq := equivalentSet(doc)
	if len(eq) != 1 {
		t.Fatalf("entries = %v", eq)
	}
	moved := mutant{Pkg: "metrics", File: "emf.go", Line: 140, Col: 2, Kind: "REMOVE_STMT", Desc: "remove statement", Orig: "\tif err != nil {", Status: statusLived}
	if !eq[equivalentID(moved.Pkg, moved.File, moved.Kind, moved.Desc, moved.Orig)] {
		t.Error("an entry stops matching when the line moves")
	}
	changed := moved
	changed.Orig = "if err == nil {"
	if eq[equivalentID(changed.Pkg, changed.File, changed.Kind, changed.Desc, changed.Orig)] {
		t.Error("an entry still matches a changed line")
	}

	muts := []mutant{moved, {File: "emf.go", Line: 9, Col: 1, Kind: "INT_LIT", Status: statusLived}}
	muts[0].Status = statusEquivalent
	if re := selectRegexp(muts); strings.Contains(re, "140") || !strings.Contains(re, "emf\\.go:9:1") {
		t.Errorf("select %q", re)
	}
	r := tally(entry{name: "metrics"}, append(muts, mutant{Status: statusKilled}))
	if s, _ := r.score(); r.equivalent != 1 || s != 50 {
		t.Errorf("tally %+v score %v, want the equivalent left out of 1 killed / 1 lived", r, s)
	}
}
