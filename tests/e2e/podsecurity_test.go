package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// The API server's PodSecurity admission plugin (on by default) enforces the
// namespace's level on Pods only: Deployments are stored whatever their pod
// template says, and with `warn` set the API server warns about them. No
// controller runs here to create the Pods, so each test creates, as a
// server-side dry-run, the Pod the ReplicaSet controller would create from a
// stored Deployment's template: admission runs in full and nothing is stored.
const (
	restrictedLevel   = "restricted"
	podSecurityDenied = `violates PodSecurity "restricted:latest"`
	// Helm logs API warnings through klog, which quotes them: match no quotes.
	podSecurityWarned = "would violate PodSecurity"
)

// newRestrictedNamespace is newNamespace with the restricted Pod Security
// level enforced and warned about, at the API server's own version (pinned by
// KUBE_VERSION).
func newRestrictedNamespace(t *testing.T) string {
	t.Helper()
	ns := newNamespace(t)
	patch := fmt.Sprintf(`{"metadata":{"labels":{
		"pod-security.kubernetes.io/enforce":%[1]q,"pod-security.kubernetes.io/enforce-version":"latest",
		"pod-security.kubernetes.io/warn":%[1]q,"pod-security.kubernetes.io/warn-version":"latest"}}}`, restrictedLevel)
	_, err := env.kube.CoreV1().Namespaces().Patch(apiContext(t), ns, types.MergePatchType, []byte(patch), metav1.PatchOptions{})
	require.NoError(t, err, "label namespace %s", ns)
	return ns
}

// releaseDeployments returns the Deployments of a release as the API server
// stored them.
func releaseDeployments(t *testing.T, ns, release string) []appsv1.Deployment {
	t.Helper()
	l, err := env.kube.AppsV1().Deployments(ns).List(apiContext(t), metav1.ListOptions{LabelSelector: "app.kubernetes.io/instance=" + release})
	require.NoError(t, err)
	require.NotEmpty(t, l.Items, "release %s made no Deployment", release)
	return l.Items
}

// dryRunPod creates, without storing it, the Pod a Deployment's template makes.
func dryRunPod(t *testing.T, d appsv1.Deployment) error {
	t.Helper()
	tmpl := d.Spec.Template
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:        d.Name + "-dry-run",
			Namespace:   d.Namespace,
			Labels:      tmpl.Labels,
			Annotations: tmpl.Annotations,
		},
		Spec: tmpl.Spec,
	}
	_, err := env.kube.CoreV1().Pods(d.Namespace).Create(apiContext(t), pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	return err
}

// TestScenariosAdmittedUnderRestricted installs every ci/ scenario in a
// namespace that enforces the restricted Pod Security level: Helm gets no Pod
// Security warning, and the Pod of every coordinator Deployment is admitted.
func TestScenariosAdmittedUnderRestricted(t *testing.T) {
	t.Parallel()
	for i, file := range scenarioFiles(t) {
		t.Run(scenarioName(file), func(t *testing.T) {
			t.Parallel()
			ns := newRestrictedNamespace(t)
			release := fmt.Sprintf("psa-%02d", i+1)
			r := mustHelm(t, "install", release, env.chartDir, "--namespace", ns, "--values", file)
			assert.NotContains(t, r.Stderr, podSecurityWarned, r.String())
			for _, d := range releaseDeployments(t, ns, release) {
				require.NoError(t, dryRunPod(t, d), "the Pod of Deployment %s is refused under %s", d.Name, restrictedLevel)
			}
			requireNoPods(t, ns)
		})
	}
}

