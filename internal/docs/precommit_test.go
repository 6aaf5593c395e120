package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
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
}

func preCommitHooks(t *testing.T) []hook {
	t.Helper()
	var hooks []hook
	dec := yaml.NewDecoder(strings.NewReader(read(t, filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))))
	dec.KnownFields(true) // a misspelled field would be ignored by pre-commit
	require.NoError(t, dec.Decode(&hooks))
	return hooks
}

// TestPreCommitHooks: the hook builds valuescheck with Go (pre-commit runs `go
// install ./...` in this repository: TestGoInstall checks that it installs
// valuescheck) and passes it every staged values*.yaml.
func TestPreCommitHooks(t *testing.T) {
	hooks := preCommitHooks(t)
	require.Len(t, hooks, 1)
	h := hooks[0]
	assert.Equal(t, "valuescheck", h.ID)
	assert.NotEmpty(t, h.Name)
	assert.Equal(t, "golang", h.Language)
	assert.Equal(t, "valuescheck", h.Entry, "the binary go install makes from cmd/valuescheck")
	require.NotNil(t, h.PassFilenames)
	assert.True(t, *h.PassFilenames, "valuescheck checks each file it is given")
	assert.Equal(t, []string{"yaml"}, h.Types)

	// pre-commit matches files with Python's re.search; this pattern means
	// the same in Go's syntax.
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
		assert.Equal(t, want, files.MatchString(name), "files %q on %s", h.Files, name)
	}
	_, err = os.Stat(filepath.Join(repoRoot, "cmd", h.Entry, "main.go"))
	assert.NoError(t, err, "entry %s must be the name of a command of this module", h.Entry)
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
