package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/golden"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// The CLI tests run valuescheck in-process, the way helm's cmd tests do: each
// case is a command line, its standard input and exit code, and golden files
// testdata/output/<name>.stdout and .stderr. Paths in args are relative to the
// package directory, so the output is the same on every machine.
//
// Inputs that must not be committed (binary data, a file over the size limit)
// are written into a temporary directory first: "$TMP" in args names it, and
// the directory is written back as "$TMP" in the output.

const (
	chartDir      = "../../charts/milvus-coord"
	chartDefaults = chartDir + "/values.yaml"
	valuesDir     = "testdata/values/"
	tmpVar        = "$TMP"
)

type cliCase struct {
	name  string            // golden files testdata/output/<name>.stdout and .stderr
	args  []string          // "$TMP" is the case's temporary directory
	stdin string            // standard input
	files map[string][]byte // written under $TMP before the run
	code  int               // exit code
}

// v names a committed values file.
func v(name string) string { return valuesDir + name }

// ciScenarios lists every values file the chart's CI renders, sorted.
func ciScenarios(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(chartDir + "/ci/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for i, f := range files {
		files[i] = filepath.ToSlash(f)
	}
	return files
}

// cliResult is what one run printed and returned.
type cliResult struct {
	stdout, stderr string
	code           int
}

