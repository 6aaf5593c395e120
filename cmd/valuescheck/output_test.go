package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"

	"github.com/milvus-coord/milvus-coord/internal/golden"
)

// A run with findings of every kind of origin: a position in a file, a file
// without a position (an empty file), a flag; errors and warnings.
var richRun = []string{
	"--set", "queryCoordinator.replicas=3,queryCoordinator.activeStandby.enabled=false",
	v("ha-replicas-need-standby.yaml"), v("session-ttl-too-short.yaml"), v("empty.yaml"),
	v("ha-disruption-budget-off.yaml"), v("render-template-extra-config-file-not-mapping.yaml"),
}

// jsonReport mirrors the documented JSON output (version 1).
type jsonReport struct {
	Version *int  `json:"version"`
	OK      *bool `json:"ok"`
	Files   []struct {
		File     string `json:"file"`
		OK       *bool  `json:"ok"`
		Errors   *int   `json:"errors"`
		Warnings *int   `json:"warnings"`
		Findings []struct {
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Path     string `json:"path"`
			Message  string `json:"message"`
			Fix      string `json:"fix"`
			Stricter bool   `json:"stricterThanHelm"`
			Origin   *struct {
				File   string `json:"file"`
				Line   *int   `json:"line"`
				Column *int   `json:"column"`
				Flag   string `json:"flag"`
			} `json:"origin"`
		} `json:"findings"`
	} `json:"files"`
}

func TestJSONOutputStructure(t *testing.T) {
	ruleIDs := map[string]bool{}
	for _, line := range strings.Split(runCLI(t, []string{"rules"}, "").stdout, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") {
			ruleIDs[strings.Fields(line)[0]] = true
		}
	}
	for _, c := range []struct {
		name  string
		args  []string
		code  int
		files []string
	}{
		{"rich", richRun, 1, richRun[2:]},
		{"passing", []string{chartDefaults}, 0, []string{chartDefaults}},
		{"layers", []string{"-f", v("duplicate-key-replicas.yaml"), "-f", v("base.yaml")}, 1,
			[]string{"layers (-f)", v("duplicate-key-replicas.yaml") + " + " + v("base.yaml")}},
		{"strict", []string{"--strict", v("session-ttl-too-short.yaml")}, 1, []string{v("session-ttl-too-short.yaml")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			strict := c.name == "strict"
			res := runCLI(t, append([]string{"-o", "json"}, c.args...), "")
			require.Equal(t, c.code, res.code, res.stderr)
			require.Empty(t, res.stderr)

			// Only known fields, and every documented one.
			dec := json.NewDecoder(strings.NewReader(res.stdout))
			dec.DisallowUnknownFields()
			var r jsonReport
			require.NoError(t, dec.Decode(&r))
			require.NotNil(t, r.Version)
			assert.Equal(t, 1, *r.Version)
			require.NotNil(t, r.OK)
			assert.Equal(t, c.code == 0, *r.OK)

			var names []string
			allOK := true
			for _, f := range r.Files {
				names = append(names, f.File)
				require.NotNil(t, f.OK, f.File)
				require.NotNil(t, f.Errors, f.File)
				require.NotNil(t, f.Warnings, f.File)
				require.NotNil(t, f.Findings, "%s: findings must be a list, never null", f.File)
				errs, warns := 0, 0
				for _, x := range f.Findings {
					assert.True(t, ruleIDs[x.Rule], "unknown rule %q", x.Rule)
					assert.Contains(t, []string{"error", "warning"}, x.Severity)
					assert.NotEmpty(t, x.Message)
					assert.NotEmpty(t, x.Fix)
					require.NotNil(t, x.Origin, "%s: finding without origin", x.Rule)
					o := x.Origin
					assert.True(t, (o.File == "") != (o.Flag == ""), "%s: origin names a file or a flag: %+v", x.Rule, o)
					if o.Line != nil {
						assert.GreaterOrEqual(t, *o.Line, 1)
						assert.NotEmpty(t, o.File)
					}
					if o.Column != nil {
						assert.GreaterOrEqual(t, *o.Column, 1)
						assert.NotNil(t, o.Line, "a column without a line")
					}
					if o.Flag != "" {
						assert.True(t, strings.HasPrefix(o.Flag, "--set"), o.Flag)
					}
					if x.Severity == "error" {
						errs++
					} else {
						warns++
					}
				}
				assert.Equal(t, errs, *f.Errors, f.File)
				assert.Equal(t, warns, *f.Warnings, f.File)
				assert.Equal(t, errs == 0 && (warns == 0 || !strict), *f.OK, f.File)
				allOK = allOK && *f.OK
			}
			assert.Equal(t, c.files, names, "files in argument order")
			assert.Equal(t, allOK, *r.OK)
		})
	}

	// The rich run names specific origins.
	res := runCLI(t, append([]string{"-o", "json"}, richRun...), "")
	var r jsonReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &r))
	byFile := map[string]int{}
	for i, f := range r.Files {
		byFile[f.File] = i
	}
	first := r.Files[byFile[v("ha-replicas-need-standby.yaml")]].Findings
	require.Len(t, first, 2)
	assert.Equal(t, "ha-replicas-need-standby", first[0].Rule)
	assert.Equal(t, v("ha-replicas-need-standby.yaml"), first[0].Origin.File)
	assert.Equal(t, 4, *first[0].Origin.Line)
	assert.Equal(t, 14, *first[0].Origin.Column)
	assert.Equal(t, "rootCoordinator.activeStandby.enabled", first[0].Path)
	assert.Equal(t, "--set queryCoordinator.replicas=3,queryCoordinator.activeStandby.enabled=false", first[1].Origin.Flag, "flags sort after files")
	assert.Nil(t, first[1].Origin.Line)
	empty := r.Files[byFile[v("empty.yaml")]].Findings
	assert.Equal(t, "parse-empty", empty[0].Rule)
	assert.Equal(t, v("empty.yaml"), empty[0].Origin.File)
	assert.Nil(t, empty[0].Origin.Line, "an empty file has no line to point at")
}

