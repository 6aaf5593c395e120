package rules

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/coordtest"
)

// Objects as a chart renders them, for the rules' manifests path.

const ns = coordtest.Namespace

type deploymentT = appsv1.Deployment

// deployment mounts user.yaml from ConfigMap <name>-config.
func deployment(name string, replicas int32, image string, args ...string) *appsv1.Deployment {
	return coordtest.Deployment(name, name+"-config", replicas, image, args...)
}

func configMap(name, userYAML string) *corev1.ConfigMap {
	return coordtest.ConfigMap(name+"-config", userYAML)
}

var (
	pdb          = coordtest.PDB
	antiAffinity = coordtest.AntiAffinity
)

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
	return []any{configMap(name, section+":\n  enableActiveStandby: true\ncommon:\n  session:\n    ttl: 30\n"), d, pdb(name, map[string]string{"app": name}),
		coordtest.IngressPolicy(name, map[string]string{"app": name})}
}

// haCluster is the three HA coordinators as objects.
func haCluster() []any {
	var all []any
	for _, r := range []string{"rootcoord", "querycoord", "datacoord"} {
		all = append(all, haCoordinator(r)...)
	}
	return all
}
