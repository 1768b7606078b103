package runtimeapi

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// BuildOptions describes one `go build` of a bootstrap binary.
type BuildOptions struct {
	// Dir is the directory go runs in (the module root); Package is relative to it, e.g. "./functions/orders".
	Dir     string
	Package string
	// Output is the binary path; its directory is created.
	Output string
	// GOOS/GOARCH default to the host. Release builds the deployable form: CGO_ENABLED=0, -trimpath and
	// -ldflags "-s -w", as the Makefile does for SAM.
	GOOS, GOARCH string
	Release      bool
}

// ReleaseTags and ReleaseFlags are the deployable build, the same as GO_LAMBDA_BUILD in the Makefile
// (a test keeps them equal):
//   - lambda.norpc: provided.al2023 needs no net/rpc shim;
//   - nethttpomithttp2: the Runtime API and the AWS endpoints we call are HTTP/1.1, so net/http's bundled
//     HTTP/2 is dead weight (about 0.3 MB);
//   - -gcflags=all=-l: no inlining. The functions are I/O-bound (every request waits on DynamoDB), and this
//     is what keeps a bootstrap with the SDK, the API proxy and validator/v10 under 8 MB (about -0.85 MB).
const ReleaseTags = "lambda.norpc,nethttpomithttp2"

var ReleaseFlags = []string{"-trimpath", "-gcflags=all=-l", "-ldflags=-s -w", "-buildvcs=false"}

// Build compiles a Lambda bootstrap. Host builds for local runs keep inlining and HTTP/2 out of the
// picture only where Release is set.
func Build(ctx context.Context, o BuildOptions) error {
	if err := os.MkdirAll(filepath.Dir(o.Output), 0o755); err != nil {
		return err
	}
	args := []string{"build", "-tags", "lambda.norpc"}
	if o.Release {
		args = []string{"build", "-tags", ReleaseTags}
		args = append(args, ReleaseFlags...)
	}
	args = append(args, "-o", o.Output, o.Package)
	cmd := exec.CommandContext(ctx, goTool(), args...)
	cmd.Dir = o.Dir
	cmd.Env = os.Environ()
	if o.GOOS != "" {
		cmd.Env = append(cmd.Env, "GOOS="+o.GOOS)
	}
	if o.GOARCH != "" {
		cmd.Env = append(cmd.Env, "GOARCH="+o.GOARCH)
	}
	if o.Release {
		cmd.Env = append(cmd.Env, "CGO_ENABLED=0")
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %v: %w\n%s", args, err, out.String())
	}
	return nil
}

// goTool finds the go command: $GOROOT/bin/go of the running toolchain if set, else PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
