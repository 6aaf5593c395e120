package coord

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/coordtest"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

const ns = coordtest.Namespace

// deployment mounts user.yaml from ConfigMap coord-config.
func deployment(name string, replicas int32, image string, args ...string) *appsv1.Deployment {
	return coordtest.Deployment(name, "coord-config", replicas, image, args...)
}

func configMap(userYAML string) *corev1.ConfigMap {
	return coordtest.ConfigMap("coord-config", userYAML)
}

var (
	pdb          = coordtest.PDB
	antiAffinity = coordtest.AntiAffinity
)

func objects(objs ...any) []Object {
	out := make([]Object, len(objs))
	for i, o := range objs {
		out[i] = Object{Object: o}
	}
	return out
}

const image = "milvusdb/milvus:v2.4.17"

func TestFromObjectsReadsWhatMilvusRuns(t *testing.T) {
	root := deployment("coord-rootcoord", 2, image+"@"+digest, "rootcoord")
	root.Spec.Template.Spec.Containers[0].Env = []corev1.EnvVar{{Name: "COMMON_SESSION_TTL", Value: "20"}}
	antiAffinity(root, map[string]string{"app": "coord-rootcoord"})
	m := FromObjects(objects(
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "coord", Namespace: ns}},
		configMap("rootCoord:\n  enableActiveStandby: true\ncommon:\n  session:\n    ttl: 30\n"),
		root,
		pdb("coord-rootcoord", map[string]string{"app": "coord-rootcoord"}),
	))

	require.Len(t, m.Workloads, 1, "the Service and ConfigMap run no coordinator")
	assert.Equal(t, Known("v2.4.17", Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[].image"}), m.Tag,
		"the tag of tag@digest")
	assert.Equal(t, Version{2, 4, 17}, m.Version.Value)
	assert.Nil(t, m.UserSet)
	assert.Empty(t, m.Absent)

	w := m.Workloads[0]
	assert.Equal(t, "Deployment coord-rootcoord", w.Name)
	assert.Equal(t, Single, w.Process)
	assert.Equal(t, []Role{RootCoord}, w.Roles)
	assert.Equal(t, Known(2, Source{Object: w.Name, Path: "spec.replicas"}), w.Replicas)
	assert.False(t, w.Declared.Known, "manifests declare nothing: only what Milvus reads counts")

	s := w.ActiveStandby(RootCoord, m.Version)
	assert.True(t, s.On)
	assert.Equal(t, "rootCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-config", s.Setting.Where)
	assert.Equal(t, Source{Object: "ConfigMap coord-config", Path: "data.user.yaml"}, s.Setting.At)

	ttl, ttlSetting, ok := w.SessionTTL()
	assert.True(t, ok)
	assert.Equal(t, 20, ttl, "env over user.yaml")
	assert.Equal(t, "env COMMON_SESSION_TTL of Deployment coord-rootcoord", ttlSetting.Where)
	assert.Equal(t, Source{Object: w.Name, Path: "spec.template.spec.containers[coord].env[0]"}, ttlSetting.At)

	require.True(t, w.Strategy.Known)
	assert.Equal(t, "RollingUpdate", w.Strategy.Value.Type, "the API server's default")
	assert.Nil(t, w.Strategy.Value.MaxSurge)
	assert.True(t, w.Spread.Value.Apart)
	assert.Equal(t, Budget{Covered: true, Name: "coord-rootcoord",
		Remedy: "add a PodDisruptionBudget with maxUnavailable: 1 selecting only the pods of Deployment coord-rootcoord"}, w.Budget.Value)
}

