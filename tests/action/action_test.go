// Package action_test runs the GitHub Action (action.yml) the way the runner
// does, offline: each `run` step with bash, its `env` and `if` expressions
// evaluated from the inputs, the runner context and the outputs of earlier
// steps (GITHUB_OUTPUT). The one `uses` step, actions/cache, cannot run here
// and counts as a cache miss, so the install step runs; no release is
// reachable (a local 404 server), so it builds valuescheck from source.
package action_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

var repoRoot = testtools.RepoRoot()

// action is action.yml as the runner reads it.
type action struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Shell string            `yaml:"shell"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
}

func readAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	require.NoError(t, err)
	var a action
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&a))
	return a
}

// expression is a ${{ ... }} of a workflow.
var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// TestActionYAML: a composite action whose run steps name their shell and
// never put an expression into a script's text (an input with a quote in it
// would become shell code); expressions go through env.
func TestActionYAML(t *testing.T) {
	a := readAction(t)
	assert.Equal(t, "composite", a.Runs.Using)
	assert.NotEmpty(t, a.Name)
	assert.NotEmpty(t, a.Description)
	assert.True(t, a.Inputs["files"].Required, "files is required")
	for i, s := range a.Runs.Steps {
		if s.Uses != "" {
			assert.Regexp(t, `^actions/cache@v\d+$`, s.Uses, "step %d: the only action it uses is actions/cache, pinned to a major version", i+1)
			continue
		}
		assert.Equal(t, "bash", s.Shell, "step %d: composite run steps must name their shell", i+1)
		assert.NotRegexp(t, expression, s.Run, "step %d: expressions go through env, not into the script", i+1)
	}
}

// runner evaluates the expressions of action.yml.
type runner struct {
	t       *testing.T
	values  map[string]string // inputs.files, runner.os, steps.release.outputs.dir...
	env     []string
	workdir string
}

// eval replaces the ${{ }} expressions of s: names of values only.
func (r *runner) eval(s string) string {
	r.t.Helper()
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		name := expression.FindStringSubmatch(m)[1]
		v, ok := r.values[name]
		require.True(r.t, ok, "action.yml uses ${{ %s }}, which this test does not know", name)
		return v
	})
}

// condition evaluates an `if`: empty, or NAME != 'VALUE' or NAME == 'VALUE'.
func (r *runner) condition(s string) bool {
	r.t.Helper()
	if s == "" {
		return true
	}
	m := regexp.MustCompile(`^(\S+) (!=|==) '([^']*)'$`).FindStringSubmatch(strings.TrimSpace(s))
	require.NotNil(r.t, m, "action.yml has the condition %q, which this test cannot evaluate", s)
	v, ok := r.values[m[1]]
	require.True(r.t, ok, "action.yml's condition uses %s, which this test does not know", m[1])
	return (v == m[3]) == (m[2] == "==")
}

// runAction runs every step; it returns what the steps printed and the exit
// code of the last one that ran (a failing step ends the run, as on GitHub).
func (r *runner) runAction(a action) (string, int) {
	r.t.Helper()
	var out string
	for i, s := range a.Runs.Steps {
		if !r.condition(s.If) {
			continue
		}
		if s.Uses != "" {
			// actions/cache: a miss; its path and key must still evaluate.
			for _, v := range s.With {
				r.eval(v)
			}
			r.values["steps."+s.ID+".outputs.cache-hit"] = ""
			continue
		}
		output := filepath.Join(r.t.TempDir(), "output")
		require.NoError(r.t, os.WriteFile(output, nil, 0o644))
		env := append(r.env, "GITHUB_OUTPUT="+output)
		for k, v := range s.Env {
			env = append(env, k+"="+r.eval(v))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
		cmd.Dir, cmd.Env = r.workdir, env
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		out += buf.String()
		var exit *exec.ExitError
		if errors.As(err, &exit) && !timedOut {
			return out, exit.ExitCode()
		}
		require.NoError(r.t, err, "step %d: %s", i+1, out)
		data, err := os.ReadFile(output)
		require.NoError(r.t, err)
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), "=")
			require.True(r.t, ok, "step %d wrote %q to GITHUB_OUTPUT", i+1, sc.Text())
			r.values["steps."+s.ID+".outputs."+k] = v
		}
	}
	return out, 0
}

