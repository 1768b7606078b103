package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNegotiate(t *testing.T) {
	cases := map[string]Lang{
		"":                       Indonesian,
		"en":                     English,
		"en-US,en;q=0.9":         English,
		"id-ID":                  Indonesian,
		"fr-FR, en;q=0.5":        English,
		"en;q=0.4, id;q=0.8":     Indonesian,
		"id;q=0, en;q=0.1":       English,
		"de":                     Indonesian,
		"EN-gb":                  English,
		"en;q=abc, id":           Indonesian,
		"in":                     Indonesian,
		"in-ID,en-US;q=0.9":      Indonesian, // the legacy Java/Android tag for Indonesian
		"IN-id":                  Indonesian,
		"en-US;q=0.5, in-ID":     Indonesian,
		"en;q=0":                 Indonesian, // q=0 means "not acceptable": never picked, even alone
		"en;q=0.0, fr":           Indonesian,
		"id;q=0, en;q=0":         Indonesian,
		"en;q=0.001":             English,
		"india":                  Indonesian, // not a tag starting with in-: falls back to the default
		"en-US, india;q=1":       English,
		"english, en;q=0.2":      English,
		"id-ID;q=0.2, en;q=0.19": Indonesian,
	}
	for header, want := range cases {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

var placeholder = regexp.MustCompile(`\{[a-zA-Z]+\}`)

// Every message exists in both languages with the same placeholders, so no customer sees a blank or a raw {name}.
func TestCatalogIsCompleteInBothLanguages(t *testing.T) {
	for _, code := range Codes() {
		text := catalog[code]
		if strings.TrimSpace(text.ID) == "" || strings.TrimSpace(text.EN) == "" {
			t.Errorf("%s: missing a language", code)
			continue
		}
		// A label may be the same word in both languages (Email, QRIS); a sentence may not.
		if text.ID == text.EN && !isLabel(code) {
			t.Errorf("%s: Indonesian text equals English text %q", code, text.EN)
		}
		idVars := placeholder.FindAllString(text.ID, -1)
		enVars := placeholder.FindAllString(text.EN, -1)
		sort.Strings(idVars)
		sort.Strings(enVars)
		if !reflect.DeepEqual(idVars, enVars) {
			t.Errorf("%s: placeholders differ: id %v, en %v", code, idVars, enVars)
		}
	}
}

func isLabel(code string) bool {
	kind, _, _ := strings.Cut(code, ".")
	for _, k := range labelKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// The catalog holds every message code the code can produce. The codes are read from the source itself: the
// failure constructors' arguments, FieldError codes, validator rules in struct tags, problem titles, label
// kinds and the gateway's codes in template.yaml. So deleting a messages_*.go file, or a code from one, fails
// here rather than showing customers the generic error text.
func TestCatalogHasEveryCodeTheSourceUses(t *testing.T) {
	used := codesUsedBySource(t, filepath.Join("..", "..", ".."))
	for _, must := range []string{"order_not_found", "return_not_found", "ticket_not_found", "survey_not_found",
		"validation_failed", "title.invalid", "field.required", "field.oneof", "rate_limited"} {
		if !used[must] {
			t.Fatalf("the source scan did not find %q: the scan is broken, not the catalog", must)
		}
	}
	for code := range used {
		if !Has(code) {
			t.Errorf("the source uses message code %q, which the catalog does not have", code)
		}
	}
	for kind := range usedLabelKinds(t, filepath.Join("..", "..", "..")) {
		if !isLabel(kind + ".x") {
			t.Errorf("the source shows labels of kind %q, which has none registered", kind)
		}
	}
}

var failureConstructors = map[string]int{"NotFound": 0, "Conflict": 0, "Rejected": 0, "Forbidden": 0, "Unavailable": 0, "New": 1}

// validator rules as shared/platform/httpapi reports them (ruleCode); rules not listed report "invalid".
var validatorRules = map[string]string{"required": "required", "required_if": "required", "required_with": "required",
	"required_without": "required", "email": "email", "min": "min", "max": "max", "gte": "gte", "lte": "lte", "gt": "gt",
	"len": "len", "oneof": "oneof", "iso4217": "iso4217", "datetime": "datetime", "unique": "unique", "dive": "dive"}

var (
	titleLiteral  = regexp.MustCompile(`^title\.[a-z_]+$`)
	templateCodes = regexp.MustCompile(`"code":"([a-z_]+)"`)
)

type goFile struct {
	pkg  string
	file *ast.File
}

func parseSources(t *testing.T, root string) []goFile {
	t.Helper()
	var files []goFile
	fset := token.NewFileSet()
	for _, dir := range []string{"shared", "functions", "infra"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			files = append(files, goFile{pkg: f.Name.Name, file: f})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

func stringConsts(files []goFile) map[string]string {
	consts := map[string]string{} // "pkg.Name" -> value
	for _, f := range files {
		for _, decl := range f.file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							v, _ := strconv.Unquote(lit.Value)
							consts[f.pkg+"."+name.Name] = v
						}
					}
				}
			}
		}
	}
	return consts
}

