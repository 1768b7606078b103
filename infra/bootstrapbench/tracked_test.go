package bootstrapbench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// maxTrackedBytes bounds any file in the repository: the largest hand-written file is far below it, and a
// bootstrap that `go build ./functions/<name>` left at the root (about 19 MB) is far above it.
const maxTrackedBytes = 1 << 20

// TestNoBuildOutputIsTracked keeps binaries out of git: they bloat every clone, and a stale one can be
// mistaken for a build.
func TestNoBuildOutputIsTracked(t *testing.T) {
	root := filepath.Join("..", "..")
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("git ls-files: %v (not a git checkout, or no git on PATH)", err)
	}
	files := bytes.Split(bytes.TrimRight(out, "\x00"), []byte{0})
	if len(files) < 100 {
		t.Fatalf("git ls-files listed %d files; expected the whole repository", len(files))
	}
	for _, name := range files {
		path := filepath.Join(root, string(name))
		info, err := os.Lstat(path)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree but not yet in the index
		}
		if info.Size() > maxTrackedBytes {
			t.Errorf("%s is tracked and %d bytes (limit %d): build output? add it to .gitignore and git rm --cached it", name, info.Size(), maxTrackedBytes)
			continue
		}
		head := make([]byte, 4)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := f.Read(head)
		f.Close()
		if bytes.Equal(head[:n], []byte("\x7fELF")) {
			t.Errorf("%s is a tracked executable (ELF): add it to .gitignore and git rm --cached it", name)
		}
	}
}
