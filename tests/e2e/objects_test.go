package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// The kinds the chart makes, plus the Secrets Helm keeps its releases in: every
// one is listed to prove a namespace holds exactly what it should.
const (
	kindDeployment     = "Deployment"
	kindConfigMap      = "ConfigMap"
	kindService        = "Service"
	kindPDB            = "PodDisruptionBudget"
	kindSecret         = "Secret"
	kindServiceAccount = "ServiceAccount"
	kindNetworkPolicy  = "NetworkPolicy"
)

var allKinds = []string{kindDeployment, kindConfigMap, kindService, kindPDB, kindSecret, kindServiceAccount, kindNetworkPolicy}

// listNames returns the sorted names of the objects of one kind in a namespace
// that match a label selector ("" for all).
func listNames(ctx context.Context, ns, kind, selector string) ([]string, error) {
	opts := metav1.ListOptions{LabelSelector: selector}
	var names []string
	collect := func(items int, name func(int) string) {
		for i := range items {
			names = append(names, name(i))
		}
	}
	switch kind {
	case kindDeployment:
		l, err := env.kube.AppsV1().Deployments(ns).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		collect(len(l.Items), func(i int) string { return l.Items[i].Name })
	case kindConfigMap:
		l, err := env.kube.CoreV1().ConfigMaps(ns).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		collect(len(l.Items), func(i int) string { return l.Items[i].Name })
	case kindService:
		l, err := env.kube.CoreV1().Services(ns).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		collect(len(l.Items), func(i int) string { return l.Items[i].Name })
	case kindPDB:
		l, err := env.kube.PolicyV1().PodDisruptionBudgets(ns).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		collect(len(l.Items), func(i int) string { return l.Items[i].Name })
	case kindSecret:
		l, err := env.kube.CoreV1().Secrets(ns).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		collect(len(l.Items), func(i int) string { return l.Items[i].Name })
	case kindServiceAccount:
		l, err := env.kube.CoreV1().ServiceAccounts(ns).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		collect(len(l.Items), func(i int) string { return l.Items[i].Name })
	case kindNetworkPolicy:
		l, err := env.kube.NetworkingV1().NetworkPolicies(ns).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		collect(len(l.Items), func(i int) string { return l.Items[i].Name })
	default:
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
	sort.Strings(names)
	return names, nil
}

// listByKind lists every kind; kinds with no object are left out.
func listByKind(ctx context.Context, ns, selector string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, kind := range allKinds {
		names, err := listNames(ctx, ns, kind, selector)
		if err != nil {
			return nil, fmt.Errorf("list %s in %s: %w", kind, ns, err)
		}
		if len(names) > 0 {
			out[kind] = names
		}
	}
	return out, nil
}

// describeNamespace is a one-line-per-kind summary, for failure messages.
func describeNamespace(ns string) string {
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	defer cancel()
	objects, err := listByKind(ctx, ns, "")
	if err != nil {
		return err.Error()
	}
	if len(objects) == 0 {
		return "(none)"
	}
	var b strings.Builder
	for _, kind := range allKinds {
		if names, ok := objects[kind]; ok {
			fmt.Fprintf(&b, "  %s: %s\n", kind, strings.Join(names, ", "))
		}
	}
	return b.String()
}

// instanceSelector selects the objects the chart made for a release.
func instanceSelector(release string) string {
	return "app.kubernetes.io/instance=" + release
}

// helmReleaseSelector selects the Secrets Helm stores a release's history in.
func helmReleaseSelector(release string) string {
	return "owner=helm,name=" + release
}

// requireNamespaceEmpty fails unless the namespace holds no object of any kind
// the chart or Helm makes (no controller manager runs, so nothing else appears
// there either: not even a default ServiceAccount or kube-root-ca.crt).
func requireNamespaceEmpty(t *testing.T, ns string) {
	t.Helper()
	objects, err := listByKind(apiContext(t), ns, "")
	require.NoError(t, err)
	require.Empty(t, objects, "namespace %s should be empty", ns)
}

// checkRelease proves the namespace holds exactly the objects the values ask for,
// each as the Milvus HA facts require, and returns each coordinator's
// checksum/config annotation by role.
func checkRelease(t *testing.T, ns string, want releaseState) map[string]string {
	t.Helper()
	ctx := apiContext(t)
	got, err := listByKind(ctx, ns, instanceSelector(want.release))
	require.NoError(t, err)
	require.Equal(t, want.objects, got, "objects of release %s in %s", want.release, ns)

	releases, err := listNames(ctx, ns, kindSecret, helmReleaseSelector(want.release))
	require.NoError(t, err)
	require.NotEmpty(t, releases, "helm keeps no release Secret for %s", want.release)

	checksums := map[string]string{}
	for _, c := range want.coordinators {
		t.Run(c.role, func(t *testing.T) {
			checksums[c.role] = checkCoordinator(t, ctx, ns, want.release, c)
		})
	}
	return checksums
}

// checkCoordinator checks one coordinator's Deployment, ConfigMap, Service and
// PodDisruptionBudget as stored by the API server, and returns the Deployment's
// checksum/config annotation.
func checkCoordinator(t *testing.T, ctx context.Context, ns, release string, c coordinatorState) string {
	selector := map[string]string{
		"app.kubernetes.io/name":      "milvus-coord",
		"app.kubernetes.io/instance":  release,
		"app.kubernetes.io/component": c.role,
	}

	dep, err := env.kube.AppsV1().Deployments(ns).Get(ctx, c.name, metav1.GetOptions{})
	require.NoError(t, err)
	require.NotNil(t, dep.Spec.Selector)
	assert.Equal(t, selector, dep.Spec.Selector.MatchLabels, "Deployment selector")
	assert.Empty(t, dep.Spec.Selector.MatchExpressions, "Deployment selector")
	if assert.NotNil(t, dep.Spec.Replicas) {
		assert.EqualValues(t, c.replicas, *dep.Spec.Replicas, "replicas")
	}
	checkStrategy(t, dep.Spec.Strategy, c.activeStandby)

	pod := dep.Spec.Template.Spec
	// Service links inject env vars like MINIO_PORT=tcp://..., which Milvus reads
	// as config keys.
	if assert.NotNil(t, pod.EnableServiceLinks, "enableServiceLinks") {
		assert.False(t, *pod.EnableServiceLinks, "enableServiceLinks")
	}
	checkAntiAffinity(t, pod.Affinity, c, selector)
	require.Len(t, pod.Containers, 1)
	for _, prefix := range c.envPrefix {
		// Env vars override user.yaml in Milvus, so they must agree with it.
		name := prefix + "_ENABLE_ACTIVE_STANDBY"
		assert.Equal(t, strconv.FormatBool(c.activeStandby), envValue(pod.Containers[0].Env, name), "env %s", name)
	}

	cm, err := env.kube.CoreV1().ConfigMaps(ns).Get(ctx, c.name, metav1.GetOptions{})
	require.NoError(t, err)
	userYAML, ok := cm.Data["user.yaml"]
	require.True(t, ok, "ConfigMap %s has no user.yaml", c.name)
	var cfg map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(userYAML), &cfg), "user.yaml")
	for _, key := range c.configKeys {
		section, _ := cfg[key].(map[string]any)
		// Milvus reads only <role>.enableActiveStandby, as a boolean.
		assert.Equal(t, c.activeStandby, section["enableActiveStandby"], "user.yaml %s.enableActiveStandby", key)
	}
	checksum := dep.Spec.Template.Annotations["checksum/config"]
	require.NotEmpty(t, checksum, "pod template has no checksum/config annotation")
	assert.Equal(t, configChecksum(t, userYAML), checksum, "checksum/config against ConfigMap %s", c.name)

	svc, err := env.kube.CoreV1().Services(ns).Get(ctx, c.name, metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, selector, svc.Spec.Selector, "Service selector")

	pdb, err := env.kube.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, c.name, metav1.GetOptions{})
	if !c.pdb {
		assert.True(t, apierrors.IsNotFound(err), "a PodDisruptionBudget for %d replica(s) blocks drains: %v", c.replicas, err)
		return checksum
	}
	require.NoError(t, err)
	if assert.NotNil(t, pdb.Spec.MaxUnavailable) {
		assert.Equal(t, intstr.FromInt32(1), *pdb.Spec.MaxUnavailable, "PDB maxUnavailable")
	}
	assert.Nil(t, pdb.Spec.MinAvailable, "PDB minAvailable")
	assert.Equal(t, dep.Spec.Selector, pdb.Spec.Selector, "PDB selector must equal the Deployment's")
	return checksum
}