func TestFromObjectsCases(t *testing.T) {
	cases := []struct {
		name  string
		objs  func() []Object
		check func(t *testing.T, m *Model)
	}{
		{
			name: "mixture with the three role flags on 2.6 is mixcoord",
			objs: func() []Object {
				return objects(deployment("coord-mix", 2, "milvusdb/milvus:v2.6.3", "mixture", "-rootcoord", "-querycoord", "-datacoord"))
			},
			check: func(t *testing.T, m *Model) {
				assert.Equal(t, Mixcoord, m.Workloads[0].Process)
				assert.Equal(t, Required, m.Workloads[0].Roles)
			},
		},
		{
			name: "mixture on 2.4 serves the flagged roles only",
			objs: func() []Object {
				return objects(deployment("coord-mix", 2, image, "mixture", "-rootcoord", "-querycoord"))
			},
			check: func(t *testing.T, m *Model) {
				assert.Equal(t, Mixture, m.Workloads[0].Process)
				assert.Equal(t, []Role{RootCoord, QueryCoord}, m.Workloads[0].Roles)
			},
		},
		{
			name: "milvus run mixcoord",
			objs: func() []Object { return objects(deployment("coord-mix", 1, "milvusdb/milvus:v2.6.8", "mixcoord")) },
			check: func(t *testing.T, m *Model) {
				assert.Equal(t, Mixcoord, m.Workloads[0].Process)
				assert.True(t, m.Workloads[0].ActiveStandby(DataCoord, m.Version).Always)
			},
		},
		{
			name: "deployments that run no coordinator are ignored",
			objs: func() []Object {
				proxy := deployment("proxy", 2, image, "proxy")
				other := deployment("nginx", 1, "nginx:1.27")
				other.Spec.Template.Spec.Containers[0].Args = []string{"nginx"}
				mixtureOfNothing := deployment("mix", 1, image, "mixture", "-proxy")
				return objects(proxy, other, mixtureOfNothing, &appsv1.StatefulSet{})
			},
			check: func(t *testing.T, m *Model) {
				assert.Empty(t, m.Workloads)
				assert.False(t, m.Tag.Known)
			},
		},
		{
			name: "one budget selecting two deployments is shared",
			objs: func() []Object {
				q, d := deployment("coord-querycoord", 2, image, "querycoord"), deployment("coord-datacoord", 2, image, "datacoord")
				q.Spec.Template.Labels["tier"], d.Spec.Template.Labels["tier"] = "coord", "coord"
				return objects(q, d, pdb("coords", map[string]string{"tier": "coord"}))
			},
			check: func(t *testing.T, m *Model) {
				assert.Equal(t, "Deployment coord-datacoord", m.Workloads[0].Budget.Value.SharedWith)
				assert.Equal(t, "Deployment coord-querycoord", m.Workloads[1].Budget.Value.SharedWith)
			},
		},
		{
			name: "a budget in another namespace, or selecting nothing, covers nothing",
			objs: func() []Object {
				elsewhere := pdb("elsewhere", map[string]string{"app": "coord-rootcoord"})
				elsewhere.Namespace = "other"
				empty := pdb("everything", nil)
				return objects(deployment("coord-rootcoord", 2, image, "rootcoord"), elsewhere, empty)
			},
			check: func(t *testing.T, m *Model) {
				assert.False(t, m.Workloads[0].Budget.Value.Covered)
			},
		},
		{
			name: "anti-affinity that selects other pods keeps nothing apart",
			objs: func() []Object {
				d := deployment("coord-rootcoord", 2, image, "rootcoord")
				antiAffinity(d, map[string]string{"app": "someone-else"})
				return objects(d)
			},
			check: func(t *testing.T, m *Model) {
				sp := m.Workloads[0].Spread.Value
				assert.False(t, sp.Apart)
				assert.Equal(t, "no pod anti-affinity or topology spread constraint selects its pods", sp.Why)
			},
		},
		{
			name: "a topology spread constraint selecting the pods keeps them apart",
			objs: func() []Object {
				d := deployment("coord-rootcoord", 2, image, "rootcoord")
				d.Spec.Template.Spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "kubernetes.io/hostname",
					LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "coord-rootcoord"}}}}
				return objects(d)
			},
			check: func(t *testing.T, m *Model) { assert.True(t, m.Workloads[0].Spread.Value.Apart) },
		},
		{
			name: "a hostname nodeSelector pins the pods",
			objs: func() []Object {
				d := deployment("coord-rootcoord", 2, image, "rootcoord")
				d.Spec.Template.Spec.NodeSelector = map[string]string{"kubernetes.io/hostname": "node-1"}
				return objects(d)
			},
			check: func(t *testing.T, m *Model) {
				sp := m.Workloads[0].Spread.Value
				assert.Equal(t, "node-1", sp.PinnedTo)
				assert.Equal(t, Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.nodeSelector"}, sp.PinnedAt)
			},
		},
		{
			name: "a ConfigMap mounted as the whole config directory is read file by file in load order",
			objs: func() []Object {
				d := deployment("coord-rootcoord", 2, image, "rootcoord")
				d.Spec.Template.Spec.Containers[0].VolumeMounts[0] = corev1.VolumeMount{Name: "config", MountPath: "/milvus/configs"}
				cm := configMap("rootCoord: {enableActiveStandby: true}")
				cm.Data["milvus.yaml"] = "rootCoord: {enableActiveStandby: false}"
				return objects(cm, d)
			},
			check: func(t *testing.T, m *Model) {
				s := m.Workloads[0].ActiveStandby(RootCoord, m.Version)
				assert.True(t, s.On, "user.yaml overrides milvus.yaml")
				_, overridden, _ := m.Workloads[0].Config.Lookup(ActiveStandbyKey(RootCoord.Section))
				require.Len(t, overridden, 1)
				assert.Equal(t, "false", overridden[0].Value)
			},
		},
		{
			name: "a ConfigMap of another namespace is not the pod's, and a mount elsewhere is no config: the pod's is not in the input",
			objs: func() []Object {
				d := deployment("coord-rootcoord", 2, image, "rootcoord")
				d.Spec.Template.Spec.Containers[0].VolumeMounts = append(d.Spec.Template.Spec.Containers[0].VolumeMounts,
					corev1.VolumeMount{Name: "config", MountPath: "/etc/other.yaml", SubPath: "user.yaml"})
				cm := configMap("rootCoord: {enableActiveStandby: true}")
				cm.Namespace = "other"
				return objects(cm, d)
			},
			check: func(t *testing.T, m *Model) {
				s := m.Workloads[0].ActiveStandby(RootCoord, m.Version)
				assert.True(t, s.Unknown, "Milvus reads the config of a ConfigMap nobody here sees, not its defaults")
				assert.Equal(t, "ConfigMap coord-config", s.Setting.Where)
				assert.Equal(t, Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.volumes"}, s.Setting.At)
			},
		},
		{
			name: "user.yaml that is no YAML mapping is no config",
			objs: func() []Object {
				return objects(configMap("- a\n- b"), deployment("coord-rootcoord", 1, image, "rootcoord"))
			},
			check: func(t *testing.T, m *Model) {
				assert.Empty(t, m.Workloads[0].Config.Settings())
			},
		},
		{
			name: "no replicas is one, and an explicit strategy is read as written",
			objs: func() []Object {
				d := deployment("coord-rootcoord", 1, image, "rootcoord")
				d.Spec.Replicas = nil
				surge, unavailable := intstr.FromString("50%"), intstr.FromInt32(0)
				d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
					RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable}}
				return objects(d)
			},
			check: func(t *testing.T, m *Model) {
				w := m.Workloads[0]
				assert.Equal(t, 1, w.Replicas.Value)
				assert.True(t, w.Strategy.Value.HasRollingUpdate)
				assert.Equal(t, ios("50%"), w.Strategy.Value.MaxSurge)
				assert.Equal(t, Source{Object: w.Name, Path: "spec.strategy.rollingUpdate.maxUnavailable"}, w.Strategy.Value.MaxUnavailableAt)
			},
		},
		{
			name: "an image without a tag, behind a registry port, runs latest",
			objs: func() []Object {
				return objects(deployment("a", 1, "registry:5000/milvus", "rootcoord"))
			},
			check: func(t *testing.T, m *Model) {
				assert.Equal(t, Known("latest", m.Tag.At), m.Tag)
				assert.False(t, m.Version.Known)
			},
		},
		{
			name: "the object's own name and block from the producer",
			objs: func() []Object {
				return []Object{{Object: deployment("x", 1, image, "rootcoord"), At: Source{Object: "Deployment rel-rootcoord"}, Block: "rootCoordinator"}}
			},
			check: func(t *testing.T, m *Model) {
				w := m.Workloads[0]
				assert.Equal(t, "Deployment rel-rootcoord", w.Name)
				assert.Equal(t, "rootCoordinator", w.Block)
				assert.Equal(t, Source{Object: "Deployment rel-rootcoord", Path: "spec.replicas", Block: "rootCoordinator"}, w.Replicas.At)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var m *Model
			require.NotPanics(t, func() { m = FromObjects(tc.objs()) })
			tc.check(t, m)
		})
	}
	t.Run("typed nil objects never panic", func(t *testing.T) {
		assert.NotPanics(t, func() { FromObjects([]Object{{}, {Object: (*appsv1.Deployment)(nil)}}) })
	})
}

