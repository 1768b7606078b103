package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// A test that cannot fail is a defect (DEVELOPERS.md). The plainest kind never reports anything: no
// t.Error/Fatal/Fail, no helper handed the test to report through, no subtest that does. Every test and
// fuzz target in the module must have at least one way to fail.
func TestEveryTestCanReportAFailure(t *testing.T) {
	var files, funcs int
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".cache", "build", ".aws-sam", ".git", "node_modules", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil || fn.Name.Name == "TestMain" {
				continue
			}
			param := testingParam(fn.Type)
			if param == "" || !(strings.HasPrefix(fn.Name.Name, "Test") || strings.HasPrefix(fn.Name.Name, "Fuzz")) {
				continue
			}
			funcs++
			if !canReport(fn.Body, param) {
				t.Errorf("%s: %s never reports a failure (no %s.Error/Fatal/Fail, no helper given %s)",
					fset.Position(fn.Pos()), fn.Name.Name, param, param)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 || funcs < 300 {
		t.Fatalf("read %d test files and %d tests: the walk missed the module", files, funcs)
	}
}

// testingParam is the name of a function's *testing.T or *testing.F parameter, or "".
func testingParam(ft *ast.FuncType) string {
	if ft.Params == nil || len(ft.Params.List) == 0 {
		return ""
	}
	p := ft.Params.List[0]
	star, ok := p.Type.(*ast.StarExpr)
	if !ok || len(p.Names) != 1 {
		return ""
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" && sel.Sel.Name != "F" {
		return ""
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "testing" {
		return ""
	}
	return p.Names[0].Name
}

// canReport says whether body can fail the test named param: it calls one of its failing methods, passes
// it to a helper, panics, or runs a subtest or fuzz function (a literal with its own *testing.T) that can.
func canReport(body ast.Node, param string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		if lit, ok := n.(*ast.FuncLit); ok {
			if inner := testingParam(lit.Type); inner != "" {
				found = canReport(lit.Body, inner)
				return false
			}
			return true
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
			found = true
			return false
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if recv, ok := sel.X.(*ast.Ident); ok && recv.Name == param {
				switch sel.Sel.Name {
				case "Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow":
					found = true
					return false
				}
			}
		}
		for _, a := range call.Args {
			if id, ok := a.(*ast.Ident); ok && id.Name == param {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// The check itself: a test that only logs, or whose subtest only logs, is found; reporting directly, via a
// helper or from a subtest is not.
func TestCanReportTellsSilentTestsApart(t *testing.T) {
	src := `package x
import "testing"
func TestLogs(t *testing.T) { t.Log("fine"); t.Run("a", func(t *testing.T) { t.Log("x") }) }
func TestSilentSub(t *testing.T) { t.Run("a", func(u *testing.T) { _ = u.Name() }) }
func TestDirect(t *testing.T) { if 1 > 2 { t.Errorf("no") } }
func TestHelper(t *testing.T) { check(t, 1) }
func TestSub(t *testing.T) { t.Run("a", func(u *testing.T) { u.Fatal("no") }) }
func FuzzX(f *testing.F) { f.Fuzz(func(t *testing.T, b []byte) { if len(b) > 9 { t.Fail() } }) }
func FuzzSilent(f *testing.F) { f.Fuzz(func(t *testing.T, b []byte) { _ = len(b) }) }
`
	f, err := parser.ParseFile(token.NewFileSet(), "x_test.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"TestLogs": false, "TestSilentSub": false, "TestDirect": true, "TestHelper": true,
		"TestSub": true, "FuzzX": true, "FuzzSilent": false}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		if got := canReport(fn.Body, testingParam(fn.Type)); got != want[fn.Name.Name] {
			t.Errorf("%s: canReport = %v, want %v", fn.Name.Name, got, want[fn.Name.Name])
		}
	}
}
