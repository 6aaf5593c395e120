// Package upstream_test runs valuescheck --chart against unmodified copies of
// zilliztech's milvus chart (4.2.24 for Milvus 2.4.17, 5.0.19 for 2.6.15),
// found through MILVUS_COORD_UPSTREAM_CHARTS (the Makefile exports it; the
// default is ../shared/upstream-charts beside the repository). They are test
// data: nothing of them is copied here. Missing charts fail the tests.
//
// What it shows: each chart's defaults and its own ci/*-values.yaml pass;
// every HA mistake in testdata/mistakes is found at its line on both
// versions; whatever valuescheck passes, the pinned helm template renders;
// and how many of the mistakes Helm itself refuses (it has no schema and no
// guard: none).
package upstream_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

const kubeVersion = "v1.37.0"

var (
	root     = testtools.RepoRoot()
	vcBinary string
	tmpDir   string
)

// charts are the upstream chart copies, by major version.
var charts = []struct {
	major, dir string
}{
	{"4", "milvus-4.2.24"},
	{"5", "milvus-5.0.19"},
}

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "milvus-coord-upstream-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	tmpDir = tmp
	vcBinary, err = testtools.BuildValuescheck(tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(tmp)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// chartsDir is where the upstream copies are; a missing one fails the test.
func chartsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MILVUS_COORD_UPSTREAM_CHARTS")
	if dir == "" {
		dir = filepath.Join(root, "..", "shared", "upstream-charts")
	}
	for _, c := range charts {
		if _, err := os.Stat(filepath.Join(dir, c.dir, "Chart.yaml")); err != nil {
			t.Fatalf("upstream chart %s missing under %s (set MILVUS_COORD_UPSTREAM_CHARTS; get it with `helm pull milvus --repo https://zilliztech.github.io/milvus-helm --version %s --untar`): %v",
				c.dir, dir, strings.TrimPrefix(c.dir, "milvus-"), err)
		}
	}
	return dir
}

type report struct {
	OK    bool `json:"ok"`
	Files []struct {
		File     string `json:"file"`
		OK       bool   `json:"ok"`
		Errors   int    `json:"errors"`
		Findings []struct {
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Fix      string `json:"fix"`
			Origin   struct {
				File   string `json:"file"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"origin"`
		} `json:"findings"`
	} `json:"files"`
}

// valuescheck runs valuescheck --chart -o json on files and decodes it.
func valuescheck(t *testing.T, chart string, files ...string) (report, int) {
	t.Helper()
	args := append([]string{"--chart", chart, "--kube-version", kubeVersion, "-o", "json"}, files...)
	res := testtools.Run(t, 2*time.Minute, os.Environ(), root, vcBinary, args...)
	require.Contains(t, []int{0, 1}, res.Code, "valuescheck %v: %s", args, res.Stderr)
	var r report
	require.NoError(t, json.Unmarshal([]byte(res.Stdout), &r), res.Stdout)
	return r, res.Code
}

// helmTemplate renders chart with file using the pinned Helm, offline.
func helmTemplate(t *testing.T, chart string, files ...string) (string, error) {
	t.Helper()
	args := []string{"template", "m", chart, "--kube-version", kubeVersion}
	for _, f := range files {
		args = append(args, "-f", f)
	}
	cmd := exec.Command(testtools.Helm(t), args...)
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+filepath.Join(tmpDir, "cache"), "HELM_CONFIG_HOME="+filepath.Join(tmpDir, "config"),
		"HELM_DATA_HOME="+filepath.Join(tmpDir, "data"), "KUBECONFIG="+filepath.Join(tmpDir, "no-kubeconfig"))
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		err = fmt.Errorf("%w: %s", err, ee.Stderr)
	}
	return string(out), err
}

func TestChartDefaultsAndCIValuesPass(t *testing.T) {
	dir := chartsDir(t)
	for _, c := range charts {
		chart := filepath.Join(dir, c.dir)
		files, err := filepath.Glob(filepath.Join(chart, "ci", "*-values.yaml"))
		require.NoError(t, err)
		require.NotEmpty(t, files, "%s has ci values", c.dir)
		files = append([]string{filepath.Join(chart, "values.yaml")}, files...)
		r, code := valuescheck(t, chart, files...)
		assert.Equal(t, 0, code, "%s: %+v", c.dir, r)
		for _, f := range r.Files {
			assert.True(t, f.OK, "%s %s", c.dir, f.File)
			for _, x := range f.Findings {
				assert.NotEqual(t, "error", x.Severity, "%s %s: %s %s", c.dir, f.File, x.Rule, x.Message)
			}
		}
	}
}