// TestAction runs the action on the examples of a copy of the working tree,
// which is also the action's own directory (GITHUB_ACTION_PATH).
func TestAction(t *testing.T) {
	a := readAction(t)
	tree := filepath.Join(t.TempDir(), "milvus-coord")
	require.NoError(t, testtools.CopyTree(repoRoot, tree, ".git", ".tools", "bin", "plugin/bin", "dist"))
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	toolCache := t.TempDir()

	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "VALUESCHECK_") && !strings.HasPrefix(name, "GITHUB_") && !strings.HasPrefix(name, "RUNNER_") {
			env = append(env, kv)
		}
	}
	env = append(env, "GITHUB_ACTION_PATH="+tree, "GITHUB_ACTIONS=true", "RUNNER_OS=Linux", "RUNNER_ARCH=X64",
		"VALUESCHECK_RELEASE_URL="+srv.URL+"/no-release")

	newRunner := func(t *testing.T, inputs map[string]string) *runner {
		values := map[string]string{"runner.os": "Linux", "runner.arch": "X64", "runner.tool_cache": toolCache}
		for name, in := range a.Inputs {
			values["inputs."+name] = in.Default
		}
		for k, v := range inputs {
			_, ok := a.Inputs[k]
			require.True(t, ok, "action.yml has no input %s", k)
			values["inputs."+k] = v
		}
		return &runner{t: t, values: values, env: env, workdir: tree}
	}

	// annotations is what the installed valuescheck prints for -o github.
	annotations := func(t *testing.T, r *runner, args ...string) string {
		cmd := exec.Command(filepath.Join(r.values["steps.release.outputs.dir"], "valuescheck"), append([]string{"-o", "github"}, args...)...)
		cmd.Dir = tree
		out, _ := cmd.Output()
		require.NotEmpty(t, out)
		return string(out)
	}

	t.Run("findings become annotations", func(t *testing.T) {
		r := newRunner(t, map[string]string{"files": "examples/broken/common-mistakes.yaml"})
		out, code := r.runAction(a)
		assert.Equal(t, 1, code, out)
		assert.Contains(t, out, "building from source", "no release here: the install step builds")
		assert.Contains(t, out, annotations(t, r, "examples/broken/common-mistakes.yaml"))
		assert.Contains(t, out, "::error file=examples/broken/common-mistakes.yaml,line=9,col=14,")
		assert.Contains(t, out, "::warning file=examples/broken/common-mistakes.yaml,line=18,col=10,")
	})
	t.Run("args, globs and lines", func(t *testing.T) {
		out, code := newRunner(t, map[string]string{
			"files": "examples/overlays/staging.yaml\nexamples/overlays/p*.yaml",
			"args":  "--strict -f examples/overlays/base.yaml",
		}).runAction(a)
		assert.Equal(t, 0, code, out)
		assert.NotContains(t, out, "::error")
	})
	t.Run("strict", func(t *testing.T) {
		r := newRunner(t, map[string]string{"files": "examples/broken/common-mistakes.yaml", "args": "--strict"})
		out, code := r.runAction(a)
		assert.Equal(t, 1, code, out)
		assert.Contains(t, out, annotations(t, r, "--strict", "examples/broken/common-mistakes.yaml"))
		assert.Contains(t, out, "::error file=examples/broken/common-mistakes.yaml,line=18,col=10,", "warnings are errors with --strict")
	})
	t.Run("README example", func(t *testing.T) {
		// The workflow of README.md's "CI and pre-commit" uses this action
		// with inputs it has, and passes on the examples it names.
		readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
		require.NoError(t, err)
		found := 0
		for _, block := range regexp.MustCompile("(?ms)^```yaml\n(.*?)^```").FindAllStringSubmatch(string(readme), -1) {
			var workflow struct {
				Jobs map[string]struct {
					Steps []struct {
						Uses string            `yaml:"uses"`
						With map[string]string `yaml:"with"`
					} `yaml:"steps"`
				} `yaml:"jobs"`
			}
			if yaml.Unmarshal([]byte(block[1]), &workflow) != nil {
				continue
			}
			for _, job := range workflow.Jobs {
				for _, s := range job.Steps {
					if !strings.HasPrefix(s.Uses, "milvus-coord/milvus-coord@") {
						continue
					}
					found++
					out, code := newRunner(t, s.With).runAction(a)
					assert.Equal(t, 0, code, out)
				}
			}
		}
		assert.Equal(t, 1, found, "README.md has one workflow that uses milvus-coord/milvus-coord@...")
	})
	t.Run("version", func(t *testing.T) {
		r := newRunner(t, map[string]string{"files": "examples/dev.yaml", "version": "v9.8.7"})
		out, code := r.runAction(a)
		assert.Equal(t, 0, code, out)
		assert.Equal(t, "9.8.7", r.values["steps.release.outputs.version"])
		assert.NotContains(t, out, "::", "no findings, no annotations")
		assert.Equal(t, filepath.Join(toolCache, "valuescheck", "9.8.7", "Linux-X64"), r.values["steps.release.outputs.dir"], "cached per version and platform")
	})
}
