package upstream

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/chart"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/schema"
)

// sketch is a chart shaped like the upstream one: a values.yaml, a template
// reading a key values.yaml lacks and one it copies whole, a subchart.
func sketch(t testing.TB) *chart.Chart {
	var vals map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(`
mixCoordinator:
  enabled: true
  activeStandby: {enabled: false}
  strategy: {}
  resources: {}
  service: {port: 53100}
podLabels: {}
etcd: {replicaCount: 3}
`), &vals))
	ch := &chart.Chart{Metadata: &chart.Metadata{Name: "milvus", Version: "4.2.24",
		Dependencies: []*chart.Dependency{{Name: "pulsar", Alias: "pulsarv3"}}}, Values: vals}
	ch.Templates = []*chart.File{{Name: "templates/d.yaml", Data: []byte(
		`{{ if .Values.mixCoordinator.heaptrack.enabled }}{{ toYaml .Values.mixCoordinator.extraVolumes }}{{ end }}` +
			`{{- with .Values.mixCoordinator.podSpec }}{{ toYaml . }}{{ end }}`)}}
	sub := &chart.Chart{Metadata: &chart.Metadata{Name: "etcd", Version: "6.3.3"}}
	ch.SetDependencies(sub)
	return ch
}

func TestIs(t *testing.T) {
	for version, want := range map[string]bool{"4.2.24": true, "5.0.19": true, "v5.1.0": true, "3.1.0": false, "6.0.0": false} {
		assert.Equal(t, want, Is(&chart.Metadata{Name: "milvus", Version: version}), version)
	}
	assert.False(t, Is(&chart.Metadata{Name: "milvus-coord", Version: "4.0.0"}))
	assert.False(t, Is(nil))
}

func TestUnknown(t *testing.T) {
	k := NewKeys(sketch(t))
	for _, tc := range []struct {
		name, user string
		want       map[string]string // path -> fix
	}{
		{name: "keys of values.yaml", user: "mixCoordinator: {enabled: true, activeStandby: {enabled: true}, service: {port: 1}}"},
		{name: "a key only the templates read", user: "mixCoordinator: {heaptrack: {enabled: true}}"},
		{name: "pass-through maps and what templates copy whole stay open",
			user: "mixCoordinator: {resources: {limits: {cpu: 1}}, strategy: {rollingUpdate: {maxSurge: 1}}, extraVolumes: [{x: 1}], podSpec: {anything: 1}}\npodLabels: {team: a}"},
		{name: "subchart blocks, aliases and global stay open", user: "etcd: {anything: 1}\npulsarv3: {anything: 1}\nglobal: {x: 1}"},
		{name: "a misspelled key", user: "mixCoordinator: {activeStandBy: {enabled: true}}",
			want: map[string]string{"mixCoordinator.activeStandBy": "did you mean activeStandby? rename activeStandBy to activeStandby"}},
		{name: "a key from Milvus' config", user: "mixCoordinator: {enableActiveStandby: true}",
			want: map[string]string{"mixCoordinator.enableActiveStandby": "did you mean activeStandby.enabled? replace enableActiveStandby with activeStandby: {enabled: <its value>}"}},
		{name: "nothing close", user: "zzz: 1",
			want: map[string]string{"zzz": "remove zzz; the keys allowed here are etcd, global, mixCoordinator, podLabels, pulsarv3"}},
		{name: "a quoted boolean", user: `mixCoordinator: {activeStandby: {enabled: "false"}}`,
			want: map[string]string{"mixCoordinator.activeStandby.enabled": "write mixCoordinator.activeStandby.enabled: false without quotes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var user map[string]any
			require.NoError(t, yaml.Unmarshal([]byte(tc.user), &user))
			got := map[string]string{}
			for _, f := range k.Unknown(user) {
				assert.True(t, f.Stricter, "Helm ignores what the chart does not read")
				assert.Equal(t, finding.Error, f.Severity)
				assert.Contains(t, []string{schema.RuleUnknownKey, schema.RuleType}, f.Rule)
				got[f.Path] = f.Fix
			}
			if tc.want == nil {
				tc.want = map[string]string{}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// FuzzUpstream: any values document, known keys and the upstream model and
// rules on it, never a panic.
func FuzzUpstream(f *testing.F) {
	for _, s := range []string{"", "mixCoordinator: {replicas: 2}", `mixCoordinator: {activeStandby: {enabled: "false"}, strategy: {rollingUpdate: {maxUnavailable: "x%"}}}`,
		"cluster: {enabled: true}\nrootCoordinator: {enabled: 1, replicas: [1], extraEnv: [1, {name: 2}, {name: A, value: {x: 1}}]}",
		"extraConfigFiles: {user.yaml: \"a: [\"}\ncustomConfigMap: {a: 1}\naffinity: {podAntiAffinity: 1, nodeAffinity: []}"} {
		f.Add(s)
	}
	k := NewKeys(sketch(f))
	f.Fuzz(func(t *testing.T, doc string) {
		var user map[string]any
		if yaml.Unmarshal([]byte(doc), &user) != nil {
			return
		}
		vals := map[string]any{"cluster": map[string]any{"enabled": true}}
		for key, v := range user {
			vals[key] = v
		}
		k.Unknown(user)
		for _, major := range []int{4, 5} {
			rules.Run(coord.FromUpstream(vals, major))
		}
	})
}
