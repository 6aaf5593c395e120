package coord

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	// go test ./... -update passes -update to every test binary; the golden
	// package defines the flag, so this package accepts it too.
	_ "github.com/milvus-coord/milvus-coord/internal/golden"
)

// chartValuesFile is the chart's values.yaml: values cases start from it.
const chartValuesFile = "../../charts/milvus-coord/values.yaml"

// chartDefaults returns a fresh copy of the chart's defaults, parsed as Helm
// parses them (numbers arrive as float64).
func chartDefaults(t testing.TB) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(chartValuesFile)
	require.NoError(t, err)
	var defaults map[string]any
	require.NoError(t, yaml.Unmarshal(raw, &defaults))
	return defaults
}

// coalesce merges overlay over base as Helm coalesces user values over chart
// defaults: mappings merge, anything else replaces, a null removes a default.
func coalesce(base, overlay map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(overlay))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overlay {
		old, inBase := base[k]
		om, oldIsMap := old.(map[string]any)
		vm, newIsMap := v.(map[string]any)
		switch {
		case v == nil && inBase:
			delete(out, k)
		case oldIsMap && newIsMap:
			out[k] = coalesce(om, vm)
		default:
			out[k] = v
		}
	}
	return out
}

// valuesWith returns the chart defaults with the YAML overlay merged over them.
func valuesWith(t testing.TB, overlay string) map[string]any {
	t.Helper()
	var user map[string]any
	require.NoError(t, yaml.UnmarshalStrict([]byte(overlay), &user), "overlay:\n%s", overlay)
	return coalesce(chartDefaults(t), user)
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
