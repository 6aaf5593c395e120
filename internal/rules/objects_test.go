package rules

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

// Objects as a chart renders them, for the rules' manifests path.

const ns = "milvus"

type deploymentT = appsv1.Deployment

// deployment runs `milvus run <args...>` in the Milvus image, with user.yaml
// from ConfigMap <name>-config mounted by subPath.
func deployment(name string, replicas int32, image string, args ...string) *appsv1.Deployment {
	pod := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: pod},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: pod},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name: "coord", Image: image, Command: []string{"/tini", "--"},
						Args:         append([]string{"milvus", "run"}, args...),
						VolumeMounts: []corev1.VolumeMount{{Name: "config", MountPath: "/milvus/configs/user.yaml", SubPath: "user.yaml"}},
					}},
					Volumes: []corev1.Volume{{Name: "config", VolumeSource: corev1.VolumeSource{
						ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: name + "-config"}}}}},
				},
			},
		},
	}
}

func configMap(name, userYAML string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name + "-config", Namespace: ns}, Data: map[string]string{"user.yaml": userYAML}}
}

func pdb(name string, selector map[string]string) *policyv1.PodDisruptionBudget {
	one := intstr.FromInt32(1)
	return &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: &one, Selector: &metav1.LabelSelector{MatchLabels: selector}}}
}

func antiAffinity(d *appsv1.Deployment, selector map[string]string) *appsv1.Deployment {
	d.Spec.Template.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
		PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{Weight: 100, PodAffinityTerm: corev1.PodAffinityTerm{
			LabelSelector: &metav1.LabelSelector{MatchLabels: selector}, TopologyKey: "kubernetes.io/hostname"}}}}}
	return d
}

func withEnv(d *appsv1.Deployment, env ...corev1.EnvVar) *appsv1.Deployment {
	d.Spec.Template.Spec.Containers[0].Env = env
	return d
}

func objects(objs ...any) []coord.Object {
	out := make([]coord.Object, len(objs))
	for i, o := range objs {
		out[i] = coord.Object{Object: o}
	}
	return out
}

// haCoordinator is a healthy HA coordinator of Milvus 2.4: two replicas,
// active-standby in user.yaml, kept apart, with its own budget.
func haCoordinator(role string) []any {
	name := "coord-" + role
	section := map[string]string{"rootcoord": "rootCoord", "querycoord": "queryCoord", "datacoord": "dataCoord"}[role]
	d := antiAffinity(deployment(name, 2, "milvusdb/milvus:v2.4.17", role), map[string]string{"app": name})
	surge, unavailable := intstr.FromInt32(1), intstr.FromInt32(0)
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable}}
	return []any{configMap(name, section+":\n  enableActiveStandby: true\ncommon:\n  session:\n    ttl: 30\n"), d, pdb(name, map[string]string{"app": name})}
}

// haCluster is the three HA coordinators as objects.
func haCluster() []any {
	var all []any
	for _, r := range []string{"rootcoord", "querycoord", "datacoord"} {
		all = append(all, haCoordinator(r)...)
	}
	return all
}