func TestSARIFOutputIsValid(t *testing.T) {
	schema, err := gojsonschema.NewSchema(gojsonschema.NewReferenceLoader("file://" + filepath.ToSlash(mustAbs(t, "testdata/sarif-2.1.0-subset.schema.json"))))
	require.NoError(t, err)

	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"rich", richRun, 1},
		{"rich-strict", append([]string{"--strict"}, richRun...), 1},
		{"rich-quiet", append([]string{"--quiet"}, richRun...), 1},
		{"passing", []string{chartDefaults}, 0},
		{"every-ci-scenario", ciScenarios(t), 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := runCLI(t, append([]string{"-o", "sarif"}, c.args...), "")
			require.Equal(t, c.code, res.code, res.stderr)
			require.Empty(t, res.stderr)

			result, err := schema.Validate(gojsonschema.NewStringLoader(res.stdout))
			require.NoError(t, err)
			for _, e := range result.Errors() {
				t.Errorf("SARIF: %s", e)
			}

			var log struct {
				Runs []struct {
					Tool struct {
						Driver struct {
							Rules []struct {
								ID                   string `json:"id"`
								DefaultConfiguration struct {
									Level string `json:"level"`
								} `json:"defaultConfiguration"`
							} `json:"rules"`
						} `json:"driver"`
					} `json:"tool"`
					Results []struct {
						RuleID    string `json:"ruleId"`
						RuleIndex *int   `json:"ruleIndex"`
						Level     string `json:"level"`
					} `json:"results"`
				} `json:"runs"`
			}
			require.NoError(t, json.Unmarshal([]byte(res.stdout), &log))
			require.Len(t, log.Runs, 1)
			run := log.Runs[0]
			used := map[string]bool{}
			for i, r := range run.Results {
				require.NotNil(t, r.RuleIndex, "result %d has no ruleIndex", i)
				require.Less(t, *r.RuleIndex, len(run.Tool.Driver.Rules), "result %d: ruleIndex out of range", i)
				require.GreaterOrEqual(t, *r.RuleIndex, 0)
				assert.Equal(t, r.RuleID, run.Tool.Driver.Rules[*r.RuleIndex].ID, "result %d: ruleIndex points at another rule", i)
				if strings.Contains(c.name, "strict") {
					assert.Equal(t, "error", r.Level)
				}
				used[r.RuleID] = true
			}
			var ids []string
			for _, r := range run.Tool.Driver.Rules {
				ids = append(ids, r.ID)
				assert.True(t, used[r.ID], "rule %s is listed but no result uses it", r.ID)
			}
			assert.True(t, sort.StringsAreSorted(ids), "rules sorted by ID: %v", ids)
			assert.Equal(t, c.code == 0, len(run.Results) == 0)
		})
	}
}

// TestSARIFLevels: warnings are "warning", or "error" with --strict, and the
// rule's default level is its catalog severity either way.
func TestSARIFLevels(t *testing.T) {
	for _, strict := range []bool{false, true} {
		args := []string{"-o", "sarif", v("session-ttl-too-short.yaml")}
		if strict {
			args = append(args, "--strict")
		}
		res := runCLI(t, args, "")
		var log map[string]any
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &log))
		run := log["runs"].([]any)[0].(map[string]any)
		result := run["results"].([]any)[0].(map[string]any)
		rule := run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)[0].(map[string]any)
		want := "warning"
		if strict {
			want = "error"
		}
		assert.Equal(t, want, result["level"])
		assert.Equal(t, "warning", rule["defaultConfiguration"].(map[string]any)["level"])
	}
}