// TestFromObjectsReadsTheStop: the grace period the kubelet gives (the API
// server's 30 s when unset), the stop sections Milvus reads by process, and
// the per-role and gRPC timeouts from the config files and env.
func TestFromObjectsReadsTheStop(t *testing.T) {
	mixture := deployment("coord-mix", 1, image, "mixture", "-rootcoord", "-querycoord", "-datacoord")
	m := FromObjects(objects(configMap("queryCoord:\n  gracefulStopTimeout: 12\n"), mixture))
	require.Len(t, m.Workloads, 1)
	w := m.Workloads[0]
	assert.Equal(t, 30, w.Grace.Value, "the API server's default")
	assert.Equal(t, "spec.template.spec.terminationGracePeriodSeconds", w.Grace.At.Path)
	assert.Equal(t, []string{"rootCoord", "queryCoord", "dataCoord"}, w.StopSections())
	assert.Equal(t, 5.0+12+5, w.StopNeeds(), "Milvus' 5 s default where nothing sets a role's timeout")
	grpc, verified := w.GRPCStopTimeout(m.Version)
	assert.Equal(t, 10.0, grpc.Value)
	assert.False(t, grpc.Set)
	assert.True(t, verified)

	grace := int64(90)
	mixcoord := deployment("coord-mix", 1, "milvusdb/milvus:v2.6.15", "mixcoord")
	mixcoord.Spec.Template.Spec.TerminationGracePeriodSeconds = &grace
	mixcoord.Spec.Template.Spec.Containers[0].Env = []corev1.EnvVar{{Name: "GRPC_GRACEFULSTOPTIMEOUT", Value: "7"}}
	m = FromObjects(objects(mixcoord))
	w = m.Workloads[0]
	assert.Equal(t, 90, w.Grace.Value)
	assert.Equal(t, []string{"rootCoord"}, w.StopSections(), "2.6 mixcoord reads rootCoord's timeout alone")
	grpc, _ = w.GRPCStopTimeout(m.Version)
	assert.Equal(t, 7.0, grpc.Value, "any spelling Milvus normalises to grpc.gracefulStopTimeout")
	assert.True(t, grpc.Set)
}