// TestPodExtrasAdmittedUnderRestricted: heaptrack's init container runs as
// restricted as Milvus, so coordinators under heaptrack (profiled too, with a
// Secret mounted, pod labels and a priority class) are admitted where the
// restricted level is enforced, with no warning, and the API server takes
// what the chart renders for them.
func TestPodExtrasAdmittedUnderRestricted(t *testing.T) {
	t.Parallel()
	ns := newRestrictedNamespace(t)
	class := &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: ns + "-coordinators"}, Value: 1000}
	_, err := env.kube.SchedulingV1().PriorityClasses().Create(apiContext(t), class, metav1.CreateOptions{})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = env.kube.SchedulingV1().PriorityClasses().Delete(context.Background(), class.Name, metav1.DeleteOptions{})
	})
	set := []string{"--set", "priorityClassName=" + class.Name, "--set", "podLabels.team=db",
		"--set", "extraVolumes[0].name=tls,extraVolumes[0].secret.secretName=milvus-tls",
		"--set", "extraVolumeMounts[0].name=tls,extraVolumeMounts[0].mountPath=/milvus/tls,extraVolumeMounts[0].readOnly=true"}
	for _, block := range []string{"rootCoordinator", "queryCoordinator", "dataCoordinator"} {
		set = append(set, "--set", block+".heaptrack.enabled=true", "--set", block+".profiling.enabled=true")
	}
	r := mustHelm(t, append([]string{"install", "extras", env.chartDir, "--namespace", ns}, set...)...)
	assert.NotContains(t, r.Stderr, podSecurityWarned, r.String())
	deployments := releaseDeployments(t, ns, "extras")
	require.Len(t, deployments, 3)
	for _, d := range deployments {
		require.Len(t, d.Spec.Template.Spec.InitContainers, 1, "Deployment %s has heaptrack's init container", d.Name)
		assert.Equal(t, "db", d.Spec.Template.Labels["team"])
		assert.Equal(t, class.Name, d.Spec.Template.Spec.PriorityClassName)
		require.NoError(t, dryRunPod(t, d), "the Pod of Deployment %s is refused under %s", d.Name, restrictedLevel)
	}
	requireNoPods(t, ns)
}

// TestRootOptOutRefusedUnderRestricted: the documented opt-out into root is
// refused where the restricted level is enforced, and admitted where it is not,
// so the refusal comes from Pod Security and nothing else.
func TestRootOptOutRefusedUnderRestricted(t *testing.T) {
	t.Parallel()
	rootValues := []string{"--set", "securityContext.runAsNonRoot=false", "--set", "securityContext.runAsUser=0",
		"--set", "containerSecurityContext.readOnlyRootFilesystem=false"}

	t.Run("restricted namespace", func(t *testing.T) {
		t.Parallel()
		ns := newRestrictedNamespace(t)
		// Deployments are not enforced: the install goes through, with a warning.
		r := mustHelm(t, append([]string{"install", "root", env.chartDir, "--namespace", ns}, rootValues...)...)
		assert.Contains(t, r.Stderr, podSecurityWarned, r.String())
		for _, d := range releaseDeployments(t, ns, "root") {
			err := dryRunPod(t, d)
			require.Error(t, err, "the root Pod of Deployment %s was admitted under %s", d.Name, restrictedLevel)
			assert.True(t, apierrors.IsForbidden(err), "%v", err)
			assert.Contains(t, err.Error(), podSecurityDenied)
			assert.Contains(t, err.Error(), "runAsNonRoot != true")
			assert.Contains(t, err.Error(), "runAsUser=0")
		}
		requireNoPods(t, ns)
	})
	t.Run("unrestricted namespace", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		mustHelm(t, append([]string{"install", "root", env.chartDir, "--namespace", ns}, rootValues...)...)
		for _, d := range releaseDeployments(t, ns, "root") {
			require.NoError(t, dryRunPod(t, d), "Deployment %s", d.Name)
		}
	})
}

// requireNoPods proves the dry-runs stored nothing.
func requireNoPods(t *testing.T, ns string) {
	t.Helper()
	pods, err := env.kube.CoreV1().Pods(ns).List(apiContext(t), metav1.ListOptions{})
	require.NoError(t, err)
	require.Empty(t, pods.Items)
}
