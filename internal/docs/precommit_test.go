package docs

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// hook is one entry of .pre-commit-hooks.yaml, as pre-commit reads it.
type hook struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Description   string   `yaml:"description"`
	Language      string   `yaml:"language"`
	Entry         string   `yaml:"entry"`
	Files         string   `yaml:"files"`
	Types         []string `yaml:"types"`
	PassFilenames *bool    `yaml:"pass_filenames"`
	RequireSerial bool     `yaml:"require_serial"`
}

func preCommitHooks(t *testing.T) []hook {
	t.Helper()
	var hooks []hook
	dec := yaml.NewDecoder(strings.NewReader(read(t, filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))))
	dec.KnownFields(true) // a misspelled field would be ignored by pre-commit
	require.NoError(t, dec.Decode(&hooks))
	return hooks
}

// TestPreCommitHooks: two hooks pass every staged values*.yaml to
// valuescheck: `valuescheck` runs the release binary (plugin/pre-commit.sh
// installs it on first use, one run at a time), `valuescheck-source` builds
// it with Go (pre-commit runs `go install ./...` in this repository:
// TestGoInstall checks that it installs valuescheck).
func TestPreCommitHooks(t *testing.T) {
	hooks := preCommitHooks(t)
	require.Len(t, hooks, 2)
	release, source := hooks[0], hooks[1]
	assert.Equal(t, "valuescheck", release.ID)
	assert.Equal(t, "script", release.Language, "a script of this repository, no toolchain")
	assert.Equal(t, "plugin/pre-commit.sh", release.Entry)
	info, err := os.Stat(filepath.Join(repoRoot, release.Entry))
	require.NoError(t, err, "the entry of a script hook is a file of this repository")
	assert.NotZero(t, info.Mode().Perm()&0o111, "pre-commit runs the entry itself: it must be executable")
	assert.True(t, release.RequireSerial, "one process, so that the first run installs valuescheck once")

	assert.Equal(t, "valuescheck-source", source.ID)
	assert.Equal(t, "golang", source.Language)
	assert.Equal(t, "valuescheck", source.Entry, "the binary go install makes from cmd/valuescheck")
	_, err = os.Stat(filepath.Join(repoRoot, "cmd", source.Entry, "main.go"))
	assert.NoError(t, err, "entry %s must be the name of a command of this module", source.Entry)

	for _, h := range hooks {
		assert.NotEmpty(t, h.Name)
		require.NotNil(t, h.PassFilenames)
		assert.True(t, *h.PassFilenames, "valuescheck checks each file it is given")
		assert.Equal(t, []string{"yaml"}, h.Types)
		// pre-commit matches files with Python's re.search; this pattern
		// means the same in Go's syntax.
		files, err := regexp.Compile(h.Files)
		require.NoError(t, err)
		for name, want := range map[string]bool{
			"values.yaml":                            true,
			"values.yml":                             true,
			"values-prod.yaml":                       true,
			"deploy/milvus/values.staging.yml":       true,
			"charts/milvus-coord/values.yaml":        true,
			"examples/dev.yaml":                      false,
			"deploy/myvalues.yaml":                   false,
			"values.yaml.bak":                        false,
			"values/prod.yaml":                       false,
			"charts/milvus-coord/values.schema.json": false,
		} {
			assert.Equal(t, want, files.MatchString(name), "hook %s: files %q on %s", h.ID, h.Files, name)
		}
	}
}

// TestPreCommitEntry runs the release hook's entry as pre-commit does, from
// the top of a copy of the tree (pre-commit's clone of this repository): the
// first run installs valuescheck (no release is reachable, a local 404
// server, so it builds from source), later runs use it.
func TestPreCommitEntry(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	box := newSandbox(t)
	env := "VALUESCHECK_RELEASE_URL=" + srv.URL + "/no-release "
	out, code := box.run(t, env+"plugin/pre-commit.sh charts/milvus-coord/values.yaml")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "building from source")
	assert.Contains(t, out, "charts/milvus-coord/values.yaml: ok")
	out, code = box.run(t, env+"plugin/pre-commit.sh examples/broken/common-mistakes.yaml")
	assert.Equal(t, 1, code, out)
	assert.NotContains(t, out, "valuescheck install:", "installed once")
	assert.Contains(t, out, "examples/broken/common-mistakes.yaml: FAIL")
}

