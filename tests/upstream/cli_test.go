package upstream_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// run runs valuescheck with args and stdin.
func run(t *testing.T, stdin string, args ...string) testtools.Result {
	t.Helper()
	f := filepath.Join(t.TempDir(), "stdin")
	require.NoError(t, os.WriteFile(f, []byte(stdin), 0o644))
	return testtools.Run(t, 2*time.Minute, append(os.Environ(), "STDIN="+f), root, "sh", append([]string{"-c", `exec "$0" "$@" < "$STDIN"`, vcBinary}, args...)...)
}

// TestUnsupportedChart: a chart that is neither this one nor the upstream
// one in a version valuescheck reads is a usage error naming both.
func TestUnsupportedChart(t *testing.T) {
	for name, chartYAML := range map[string]string{
		"another chart":             "apiVersion: v2\nname: other\nversion: 1.0.0\n",
		"upstream chart 3.x":        "apiVersion: v1\nname: milvus\nversion: 3.1.0\n",
		"this chart without schema": "apiVersion: v2\nname: milvus-coord\nversion: 1.0.0\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte(chartYAML), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "values.yaml"), []byte("a: 1\n"), 0o644))
			res := testtools.Run(t, time.Minute, os.Environ(), root, vcBinary, "--chart", dir)
			assert.Equal(t, 2, res.Code)
			assert.Contains(t, res.Stderr, "valuescheck checks milvus-coord (with its values.schema.json) and zilliztech's milvus chart 4.x and 5.x")
			assert.Empty(t, res.Stdout)
		})
	}
}

// TestInputHandling: --chart with the upstream chart takes every input
// valuescheck takes: -f layers, --set and friends, standard input, several
// files, each output format, the exit codes.
func TestInputHandling(t *testing.T) {
	chart := filepath.Join(chartsDir(t), charts[0].dir)
	dir := t.TempDir()
	layer := filepath.Join(dir, "layer.yaml")
	require.NoError(t, os.WriteFile(layer, []byte("mixCoordinator:\n  replicas: 2\n"), 0o644))
	ok := filepath.Join(dir, "ok.yaml")
	require.NoError(t, os.WriteFile(ok, []byte("mixCoordinator:\n  replicas: 1\n"), 0o644))

	res := run(t, "", "--chart", chart, "--kube-version", kubeVersion, "-f", layer, ok)
	assert.Equal(t, 0, res.Code, "the file overrides the layer: %s%s", res.Stdout, res.Stderr)

	res = run(t, "", "--chart", chart, "--kube-version", kubeVersion, "-f", layer)
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stdout, "layer.yaml:2:13: error: mixCoordinator runs 2 replicas without active-standby")

	res = run(t, "", "--chart", chart, "--kube-version", kubeVersion, "--set", "mixCoordinator.replicas=3", ok)
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stdout, "--set mixCoordinator.replicas=3: error: mixCoordinator runs 3 replicas")

	res = run(t, "mixCoordinator:\n  activeStandBy: {enabled: true}\n", "--chart", chart, "--kube-version", kubeVersion, "-", ok)
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stdout, "<stdin>:2:3: error: mixCoordinator.activeStandBy is not a value of chart milvus 4.2.24")
	assert.Contains(t, res.Stdout, "ok.yaml: ok (0 errors, 0 warnings)")

	res = run(t, "", "--chart", chart, "--kube-version", kubeVersion, "--set-string", "mixCoordinator.activeStandby.enabled=false", ok)
	assert.Equal(t, 1, res.Code, "a string is true to the templates")
	assert.Contains(t, res.Stdout, `mixCoordinator.activeStandby.enabled is the string "false"`)

	for format, want := range map[string]string{"json": `"rule": "ha-replicas-need-standby"`, "sarif": `"ruleId": "ha-replicas-need-standby"`, "github": "::error file=" + layer + ",line=2,col=13,title=ha-replicas-need-standby::"} {
		res = run(t, "", "--chart", chart, "--kube-version", kubeVersion, "-o", format, layer)
		assert.Equal(t, 1, res.Code, format)
		assert.Contains(t, res.Stdout, want, format)
	}

	res = run(t, "", "--chart", chart, "--kube-version", kubeVersion, "--strict", filepath.Join(chart, "values.yaml"))
	assert.Equal(t, 0, res.Code, "4.x defaults have no warning either: %s", res.Stdout)
	res = run(t, "", "--chart", filepath.Join(chartsDir(t), charts[1].dir), "--kube-version", kubeVersion, "--strict")
	assert.Equal(t, 1, res.Code, "5.x defaults warn: Recreate on an always-active-standby mixcoord")
	assert.True(t, strings.Contains(res.Stdout, "[ha-rollout-strategy; stricter than Helm]"), res.Stdout)
}