func TestFromObjectsReadsTheLivenessProbe(t *testing.T) {
	for _, tc := range []struct {
		name  string
		probe *corev1.Probe
		want  Probe
	}{
		{"none", nil, Probe{Kind: ProbeNone}},
		{"httpGet by port name", &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("metrics")}}},
			Probe{Kind: ProbeHTTPGet, Path: "/healthz", Port: "metrics"}},
		{"tcpSocket by number", &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(9091)}}},
			Probe{Kind: ProbeTCPSocket, Port: "9091"}},
		{"grpc", &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 19530}}},
			Probe{Kind: ProbeGRPC, Port: "19530"}},
		{"exec", &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}},
			Probe{Kind: ProbeExec}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := deployment("coord-rootcoord", 1, image, "rootcoord")
			d.Spec.Template.Spec.Containers[0].LivenessProbe = tc.probe
			m := FromObjects(objects(d))
			require.Len(t, m.Workloads, 1)
			at := Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[coord].livenessProbe"}
			tc.want.Container, tc.want.At = "coord", at
			assert.Equal(t, Known(tc.want, at), m.Workloads[0].Liveness)
		})
	}
}

func TestFromObjectsReadsAStatefulSet(t *testing.T) {
	d := deployment("coord-mixcoord", 3, "milvusdb/milvus:v2.6.8", "mixcoord")
	four := intstr.FromInt32(4)
	s := &appsv1.StatefulSet{ObjectMeta: d.ObjectMeta, Spec: appsv1.StatefulSetSpec{Replicas: d.Spec.Replicas, Template: d.Spec.Template,
		PodManagementPolicy: appsv1.ParallelPodManagement,
		UpdateStrategy:      appsv1.StatefulSetUpdateStrategy{RollingUpdate: &appsv1.RollingUpdateStatefulSetStrategy{MaxUnavailable: &four}}}}
	m := FromObjects(objects(s))
	require.Len(t, m.Workloads, 1)
	w := m.Workloads[0]
	assert.Equal(t, "StatefulSet coord-mixcoord", w.Name)
	assert.Equal(t, Mixcoord, w.Process)
	assert.Equal(t, 3, w.Replicas.Value)
	require.True(t, w.Strategy.Known)
	st := w.Strategy.Value
	assert.Equal(t, KindStatefulSet, st.Controller)
	assert.Equal(t, "RollingUpdate", st.Type, "the API server's default")
	assert.Equal(t, "spec.updateStrategy.rollingUpdate.maxUnavailable", st.MaxUnavailableAt.Path)
	for _, tc := range []struct {
		max               *intstr.IntOrString
		replicas, unavail int
	}{
		{nil, 3, 1}, {&four, 3, 4}, {ptr(intstr.FromString("50%")), 3, 2}, {ptr(intstr.FromString("1%")), 3, 1}, {ptr(intstr.FromInt32(0)), 3, 1},
	} {
		st.MaxUnavailable = tc.max
		surge, unavailable := st.Resolved(tc.replicas)
		assert.Zero(t, surge, "a StatefulSet never surges")
		assert.Equal(t, tc.unavail, unavailable, "maxUnavailable %v of %d", tc.max, tc.replicas)
	}
}

