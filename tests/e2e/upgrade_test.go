package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// releaseStep is one `helm install` (the first step) or `helm upgrade
// --reset-values` (the others) of a release, and what must hold after it.
type releaseStep struct {
	name   string
	values map[string]any // the whole overlay over the chart defaults for this step
	// deployments are the Deployment names that must exist afterwards, written
	// out by hand as a check on the names derived from the values.
	deployments []string
	// checksum says how each coordinator's checksum/config compares with the
	// previous step's (for the roles both steps run): changed or unchanged.
	checksum checksumChange
	// after runs extra checks on the stored objects.
	after func(t *testing.T, ns string)
}

type checksumChange int

const (
	checksumAny checksumChange = iota
	checksumChanged
	checksumUnchanged
)

// runReleaseSteps applies the steps in order to one release in a fresh namespace.
// Each step must be accepted by Helm and the API server and leave exactly the
// objects its values ask for; the first failing step ends the test.
func runReleaseSteps(t *testing.T, release string, steps []releaseStep) {
	t.Helper()
	ns := newNamespace(t)
	var previous map[string]string
	for i, step := range steps {
		ok := t.Run(step.name, func(t *testing.T) {
			args := []string{"install", release, env.chartDir, "--namespace", ns, "--values", writeValues(t, step.values)}
			if i > 0 {
				args[0] = "upgrade"
				args = append(args, "--reset-values")
			}
			mustHelm(t, args...)

			deployments, err := listNames(apiContext(t), ns, kindDeployment, "")
			require.NoError(t, err)
			require.Equal(t, step.deployments, deployments, "Deployments after %s", step.name)

			sums := checkRelease(t, ns, expectedState(t, release, chartValues(t, step.values)))
			for role, sum := range sums {
				before, ok := previous[role]
				if !ok {
					continue
				}
				switch step.checksum {
				case checksumChanged:
					assert.NotEqual(t, before, sum, "%s checksum/config: the config changed, so the pods must roll", role)
				case checksumUnchanged:
					assert.Equal(t, before, sum, "%s checksum/config: the config did not change, so the pods must not roll", role)
				}
			}
			previous = sums
			if step.after != nil {
				step.after(t, ns)
			}
		})
		require.True(t, ok, "step %d (%s) failed; later steps depend on it", i+1, step.name)
	}
}

// separate is an overlay that gives the three separate coordinators the same
// replicas and active-standby mode.
func separate(replicas int, activeStandby bool) map[string]any {
	block := func() map[string]any {
		return map[string]any{"replicas": replicas, "activeStandby": map[string]any{"enabled": activeStandby}}
	}
	return map[string]any{"rootCoordinator": block(), "queryCoordinator": block(), "dataCoordinator": block()}
}

func separateDeployments(prefix string) []string {
	return []string{prefix + "-datacoord", prefix + "-querycoord", prefix + "-rootcoord"}
}

// TestUpgradeActiveStandbyOffAndOn toggles active-standby, which also switches the
// rollout strategy between RollingUpdate and Recreate. Helm's three-way merge must
// drop the rollingUpdate block on the way to Recreate, or the API server refuses
// the Deployment.
func TestUpgradeActiveStandbyOffAndOn(t *testing.T) {
	t.Parallel()
	// A release name that contains the chart name is the whole prefix.
	const release = "milvus-coord"
	runReleaseSteps(t, release, []releaseStep{
		{
			name:        "2 replicas with active-standby",
			values:      separate(2, true),
			deployments: separateDeployments(release),
		},
		{
			name:        "1 replica without active-standby",
			values:      separate(1, false),
			deployments: separateDeployments(release),
			checksum:    checksumChanged,
			after: func(t *testing.T, ns string) {
				dep, err := env.kube.AppsV1().Deployments(ns).Get(apiContext(t), release+"-rootcoord", metav1.GetOptions{})
				require.NoError(t, err)
				require.Equal(t, appsv1.RecreateDeploymentStrategyType, dep.Spec.Strategy.Type)
				require.Nil(t, dep.Spec.Strategy.RollingUpdate)
				t.Run("server refuses rollingUpdate under Recreate", func(t *testing.T) {
					requireRecreateWithRollingUpdateRefused(t, dep)
				})
			},
		},
		{
			name:        "2 replicas with active-standby again",
			values:      separate(2, true),
			deployments: separateDeployments(release),
			checksum:    checksumChanged,
		},
	})
}

// requireRecreateWithRollingUpdateRefused shows why the chart must render no
// rollingUpdate block under Recreate: the API server refuses such a Deployment.
// The same object without the block passes, so the block alone is the reason.
// Both updates are dry-runs and change nothing.
func requireRecreateWithRollingUpdateRefused(t *testing.T, stored *appsv1.Deployment) {
	ctx := apiContext(t)
	dryRun := metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}}

	ok := stored.DeepCopy()
	ok.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	_, err := env.kube.AppsV1().Deployments(ok.Namespace).Update(ctx, ok, dryRun)
	require.NoError(t, err, "Recreate without rollingUpdate")

	bad := stored.DeepCopy()
	surge, unavailable := intstr.FromInt32(1), intstr.FromInt32(0)
	bad.Spec.Strategy = appsv1.DeploymentStrategy{
		Type:          appsv1.RecreateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable},
	}
	_, err = env.kube.AppsV1().Deployments(bad.Namespace).Update(ctx, bad, dryRun)
	require.Error(t, err, "the API server accepted rollingUpdate under Recreate")
	require.True(t, apierrors.IsInvalid(err), "want an Invalid error, got %v", err)
	require.Contains(t, err.Error(), "spec.strategy.rollingUpdate")
}

// TestUpgradeReplicas scales active-standby coordinators 1 -> 3 -> 1: the budget
// and the anti-affinity come with the second replica and go with it, leaving no
// orphan PodDisruptionBudget. The config does not change, so neither does the
// checksum (no needless rollout).
func TestUpgradeReplicas(t *testing.T) {
	t.Parallel()
	const release = "scale"
	prefix := release + "-milvus-coord"
	runReleaseSteps(t, release, []releaseStep{
		{name: "1 replica", values: separate(1, true), deployments: separateDeployments(prefix)},
		{name: "3 replicas", values: separate(3, true), deployments: separateDeployments(prefix), checksum: checksumUnchanged},
		{name: "1 replica again", values: separate(1, true), deployments: separateDeployments(prefix), checksum: checksumUnchanged},
	})
}

// TestUpgradeSwitchMixCoordinator moves from separate coordinators to one
// mixcoord and back, each in one upgrade: they must never run side by side, so
// after each step only the expected Deployments exist.
func TestUpgradeSwitchMixCoordinator(t *testing.T) {
	t.Parallel()
	const release = "switch"
	prefix := release + "-milvus-coord"
	mix := map[string]any{
		"rootCoordinator":  map[string]any{"enabled": false},
		"queryCoordinator": map[string]any{"enabled": false},
		"dataCoordinator":  map[string]any{"enabled": false},
		"mixCoordinator":   map[string]any{"enabled": true},
	}
	runReleaseSteps(t, release, []releaseStep{
		{name: "separate coordinators", values: map[string]any{}, deployments: separateDeployments(prefix)},
		{name: "mixcoord", values: mix, deployments: []string{prefix + "-mixcoord"}},
		{name: "separate coordinators again", values: map[string]any{}, deployments: separateDeployments(prefix)},
	})
}