func mustAbs(t testing.TB, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	require.NoError(t, err)
	return abs
}

// TestGitHubAnnotationEscaping: GitHub workflow commands escape %, CR and LF
// in the message, and also : and , in properties (the file name here).
func TestGitHubAnnotationEscaping(t *testing.T) {
	goldenFile := mustAbs(t, filepath.Join("testdata", "output", "github-escaping.stdout"))
	t.Chdir(t.TempDir())
	name := "odd,name:100%.yaml"
	// A key with a percent sign and a newline: the schema refuses it and the
	// message names it.
	require.NoError(t, os.WriteFile(name, []byte("\"bad%key\\nline2\": 1\n"), 0o644))

	res := runCLI(t, []string{"-o", "github", name}, "")
	assert.Equal(t, exitFindings, res.code)
	assert.Empty(t, res.stderr)
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	require.Len(t, lines, 1, "one annotation, one line: %q", res.stdout)
	line := lines[0]
	assert.True(t, strings.HasPrefix(line, "::error file=odd%2Cname%3A100%25.yaml,line=1,col=1,title=schema-unknown-key::bad%25key%0Aline2 is not a value of this chart"), line)
	props, msg, ok := strings.Cut(strings.TrimPrefix(line, "::error "), "::")
	require.True(t, ok)
	assert.NotContains(t, msg, "\n")
	assert.NotContains(t, msg, "\r")
	assert.NotContains(t, strings.ReplaceAll(msg, "%25", ""), "%key", "a literal %% must be escaped")
	for _, p := range strings.Split(props, ",") {
		k, val, ok := strings.Cut(p, "=")
		require.True(t, ok, p)
		assert.NotContains(t, val, ":", "property %s", k)
	}
	golden.Assert(t, goldenFile, []byte(res.stdout))
}

// TestRenderOutputDir: render --output-dir writes one file per template, like
// helm template --output-dir, and lists every object written.
func TestRenderOutputDir(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "manifests")
	res := runCLI(t, []string{"render", "--output-dir", out}, "")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stderr)
	golden.Assert(t, filepath.Join("testdata", "output", "render-output-dir.stdout"),
		[]byte(strings.ReplaceAll(res.stdout, tmp, tmpVar)))

	var written []string
	require.NoError(t, filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			written = append(written, filepath.ToSlash(rel))
		}
		return err
	}))
	assert.Equal(t, []string{
		"milvus-coord/templates/coordinators.yaml",
		"milvus-coord/templates/networkpolicy.yaml",
		"milvus-coord/templates/secret.yaml",
		"milvus-coord/templates/serviceaccount.yaml",
	}, written)

	// The files hold every object of the stdout render, each once.
	stdout := runCLI(t, []string{"render"}, "").stdout
	var all strings.Builder
	for _, w := range written {
		all.WriteString(readFile(t, filepath.Join(out, w)))
	}
	assert.Equal(t, strings.Count(stdout, "\n# Source: "), strings.Count(all.String(), "\n# Source: "))
	for _, doc := range strings.Split(strings.TrimPrefix(stdout, "---\n"), "\n---\n") {
		assert.Contains(t, all.String(), strings.TrimSuffix(doc, "\n"))
	}
	assert.Equal(t, 3, strings.Count(readFile(t, filepath.Join(out, "milvus-coord/templates/coordinators.yaml")), "kind: Deployment\n"))

	// Values that fail write nothing.
	refused := filepath.Join(tmp, "refused")
	res = runCLI(t, []string{"render", "--output-dir", refused, v("ha-replicas-need-standby.yaml")}, "")
	assert.Equal(t, exitFindings, res.code)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "[ha-replicas-need-standby]")
	assert.NoDirExists(t, refused)
}

// TestRenderMatchesCheck: render refuses exactly what the check refuses, with
// the same findings, and prints nothing on stdout then.
func TestRenderMatchesCheck(t *testing.T) {
	for _, f := range []string{
		v("ha-replicas-need-standby.yaml"), v("render-template-extra-config-file-not-mapping.yaml"),
		v("duplicate-key-replicas.yaml"), v("session-ttl-too-short.yaml"), chartDefaults,
	} {
		check := runCLI(t, []string{"-q", "--strict", f}, "")
		render := runCLI(t, []string{"render", "--strict", f}, "")
		assert.Equal(t, check.code, render.code, f)
		assert.Equal(t, check.stdout, render.stderr, f)
		if render.code != exitOK {
			assert.Empty(t, render.stdout, f)
		} else {
			assert.NotEmpty(t, render.stdout, f)
		}
	}
}