func ptr[T any](v T) *T { return &v }

func TestFromObjectsReadsEnvFromConfigMaps(t *testing.T) {
	d := deployment("coord-rootcoord", 2, image, "rootcoord")
	c := &d.Spec.Template.Spec.Containers[0]
	c.EnvFrom = []corev1.EnvFromSource{
		{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "env"}}},
		{Prefix: "COMMON_", ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "prefixed"}}},
		{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "secret"}}},
	}
	ref := func(cm, key string) *corev1.EnvVarSource {
		return &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: cm}, Key: key}}
	}
	c.Env = []corev1.EnvVar{
		{Name: "DATA_COORD_ENABLE_ACTIVE_STANDBY", ValueFrom: ref("env", "ha")},
		{Name: "QUERY_COORD_ENABLE_ACTIVE_STANDBY", ValueFrom: ref("missing", "ha")},
	}
	cm := func(name string, data map[string]string) *corev1.ConfigMap {
		return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Data: data}
	}
	m := FromObjects(objects(d,
		cm("env", map[string]string{"ROOT_COORD_ENABLE_ACTIVE_STANDBY": "true", "ha": "1"}),
		cm("prefixed", map[string]string{"SESSION_TTL": "25"})))
	require.Len(t, m.Workloads, 1)
	w := m.Workloads[0]

	s := w.ActiveStandby(RootCoord, m.Version)
	assert.True(t, s.On, "envFrom ConfigMap env")
	assert.Equal(t, "env ROOT_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-rootcoord (envFrom ConfigMap env)", s.Setting.Where)
	assert.Equal(t, Source{Object: "ConfigMap env", Path: "data.ROOT_COORD_ENABLE_ACTIVE_STANDBY"}, s.Setting.At)

	ttl, _, ok := w.SessionTTL()
	assert.True(t, ok)
	assert.Equal(t, 25, ttl, "envFrom with a prefix")

	s = w.ActiveStandby(DataCoord, m.Version)
	assert.True(t, s.On)
	assert.False(t, s.Unknown, "configMapKeyRef resolved from the ConfigMap given")
	assert.Equal(t, "1", s.Setting.Value)
	assert.Equal(t, "env DATA_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-rootcoord (from ConfigMap env key ha)", s.Setting.Where)

	s = w.ActiveStandby(QueryCoord, m.Version)
	assert.True(t, s.Unknown, "a ConfigMap not given: the value is unknown, not empty")
}

