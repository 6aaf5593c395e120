package e2e

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// The expectations below come from the values, never from the rendered chart: the
// chart's defaults (values.yaml) with the scenario's or the step's values merged
// over them the way Helm merges values files, then read by a few plain rules.

// coordinator is one values block of the chart and the Deployment it makes.
type coordinator struct {
	key        string   // values block: rootCoordinator
	role       string   // component label and name suffix: rootcoord
	configKeys []string // user.yaml sections whose enableActiveStandby it reads
	envPrefix  []string // <prefix>_ENABLE_ACTIVE_STANDBY env vars it gets
}

var coordinators = []coordinator{
	{"rootCoordinator", "rootcoord", []string{"rootCoord"}, []string{"ROOT_COORD"}},
	{"queryCoordinator", "querycoord", []string{"queryCoord"}, []string{"QUERY_COORD"}},
	{"dataCoordinator", "datacoord", []string{"dataCoord"}, []string{"DATA_COORD"}},
	{"mixCoordinator", "mixcoord",
		[]string{"rootCoord", "queryCoord", "dataCoord"},
		[]string{"ROOT_COORD", "QUERY_COORD", "DATA_COORD"}},
}

// values is a merged values tree.
type values map[string]any

// chartValues returns the chart's default values with each overlay merged over
// them in order (like `helm install -f a -f b`).
func chartValues(t *testing.T, overlays ...map[string]any) values {
	t.Helper()
	v := values(readYAMLFile(t, filepath.Join(env.chartDir, "values.yaml")))
	for _, o := range overlays {
		mergeValues(v, o)
	}
	return v
}

func readYAMLFile(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	m := map[string]any{}
	require.NoError(t, yaml.Unmarshal(data, &m), path)
	return m
}

// mergeValues merges src into dst: mappings recursively, everything else replaced.
func mergeValues(dst, src map[string]any) {
	for k, sv := range src {
		if sm, ok := sv.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeValues(dm, sm)
				continue
			}
			cp := map[string]any{}
			mergeValues(cp, sm)
			dst[k] = cp
			continue
		}
		dst[k] = sv
	}
}

// get returns the value at a dotted path, or nil.
func (v values) get(path string) any {
	var cur any = map[string]any(v)
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func (v values) boolean(t *testing.T, path string) bool {
	t.Helper()
	b, ok := v.get(path).(bool)
	require.True(t, ok, "values %s: want a boolean, got %#v", path, v.get(path))
	return b
}

func (v values) integer(t *testing.T, path string) int {
	t.Helper()
	switch n := v.get(path).(type) {
	case float64: // sigs.k8s.io/yaml decodes numbers as float64
		return int(n)
	case int:
		return n
	}
	require.Failf(t, "not a number", "values %s: got %#v", path, v.get(path))
	return 0
}

func (v values) str(path string) string {
	s, _ := v.get(path).(string)
	return s
}

// coordinatorState is what the values ask of one enabled coordinator.
type coordinatorState struct {
	coordinator
	name          string // resource name of its Deployment, ConfigMap, Service, PDB
	replicas      int
	activeStandby bool
	pdb           bool   // a PodDisruptionBudget is expected
	antiAffinity  string // "hard", "soft" or "" (none expected)
	topologyKey   string
}

// releaseState is every object name one release should own, per kind, and the
// coordinators it runs.
type releaseState struct {
	release      string
	coordinators []coordinatorState
	objects      map[string][]string // kind -> sorted names
}

// fullname follows the chart's naming: the release name, suffixed with the chart
// name unless it already contains it. The overrides are not used by the tests.
func fullname(t *testing.T, release string, v values) string {
	t.Helper()
	require.Empty(t, v.str("nameOverride"), "the tests do not model nameOverride")
	require.Empty(t, v.str("fullnameOverride"), "the tests do not model fullnameOverride")
	if strings.Contains(release, "milvus-coord") {
		return release
	}
	return release + "-milvus-coord"
}

// expectedState derives the release's objects from its values.
func expectedState(t *testing.T, release string, v values) releaseState {
	t.Helper()
	prefix := fullname(t, release, v)
	s := releaseState{release: release, objects: map[string][]string{}}
	add := func(kind, name string) { s.objects[kind] = append(s.objects[kind], name) }
	for _, c := range coordinators {
		if !v.boolean(t, c.key+".enabled") {
			continue
		}
		cs := coordinatorState{
			coordinator:   c,
			name:          prefix + "-" + c.role,
			replicas:      v.integer(t, c.key+".replicas"),
			activeStandby: v.boolean(t, c.key+".activeStandby.enabled"),
			topologyKey:   v.str("podAntiAffinity.topologyKey"),
		}
		cs.pdb = cs.replicas > 1 && v.boolean(t, "podDisruptionBudget.enabled")
		if _, own := v.get(c.key + ".affinity.podAntiAffinity").(map[string]any); !own &&
			cs.replicas > 1 && v.str("podAntiAffinity.mode") != "none" {
			cs.antiAffinity = v.str("podAntiAffinity.mode")
		}
		s.coordinators = append(s.coordinators, cs)
		add(kindDeployment, cs.name)
		add(kindConfigMap, cs.name)
		add(kindService, cs.name)
		if cs.pdb {
			add(kindPDB, cs.name)
		}
	}
	if v.boolean(t, "serviceAccount.create") {
		name := v.str("serviceAccount.name")
		if name == "" {
			name = prefix
		}
		add(kindServiceAccount, name)
	}
	// The chart stores credentials it is given in its own Secret; those that come
	// from an existing Secret (or IAM) are not its to make.
	s3 := !v.boolean(t, "externalS3.useIAM") && v.str("externalS3.existingSecret") == ""
	pulsar := v.boolean(t, "externalPulsar.enabled") && v.str("externalPulsar.authParams") != "" &&
		v.str("externalPulsar.existingSecret") == ""
	kafka := v.boolean(t, "externalKafka.enabled") && v.str("externalKafka.sasl.password") != "" &&
		v.str("externalKafka.existingSecret") == ""
	if s3 || pulsar || kafka {
		add(kindSecret, prefix+"-credentials")
	}
	if v.boolean(t, "networkPolicy.enabled") {
		add(kindNetworkPolicy, prefix)
	}
	for _, names := range s.objects {
		sort.Strings(names)
	}
	return s
}

// scenarioFiles returns the chart's ci/*.yaml scenario files.
func scenarioFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(env.chartDir, "ci", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no scenario files in %s/ci", env.chartDir)
	sort.Strings(files)
	return files
}

// scenarioName is the file name without "-values.yaml": "01-single-replica".
func scenarioName(path string) string {
	return strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".yaml"), "-values")
}

// writeValues writes an overlay as a values file for `helm -f`.
func writeValues(t *testing.T, overlay map[string]any) string {
	t.Helper()
	data, err := yaml.Marshal(overlay)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "values.yaml")
	// helm splits --values at commas; t.TempDir takes the test name.
	require.NotContains(t, path, ",", "rename the test: helm cannot read a values file whose path has a comma")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}