// runCLI runs valuescheck in-process.
func runCLI(t testing.TB, args []string, stdin string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return cliResult{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// runCase writes the case's files, runs it and returns the result with the
// temporary directory written as "$TMP".
func runCase(t *testing.T, c cliCase) cliResult {
	t.Helper()
	tmp := t.TempDir()
	for name, data := range c.files {
		require.NoError(t, os.WriteFile(filepath.Join(tmp, name), data, 0o644))
	}
	args := make([]string, len(c.args))
	for i, a := range c.args {
		args[i] = strings.ReplaceAll(a, tmpVar, tmp)
	}
	res := runCLI(t, args, c.stdin)
	res.stdout = strings.ReplaceAll(res.stdout, tmp, tmpVar)
	res.stderr = strings.ReplaceAll(res.stderr, tmp, tmpVar)
	return res
}

func assertGolden(t *testing.T, name string, res cliResult, code int) {
	t.Helper()
	assert.Equal(t, code, res.code, "exit code\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	golden.Assert(t, filepath.Join("testdata", "output", name+".stdout"), []byte(res.stdout))
	golden.Assert(t, filepath.Join("testdata", "output", name+".stderr"), []byte(res.stderr))
}

// gzipHeader starts a gzip stream: binary data whose first bytes are a
// control character, a byte that is not UTF-8 and a NUL, all on line 1.
var gzipHeader = []byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 'v', 'a', 'l', 'u', 'e', 's'}

// comments returns n bytes of YAML comment lines.
func comments(n int) []byte {
	line := "# padding: a values file made only of comments\n"
	b := bytes.Repeat([]byte(line), n/len(line)+1)[:n]
	b[n-1] = '\n'
	return b
}

func cliCases(t *testing.T) []cliCase {
	return []cliCase{
		// The chart's own values.
		{name: "chart-defaults", args: []string{chartDefaults}},
		{name: "no-file-checks-chart-defaults", args: nil},
		{name: "ci-scenarios", args: ciScenarios(t)},

		// Every rule, at the value that breaks it.
		{name: "rule-parse-syntax", args: []string{v("syntax-error-bad-indentation.yaml")}, code: 1},
		{name: "rule-parse-duplicate-key", args: []string{v("duplicate-key-replicas.yaml")}, code: 1},
		{name: "rule-parse-multiple-documents", args: []string{v("multiple-documents.yaml")}, code: 1},
		{name: "rule-parse-not-mapping", args: []string{v("top-level-list.yaml")}, code: 1},
		{name: "rule-parse-not-text-binary", args: []string{"$TMP/values.yaml.gz"},
			files: map[string][]byte{"values.yaml.gz": gzipHeader}, code: 1},
		{name: "rule-parse-not-text-invalid-utf8", args: []string{"$TMP/latin1.yaml"},
			files: map[string][]byte{"latin1.yaml": []byte("rootCoordinator:\n  replicas: 2\nnameOverride: \"caf\xe9\"\n")}, code: 1},
		// The smallest file refused, and the largest accepted.
		{name: "rule-parse-too-large", args: []string{"$TMP/huge.yaml"},
			files: map[string][]byte{"huge.yaml": comments(values.MaxFileSize + 1)}, code: 1},
		{name: "max-size-file-accepted", args: []string{"$TMP/largest.yaml"},
			files: map[string][]byte{"largest.yaml": comments(values.MaxFileSize)}},
		{name: "rule-parse-empty", args: []string{v("empty.yaml")}},
		{name: "rule-parse-empty-comments-only", args: []string{v("comments-only.yaml")}},
		{name: "rule-parse-empty-strict", args: []string{"--strict", v("empty.yaml")}, code: 1},
		{name: "rule-schema-type", args: []string{v("schema-type-quoted-replicas.yaml")}, code: 1},
		{name: "rule-schema-unknown-key", args: []string{v("schema-unknown-key-misspelled-replicas.yaml")}, code: 1},
		{name: "rule-schema-value", args: []string{v("schema-value-replicas-over-maximum.yaml")}, code: 1},
		{name: "rule-coordinators-incomplete", args: []string{v("coordinators-incomplete-querycoord-off.yaml")}, code: 1},
		{name: "rule-extra-config-contradicts", args: []string{v("extra-config-contradicts-standby-off.yaml")}, code: 1},
		{name: "rule-extra-config-ignored", args: []string{v("extra-config-ignored-docs-key.yaml")}, code: 1},
		{name: "rule-extra-env-overrides", args: []string{v("extra-env-overrides.yaml")}, code: 1},
		{name: "rule-network-policy-open", args: []string{v("network-policy-off.yaml")}},
		// A warning never hides an error at the same path: Helm refuses TTL 0.
		{name: "session-ttl-zero-warning-and-error", args: []string{v("session-ttl-zero.yaml")}, code: 1},
		// null deletes a key as in Helm; the schema requires what the templates need.
		{name: "set-null-deletes-required-key", args: []string{"--set", "image.all.tag=null"}, code: 1},
		{name: "rule-ha-disruption-budget", args: []string{v("ha-disruption-budget-off.yaml")}},
		{name: "rule-ha-disruption-budget-strict", args: []string{"--strict", v("ha-disruption-budget-off.yaml")}, code: 1},
		{name: "rule-ha-replicas-need-standby", args: []string{v("ha-replicas-need-standby.yaml")}, code: 1},
		{name: "rule-ha-rollout-strategy", args: []string{v("ha-rollout-strategy-recreate.yaml")}},
		{name: "rule-ha-rollout-strategy-strict", args: []string{"--strict", v("ha-rollout-strategy-recreate.yaml")}, code: 1},
		{name: "rule-ha-spread", args: []string{v("ha-spread-pinned-to-one-node.yaml")}},
		{name: "rule-ha-spread-strict", args: []string{"--strict", v("ha-spread-pinned-to-one-node.yaml")}, code: 1},
		{name: "rule-heaptrack-enabled", args: []string{v("heaptrack-enabled.yaml")}},
		// The upstream chart's indexCoordinator block: no value here, and why.
		{name: "indexcoordinator-block-retired", args: []string{v("indexcoord-removed.yaml")}, code: 1},
		{name: "rule-milvus-version-unknown", args: []string{v("milvus-version-unknown-latest.yaml")}},
		{name: "rule-milvus-config-duplicate-key", args: []string{v("milvus-config-duplicate-key-ttl.yaml")}, code: 1},
		// Two causes at one path are two findings: the schema's maximum and the HA rule.
		{name: "two-causes-one-path", args: []string{"--set", "rootCoordinator.replicas=500,rootCoordinator.activeStandby.enabled=false"}, code: 1},
		// A bare --- at the end loses nothing: Helm and valuescheck accept it.
		{name: "trailing-document-separator", args: []string{v("trailing-document-separator.yaml")}},
		{name: "utf16-with-bom", args: []string{"$TMP/utf16.yaml"},
			files: map[string][]byte{"utf16.yaml": utf16LE("rootCoordinator:\n  replicas: 3\n")}},
		{name: "rule-message-queue", args: []string{v("message-queue-kafka-and-pulsar.yaml")}, code: 1},
		{name: "rule-milvus-version-coordinators", args: []string{v("milvus-version-2-6-separate-coordinators.yaml")}, code: 1},
		{name: "rule-mixcoord-exclusive", args: []string{v("mixcoord-exclusive-with-separate.yaml")}, code: 1},
		{name: "rule-mixcoord-always-standby", args: []string{v("mixcoord-always-standby-2-6-8.yaml")}},
		{name: "rule-graceful-stop-timeout", args: []string{v("graceful-stop-timeout-at-grpc.yaml")}},
		{name: "rule-non-ha-rolling-update", args: []string{v("non-ha-rolling-update.yaml")}, code: 1},
		{name: "rule-extra-config-credentials", args: []string{v("extra-config-credentials-s3-secret-key.yaml")}, code: 1},
		{name: "rule-kafka-sasl-incomplete", args: []string{v("kafka-sasl-incomplete-no-password.yaml")}, code: 1},
		{name: "rule-pulsar-auth-params-form", args: []string{v("pulsar-auth-params-form-json.yaml")}, code: 1},
		{name: "rule-cluster-settings-differ", args: []string{v("cluster-settings-differ-channel-prefix.yaml")}, code: 1},
		{name: "rule-streaming-service-env", args: []string{v("streaming-service-env-2-4.yaml")}, code: 1},
		{name: "rule-etcd-auth-incomplete", args: []string{v("etcd-auth-incomplete-no-password.yaml")}, code: 1},
		{name: "rule-session-ttl-range", args: []string{v("session-ttl-too-short.yaml")}},
		{name: "rule-session-ttl-range-strict", args: []string{"--strict", v("session-ttl-too-short.yaml")}, code: 1},
		// Render findings point at the template (the chart's `fail`, or the
		// object the API would refuse); the message names the value.
		{name: "rule-render-template", args: []string{v("render-template-extra-config-file-not-mapping.yaml")}, code: 1},
		{name: "rule-render-template-pod-extras", args: []string{v("render-template-pod-extras-collide.yaml")}, code: 1},
		{name: "rule-schema-value-int32-overflow", args: []string{v("schema-value-max-skew-overflow.yaml")}, code: 1},
		// maxSurge 2 with maxUnavailable 0 starts standbys before stopping
		// anything: a safe rollout, no warning even with --strict.
		{name: "max-surge-2-is-a-safe-rollout", args: []string{"--strict", v("render-ha-degraded-max-surge-2.yaml")}},

		// Usage and I/O errors: exit 2, a message on stderr, nothing on stdout.
		{name: "missing-file", args: []string{v("no-such-file.yaml")}, code: 2},
		{name: "missing-layer", args: []string{"-f", v("no-such-file.yaml"), v("base.yaml")}, code: 2},
		{name: "directory-as-file", args: []string{"testdata/values"}, code: 2},
		{name: "unknown-flag", args: []string{"--bogus", chartDefaults}, code: 2},
		{name: "unknown-output", args: []string{"-o", "xml", chartDefaults}, code: 2},
		{name: "malformed-set", args: []string{"--set", "rootCoordinator.replicas", chartDefaults}, code: 2},
		// A usage error is said once, however many files.
		{name: "malformed-set-three-files", args: []string{"--set", "rootCoordinator.replicas", v("base.yaml"), v("team-resources.yaml"), chartDefaults}, code: 2},
		{name: "render-release-invalid", args: []string{"render", "--release", "BadName"}, code: 2},
		{name: "malformed-set-json", args: []string{"--set-json", `milvus.extraConfig={"dataCoord":`, chartDefaults}, code: 2},
		{name: "two-stdin", args: []string{"-", "-"}, stdin: "rootCoordinator:\n  replicas: 3\n", code: 2},
		{name: "two-stdin-layer-and-file", args: []string{"-f", "-", "-"}, stdin: "rootCoordinator:\n  replicas: 3\n", code: 2},
		{name: "invalid-kube-version", args: []string{"--kube-version", "banana", chartDefaults}, code: 2},
		{name: "rules-with-argument", args: []string{"rules", "extra"}, code: 2},

		// Layers: -f files under every FILE, findings at the layer that set the value.
		{name: "layers-error-in-second-layer", args: []string{"-f", v("base.yaml"), "-f", v("prod-overlay.yaml")}, code: 1},
		{name: "layers-error-in-second-layer-with-file",
			args: []string{"-f", v("base.yaml"), "-f", v("prod-overlay.yaml"), v("team-resources.yaml")}, code: 1},
		{name: "layer-that-does-not-parse", args: []string{"-f", v("duplicate-key-replicas.yaml"), v("base.yaml")}, code: 1},
		{name: "several-files-in-argument-order", args: []string{
			v("session-ttl-too-short.yaml"), v("coordinators-incomplete-querycoord-off.yaml"),
			v("ha-rollout-strategy-recreate.yaml"), chartDefaults, v("duplicate-key-replicas.yaml"),
		}, code: 1},

		// Value flags: a finding from a flag names the flag.
		{name: "set-finding-at-flag",
			args: []string{"--set", "rootCoordinator.replicas=3,rootCoordinator.activeStandby.enabled=false"}, code: 1},
		{name: "set-overrides-file", args: []string{"--set", "rootCoordinator.activeStandby.enabled=false", v("base.yaml")}, code: 1},
		{name: "set-string-type", args: []string{"--set-string", "queryCoordinator.replicas=3"}, code: 1},
		{name: "set-json-extra-config",
			args: []string{"--set-json", `milvus.extraConfig={"dataCoord":{"enableActiveStandby":false}}`}, code: 1},
		// Helm deletes a key set to null from the coalesced values: the
		// strategy override of the file is gone, the chart's rollout applies.
		{name: "set-null-deletes-strategy-override",
			args: []string{"--set", "queryCoordinator.strategy=null", v("ha-rollout-strategy-recreate.yaml")}},
		// Deleting a whole coordinator block leaves the role undeployed.
		{name: "set-null-deletes-coordinator", args: []string{"--set", "rootCoordinator=null"}, code: 1},
		{name: "stdin", args: []string{"-"}, stdin: readFile(t, v("session-ttl-too-short.yaml"))},
		{name: "stdin-as-layer", args: []string{"-f", "-", v("team-resources.yaml")},
			stdin: readFile(t, v("ha-replicas-need-standby.yaml")), code: 1},

		// Output formats, on a failing and a passing run.
		{name: "output-json-failing", args: []string{"-o", "json", v("ha-replicas-need-standby.yaml"), v("session-ttl-too-short.yaml")}, code: 1},
		{name: "output-json-passing", args: []string{"-o", "json", chartDefaults}},
		{name: "output-github-failing", args: []string{"-o", "github", v("ha-replicas-need-standby.yaml"), v("session-ttl-too-short.yaml")}, code: 1},
		{name: "output-github-failing-strict", args: []string{"-o", "github", "--strict", v("session-ttl-too-short.yaml")}, code: 1},
		{name: "output-github-flag", args: []string{"-o", "github", "--set", "rootCoordinator.replicas=3,rootCoordinator.activeStandby.enabled=false"}, code: 1},
		{name: "output-github-passing", args: []string{"--output", "github", chartDefaults}},
		{name: "output-sarif-failing", args: []string{"-o", "sarif", v("ha-replicas-need-standby.yaml"), v("session-ttl-too-short.yaml")}, code: 1},
		{name: "output-sarif-passing", args: []string{"-o", "sarif", chartDefaults}},
		{name: "output-text-explicit", args: []string{"-o", "text", v("ha-replicas-need-standby.yaml")}, code: 1},
		{name: "quiet-failing", args: []string{"-q", v("ha-disruption-budget-off.yaml"), v("ha-replicas-need-standby.yaml")}, code: 1},
		{name: "quiet-strict", args: []string{"--quiet", "--strict", v("ha-disruption-budget-off.yaml")}, code: 1},
		{name: "quiet-passing", args: []string{"-q", chartDefaults, v("session-ttl-too-short.yaml")}},
		{name: "quiet-json", args: []string{"-q", "-o", "json", v("ha-disruption-budget-off.yaml"), v("ha-replicas-need-standby.yaml")}, code: 1},

		// The other commands.
		{name: "version", args: []string{"--version"}},
		{name: "help", args: []string{"--help"}},
		{name: "rules", args: []string{"rules"}},
		{name: "render-defaults", args: []string{"render"}},
		{name: "render-invalid-values", args: []string{"render", v("ha-replicas-need-standby.yaml")}, code: 1},
		{name: "render-warnings-strict", args: []string{"render", "--strict", v("session-ttl-too-short.yaml")}, code: 1},
		{name: "render-two-files", args: []string{"render", v("base.yaml"), v("team-resources.yaml")}, code: 2},
		{name: "render-unknown-format", args: []string{"render", "--format", "helm"}, code: 2},
	}
}

func TestCLI(t *testing.T) {
	cases := cliCases(t)
	seen := map[string]bool{}
	for _, c := range cases {
		require.False(t, seen[c.name], "duplicate case name %s", c.name)
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assertGolden(t, c.name, runCase(t, c), c.code)
		})
	}
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(data)
}

