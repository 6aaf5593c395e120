// Package helm_test holds the tests that run the pinned Helm v3.22.0 CLI, the
// one users run, beside valuescheck: the chart lints, Helm's refusals name the
// key, Helm and valuescheck agree on every fixture, and `valuescheck render`
// prints exactly what `helm template` prints.
package helm_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
	"github.com/milvus-coord/milvus-coord/internal/valuesgen"
)

const kubeVersion = "v1.37.0"

var (
	root      = testtools.RepoRoot()
	chartDir  = filepath.Join(root, "charts", "milvus-coord")
	vcBinary  string
	helmHome  string
	scenarios []string
)

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "milvus-coord-helm-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	helmHome = tmp
	vcBinary, err = testtools.BuildValuescheck(tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(tmp)
		os.Exit(2)
	}
	scenarios, _ = filepath.Glob(filepath.Join(chartDir, "ci", "*.yaml"))
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// helm runs the pinned Helm with a private home, no kubeconfig and no plugins.
func helm(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(testtools.Helm(t), args...)
	cmd.Env = append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(helmHome, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(helmHome, "config"),
		"HELM_DATA_HOME="+filepath.Join(helmHome, "data"),
		"KUBECONFIG="+filepath.Join(helmHome, "no-kubeconfig"),
	)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// valuescheck runs the built valuescheck and returns its exit code.
func valuescheck(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(vcBinary, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("running valuescheck: %v", err)
	}
	return out.String(), errOut.String(), code
}

func TestLintStrict(t *testing.T) {
	for _, values := range append([]string{""}, scenarios...) {
		name := "defaults"
		args := []string{"lint", "--strict", chartDir, "--kube-version", kubeVersion}
		if values != "" {
			name = filepath.Base(values)
			args = append(args, "-f", values)
		}
		t.Run(name, func(t *testing.T) {
			out, errOut, err := helm(t, args...)
			require.NoError(t, err, "helm lint --strict:\n%s%s", out, errOut)
			assert.Contains(t, out, "0 chart(s) failed")
		})
	}
}

// TestTemplateRefuses: Helm alone (schema, then the chart's guards) refuses
// the HA mistakes, naming the key to change.
func TestTemplateRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // substrings of Helm's error
	}{
		{"rootcoord replicas 2 without active-standby",
			[]string{"--set", "rootCoordinator.replicas=2", "--set", "rootCoordinator.activeStandby.enabled=false"},
			[]string{"/rootCoordinator/activeStandby/enabled", "value must be true"}},
		{"querycoord replicas 2 without active-standby",
			[]string{"--set", "queryCoordinator.replicas=2,queryCoordinator.activeStandby.enabled=false"},
			[]string{"/queryCoordinator/activeStandby/enabled"}},
		{"datacoord replicas 3 without active-standby",
			[]string{"--set", "dataCoordinator.replicas=3,dataCoordinator.activeStandby.enabled=false"},
			[]string{"/dataCoordinator/activeStandby/enabled"}},
		{"mixcoord replicas 2 without active-standby",
			[]string{"-f", filepath.Join(root, "tests/testdata/agreement/mixcoord-ha-without-standby.yaml")},
			[]string{"mixCoordinator runs 2 replicas without active-standby", "[ha-replicas-need-standby rootcoord, querycoord, datacoord]"}},
		{"mixcoord replicas 2 without active-standby on 2.6.7 (template guard)",
			[]string{"-f", filepath.Join(root, "tests/testdata/agreement/mixcoord-2-6-7-without-standby.yaml")},
			[]string{"Milvus 2.6.7 decides by it", "[ha-replicas-need-standby rootcoord, querycoord, datacoord]"}},
		{"mixcoord rolling update without active-standby (template guard)",
			[]string{"-f", filepath.Join(root, "tests/testdata/agreement/mixcoord-rolling-update-without-standby.yaml")},
			[]string{"mixCoordinator.strategy asks for a rolling update", "[non-ha-rolling-update rootcoord, querycoord, datacoord]"}},
		{"mixcoord with a separate coordinator",
			[]string{"--set", "mixCoordinator.enabled=true"},
			[]string{"/rootCoordinator/enabled", "/queryCoordinator/enabled", "/dataCoordinator/enabled"}},
		{"typo activeStandBy",
			[]string{"--set", "rootCoordinator.activeStandBy.enabled=true"},
			[]string{"/rootCoordinator", "activeStandBy"}},
		{"replicas as a string", []string{"--set-string", "rootCoordinator.replicas=2"},
			[]string{"/rootCoordinator/replicas", "got string, want integer"}},
		{"replicas -1", []string{"--set", "rootCoordinator.replicas=-1"},
			[]string{"/rootCoordinator/replicas", "minimum"}},
		{"enabled as a string", []string{"--set-string", "queryCoordinator.enabled=true"},
			[]string{"/queryCoordinator/enabled", "got string, want boolean"}},
		{"rolling update without active-standby",
			[]string{"--set", "dataCoordinator.replicas=1,dataCoordinator.activeStandby.enabled=false,dataCoordinator.strategy.type=RollingUpdate"},
			[]string{"/dataCoordinator/strategy/type"}},
		{"extraEnv turning active-standby off (template guard)",
			[]string{"--set-string", "rootCoordinator.extraEnv[0].name=ROOT_COORD_ENABLE_ACTIVE_STANDBY,rootCoordinator.extraEnv[0].value=false"},
			[]string{"rootCoordinator.extraEnv[0].name ROOT_COORD_ENABLE_ACTIVE_STANDBY", "[extra-env-overrides rootcoordenableactivestandby@rootCoordinator.extraEnv[0].name]"}},
		{"no coordinator (schema rule entry)",
			[]string{"--set", "rootCoordinator.enabled=false,queryCoordinator.enabled=false,dataCoordinator.enabled=false"},
			[]string{"/rootCoordinator/enabled"}},
		{"separate coordinators on Milvus 2.6 (template guard)",
			[]string{"--set", "image.all.tag=v2.6.15"},
			[]string{"image.all.tag is v2.6.15", "mixCoordinator.enabled: true"}},
		{"a selector label in podLabels (template guard)",
			[]string{"--set", `podLabels.app\.kubernetes\.io/instance=other`},
			[]string{`podLabels["app.kubernetes.io/instance"] sets app.kubernetes.io/instance, a selector label`}},
		{"an extra volume named like the chart's (template guard)",
			[]string{"--set", "extraVolumes[0].name=config,extraVolumes[0].emptyDir.medium=Memory"},
			[]string{`extraVolumes[0].name is "config", the name of a volume the chart makes`}},
		{"an extra mount of no volume (template guard)",
			[]string{"--set", "rootCoordinator.extraVolumeMounts[0].name=tls,rootCoordinator.extraVolumeMounts[0].mountPath=/milvus/tls"},
			[]string{`rootCoordinator.extraVolumeMounts[0].name is "tls", which names no volume of the rootcoord pods`}},
		{"heaptrack misspelt", []string{"--set", "rootCoordinator.heaptrack.enable=true"},
			[]string{"/rootCoordinator/heaptrack", "enable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"template", "coord", chartDir, "--kube-version", kubeVersion}, tt.args...)
			out, errOut, err := helm(t, args...)
			require.Error(t, err, "helm template accepted it:\n%s", out)
			for _, w := range tt.want {
				assert.Contains(t, errOut, w)
			}
		})
	}
}

