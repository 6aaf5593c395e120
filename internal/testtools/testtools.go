// Package testtools finds the pinned tools the tests run (Helm, kube-apiserver,
// etcd) and builds valuescheck for tests that run it as users do. The Makefile
// builds the tools and exports their paths; a test without them fails, it
// never skips.
package testtools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// Tool returns the path of the pinned tool named by environment variable env
// (e.g. MILVUS_COORD_HELM), failing the test when it is unset or missing.
func Tool(t testing.TB, env string) string {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		t.Fatalf("%s is not set: run the tests with `make test`, which builds the pinned tools", env)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s=%s: %v: run `make tools`", env, path, err)
	}
	return path
}

// Helm returns the pinned Helm binary.
func Helm(t testing.TB) string { return Tool(t, "MILVUS_COORD_HELM") }

// HelmDocs returns the pinned helm-docs binary, which writes the chart README.
func HelmDocs(t testing.TB) string { return Tool(t, "MILVUS_COORD_HELM_DOCS") }

// GoReleaser returns the pinned goreleaser binary, which builds the release artifacts.
func GoReleaser(t testing.TB) string { return Tool(t, "MILVUS_COORD_GORELEASER") }

// PreCommit returns the pinned pre-commit (a Debian package), which runs the
// hooks of .pre-commit-hooks.yaml.
func PreCommit(t testing.TB) string { return Tool(t, "MILVUS_COORD_PRE_COMMIT") }

// RepoRoot returns the repository's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// BuildValuescheck builds valuescheck into dir, for tests that run it as users
// do; TestMain calls it once and removes dir afterwards.
func BuildValuescheck(dir string) (string, error) {
	bin := filepath.Join(dir, "valuescheck")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/valuescheck")
	cmd.Dir = RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/valuescheck: %w\n%s", err, out)
	}
	return bin, nil
}

// CopyTree copies the regular files of the working tree at src to dst, the
// way a user's clone has them, leaving out the directories named in skip
// (paths relative to src, such as ".git" or ".tools"). Files that vanish
// while it walks are left out: other work edits the tree at the same time.
func CopyTree(src, dst string, skip ...string) error {
	skipped := map[string]bool{}
	for _, s := range skip {
		skipped[filepath.Clean(s)] = true
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipped[rel] {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ChartDefaults returns a fresh copy of the chart's values.yaml, parsed as
// Helm parses it (numbers arrive as float64).
func ChartDefaults(t testing.TB) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(RepoRoot(), "charts", "milvus-coord", "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var defaults map[string]any
	if err := yaml.Unmarshal(raw, &defaults); err != nil {
		t.Fatal(err)
	}
	return defaults
}

// Coalesce merges overlay over base as Helm coalesces user values over chart
// defaults: mappings merge, anything else replaces, a null removes a default.
// Neither argument is modified.
func Coalesce(base, overlay map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(overlay))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overlay {
		old, inBase := base[k]
		om, oldIsMap := old.(map[string]any)
		vm, newIsMap := v.(map[string]any)
		switch {
		case v == nil && inBase:
			delete(out, k)
		case oldIsMap && newIsMap:
			out[k] = Coalesce(om, vm)
		default:
			out[k] = v
		}
	}
	return out
}

// Result is what a command printed and its exit code.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs name with args in dir with env, bounded by timeout. A command that
// cannot start, or runs out of time, fails the test; any exit code is a Result.
func Run(t testing.TB, timeout time.Duration, env []string, dir, name string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		res.Code = exit.ExitCode()
	default:
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, res.Stdout, res.Stderr)
	}
	return res
}
