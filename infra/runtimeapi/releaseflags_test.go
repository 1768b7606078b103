package runtimeapi

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The Makefile (what `sam build` runs) and Build (what the size test measures) must build the same binary.
func TestMakefileBuildsWithTheReleaseFlags(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^GO_LAMBDA_BUILD := (.*)$`).FindStringSubmatch(string(raw))
	if line == nil {
		t.Fatal("Makefile has no GO_LAMBDA_BUILD")
	}
	want := append([]string{"-tags " + ReleaseTags}, ReleaseFlags...)
	for _, flag := range want {
		if !strings.Contains(strings.ReplaceAll(line[1], `"`, ""), flag) {
			t.Errorf("GO_LAMBDA_BUILD %q lacks %q", line[1], flag)
		}
	}
	for _, env := range []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"} {
		if !strings.Contains(line[1], env) {
			t.Errorf("GO_LAMBDA_BUILD lacks %s", env)
		}
	}
}
