package docs

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fileTarget reports whether a rule builds a file named by a variable (the
// pinned tools: `$(HELM):`), not a target a user runs: `make tools` builds
// them, and `make help` does not list them.
func fileTarget(name string) bool { return strings.HasPrefix(name, "$(") }

// TestMakeHelp: every target has a "## description", and `make help` lists
// each one on one line.
func TestMakeHelp(t *testing.T) {
	rule := regexp.MustCompile(`^([^\s:#=]+)\s*:([^=]|$)`)
	var targets []string
	for i, line := range strings.Split(read(t, filepath.Join(repoRoot, "Makefile")), "\n") {
		m := rule.FindStringSubmatch(line)
		if m == nil || m[1] == ".PHONY" || fileTarget(m[1]) {
			continue
		}
		targets = append(targets, m[1])
		assert.Contains(t, line, "## ", "Makefile line %d: target %s has no `## description` for make help", i+1, m[1])
	}
	require.Contains(t, targets, "docs")

	cmd := exec.Command("make", "--no-print-directory", "help")
	cmd.Dir = repoRoot
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	listed := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, desc, _ := strings.Cut(strings.TrimSpace(line), " ")
		listed[name] = strings.TrimSpace(desc)
	}
	for _, target := range targets {
		assert.NotEmpty(t, listed[target], "make help does not list %s", target)
	}
	assert.Len(t, listed, len(targets), "make help lists one line per target:\n%s", out)
}

// TestMakeDocs: `make docs` runs this package's TestDocs with -update (and
// the pinned helm-docs it needs).
func TestMakeDocs(t *testing.T) {
	cmd := exec.Command("make", "--no-print-directory", "-n", "docs")
	cmd.Dir = repoRoot
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	assert.Equal(t, "go test ./internal/docs -run TestDocs -count=1 -update", lines[len(lines)-1],
		"after building the pinned helm-docs when it is missing")
}

// TestMakeBuild: `make build` builds ./cmd/valuescheck and ./cmd/coordctl into
// bin/, the command the README's install section shows.
func TestMakeBuild(t *testing.T) {
	cmd := exec.Command("make", "--no-print-directory", "-n", "build")
	cmd.Dir = repoRoot
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "go build -trimpath -o bin/valuescheck ./cmd/valuescheck\ngo build -trimpath -o bin/coordctl ./cmd/coordctl", strings.TrimSpace(string(out)))
}

// makeVariable returns the value of a simple `NAME := value` line of the Makefile.
func makeVariable(t *testing.T, name string) string {
	t.Helper()
	for _, line := range strings.Split(read(t, filepath.Join(repoRoot, "Makefile")), "\n") {
		if v, ok := strings.CutPrefix(line, name+" := "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("the Makefile has no %s := line", name)
	return ""
}