// TestCLIUsageErrorsPrintNothingOnStdout: exit code 2 is a usage or I/O error,
// reported on stderr only.
func TestCLIUsageErrorsPrintNothingOnStdout(t *testing.T) {
	for _, c := range cliCases(t) {
		if c.code != exitUsage {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := runCase(t, c)
			assert.Empty(t, res.stdout)
			assert.True(t, strings.HasPrefix(res.stderr, "valuescheck: "), "stderr: %q", res.stderr)
		})
	}
}

// TestEveryRuleHasACase: every rule ID `valuescheck rules` lists is triggered
// by at least one case.
func TestEveryRuleHasACase(t *testing.T) {
	res := runCLI(t, []string{"rules"}, "")
	require.Equal(t, exitOK, res.code)
	var ids []string
	for _, line := range strings.Split(res.stdout, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") {
			ids = append(ids, strings.Fields(line)[0])
		}
	}
	require.NotEmpty(t, ids)
	var all strings.Builder
	for _, c := range append(cliCases(t), manifestsCases(t)...) {
		all.WriteString(readFile(t, filepath.Join("testdata", "output", c.name+".stdout")))
		all.WriteString(readFile(t, filepath.Join("testdata", "output", c.name+".stderr")))
	}
	triggered := all.String()
	for _, id := range ids {
		switch id {
		case "parse-alias-expansion": // TestAliasBomb
			continue
		case "render-unchecked-kind", "render-typed": // TestChartTemplateProblems
			continue
		case "indexcoord-removed":
			// No values of this chart run indexcoord (the schema refuses an
			// indexCoordinator block): rendered manifests do, internal/rules tests it.
			continue
		case "ha-standby-unverifiable":
			// This chart's values always declare the mode: the upstream
			// chart's customConfigMap (tests/upstream) and manifests with an
			// env var from a Secret (internal/rules) trigger it.
			continue
		}
		if !strings.Contains(triggered, "["+id+"]") {
			assert.Contains(t, triggered, "["+id+"; stricter than Helm]", "no golden case triggers rule %s", id)
		}
	}
}