func TestFromObjectsLocatesFields(t *testing.T) {
	var asked []string
	locate := func(file string) func(string) finding.Origin {
		return func(p string) finding.Origin {
			asked = append(asked, file+" "+p)
			return finding.Origin{File: file, Line: len(asked)}
		}
	}
	d := deployment("coord-rootcoord", 2, image, "rootcoord")
	m := FromObjects([]Object{
		{Object: d, At: Source{Object: "Deployment coord-rootcoord"}, Locate: locate("d.yaml")},
		{Object: configMap("rootCoord: {enableActiveStandby: true}"), Locate: locate("cm.yaml")},
	})
	require.Len(t, m.Workloads, 1)
	w := m.Workloads[0]
	assert.Contains(t, asked, "d.yaml spec.replicas")
	assert.Equal(t, "d.yaml", w.Replicas.At.Origin.File)
	s := w.ActiveStandby(RootCoord, m.Version)
	assert.Equal(t, "cm.yaml", s.Setting.At.Origin.File, "a setting from a ConfigMap points into the ConfigMap")
	assert.Contains(t, asked, "cm.yaml data.user.yaml")
}

func TestFromObjectsReadsTheOperatorsConfigMount(t *testing.T) {
	operator := func(args ...string) *appsv1.Deployment {
		d := deployment("milvus-rootcoord", 2, image)
		c := &d.Spec.Template.Spec.Containers[0]
		c.Command, c.Args = nil, args
		c.VolumeMounts = []corev1.VolumeMount{{Name: "config", MountPath: "/milvus/configs/operator", ReadOnly: true}}
		return d
	}
	cm := configMap("rootCoord:\n  enableActiveStandby: true\n")
	m := FromObjects(objects(cm, operator("/milvus/tools/run.sh", "milvus", "run", "rootcoord")))
	require.Len(t, m.Workloads, 1)
	s := m.Workloads[0].ActiveStandby(RootCoord, m.Version)
	assert.True(t, s.On, "run.sh links operator/user.yaml into the config directory")
	assert.Equal(t, "rootCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-config", s.Setting.Where)

	m = FromObjects(objects(cm, operator("milvus", "run", "rootcoord")))
	require.Len(t, m.Workloads, 1)
	assert.False(t, m.Workloads[0].ActiveStandby(RootCoord, m.Version).Set, "without run.sh nothing reads the operator directory")
}

func TestIndexcoordFollowsDatacoordFrom23(t *testing.T) {
	for _, tc := range []struct {
		image string
		on    bool
	}{{"milvusdb/milvus:v2.4.17", true}, {"milvusdb/milvus:v2.2.16", false}} {
		d := deployment("coord-mixture", 2, tc.image, "mixture", "-rootcoord", "-querycoord", "-datacoord", "-indexcoord")
		m := FromObjects(objects(d, configMap("dataCoord: {enableActiveStandby: true}")))
		require.Len(t, m.Workloads, 1)
		assert.Equal(t, tc.on, m.Workloads[0].ActiveStandby(IndexCoord, m.Version).On, "%s: dataCoord's key decides from 2.3", tc.image)
	}
}
