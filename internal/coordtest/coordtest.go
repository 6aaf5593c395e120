// Package coordtest builds Kubernetes objects as a chart renders them for the
// coordinators, for the tests of the model and of the rules.
package coordtest

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Namespace is the namespace of every object built here.
const Namespace = "milvus"

// Deployment runs `milvus run <args...>` in image under tini, with pod labels
// app: name and user.yaml from ConfigMap configMap mounted by subPath.
func Deployment(name, configMap string, replicas int32, image string, args ...string) *appsv1.Deployment {
	pod := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: Namespace},
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
						ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: configMap}}}}},
				},
			},
		},
	}
}

// ConfigMap holds user.yaml.
func ConfigMap(name, userYAML string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: Namespace}, Data: map[string]string{"user.yaml": userYAML}}
}

// PDB is a budget of maxUnavailable 1 over the pods selector matches.
func PDB(name string, selector map[string]string) *policyv1.PodDisruptionBudget {
	one := intstr.FromInt32(1)
	return &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: Namespace},
		Spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: &one, Selector: &metav1.LabelSelector{MatchLabels: selector}}}
}

// AntiAffinity gives d a preferred pod anti-affinity by hostname over the
// pods selector matches, and returns it.
func AntiAffinity(d *appsv1.Deployment, selector map[string]string) *appsv1.Deployment {
	d.Spec.Template.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
		PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{Weight: 100, PodAffinityTerm: corev1.PodAffinityTerm{
			LabelSelector: &metav1.LabelSelector{MatchLabels: selector}, TopologyKey: "kubernetes.io/hostname"}}}}}
	return d
}

// IngressPolicy is a NetworkPolicy over the pods selector matches that admits
// only pods labelled app.kubernetes.io/name: milvus.
func IngressPolicy(name string, selector map[string]string) *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: Namespace},
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: selector},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{
				PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "milvus"}}}}}},
		}}
}