func TestHelpListsExitCodes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "Exit codes:\n  0  no findings that fail\n  1  findings that fail (errors; warnings too with --strict)\n  2  usage or I/O error"},
		{[]string{"-h"}, "Exit codes:\n  0  no findings that fail\n"},
		{[]string{"render", "--help"}, "(0 ok, 1 findings that fail, 2 usage or I/O error)"},
	} {
		res := runCLI(t, c.args, "")
		assert.Equal(t, exitOK, res.code, "%v", c.args)
		assert.Contains(t, res.stdout+res.stderr, c.want, "%v", c.args)
	}
}

func TestSchemaCommand(t *testing.T) {
	want, err := os.ReadFile("../../values.schema.json")
	require.NoError(t, err)
	for _, args := range [][]string{{"schema"}, {"schema", "--chart", chartDir}} {
		res := runCLI(t, args, "")
		require.Equal(t, exitOK, res.code, "%v: %s", args, res.stderr)
		assert.Empty(t, res.stderr)
		assert.True(t, res.stdout == string(want), "%v: output differs from values.schema.json", args)
	}
}

// TestChartFlagMatchesEmbeddedChart: --chart on the chart directory gives the
// embedded chart's results; only the chart's name in findings differs.
func TestChartFlagMatchesEmbeddedChart(t *testing.T) {
	inputs := [][]string{
		{chartDefaults},
		ciScenarios(t),
		{v("ha-replicas-need-standby.yaml"), v("session-ttl-too-short.yaml")},
		{v("render-template-extra-config-file-not-mapping.yaml")},
		{v("schema-value-max-skew-overflow.yaml")},
		{"--set", "rootCoordinator=null"},
		{"-o", "json", v("ha-disruption-budget-off.yaml")},
		{"render"},
	}
	for _, args := range inputs {
		embedded := runCLI(t, args, "")
		chartArgs := append([]string{"--chart", chartDir}, args...)
		if args[0] == "render" {
			chartArgs = append([]string{"render", "--chart", chartDir}, args[1:]...)
		}
		withChart := runCLI(t, chartArgs, "")
		assert.Equal(t, embedded.code, withChart.code, "%v", args)
		norm := func(s string) string { return strings.ReplaceAll(s, chartDir+"/", "charts/milvus-coord/") }
		assert.Equal(t, norm(embedded.stdout), norm(withChart.stdout), "%v", args)
		assert.Equal(t, norm(embedded.stderr), norm(withChart.stderr), "%v", args)
	}
}

