package coord

import (
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
	// go test ./... -update passes -update to every test binary; the golden
	// package defines the flag, so this package accepts it too.
	_ "github.com/milvus-coord/milvus-coord/internal/golden"
)

// valuesWith returns the chart defaults with the YAML overlay merged over them.
func valuesWith(t testing.TB, overlay string) map[string]any {
	t.Helper()
	var user map[string]any
	require.NoError(t, yaml.UnmarshalStrict([]byte(overlay), &user), "overlay:\n%s", overlay)
	return testtools.Coalesce(testtools.ChartDefaults(t), user)
}

// workload returns the workload named name (a values block or an object).
func workload(t testing.TB, m *Model, name string) *Workload {
	t.Helper()
	for _, w := range m.Workloads {
		if w.Name == name {
			return w
		}
	}
	require.FailNowf(t, "no workload", "%s not among %v", name, workloadNames(m))
	return nil
}

func workloadNames(m *Model) []string {
	var names []string
	for _, w := range m.Workloads {
		names = append(names, w.Name)
	}
	return names
}
