package samtemplate

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The SAM schema's patterns use look-aheads, which Go's regexp rejects; regexp2 in ECMAScript mode handles them.
type ecmaRegexp regexp2.Regexp

func (re *ecmaRegexp) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecmaRegexp) String() string { return (*regexp2.Regexp)(re).String() }

func compileECMA(expr string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(expr, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return (*ecmaRegexp)(re), nil
}

var samSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	path, err := samSchemaPath()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(compileECMA)
	if err := c.AddResource("sam.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("sam.schema.json")
})

// samSchemaPath is ../shared/reference/sam.schema.json next to the repository (never copied into it).
func samSchemaPath() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(root), "shared", "reference", "sam.schema.json"), nil
}

func schemaOrSkip(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path, err := samSchemaPath()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("SAM schema not found at %s: %v", path, err)
	}
	sch, err := samSchema()
	if err != nil {
		t.Fatalf("compile SAM schema: %v", err)
	}
	return sch
}

func validateTemplate(t *testing.T, sch *jsonschema.Schema, tpl *Template) error {
	t.Helper()
	raw, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

func TestProjectTemplateMatchesSAMSchema(t *testing.T) {
	sch := schemaOrSkip(t)
	if err := validateTemplate(t, sch, loadProject(t)); err != nil {
		t.Fatalf("template.yaml does not match the SAM schema:\n%v", err)
	}
}

func TestSAMSchemaRejectsBrokenTemplates(t *testing.T) {
	sch := schemaOrSkip(t)
	base := `
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ThingFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: bootstrap
      Runtime: provided.al2023
`
	good, err := Parse([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if err := validateTemplate(t, sch, good); err != nil {
		t.Fatalf("minimal valid template rejected: %v", err)
	}
	broken := map[string]string{
		"unknown function property": base + "      Bogus: 1\n",
		// Runtime itself is a pass-through (any type) in the schema; Tracing is typed.
		"tracing is a number":     base + "      Tracing: 42\n",
		"tracing not in enum":     base + "      Tracing: Sometimes\n",
		"event without type":      base + "      Events:\n        E:\n          Properties: {Path: /x, Method: get}\n",
		"unknown globals section": base + "Globals:\n  Function:\n    Runtime: provided.al2023\n    NotAProperty: x\n",
	}
	for name, src := range broken {
		t.Run(name, func(t *testing.T) {
			tpl, err := Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if err := validateTemplate(t, sch, tpl); err == nil {
				t.Fatalf("broken template passed validation:\n%s", src)
			}
		})
	}
}

// The baseline every deployment relies on; the schema alone does not require any of it.
func TestProjectTemplateBaseline(t *testing.T) {
	tpl := loadProject(t)
	doc := tpl.Document()

	g := asMap(asMap(doc["Globals"])["Function"])
	if g["Runtime"] != "provided.al2023" || g["Handler"] != "bootstrap" || g["Tracing"] != "Active" ||
		!reflect.DeepEqual(g["Architectures"], []any{"arm64"}) {
		t.Errorf("Globals.Function = Runtime %v, Handler %v, Tracing %v, Architectures %v; want provided.al2023, bootstrap, Active, [arm64]",
			g["Runtime"], g["Handler"], g["Tracing"], g["Architectures"])
	}

	fns := tpl.Resources("AWS::Serverless::Function")
	if len(fns) == 0 {
		t.Fatal("no functions in template")
	}
	for _, f := range fns {
		if f.Metadata["BuildMethod"] != "makefile" {
			t.Errorf("%s: Metadata.BuildMethod = %v, want makefile", f.LogicalID, f.Metadata["BuildMethod"])
		}
		if f.Properties["CodeUri"] != "." {
			t.Errorf("%s: CodeUri = %v, want .", f.LogicalID, f.Properties["CodeUri"])
		}
		for _, key := range []string{"Runtime", "Handler", "Architectures"} {
			if v, ok := f.Properties[key]; ok && !reflect.DeepEqual(v, g[key]) {
				t.Errorf("%s overrides %s with %v", f.LogicalID, key, v)
			}
		}
	}

	tables := tpl.Resources("AWS::DynamoDB::Table")
	if len(tables) == 0 {
		t.Fatal("no tables in template")
	}
	for _, tbl := range tables {
		p := tbl.Properties
		if p["BillingMode"] != "PAY_PER_REQUEST" {
			t.Errorf("%s: BillingMode = %v, want PAY_PER_REQUEST", tbl.LogicalID, p["BillingMode"])
		}
		if asMap(p["PointInTimeRecoverySpecification"])["PointInTimeRecoveryEnabled"] != true {
			t.Errorf("%s: point-in-time recovery not enabled", tbl.LogicalID)
		}
		if asMap(p["SSESpecification"])["SSEEnabled"] != true {
			t.Errorf("%s: SSE not enabled", tbl.LogicalID)
		}
	}

	srcs, err := tpl.SQSEventSources()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if !s.ReportBatchItemFailures {
			t.Errorf("%s.%s: SQS event without FunctionResponseTypes [ReportBatchItemFailures]", s.FunctionLogicalID, s.EventName)
		}
	}
}