// TestAliasBomb: the alias bomb is refused fast, before anything expands it,
// at the alias whose expansion blew the budget.
func TestAliasBomb(t *testing.T) {
	res := runCLI(t, []string{v("alias-bomb.yaml")}, "")
	assert.Equal(t, exitFindings, res.code)
	assert.Contains(t, res.stdout, v("alias-bomb.yaml")+":")
	assert.Contains(t, res.stdout, "[parse-alias-expansion]")
	assert.Contains(t, res.stdout, v("alias-bomb.yaml")+": FAIL (1 error, 0 warnings)\n")
	assert.Empty(t, res.stderr)
}

// TestChartTemplateProblems: copies of this chart with one more template,
// checked with --chart: a kind the typed check does not know gets a warning at
// the template, an object the API server would refuse gets an error there.
func TestChartTemplateProblems(t *testing.T) {
	tmp := t.TempDir()
	extra := map[string]string{
		"chart": `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ .Release.Name }}-coordinators
spec:
  endpoints:
    - port: metrics
`,
		"broken": `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-broken
spec:
  ports:
    - name: grpc
      port: "grpc-port"
      targetPrt: 53100
`,
	}
	for name, template := range extra {
		chart := filepath.Join(tmp, name)
		require.NoError(t, os.CopyFS(chart, os.DirFS(chartDir)))
		require.NoError(t, os.WriteFile(filepath.Join(chart, "templates", "extra.yaml"), []byte(template), 0o644))
	}
	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"chart-unchecked-kind", []string{"--chart", "$TMP/chart", chartDefaults}, 0},
		{"chart-unchecked-kind-strict", []string{"--strict", "--chart", "$TMP/chart", chartDefaults}, 1},
		{"chart-render-typed", []string{"--chart", "$TMP/broken", chartDefaults}, 1},
	} {
		args := make([]string, len(c.args))
		for i, a := range c.args {
			args[i] = strings.ReplaceAll(a, tmpVar, tmp)
		}
		res := runCLI(t, args, "")
		res.stdout = strings.ReplaceAll(res.stdout, tmp, tmpVar)
		res.stderr = strings.ReplaceAll(res.stderr, tmp, tmpVar)
		assertGolden(t, c.name, res, c.code)
	}
}

// TestSetUnderNullParent: a key set under one a previous --set made null is
// refused, as Helm refuses it ("unable to parse key"): a finding at the flag,
// since whether a flag applies depends on the values it is applied to. Only
// the exit code and the flag are checked: the rest of the message is strvals'
// recovered panic ("interface conversion: interface {} is nil, ..."), which
// should not be frozen.
func TestSetUnderNullParent(t *testing.T) {
	res := runCLI(t, []string{"--set", "podAntiAffinity=null", "--set", "podAntiAffinity.mode=none"}, "")
	assert.Equal(t, exitFindings, res.code)
	assert.Empty(t, res.stderr)
	assert.True(t, strings.HasPrefix(res.stdout, "--set podAntiAffinity.mode=none: error: Helm cannot apply the flag to these values: "), res.stdout)
}

func TestChartFlagErrors(t *testing.T) {
	res := runCLI(t, []string{"--chart", "testdata/no-such-chart", chartDefaults}, "")
	assert.Equal(t, exitUsage, res.code)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "valuescheck: loading chart testdata/no-such-chart")
}

// utf16LE is text encoded as UTF-16, little-endian, with a byte order mark.
func utf16LE(text string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