func codesUsedBySource(t *testing.T, root string) map[string]bool {
	files := parseSources(t, root)
	consts := stringConsts(files)
	value := func(pkg string, e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind == token.STRING {
				v, err := strconv.Unquote(e.Value)
				return v, err == nil
			}
		case *ast.Ident:
			v, ok := consts[pkg+"."+e.Name]
			return v, ok
		case *ast.SelectorExpr:
			if x, ok := e.X.(*ast.Ident); ok {
				v, ok := consts[x.Name+"."+e.Sel.Name]
				return v, ok
			}
		}
		return "", false
	}
	used := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f.file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name, inFailure := "", f.pkg == "failure"
				switch fun := n.Fun.(type) {
				case *ast.SelectorExpr:
					if x, ok := fun.X.(*ast.Ident); ok && x.Name == "failure" {
						name = fun.Sel.Name
					}
				case *ast.Ident:
					if inFailure {
						name = fun.Name
					}
				}
				if arg, ok := failureConstructors[name]; ok && len(n.Args) > arg {
					if v, ok := value(f.pkg, n.Args[arg]); ok {
						used[v] = true
					}
				}
			case *ast.CompositeLit:
				typ := ""
				switch ty := n.Type.(type) {
				case *ast.SelectorExpr:
					typ = ty.Sel.Name
				case *ast.Ident:
					typ = ty.Name
				}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if key, ok := kv.Key.(*ast.Ident); !ok || key.Name != "Code" {
						continue
					}
					if v, ok := value(f.pkg, kv.Value); ok {
						switch typ {
						case "FieldError":
							used["field."+v] = true
						case "Error":
							used[v] = true
						}
					}
				}
			case *ast.BasicLit:
				if v, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && titleLiteral.MatchString(v) {
					used[v] = true
				}
			case *ast.StructType:
				for _, field := range n.Fields.List {
					if field.Tag == nil {
						continue
					}
					tag, _ := strconv.Unquote(field.Tag.Value)
					for _, rule := range strings.Split(reflect.StructTag(tag).Get("validate"), ",") {
						name, _, _ := strings.Cut(rule, "=")
						if code, ok := validatorRules[name]; ok {
							used["field."+code] = true
						}
					}
				}
			}
			return true
		})
	}
	tmpl, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range templateCodes.FindAllStringSubmatch(string(tmpl), -1) {
		used[m[1]] = true
	}
	return used
}

// usedLabelKinds finds the kinds passed to Label: Label(lang, "kind", code).
func usedLabelKinds(t *testing.T, root string) map[string]bool {
	kinds := map[string]bool{}
	for _, f := range parseSources(t, root) {
		ast.Inspect(f.file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 3 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Label" {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "i18n" {
					if lit, ok := call.Args[1].(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(lit.Value)
						kinds[v] = true
					}
				}
			}
			return true
		})
	}
	return kinds
}

func TestMessageSubstitutesAndFallsBack(t *testing.T) {
	if got := Message(English, "field.max", map[string]string{"param": "5"}); got != "Must be at most 5." {
		t.Fatalf("got %q", got)
	}
	if got := Message(Indonesian, "field.max", map[string]string{"param": "5"}); got != "Maksimal 5." {
		t.Fatalf("got %q", got)
	}
	if got := Message(English, "no_such_code", nil); got != catalog["internal_error"].EN {
		t.Fatalf("unknown code leaked: %q", got)
	}
}

func TestNumbersInMessagesFollowTheLanguage(t *testing.T) {
	cases := []struct {
		lang  Lang
		param string
		want  string
	}{
		{Indonesian, "5000", "Maksimal 5.000 karakter."},
		{English, "5000", "At most 5,000 characters."},
		{Indonesian, "150", "Maksimal 150 karakter."},
		{Indonesian, "1234567", "Maksimal 1.234.567 karakter."},
		{English, "1000000", "At most 1,000,000 characters."},
		{English, "007", "At most 007 characters."}, // not a plain number: left alone
		{English, "5.5", "At most 5.5 characters."},
	}
	for _, c := range cases {
		if got := Message(c.lang, "field.max_length", map[string]string{"param": c.param}); got != c.want {
			t.Errorf("%s %q: got %q, want %q", c.lang, c.param, got, c.want)
		}
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1.000", -18900: "-18.900", 100000: "100.000"} {
		if got := FormatInt(Indonesian, n); got != want {
			t.Errorf("FormatInt(id, %d) = %q, want %q", n, got, want)
		}
	}
}

// An id that happens to be all digits is quoted as the shop wrote it, never grouped like a number.
func TestIDsInMessagesStayAsGiven(t *testing.T) {
	for lang, want := range map[Lang]string{Indonesian: "100234", English: "2024123100"} {
		if got := Message(lang, "notification.order.delivered.text", map[string]string{"orderId": want}); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not quote the order id %s", lang, got, want)
		}
	}
}