// fixtures are every values file the tests use: the scenarios, the agreement
// fixtures and the CLI test inputs.
func fixtures(t *testing.T) []string {
	var files []string
	for _, pattern := range []string{
		filepath.Join(chartDir, "ci", "*.yaml"),
		filepath.Join(root, "tests", "testdata", "agreement", "*.yaml"),
		filepath.Join(root, "cmd", "valuescheck", "testdata", "values", "*.yaml"),
		filepath.Join(root, "examples", "*.yaml"),
		filepath.Join(root, "examples", "*", "*.yaml"),
	} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.NotEmpty(t, files)
	sort.Strings(files)
	return files
}

// TestHelmAgreement measures "stricter than Helm" per finding: for every
// fixture, scenario and example, Helm refuses the values exactly when
// valuescheck reports an error it does not mark as stricter than Helm; so a
// finding valuescheck says Helm also refuses is one Helm refuses, and a
// finding Helm does not refuse says so.
func TestHelmAgreement(t *testing.T) {
	var refusedByBoth, acceptedByBoth, stricter int
	for _, file := range fixtures(t) {
		rel, _ := filepath.Rel(root, file)
		t.Run(rel, func(t *testing.T) {
			_, helmErr, err := helm(t, "template", "coord", chartDir, "--kube-version", kubeVersion, "-f", file)
			helmRefuses := err != nil
			out, vcErr, code := valuescheck(t, "-o", "json", file)
			require.NotEqual(t, 2, code, "valuescheck usage error: %s", vcErr)
			var report struct {
				Files []struct {
					Findings []struct {
						Rule     string `json:"rule"`
						Severity string `json:"severity"`
						Message  string `json:"message"`
						Stricter bool   `json:"stricterThanHelm"`
					} `json:"findings"`
				} `json:"files"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &report))
			helmEnforced, valuescheckOnly := 0, 0
			for _, f := range report.Files {
				for _, x := range f.Findings {
					switch {
					case x.Severity == "error" && !x.Stricter:
						helmEnforced++
					case x.Severity == "error":
						valuescheckOnly++
					}
				}
			}
			switch {
			case helmRefuses && helmEnforced == 0:
				t.Errorf("Helm refuses %s, but valuescheck reports no error it says Helm refuses.\nHelm: %s\nvaluescheck: %s", rel, helmErr, out)
			case !helmRefuses && helmEnforced > 0:
				t.Errorf("Helm accepts %s, but valuescheck says Helm refuses it (a finding lacks its stricter-than-Helm mark):\n%s", rel, out)
			case helmRefuses:
				refusedByBoth++
			case valuescheckOnly > 0:
				stricter++
			default:
				acceptedByBoth++
			}
		})
	}
	t.Logf("fixtures: %d refused by both, %d accepted by both, %d refused by valuescheck only (each finding marked stricter than Helm)", refusedByBoth, acceptedByBoth, stricter)
	assert.Positive(t, refusedByBoth)
	assert.Positive(t, acceptedByBoth)
	assert.Positive(t, stricter)
}

// renderCase is one `helm template` invocation to reproduce.
type renderCase struct {
	name, release, namespace string
	args                     []string
}

// TestRenderIdenticalToHelmTemplate: `valuescheck render` prints exactly what
// `helm template` prints, byte for byte, for every scenario and a set of
// generated values files, with the same release, namespace and kube version.
func TestRenderIdenticalToHelmTemplate(t *testing.T) {
	cases := []renderCase{{name: "defaults", release: "release-name", namespace: "default"}}
	for i, s := range scenarios {
		cases = append(cases, renderCase{name: filepath.Base(s), release: []string{"coord", "prod-milvus-coord", "milvus"}[i%3],
			namespace: []string{"milvus", "default", "team-a"}[i%3], args: []string{"-f", s}})
	}
	dir := t.TempDir()
	for i, values := range valuesgen.Generate(20261128, 12) {
		file := filepath.Join(dir, fmt.Sprintf("generated-%02d.yaml", i))
		require.NoError(t, os.WriteFile(file, []byte(values), 0o644))
		cases = append(cases, renderCase{name: filepath.Base(file), release: fmt.Sprintf("gen%d", i), namespace: "gen", args: []string{"-f", file}})
	}
	cases = append(cases, renderCase{name: "set flags", release: "flags", namespace: "flags", args: []string{
		"-f", scenarios[0], "--set", "rootCoordinator.resources.limits.memory=2Gi",
		"--set-string", "image.all.tag=v2.4.15", "--set-json", `queryCoordinator.annotations={"team":"search"}`}})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			helmArgs := append([]string{"template", c.release, chartDir, "--namespace", c.namespace, "--kube-version", kubeVersion}, c.args...)
			want, helmErr, err := helm(t, helmArgs...)
			require.NoError(t, err, "helm template: %s", helmErr)
			vcArgs := append([]string{"render", "--release", c.release, "--namespace", c.namespace, "--kube-version", kubeVersion}, c.args...)
			got, vcErr, code := valuescheck(t, vcArgs...)
			require.Equal(t, 0, code, "valuescheck render: %s", vcErr)
			assert.Equal(t, want, got, "valuescheck render differs from helm template")
		})
	}
}

// TestRenderOutputDirIdenticalToHelm: --output-dir writes the same files with
// the same bytes as helm template --output-dir.
func TestRenderOutputDirIdenticalToHelm(t *testing.T) {
	for _, s := range scenarios {
		t.Run(filepath.Base(s), func(t *testing.T) {
			helmDir, vcDir := t.TempDir(), t.TempDir()
			_, helmErr, err := helm(t, "template", "coord", chartDir, "--kube-version", kubeVersion, "-f", s, "--output-dir", helmDir)
			require.NoError(t, err, helmErr)
			_, vcErr, code := valuescheck(t, "render", "--release", "coord", "--kube-version", kubeVersion, "-f", s, "--output-dir", vcDir)
			require.Equal(t, 0, code, vcErr)
			assert.Equal(t, readTree(t, helmDir), readTree(t, vcDir))
		})
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	files := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(data)
		return err
	}))
	return files
}
