package samtemplate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// makefileFunctions reads the Makefile's FUNCTIONS list (LogicalId=folder pairs, one per line).
func makefileFunctions(t *testing.T) map[string]string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]string{}
	inList := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "FUNCTIONS :=") {
			inList = true
			line = strings.TrimPrefix(line, "FUNCTIONS :=")
		} else if !inList {
			continue
		}
		continued := strings.HasSuffix(strings.TrimSpace(line), "\\")
		for _, field := range strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), "\\")) {
			id, dir, ok := strings.Cut(field, "=")
			if !ok {
				t.Fatalf("Makefile FUNCTIONS entry %q is not LogicalId=folder", field)
			}
			pairs[id] = dir
		}
		if !continued {
			break
		}
	}
	if len(pairs) == 0 {
		t.Fatal("Makefile has no FUNCTIONS list")
	}
	return pairs
}

// sam build runs `make build-<LogicalId>`, so every function needs an entry, and the folder must be the one
// local tooling derives with FunctionDir.
func TestMakefileBuildsEveryTemplateFunction(t *testing.T) {
	pairs := makefileFunctions(t)
	fns, err := loadProject(t).Functions()
	if err != nil {
		t.Fatal(err)
	}
	for id, fn := range fns {
		dir, ok := pairs[id]
		if !ok {
			t.Errorf("%s is in template.yaml but not in the Makefile's FUNCTIONS (add %s=%s)", id, id, strings.TrimPrefix(fn.Dir, "functions/"))
			continue
		}
		if "functions/"+dir != fn.Dir {
			t.Errorf("Makefile builds %s from functions/%s, but FunctionDir says %s", id, dir, fn.Dir)
		}
	}
	for id, dir := range pairs {
		if want := FunctionDir(id); "functions/"+dir != want {
			t.Errorf("Makefile FUNCTIONS %s=%s does not follow the naming convention (%s)", id, dir, want)
		}
	}
}