// checkStrategy: with active-standby a new pod starts as a standby before an old
// one stops (RollingUpdate, maxSurge 1, maxUnavailable 0); without it two pods
// must never overlap (Recreate, and no rollingUpdate block, which the API server
// would refuse anyway).
func checkStrategy(t *testing.T, s appsv1.DeploymentStrategy, activeStandby bool) {
	t.Helper()
	if !activeStandby {
		assert.Equal(t, appsv1.RecreateDeploymentStrategyType, s.Type, "strategy without active-standby")
		assert.Nil(t, s.RollingUpdate, "strategy Recreate with a rollingUpdate block")
		return
	}
	assert.Equal(t, appsv1.RollingUpdateDeploymentStrategyType, s.Type, "strategy with active-standby")
	if assert.NotNil(t, s.RollingUpdate, "rollingUpdate") {
		if assert.NotNil(t, s.RollingUpdate.MaxSurge) {
			assert.Equal(t, intstr.FromInt32(1), *s.RollingUpdate.MaxSurge, "maxSurge")
		}
		if assert.NotNil(t, s.RollingUpdate.MaxUnavailable) {
			assert.Equal(t, intstr.FromInt32(0), *s.RollingUpdate.MaxUnavailable, "maxUnavailable")
		}
	}
}

// checkAntiAffinity: replicas of an HA coordinator on one node are not HA, so
// more than one replica gets a pod anti-affinity on the component's own labels.
func checkAntiAffinity(t *testing.T, a *corev1.Affinity, c coordinatorState, selector map[string]string) {
	t.Helper()
	var anti *corev1.PodAntiAffinity
	if a != nil {
		anti = a.PodAntiAffinity
	}
	var term corev1.PodAffinityTerm
	switch c.antiAffinity {
	case "":
		assert.Nil(t, anti, "pod anti-affinity for %d replica(s)", c.replicas)
		return
	case "hard":
		require.NotNil(t, anti, "pod anti-affinity for %d replicas", c.replicas)
		assert.Empty(t, anti.PreferredDuringSchedulingIgnoredDuringExecution)
		require.Len(t, anti.RequiredDuringSchedulingIgnoredDuringExecution, 1)
		term = anti.RequiredDuringSchedulingIgnoredDuringExecution[0]
	default:
		require.NotNil(t, anti, "pod anti-affinity for %d replicas", c.replicas)
		assert.Empty(t, anti.RequiredDuringSchedulingIgnoredDuringExecution)
		require.Len(t, anti.PreferredDuringSchedulingIgnoredDuringExecution, 1)
		assert.EqualValues(t, 100, anti.PreferredDuringSchedulingIgnoredDuringExecution[0].Weight)
		term = anti.PreferredDuringSchedulingIgnoredDuringExecution[0].PodAffinityTerm
	}
	if assert.NotNil(t, term.LabelSelector) {
		assert.Equal(t, selector, term.LabelSelector.MatchLabels, "anti-affinity selector")
	}
	assert.Equal(t, c.topologyKey, term.TopologyKey, "anti-affinity topologyKey")
}

func envValue(vars []corev1.EnvVar, name string) string {
	for _, v := range vars {
		if v.Name == name {
			return v.Value
		}
	}
	return "(unset)"
}

// configChecksum is the checksum/config annotation expected for a ConfigMap's
// user.yaml data: the SHA-256 of the data exactly as the API server stores it
// (the chart writes it as a `|-` block scalar, so no newline is added).
func configChecksum(t *testing.T, data string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:])
}
