package render

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"helm.sh/helm/v3/pkg/releaseutil"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	_ "github.com/milvus-coord/milvus-coord/internal/golden" // defines -update, which `go test ./... -update` passes to every package
)

func labelsFor(role string) map[string]string {
	return map[string]string{"app.kubernetes.io/name": "milvus-coord", "app.kubernetes.io/instance": "r", componentLabel: role}
}

// coordinator builds the objects the chart renders for a healthy HA coordinator.
func coordinator(role string, replicas int32) (*appsv1.Deployment, *corev1.ConfigMap, *policyv1.PodDisruptionBudget) {
	ls := labelsFor(role)
	surge, unavailable := intstr.FromInt32(1), intstr.FromInt32(0)
	args := []string{"milvus", "run", role}
	section := map[string]string{"rootcoord": "rootCoord", "querycoord": "queryCoord", "datacoord": "dataCoord"}[role]
	config := section + ":\n  enableActiveStandby: true\n"
	if role == "mixcoord" {
		args = []string{"milvus", "run", "mixture", "-rootcoord", "-querycoord", "-datacoord"}
		config = "rootCoord: {enableActiveStandby: true}\nqueryCoord: {enableActiveStandby: true}\ndataCoord: {enableActiveStandby: true}\n"
	}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "r-" + role},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: ls},
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: ls},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: role, Args: args}},
					Volumes: []corev1.Volume{{Name: "config", VolumeSource: corev1.VolumeSource{
						ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "r-" + role}}}}},
					Affinity: &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
						PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{Weight: 100,
							PodAffinityTerm: corev1.PodAffinityTerm{LabelSelector: &metav1.LabelSelector{MatchLabels: ls}, TopologyKey: "kubernetes.io/hostname"}}}}},
				},
			},
		},
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "r-" + role}, Data: map[string]string{"user.yaml": config}}
	one := intstr.FromInt32(1)
	pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "r-" + role},
		Spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: &one, Selector: &metav1.LabelSelector{MatchLabels: ls}}}
	return d, cm, pdb
}

func nonHA(d *appsv1.Deployment, cm *corev1.ConfigMap) {
	cm.Data["user.yaml"] = "rootCoord:\n  enableActiveStandby: false\n"
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	d.Spec.Template.Spec.Affinity = nil
}

type want struct {
	rule     string
	severity finding.Severity
	path     string
}