// want is one expected finding of a mistake fixture: `# want 4: rule 7:13`
// (at that line and column of the fixture), `# want 5: rule chart` (in the
// chart's values.yaml: a default the fixture leaves in place is the cause),
// or `# want 4: none` (the fixture passes on that version).
type want struct {
	major, rule string
	line, col   int
	inChart     bool
}

var wantLine = regexp.MustCompile(`^# want (\d): (\S+)(?: (\d+):(\d+)| (chart))?$`)

func wants(t *testing.T, file string) []want {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	var out []want
	s := bufio.NewScanner(f)
	for s.Scan() {
		m := wantLine.FindStringSubmatch(s.Text())
		if m == nil {
			continue
		}
		w := want{major: m[1], rule: m[2], inChart: m[5] != ""}
		fmt.Sscan(m[3], &w.line)
		fmt.Sscan(m[4], &w.col)
		out = append(out, w)
	}
	require.NotEmpty(t, out, "%s has # want lines", file)
	return out
}

func mistakes(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(root, "tests", "upstream", "testdata", "mistakes", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	sort.Strings(files)
	return files
}

// TestMistakesFoundAtTheirLine: every fixture's mistake is found, on each
// version it names, at the line and column of the value (or in the chart's
// values.yaml for a default left in place); a fixture that a version runs
// fine passes there.
func TestMistakesFoundAtTheirLine(t *testing.T) {
	dir := chartsDir(t)
	for _, c := range charts {
		chart := filepath.Join(dir, c.dir)
		for _, file := range mistakes(t) {
			t.Run(c.dir+"/"+filepath.Base(file), func(t *testing.T) {
				var mine []want
				for _, w := range wants(t, file) {
					if w.major == c.major {
						mine = append(mine, w)
					}
				}
				require.NotEmpty(t, mine, "the fixture says what %s.x does with it", c.major)
				r, code := valuescheck(t, chart, file)
				require.Len(t, r.Files, 1)
				got := r.Files[0].Findings
				var brief []string
				for _, f := range got {
					brief = append(brief, fmt.Sprintf("%s %s:%d:%d", f.Rule, filepath.Base(f.Origin.File), f.Origin.Line, f.Origin.Column))
				}
				for _, w := range mine {
					if w.rule == "none" {
						assert.Equal(t, 0, code, "passes on %s: %v", c.dir, brief)
						continue
					}
					found := false
					for _, f := range got {
						switch {
						case f.Rule != w.rule:
						case w.inChart:
							found = found || f.Origin.File == filepath.Join(chart, "values.yaml")
						default:
							found = found || f.Origin.File == file && f.Origin.Line == w.line && f.Origin.Column == w.col
						}
					}
					assert.True(t, found, "%s at %d:%d (chart: %v); got %v", w.rule, w.line, w.col, w.inChart, brief)
				}
			})
		}
	}
}

// TestHelmAgrees: whatever valuescheck passes, the pinned helm template
// renders; and the figure of the mistakes Helm refuses (the chart has no
// schema and no guard, so the expectation is none).
func TestHelmAgrees(t *testing.T) {
	dir := chartsDir(t)
	for _, c := range charts {
		chart := filepath.Join(dir, c.dir)
		files := mistakes(t)
		ci, err := filepath.Glob(filepath.Join(chart, "ci", "*-values.yaml"))
		require.NoError(t, err)
		files = append(files, ci...)
		refused, found, expected := 0, 0, 0
		for _, file := range mistakes(t) {
			for _, w := range wants(t, file) {
				if w.major == c.major && w.rule != "none" {
					expected++
					break
				}
			}
		}
		for _, file := range files {
			r, code := valuescheck(t, chart, file)
			_, helmErr := helmTemplate(t, chart, file)
			if code == 0 {
				assert.NoError(t, helmErr, "valuescheck passes %s on %s, helm template must render it", file, c.dir)
			}
			if strings.Contains(file, "mistakes") {
				if helmErr != nil {
					refused++
				}
				if !r.Files[0].OK {
					found++
				}
			}
		}
		t.Logf("chart %s: of %d upstream mistake fixtures, %d are mistakes on this version; valuescheck fails %d of them (warnings fail with --strict), helm template refuses %d",
			c.dir, len(mistakes(t)), expected, found, refused)
		assert.LessOrEqual(t, found, expected)
	}
}
