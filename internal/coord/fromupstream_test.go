package coord

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// upstreamDefaults are the upstream chart's defaults as far as FromUpstream
// reads them (tests/upstream runs the real charts).
const upstreamDefaults = `
cluster: {enabled: true}
image: {all: {tag: v2.4.17}}
livenessProbe: {enabled: true}
customConfigMap: ""
extraConfigFiles: {user.yaml: "# For example enable rest http for milvus proxy\n"}
rootCoordinator: {enabled: false, replicas: 1, activeStandby: {enabled: false}, strategy: {}, affinity: {}, nodeSelector: {}, extraEnv: []}
queryCoordinator: {enabled: false, replicas: 1, activeStandby: {enabled: false}, strategy: {}}
indexCoordinator: {enabled: false, replicas: 1, activeStandby: {enabled: false}, strategy: {}}
dataCoordinator: {enabled: false, replicas: 1, activeStandby: {enabled: false}, strategy: {}}
mixCoordinator: {enabled: true, replicas: 1, activeStandby: {enabled: false}, strategy: {}, affinity: {}, nodeSelector: {}}
`

func upstreamWith(t *testing.T, overlay string) map[string]any {
	t.Helper()
	var base, user map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(upstreamDefaults), &base))
	require.NoError(t, yaml.UnmarshalStrict([]byte(overlay), &user))
	return testtools.Coalesce(base, user)
}

func TestFromUpstream(t *testing.T) {
	t.Run("defaults: one mixture of the four roles, HA off, Recreate forced by its flag", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, ""), 4)
		require.Equal(t, []string{"mixCoordinator"}, workloadNames(m))
		w := m.Workloads[0]
		assert.Equal(t, Mixture, w.Process)
		assert.Equal(t, "rootcoord, querycoord, datacoord, indexcoord", w.RoleNames())
		assert.False(t, w.Declared.Known, "judged on what Milvus reads")
		s := w.ActiveStandby(RootCoord, m.Version)
		assert.True(t, s.Set && s.Setting.Derived && !s.On)
		assert.Equal(t, "mixCoordinator.activeStandby.enabled", s.Setting.At.Path)
		assert.Equal(t, "Recreate", w.Strategy.Value.Type)
		assert.Equal(t, "mixCoordinator.activeStandby.enabled", w.Strategy.Value.TypeAt.Path)
		assert.Equal(t, ProbeHTTPGet, w.Liveness.Value.Kind)
		assert.Len(t, m.Absent, 4)
	})
	t.Run("a separate coordinator reads mixcoord's flag too; its strategy follows its own", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "mixCoordinator: {activeStandby: {enabled: true}}\nrootCoordinator: {enabled: true, replicas: 2, strategy: {type: RollingUpdate}}"), 4)
		w := workload(t, m, "rootCoordinator")
		s := w.ActiveStandby(RootCoord, m.Version)
		assert.True(t, s.On)
		assert.Equal(t, "mixCoordinator.activeStandby.enabled", s.Setting.At.Path)
		assert.Equal(t, "Recreate", w.Strategy.Value.Type, "its own flag is off: the strategy is ignored")
	})
	t.Run(`the string "false" is true to the templates`, func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, `mixCoordinator: {activeStandby: {enabled: "false"}}`), 4)
		w := m.Workloads[0]
		assert.True(t, w.ActiveStandby(RootCoord, m.Version).On)
		assert.Equal(t, "RollingUpdate", w.Strategy.Value.Type)
	})
	t.Run("HA on with an empty strategy: Kubernetes' 25% applies", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "mixCoordinator: {replicas: 4, activeStandby: {enabled: true}}"), 4)
		s := m.Workloads[0].Strategy.Value
		assert.Nil(t, s.MaxUnavailable)
		surge, unavailable := s.Resolved(4)
		assert.Equal(t, []int{1, 1}, []int{surge, unavailable})
		surge, unavailable = s.Resolved(2)
		assert.Equal(t, []int{1, 0}, []int{surge, unavailable}, "25% of 2 rounds down to 0 unavailable")
		assert.Equal(t, "mixCoordinator.strategy", s.MaxUnavailableAt.Path)
	})
	t.Run("user.yaml overrides default.yaml", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "mixCoordinator: {activeStandby: {enabled: true}}\nextraConfigFiles: {user.yaml: \"rootCoord:\\n  enableActiveStandby: false\\n\"}"), 4)
		s := m.Workloads[0].ActiveStandby(RootCoord, m.Version)
		assert.False(t, s.On)
		assert.Equal(t, `extraConfigFiles["user.yaml"]`, s.Setting.At.Path)
	})
	t.Run("customConfigMap hides the key", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "customConfigMap: mine\nmixCoordinator: {activeStandby: {enabled: true}}"), 4)
		s := m.Workloads[0].ActiveStandby(RootCoord, m.Version)
		assert.True(t, s.Unknown)
		assert.Equal(t, "milvus.yaml of ConfigMap mine (customConfigMap)", s.Setting.Where)
	})
	t.Run("replicas -1 leaves the count to an HPA; a numeric string is read as int reads it", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "mixCoordinator: {replicas: -1}"), 4)
		assert.False(t, m.Workloads[0].Replicas.Known)
		m = FromUpstream(upstreamWith(t, `mixCoordinator: {replicas: "3"}`), 4)
		assert.Equal(t, 3, m.Workloads[0].Replicas.Value)
	})
	t.Run("standalone: no coordinator workload, nothing absent", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "cluster: {enabled: false}"), 4)
		assert.Empty(t, m.Workloads)
		assert.Empty(t, m.Absent)
		assert.True(t, m.Version.Known)
	})
	t.Run("5.x probes liveness with tcpSocket; 2.6 runs mixcoord", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "image: {all: {tag: v2.6.15}}"), 5)
		assert.Equal(t, ProbeTCPSocket, m.Workloads[0].Liveness.Value.Kind)
		assert.Equal(t, Mixcoord, m.Workloads[0].Process)
		assert.True(t, m.Workloads[0].ActiveStandby(RootCoord, m.Version).Always)
	})
	t.Run("spread: the block's affinity, else the global one", func(t *testing.T) {
		m := FromUpstream(upstreamWith(t, "affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1}]}}"), 4)
		assert.True(t, m.Workloads[0].Spread.Value.Apart)
		m = FromUpstream(upstreamWith(t, "mixCoordinator: {nodeSelector: {kubernetes.io/hostname: n1}}"), 4)
		assert.Equal(t, "n1", m.Workloads[0].Spread.Value.PinnedTo)
		assert.Equal(t, `mixCoordinator.nodeSelector["kubernetes.io/hostname"]`, m.Workloads[0].Spread.Value.PinnedAt.Path)
	})
}

func TestTruthy(t *testing.T) {
	for v, want := range map[any]bool{nil: false, false: false, true: true, "": false, "false": true, "0": true,
		0.0: false, 1.0: true, int64(0): false, int64(2): true} {
		assert.Equal(t, want, truthy(v), "%#v", v)
	}
	assert.False(t, truthy(map[string]any{}))
	assert.True(t, truthy([]any{1}))
}
