package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/manifests"
	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// streams are the manifest streams of internal/manifests' tests.
const streams = "../../internal/manifests/testdata/input/"

func stream(name string) string { return streams + name }

func readStream(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(stream(name))
	require.NoError(t, err)
	return string(data)
}

func manifestsCases(t *testing.T) []cliCase {
	cluster := stream("operator-cluster.yaml")
	return []cliCase{
		{name: "manifests-help", args: []string{"manifests", "--help"}},
		{name: "manifests-operator-cluster", args: []string{"manifests", cluster}, code: 1},
		{name: "manifests-operator-stdin", args: []string{"manifests"}, stdin: readStream(t, "operator-cluster.yaml"), code: 1},
		{name: "manifests-operator-json", args: []string{"manifests", "-o", "json", cluster}, code: 1},
		{name: "manifests-operator-github", args: []string{"manifests", "-o", "github", cluster}, code: 1},
		{name: "manifests-operator-sarif", args: []string{"manifests", "-o", "sarif", cluster}, code: 1},
		{name: "manifests-operator-quiet", args: []string{"manifests", "-q", cluster}, code: 1},
		{name: "manifests-mixcoord-2.6", args: []string{"manifests", stream("operator-mixcoord-2.6.yaml")}},
		{name: "manifests-mixcoord-2.6-strict", args: []string{"manifests", "--strict", stream("operator-mixcoord-2.6.yaml")}, code: 1},
		{name: "manifests-several-streams", args: []string{"manifests", stream("operator-mixture.yaml"), "-", stream("empty.yaml")},
			stdin: readStream(t, "no-coordinators.yaml"), code: 1},
		{name: "manifests-broken-documents", args: []string{"manifests", stream("broken-documents.yaml")}, code: 1},
		{name: "manifests-binary", args: []string{"manifests", "$TMP/objects.yaml.gz"}, files: map[string][]byte{"objects.yaml.gz": gzipHeader}, code: 1},
		{name: "manifests-missing-file", args: []string{"manifests", "$TMP/nothing.yaml"}, code: 2},
		{name: "manifests-directory", args: []string{"manifests", streams}, code: 2},
		{name: "manifests-stdin-twice", args: []string{"manifests", "-", "-"}, code: 2},
		{name: "manifests-unknown-format", args: []string{"manifests", "-o", "xml", cluster}, code: 2},
	}
}

func TestManifestsCLI(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range manifestsCases(t) {
		require.False(t, seen[c.name], "duplicate case name %s", c.name)
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := runCase(t, c)
			assertGolden(t, c.name, res, c.code)
			if c.code == exitUsage {
				assert.Empty(t, res.stdout)
				assert.True(t, strings.HasPrefix(res.stderr, "valuescheck: "), "stderr: %q", res.stderr)
			}
		})
	}
}

