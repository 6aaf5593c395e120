// Package testtools finds the pinned tools the tests run (Helm, kube-apiserver,
// etcd) and builds valuescheck for tests that run it as users do. The Makefile
// builds the tools and exports their paths; a test without them fails, it
// never skips.
package testtools

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
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