func TestInvariants(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(d *appsv1.Deployment, cm *corev1.ConfigMap, pdb **policyv1.PodDisruptionBudget)
		role   string
		extra  func() []Object // more objects beside the coordinator
		want   []want
	}{
		{name: "healthy HA coordinator", mutate: func(*appsv1.Deployment, *corev1.ConfigMap, **policyv1.PodDisruptionBudget) {}},
		{name: "healthy mixcoord", role: "mixcoord", mutate: func(*appsv1.Deployment, *corev1.ConfigMap, **policyv1.PodDisruptionBudget) {}},
		{name: "healthy single non-HA coordinator", mutate: func(d *appsv1.Deployment, cm *corev1.ConfigMap, pdb **policyv1.PodDisruptionBudget) {
			nonHA(d, cm)
			*d.Spec.Replicas = 1
			*pdb = nil
		}},
		{name: "replicas 2 with active-standby off in user.yaml",
			mutate: func(d *appsv1.Deployment, cm *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				cm.Data["user.yaml"] = "rootCoord:\n  enableActiveStandby: false\n"
				d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
			},
			want: []want{{RuleHAInvariant, finding.Error, "rootCoordinator.activeStandby.enabled"}}},
		{name: "env overrides user.yaml: ROOT_COORD_ENABLE_ACTIVE_STANDBY=false wins",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				d.Spec.Template.Spec.Containers[0].Env = []corev1.EnvVar{{Name: "ROOT_COORD_ENABLE_ACTIVE_STANDBY", Value: "false"}}
			},
			want: []want{{RuleHAInvariant, finding.Error, "rootCoordinator.extraEnv"}}},
		{name: "non-HA coordinator with a RollingUpdate strategy",
			mutate: func(d *appsv1.Deployment, cm *corev1.ConfigMap, pdb **policyv1.PodDisruptionBudget) {
				nonHA(d, cm)
				*d.Spec.Replicas = 1
				*pdb = nil
				d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType}
			},
			want: []want{{RuleHAInvariant, finding.Error, "rootCoordinator.strategy"}}},
		{name: "non-HA Recreate with a lingering rollingUpdate block",
			mutate: func(d *appsv1.Deployment, cm *corev1.ConfigMap, pdb **policyv1.PodDisruptionBudget) {
				nonHA(d, cm)
				*d.Spec.Replicas = 1
				*pdb = nil
				d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{}
			},
			want: []want{{RuleHAInvariant, finding.Error, "rootCoordinator.strategy"}}},
		{name: "HA coordinator rolling with maxUnavailable 1",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				one := intstr.FromInt32(1)
				d.Spec.Strategy.RollingUpdate.MaxUnavailable = &one
			},
			want: []want{{RuleHADegraded, finding.Warning, "rootCoordinator.strategy"}}},
		{name: "HA coordinator with Recreate",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
			},
			want: []want{{RuleHADegraded, finding.Warning, "rootCoordinator.strategy"}}},
		{name: "HA coordinator without a PodDisruptionBudget",
			mutate: func(_ *appsv1.Deployment, _ *corev1.ConfigMap, pdb **policyv1.PodDisruptionBudget) { *pdb = nil },
			want:   []want{{RuleHADegraded, finding.Warning, "podDisruptionBudget.enabled"}}},
		{name: "PodDisruptionBudget selecting two coordinators",
			mutate: func(_ *appsv1.Deployment, _ *corev1.ConfigMap, pdb **policyv1.PodDisruptionBudget) {
				(*pdb).Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/instance": "r"}}
			},
			extra: func() []Object {
				d, cm, pdb := coordinator("querycoord", 2)
				return []Object{{Object: d}, {Object: cm}, {Object: pdb}}
			},
			want: []want{
				{RuleHAInvariant, finding.Error, "podDisruptionBudget.enabled"},
				{RuleHAInvariant, finding.Error, "podDisruptionBudget.enabled"},
			}},
		{name: "PodDisruptionBudget over a single replica",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				*d.Spec.Replicas = 1
			},
			want: []want{{RuleHADegraded, finding.Warning, "podDisruptionBudget.enabled"}}},
		{name: "HA replicas with nothing keeping them apart (affinity override)",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				d.Spec.Template.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{}}
			},
			want: []want{{RuleHADegraded, finding.Warning, "rootCoordinator.affinity"}}},
		{name: "spread constraints instead of anti-affinity",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				d.Spec.Template.Spec.Affinity = nil
				d.Spec.Template.Spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1,
					TopologyKey: "zone", WhenUnsatisfiable: corev1.ScheduleAnyway, LabelSelector: &metav1.LabelSelector{MatchLabels: labelsFor("rootcoord")}}}
			}},
		{name: "anti-affinity selecting other pods does not spread these",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				d.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution[0].PodAffinityTerm.LabelSelector =
					&metav1.LabelSelector{MatchLabels: map[string]string{"app": "other"}}
			},
			want: []want{{RuleHADegraded, finding.Warning, "rootCoordinator.affinity"}}},
		{name: "selector that does not match the pod labels",
			mutate: func(d *appsv1.Deployment, _ *corev1.ConfigMap, _ **policyv1.PodDisruptionBudget) {
				d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "other"}}
			},
			want: []want{{RuleHAInvariant, finding.Error, "rootCoordinator"}}},
		{name: "mixcoord beside a separate rootcoord runs rootcoord twice",
			mutate: func(*appsv1.Deployment, *corev1.ConfigMap, **policyv1.PodDisruptionBudget) {},
			extra: func() []Object {
				d, cm, pdb := coordinator("mixcoord", 2)
				return []Object{{Object: d}, {Object: cm}, {Object: pdb}}
			},
			want: []want{{RuleHAInvariant, finding.Error, "mixCoordinator.enabled"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role := tt.role
			if role == "" {
				role = "rootcoord"
			}
			d, cm, pdb := coordinator(role, 2)
			tt.mutate(d, cm, &pdb)
			objs := []Object{{Object: d}, {Object: cm}}
			if pdb != nil {
				objs = append(objs, Object{Object: pdb})
			}
			if tt.extra != nil {
				objs = append(objs, tt.extra()...)
			}
			var got []want
			for _, f := range Invariants(objs) {
				got = append(got, want{f.Rule, f.Severity, f.Path})
				assert.NotEmpty(t, f.Message)
				assert.NotEmpty(t, f.Fix)
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestMilvusRoles(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"milvus", "run", "rootcoord"}, []string{"rootcoord"}},
		{[]string{"milvus", "run", "mixcoord"}, []string{"rootcoord", "querycoord", "datacoord"}},
		{[]string{"milvus", "run", "mixture", "-rootcoord", "-datacoord"}, []string{"rootcoord", "datacoord"}},
		{[]string{"milvus", "run", "proxy"}, nil},
		{[]string{"sh", "-c", "milvus run rootcoord"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, milvusRoles(tt.args), "%v", tt.args)
	}
}

func TestErrorFinding(t *testing.T) {
	tests := []struct {
		err       string
		file      string
		line, col int
		message   string
	}{
		{"execution error at (milvus-coord/templates/validate.yaml:17:4): rootCoordinator.replicas is 2 but ...",
			"milvus-coord/templates/validate.yaml", 17, 4, "rootCoordinator.replicas is 2 but ..."},
		{`template: milvus-coord/templates/x.yaml:3:5: executing "x" at <.Values.a.b>: nil pointer evaluating interface {}.b`,
			"milvus-coord/templates/x.yaml", 3, 5, `executing "x" at <.Values.a.b>: nil pointer evaluating interface {}.b`},
		{`template: milvus-coord/templates/x.yaml:9: function "nope" not defined`,
			"milvus-coord/templates/x.yaml", 9, 0, `function "nope" not defined`},
		{"chart requires kubeVersion: >=1.27.0-0 which is incompatible with Kubernetes v1.20.0", "", 0, 0,
			"the chart does not render: chart requires kubeVersion: >=1.27.0-0 which is incompatible with Kubernetes v1.20.0"},
	}
	for _, tt := range tests {
		f := ErrorFinding(errString(tt.err))
		assert.Equal(t, RuleTemplate, f.Rule)
		assert.Equal(t, finding.Error, f.Severity)
		assert.Equal(t, finding.Origin{File: tt.file, Line: tt.line, Col: tt.col}, f.Origin, tt.err)
		assert.Equal(t, tt.message, f.Message)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// TestSplitDocumentsMatchesHelm: the check path's splitter finds the documents
// Helm's SplitManifests finds, in the same order, for the streams templates
// produce. (Helm's regular expression also swallows a "---" that follows
// another after only blank lines, leaving it at the start of the next
// document or as a document of its own; that changes no object.)
func TestSplitDocumentsMatchesHelm(t *testing.T) {
	for _, stream := range []string{
		"",
		"a: 1\n",
		"---\na: 1\n---\nb: 2\n",
		"\n\n---\n# Source: x\na: 1\n---   \nb: |\n  text\n  --- inside a block is indented\n",
		"a: 1\n---\n",
		"---\n# a comment only\n---\nkind: ConfigMap\n",
	} {
		helm := releaseutil.SplitManifests(stream)
		keys := make([]string, 0, len(helm))
		for k := range helm {
			keys = append(keys, k)
		}
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		var want []string
		for _, k := range keys {
			want = append(want, helm[k])
		}
		assert.Equal(t, want, splitDocuments(stream), "%q", stream)
	}
}