// ruleIDs are the IDs of the HA rules' findings in a JSON report.
func ruleIDs(t *testing.T, out string) []string {
	t.Helper()
	var rep struct {
		Files []struct {
			Findings []struct {
				Rule string `json:"rule"`
			} `json:"findings"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	var ids []string
	for _, f := range rep.Files {
		for _, fd := range f.Findings {
			if _, ok := rules.Lookup(fd.Rule); ok && !slices.Contains(ids, fd.Rule) {
				ids = append(ids, fd.Rule)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// TestManifestsOfTheChartsRenderAgree: the chart's render of a values file,
// checked as manifests, finds what the values check finds (the HA rules), for
// the examples and for every values file with a warning the chart renders.
func TestManifestsOfTheChartsRenderAgree(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	files = append(files, v("ha-disruption-budget-off.yaml"), v("ha-rollout-strategy-recreate.yaml"), v("ha-spread-pinned-to-one-node.yaml"),
		v("milvus-version-unknown-latest.yaml"), v("session-ttl-too-short.yaml"))
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			values := runCLI(t, []string{"-o", "json", file}, "")
			rendered := runCLI(t, []string{"render", file}, "")
			require.Equal(t, exitOK, rendered.code, rendered.stderr)
			objects := runCLI(t, []string{"manifests", "-o", "json", "-"}, rendered.stdout)
			assert.Equal(t, ruleIDs(t, values.stdout), ruleIDs(t, objects.stdout))
			assert.Equal(t, values.code, objects.code)
			if strings.HasPrefix(file, valuesDir) {
				assert.NotEmpty(t, ruleIDs(t, objects.stdout), "the file breaks a rule")
			}
		})
	}
}

// upstreamCharts is where zilliztech's milvus charts are unpacked
// (MILVUS_COORD_UPSTREAM_CHARTS, default ../shared/upstream-charts from the
// repository root); the test fails when they are missing.
func upstreamCharts(t *testing.T) string {
	dir := os.Getenv("MILVUS_COORD_UPSTREAM_CHARTS")
	if dir == "" {
		dir = filepath.Join(testtools.RepoRoot(), "..", "shared", "upstream-charts")
	}
	for _, c := range []string{"milvus-4.2.24", "milvus-5.0.19"} {
		_, err := os.Stat(filepath.Join(dir, c, "Chart.yaml"))
		require.NoError(t, err, "upstream chart %s missing under %s: set MILVUS_COORD_UPSTREAM_CHARTS (helm pull milvus --repo https://zilliztech.github.io/milvus-helm --untar)", c, dir)
	}
	return dir
}

// TestManifestsOfTheUpstreamCharts: helm template of zilliztech's chart with
// a two-replica mixcoord, piped into manifests, finds its HA mistakes: 5.x
// rolls an always-active-standby 2.6 mixcoord with Recreate; 4.x also probes
// liveness on /healthz.
func TestManifestsOfTheUpstreamCharts(t *testing.T) {
	helm, dir := testtools.Helm(t), upstreamCharts(t)
	for _, tc := range []struct {
		name, chart, set string
		code             int
		want             []string
	}{
		// Milvus 2.6.15: mixcoord is always active-standby, and rolled with Recreate
		// (and default.yaml sets indexCoord.enableActiveStandby, which no code reads).
		{"5.0.19", "milvus-5.0.19", "mixCoordinator.replicas=2", exitFindings, []string{"ha-disruption-budget", "ha-rollout-strategy", "ha-spread"}},
		// Milvus 2.4.17: two replicas without active-standby.
		{"4.2.24", "milvus-4.2.24", "mixCoordinator.replicas=2", exitFindings, []string{"ha-replicas-need-standby"}},
		// With it: the /healthz liveness probe kills a promoted standby.
		{"4.2.24-active-standby", "milvus-4.2.24", "mixCoordinator.replicas=2,mixCoordinator.activeStandby.enabled=true", exitFindings,
			[]string{"ha-disruption-budget", "ha-liveness-kills-standby", "ha-spread"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := testtools.Run(t, 2*time.Minute, nil, "", helm, "template", "m", filepath.Join(dir, tc.chart),
				"--kube-version", "1.37.2", "--set", tc.set)
			require.Zero(t, r.Code, r.Stderr)
			res := runCLI(t, []string{"manifests", "-"}, r.Stdout)
			assertGolden(t, "manifests-upstream-"+tc.name, res, tc.code)
			got := ruleIDs(t, runCLI(t, []string{"manifests", "-o", "json", "-"}, r.Stdout).stdout)
			for _, id := range tc.want {
				assert.Contains(t, got, id)
			}
			assert.Contains(t, res.stdout, "Deployment m-milvus-mixcoord")
		})
	}
}

// TestTheChartsLivenessProbeKeepsPromotedStandbys: this chart's HA
// coordinators probe liveness with tcpSocket, so ha-liveness-kills-standby's
// precondition (HA replicas) holds and its probe check is what passes.
func TestTheChartsLivenessProbeKeepsPromotedStandbys(t *testing.T) {
	for _, file := range []string{chartDefaults, "../../examples/production-ha.yaml", "../../examples/mixcoord-ha.yaml"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			rendered := runCLI(t, []string{"render", file}, "")
			require.Equal(t, exitOK, rendered.code, rendered.stderr)
			objs, _, problems := manifests.Objects("render", []byte(rendered.stdout))
			require.Empty(t, problems)
			m := coord.FromObjects(objs)
			require.NotEmpty(t, m.Workloads)
			for _, w := range m.Workloads {
				require.True(t, w.Liveness.Known, w.Name)
				assert.Equal(t, coord.ProbeTCPSocket, w.Liveness.Value.Kind, "%s", w.Name)
				assert.Greater(t, w.Replicas.Value, 1, "%s runs standbys", w.Name)
			}
			assert.NotContains(t, runCLI(t, []string{"manifests", "-"}, rendered.stdout).stdout, "ha-liveness-kills-standby")
		})
	}
}