// TestPreCommitTryRepo runs the `valuescheck` hook with the pinned pre-commit
// (`pre-commit try-repo`, which clones the hook repository as a
// .pre-commit-config.yaml entry would) from a git repository of a copy of the
// working tree, on a project with one good and one broken values file.
func TestPreCommitTryRepo(t *testing.T) {
	preCommit := testtools.PreCommit(t)
	version := exec.Command(preCommit, "--version")
	out, err := version.Output()
	require.NoError(t, err)
	debian, _, _ := strings.Cut(makeVariable(t, "PRE_COMMIT_VERSION"), "-")
	assert.Equal(t, "pre-commit "+debian+"\n", string(out), "the pinned pre-commit (PRE_COMMIT_VERSION in the Makefile, a Debian package version)")

	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	hooks := newSandbox(t)
	project := filepath.Join(t.TempDir(), "project")
	require.NoError(t, os.MkdirAll(filepath.Join(project, "deploy"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(project, "deploy", "values.yaml"), []byte(read(t, filepath.Join(repoRoot, "examples", "dev.yaml"))), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(project, "values-broken.yaml"), []byte(read(t, filepath.Join(repoRoot, "examples", "broken", "common-mistakes.yaml"))), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(project, "notes.yaml"), []byte("not: [a values file\n"), 0o644))
	git := "git -c user.name=t -c user.email=t@example.com "
	for _, dir := range []string{hooks.dir, project} {
		out, code := (&sandbox{dir: dir, bin: hooks.bin}).run(t, git+"init -q && "+git+"add -A && "+git+"commit -q -m files")
		require.Equal(t, 0, code, out)
	}
	env := "PRE_COMMIT_HOME=" + filepath.Join(t.TempDir(), "pre-commit") + " VALUESCHECK_RELEASE_URL=" + srv.URL + "/no-release "
	out2, code := (&sandbox{dir: project, bin: hooks.bin}).run(t, env+preCommit+" try-repo "+hooks.dir+" valuescheck --all-files")
	assert.Equal(t, 1, code, out2)
	assert.Contains(t, out2, "building from source", "no release here: the first run builds")
	assert.Contains(t, out2, "deploy/values.yaml: ok (0 errors, 0 warnings)")
	assert.Contains(t, out2, "values-broken.yaml: FAIL (2 errors, 1 warning)")
	assert.NotContains(t, out2, "notes.yaml", "only files named values*.yaml")
}

// TestPreCommitSnippet: the README's .pre-commit-config.yaml snippet names
// this repository and a hook it defines.
func TestPreCommitSnippet(t *testing.T) {
	md := read(t, filepath.Join(repoRoot, "README.md"))
	blocks, err := Blocks(md)
	require.NoError(t, err)
	module := moduleURL(t)
	ids := map[string]bool{}
	for _, h := range preCommitHooks(t) {
		ids[h.ID] = true
	}
	found := false
	for _, b := range blocks {
		var config struct {
			Repos []struct {
				Repo  string `yaml:"repo"`
				Rev   string `yaml:"rev"`
				Hooks []struct {
					ID string `yaml:"id"`
				} `yaml:"hooks"`
			} `yaml:"repos"`
		}
		if b.Lang != "yaml" || yaml.Unmarshal([]byte(b.Body), &config) != nil || len(config.Repos) == 0 {
			continue
		}
		found = true
		for _, r := range config.Repos {
			assert.Equal(t, module, r.Repo, "the snippet's repo")
			assert.NotEmpty(t, r.Rev, "pre-commit requires rev")
			require.NotEmpty(t, r.Hooks)
			for _, h := range r.Hooks {
				assert.True(t, ids[h.ID], "hook %s is not in .pre-commit-hooks.yaml", h.ID)
			}
		}
	}
	assert.True(t, found, "README.md has no .pre-commit-config.yaml snippet (a ```yaml block with repos)")
}

// moduleURL is the repository URL of the module path in go.mod.
func moduleURL(t *testing.T) string {
	t.Helper()
	for _, line := range strings.Split(read(t, filepath.Join(repoRoot, "go.mod")), "\n") {
		if path, ok := strings.CutPrefix(line, "module "); ok {
			return "https://" + strings.TrimSpace(path)
		}
	}
	t.Fatal("go.mod has no module line")
	return ""
}
