// Package examples_test checks the values files in examples/ the way
// valuescheck does (parse, schema, Milvus HA rules, render with Helm's engine,
// typed check of the objects): every example must pass and render, overlays
// layered over their base, and every example must start with the modeline
// that lets editors validate it against the chart's schema.
package examples_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

var (
	root     = testtools.RepoRoot()
	examples = filepath.Join(root, "examples")
	chartDir = filepath.Join(root, "charts", "milvus-coord")
)

const modelinePrefix = "# yaml-language-server: $schema="

// overlays are the environments layered over examples/overlays/base.yaml.
var overlays = []string{"staging.yaml", "prod.yaml"}

// broken are the examples that show mistakes, with the rules they break.
var broken = map[string][]string{
	"broken/common-mistakes.yaml": {"ha-replicas-need-standby", "schema-unknown-key", "session-ttl-range"},
}

func loadChart(t *testing.T) *check.Chart {
	t.Helper()
	ch, err := check.LoadChart(os.DirFS(chartDir), "charts/milvus-coord")
	require.NoError(t, err)
	return ch
}

// allExamples lists every YAML file under examples/, relative to it.
func allExamples(t *testing.T) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(examples, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		rel, err := filepath.Rel(examples, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	}))
	require.NotEmpty(t, out)
	return out
}

func input(t *testing.T, rel string) check.Input {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(examples, filepath.FromSlash(rel)))
	require.NoError(t, err)
	return check.Input{Name: "examples/" + rel, Data: data}
}

func options(t *testing.T, layers ...*check.Input) check.Options {
	t.Helper()
	var inputs []check.Input
	for _, l := range layers {
		inputs = append(inputs, *l)
	}
	docs, problems := check.ParseLayers(inputs)
	require.Empty(t, problems)
	return check.Options{
		Layers: docs,
		Render: render.Options{ReleaseName: "milvus-coord", Namespace: "milvus", KubeVersion: render.DefaultKubeVersion},
	}
}

func texts(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Text() + "\n")
	}
	return b.String()
}

// TestExamples: each example passes with no finding at all, warnings
// included, and renders.
func TestExamples(t *testing.T) {
	ch := loadChart(t)
	base := input(t, "overlays/base.yaml")
	checked := map[string]bool{}
	run := func(name string, file check.Input, layers ...*check.Input) {
		t.Run(name, func(t *testing.T) {
			res := ch.Check(&file, options(t, layers...))
			assert.Empty(t, texts(res.Findings), "findings")
			require.NotNil(t, res.Rendered, "%s does not render", name)
			assert.NotEmpty(t, res.Objects)
		})
	}
	for _, rel := range allExamples(t) {
		switch {
		case strings.HasPrefix(rel, "overlays/"):
			continue
		case broken[rel] != nil:
			continue
		}
		checked[rel] = true
		run(rel, input(t, rel))
	}
	checked["overlays/base.yaml"] = true
	run("overlays/base.yaml", base)
	for _, env := range overlays {
		rel := "overlays/" + env
		checked[rel] = true
		run("overlays/base.yaml + "+rel, input(t, rel), &base)
	}
	for rel := range broken {
		checked[rel] = true
	}
	for _, rel := range allExamples(t) {
		assert.True(t, checked[rel], "examples/%s is checked by no case: add it to overlays or broken, or move it", rel)
	}
}

// TestBrokenExamples: the examples of mistakes fail with the rules they show.
func TestBrokenExamples(t *testing.T) {
	ch := loadChart(t)
	for rel, rules := range broken {
		t.Run(rel, func(t *testing.T) {
			file := input(t, rel)
			res := ch.Check(&file, options(t))
			assert.True(t, finding.Fails(res.Findings, false), "%s must fail", rel)
			var got []string
			for _, f := range res.Findings {
				if !slices.Contains(got, f.Rule) {
					got = append(got, f.Rule)
				}
			}
			assert.ElementsMatch(t, rules, got, "%s", texts(res.Findings))
		})
	}
}

// TestModelines: every example and the chart's values.yaml start with the
// YAML language server's modeline, whose path leads to the chart's schema.
func TestModelines(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json"))
	require.NoError(t, err)
	files := []string{filepath.Join(chartDir, "values.yaml")}
	for _, rel := range allExamples(t) {
		files = append(files, filepath.Join(examples, filepath.FromSlash(rel)))
	}
	for _, file := range files {
		name, _ := filepath.Rel(root, file)
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			first, _, _ := strings.Cut(string(data), "\n")
			schema, ok := strings.CutPrefix(first, modelinePrefix)
			require.True(t, ok, "%s must start with %q", name, modelinePrefix+"<path to values.schema.json>")
			if strings.HasPrefix(name, "examples") {
				// The repository root's copy, which the schema generator keeps equal.
				rel, err := filepath.Rel(filepath.Dir(file), filepath.Join(root, "values.schema.json"))
				require.NoError(t, err)
				assert.Equal(t, filepath.ToSlash(rel), schema, "%s: the modeline must lead to the repository's values.schema.json", name)
			}
			got, err := os.ReadFile(filepath.Join(filepath.Dir(file), filepath.FromSlash(schema)))
			require.NoError(t, err, "%s: modeline path %s", name, schema)
			assert.Equal(t, string(want), string(got), "%s: %s is not the chart's schema", name, schema)
		})
	}
}