func TestNoRawCodeInsideASentence(t *testing.T) {
	got := Message(Indonesian, "ticket_invalid_transition", map[string]string{"status": "in_progress"})
	if got != "Tindakan ini tidak dapat dilakukan pada keluhan berstatus “Sedang diproses”." {
		t.Errorf("got %q", got)
	}
	if got := Message(English, "ticket_invalid_transition", map[string]string{"status": "closed"}); !strings.Contains(got, "“Closed”") {
		t.Errorf("got %q", got)
	}
}

func TestOneOfListsLabels(t *testing.T) {
	cases := []struct {
		lang   Lang
		values string
		want   string
	}{
		{Indonesian, "web email chat social phone", "Harus salah satu dari: Situs web, Email, Chat, Media sosial, Telepon."},
		{English, "refund exchange store_credit", "Must be one of: Refund, Exchange, Store credit."},
		{Indonesian, "unopened opened defective damaged_by_customer",
			"Harus salah satu dari: Belum dibuka (segel utuh), Sudah dibuka, tidak rusak, Rusak atau cacat (bukan karena pemakaian), Rusak karena pemakaian."},
		// A subset of one enumeration still reads as its labels.
		{English, "open closed", "Must be one of: Open, Closed."},
		// Values no enumeration has are quoted, never run into the sentence.
		{English, "a b", "Must be one of: “a”, “b”."},
	}
	for _, c := range cases {
		if got := Message(c.lang, "field.oneof", map[string]string{"param": c.values}); got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.lang, c.values, got, c.want)
		}
	}
	// The reasons share "defective" and "other" with other enumerations; the exact set picks reasons.
	got := Message(English, "field.oneof", map[string]string{"param": "defective wrong_item damaged_in_transit not_as_described size_or_fit changed_mind other"})
	if !strings.Contains(got, "Defective or not working") || !strings.Contains(got, "Changed my mind") {
		t.Errorf("got %q", got)
	}
}

func TestLabel(t *testing.T) {
	if got := Label(Indonesian, "ticket_status", "in_progress"); got != "Sedang diproses" {
		t.Errorf("got %q", got)
	}
	if got := Label(English, "payment_method", "cod"); got != "Cash on delivery (COD)" {
		t.Errorf("got %q", got)
	}
	if got := Label(English, "ticket_status", ""); got != "" {
		t.Errorf("empty code labelled %q", got)
	}
	if got := Label(English, "ticket_status", "frozen"); got != "“frozen”" {
		t.Errorf("unknown code shown as %q", got)
	}
}

func TestFormatDateTime(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	d := time.Date(2027, 1, 4, 23, 59, 0, 0, wib)
	if got := FormatDateTime(Indonesian, d); got != "4 Januari 2027, 23.59 WIB" {
		t.Errorf("id: %q", got)
	}
	if got := FormatDateTime(English, d); got != "4 January 2027, 23:59 WIB" {
		t.Errorf("en: %q", got)
	}
	if got := FormatDateTime(Indonesian, time.Date(2026, 8, 17, 9, 5, 0, 0, time.FixedZone("WITA", 8*3600))); got != "17 Agustus 2026, 09.05 WITA" {
		t.Errorf("id WITA: %q", got)
	}
}

// Every "oneof" rule in the source (validator tags and domain field errors with a literal list) is shown
// as labels, in both languages: none falls back to quoted codes.
func TestEveryOneOfInTheSourceHasLabels(t *testing.T) {
	var lists []string
	for _, f := range parseSources(t, filepath.Join("..", "..", "..")) {
		ast.Inspect(f.file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.StructType:
				for _, field := range n.Fields.List {
					if field.Tag == nil {
						continue
					}
					tag, _ := strconv.Unquote(field.Tag.Value)
					for _, rule := range strings.Split(reflect.StructTag(tag).Get("validate"), ",") {
						if v, ok := strings.CutPrefix(rule, "oneof="); ok {
							lists = append(lists, v)
						}
					}
				}
			case *ast.CompositeLit:
				code, param := "", ""
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					key, _ := kv.Key.(*ast.Ident)
					lit, _ := kv.Value.(*ast.BasicLit)
					if key == nil || lit == nil {
						continue
					}
					v, _ := strconv.Unquote(lit.Value)
					switch key.Name {
					case "Code":
						code = v
					case "Param":
						param = v
					}
				}
				if code == "oneof" && param != "" {
					lists = append(lists, param)
				}
			}
			return true
		})
	}
	if len(lists) < 5 {
		t.Fatalf("found only %d oneof lists: the scan is broken", len(lists))
	}
	for _, list := range lists {
		for _, lang := range []Lang{Indonesian, English} {
			if got := oneOfList(lang, strings.Fields(list)); strings.Contains(got, "“") {
				t.Errorf("oneof=%s has no labels in %s: %s", list, lang, got)
			}
		}
	}
}
