package cluster

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
)

// release is the Helm release every test installs (in its own namespace).
const release = "mc"

// zones are the zone labels of the tests' nodes.
var zones = []string{"zone-a", "zone-b", "zone-c"}

// scenarioFiles are the chart's scenario values files, charts/milvus-coord/ci.
func scenarioFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(env.chartDir, "ci", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no scenario files in %s/ci", env.chartDir)
	sort.Strings(files)
	return files
}

// scenarioFile is one scenario file by its name ("02-ha").
func scenarioFile(t *testing.T, name string) string {
	t.Helper()
	for _, f := range scenarioFiles(t) {
		if scenarioName(f) == name {
			return f
		}
	}
	t.Fatalf("no scenario %s in %s/ci", name, env.chartDir)
	return ""
}

// scenarioName is the file name without "-values.yaml": "01-single-replica".
func scenarioName(path string) string {
	return strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".yaml"), "-values")
}

// install installs the chart with the values files, in order.
func install(t *testing.T, ns string, values ...string) {
	t.Helper()
	args := []string{"install", release, env.chartDir, "--namespace", ns}
	for _, v := range values {
		args = append(args, "--values", v)
	}
	helm(t, args...)
}

// upgrade upgrades the release to the values files, in order, and --set flags.
func upgrade(t *testing.T, ns string, values []string, set ...string) {
	t.Helper()
	args := []string{"upgrade", release, env.chartDir, "--namespace", ns}
	for _, v := range values {
		args = append(args, "--values", v)
	}
	for _, s := range set {
		args = append(args, "--set", s)
	}
	helm(t, args...)
}

// activeStandby says whether a coordinator's pods run in active-standby mode as
// Milvus reads it: every <ROLE>_ENABLE_ACTIVE_STANDBY variable of the container
// (one per role it runs; the environment wins over the config files) is "true".
func activeStandby(t *testing.T, d *appsv1.Deployment) bool {
	t.Helper()
	require.Len(t, d.Spec.Template.Spec.Containers, 1, "deployment %s", d.Name)
	n := 0
	for _, e := range d.Spec.Template.Spec.Containers[0].Env {
		if strings.HasSuffix(e.Name, "_ENABLE_ACTIVE_STANDBY") {
			if e.Value != "true" {
				return false
			}
			n++
		}
	}
	return n > 0
}

// replicas is a Deployment's desired replicas.
func replicas(d *appsv1.Deployment) int {
	if d.Spec.Replicas == nil {
		return 1
	}
	return int(*d.Spec.Replicas)
}

// generations are the Deployments' generations, to wait for the next ones.
func generations(v view) map[string]int64 {
	g := map[string]int64{}
	for c, d := range v.deployments {
		g[c] = d.Generation
	}
	return g
}

// newGenerationsSettled is a wait condition: every Deployment in before has a
// newer generation (the upgrade reached the controllers) and all are settled.
func newGenerationsSettled(before map[string]int64) func(view) (bool, string) {
	return func(v view) (bool, string) {
		for c, g := range before {
			d, ok := v.deployments[c]
			if !ok || d.Generation <= g {
				return false, fmt.Sprintf("%s: no new generation yet", c)
			}
		}
		return v.settled()
	}
}

// secs formats a duration in seconds with one decimal, for the figures.
func secs(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}
