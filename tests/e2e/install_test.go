package e2e

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInstallScenarios installs every ci/ scenario in its own namespace, reads the
// objects back from the API server, then uninstalls and proves nothing is left.
func TestInstallScenarios(t *testing.T) {
	t.Parallel()
	for i, file := range scenarioFiles(t) {
		t.Run(scenarioName(file), func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			release := fmt.Sprintf("ci-%02d", i+1)
			want := expectedState(t, release, chartValues(t, readYAMLFile(t, file)))

			mustHelm(t, "install", release, env.chartDir, "--namespace", ns, "--values", file)
			checkRelease(t, ns, want)

			mustHelm(t, "uninstall", release, "--namespace", ns)
			// Everything goes: Deployments, ConfigMaps, Services, budgets, the
			// credentials Secret, the ServiceAccount and Helm's release Secrets.
			requireNamespaceEmpty(t, ns)
		})
	}
}

// TestInstallRefusesBadValues: values that would break Milvus HA are refused
// before anything reaches the cluster, so a failed install leaves no half-made
// release (and no release record) behind.
func TestInstallRefusesBadValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		set  []string
		want string // a phrase of the refusal, so it is refused for the right reason
	}{
		{
			name: "replicas without active-standby",
			set:  []string{"rootCoordinator.replicas=2", "rootCoordinator.activeStandby.enabled=false"},
			want: "/rootCoordinator/activeStandby/enabled",
		},
		{
			name: "mixcoord beside separate coordinators",
			set:  []string{"mixCoordinator.enabled=true"},
			want: "/rootCoordinator/enabled",
		},
		{
			name: "rolling update without active-standby",
			set: []string{"queryCoordinator.replicas=1", "queryCoordinator.activeStandby.enabled=false",
				"queryCoordinator.strategy.type=RollingUpdate"},
			want: "/queryCoordinator/strategy/type",
		},
		{
			name: "separate coordinators on Milvus 2.6",
			set:  []string{"image.all.tag=v2.6.15"},
			want: "has no separate coordinators",
		},
		{
			name: "no coordinator",
			set: []string{"rootCoordinator.enabled=false", "queryCoordinator.enabled=false",
				"dataCoordinator.enabled=false"},
			// the schema's rule entry: one of the blocks must be enabled
			want: "at '/mixCoordinator/enabled': value must be true",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			args := []string{"install", "bad", env.chartDir, "--namespace", ns}
			for _, s := range tc.set {
				args = append(args, "--set", s)
			}
			r := helm(t, args...)
			require.Error(t, r.Err, "helm accepted values that break HA:\n%s", r)
			require.Contains(t, r.Stderr, tc.want, r.String())
			requireNamespaceEmpty(t, ns)
		})
	}
}
