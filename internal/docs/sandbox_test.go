package docs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// The README's commands run as a reader runs them: from the top of a copy of
// the working tree (so that files they write, like bin/ or rendered/, land in
// the copy), with the valuescheck built from it first on PATH.

var (
	repoRoot = testtools.RepoRoot()
	scratch  string // removed after the tests
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "milvus-coord-docs-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binDir holds the valuescheck the commands find on PATH, built once.
var binDir = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(scratch, "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	_, err := testtools.BuildValuescheck(dir)
	return dir, err
})

// sandbox is a fresh copy of the working tree to run commands in.
type sandbox struct {
	dir, bin string
}

var sandboxes int

// newSandbox copies the working tree, without .git, the pinned tools and
// what builds write (bin/, plugin/bin/, dist/).
func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	bin, err := binDir()
	require.NoError(t, err)
	sandboxes++
	dir := filepath.Join(scratch, fmt.Sprintf("tree-%d", sandboxes))
	require.NoError(t, testtools.CopyTree(repoRoot, dir, ".git", ".tools", "bin", "plugin/bin", "dist"))
	return &sandbox{dir: dir, bin: bin}
}

// run runs one command line with bash in the sandbox and returns what it
// printed (standard output and error, interleaved) and its exit code.
func (s *sandbox) run(t *testing.T, command string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", command)
	cmd.Dir = s.dir
	cmd.Env = cleanEnv("PATH=" + s.bin + string(os.PathListSeparator) + os.Getenv("PATH"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit) && ctx.Err() == nil:
		return out.String(), exit.ExitCode()
	}
	t.Fatalf("%s: %v\n%s", command, err, out.String())
	return "", 0
}

// cleanEnv is the environment without what an enclosing make passes down (a
// sub-make would print "Entering directory" lines), plus the given variables.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "PATH":
			continue
		}
		env = append(env, kv)
	}
	if !containsPrefix(extra, "PATH=") {
		env = append(env, "PATH="+os.Getenv("PATH"))
	}
	return append(env, extra...)
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
