package chart_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// writableMounts returns the mount paths of a coordinator container that are
// not read-only, with the volume each comes from.
func writableMounts(t *testing.T, pod corev1.PodSpec) map[string]string {
	t.Helper()
	require.Len(t, pod.Containers, 1)
	out := map[string]string{}
	for _, m := range pod.Containers[0].VolumeMounts {
		if !m.ReadOnly {
			out[m.MountPath] = m.Name
		}
	}
	return out
}

func volume(pod corev1.PodSpec, name string) *corev1.Volume {
	for i := range pod.Volumes {
		if pod.Volumes[i].Name == name {
			return &pod.Volumes[i]
		}
	}
	return nil
}

// TestSecurityDefaults: with the defaults and in every scenario, every
// coordinator pod meets the restricted Pod Security level (the e2e tests prove
// the API server admits them) and writes only to emptyDir mounts.
func TestSecurityDefaults(t *testing.T) {
	ch := loadChart(t)
	for name, values := range scenarioFiles(t) {
		t.Run(name, func(t *testing.T) {
			o := renderValues(t, ch, values)
			require.NotEmpty(t, o.deployments)
			for component, d := range o.deployments {
				pod := d.Spec.Template.Spec
				psc := pod.SecurityContext
				require.NotNil(t, psc, component)
				require.NotNil(t, psc.RunAsNonRoot, component)
				assert.True(t, *psc.RunAsNonRoot, component)
				require.NotNil(t, psc.RunAsUser, component)
				assert.Equal(t, int64(1000), *psc.RunAsUser, component)
				require.NotNil(t, psc.RunAsGroup, component)
				assert.Equal(t, int64(0), *psc.RunAsGroup, "%s: /milvus/bin is root:root 774, so the group must be 0", component)
				require.NotNil(t, psc.SeccompProfile, component)
				assert.Equal(t, corev1.SeccompProfileTypeRuntimeDefault, psc.SeccompProfile.Type, component)

				c := pod.Containers[0]
				sc := c.SecurityContext
				require.NotNil(t, sc, component)
				require.NotNil(t, sc.ReadOnlyRootFilesystem, component)
				assert.True(t, *sc.ReadOnlyRootFilesystem, component)
				require.NotNil(t, sc.AllowPrivilegeEscalation, component)
				assert.False(t, *sc.AllowPrivilegeEscalation, component)
				require.NotNil(t, sc.Capabilities, component)
				assert.Equal(t, []corev1.Capability{"ALL"}, sc.Capabilities.Drop, component)
				assert.Empty(t, sc.Capabilities.Add, component)

				mounts := writableMounts(t, pod)
				assert.Equal(t, map[string]string{"/run/milvus": "writable", "/tmp": "writable", "/var/lib/milvus/data": "writable"}, mounts, component)
				v := volume(pod, "writable")
				require.NotNil(t, v, component)
				require.NotNil(t, v.EmptyDir, "%s: writable paths are emptyDirs", component)
				require.NotNil(t, v.EmptyDir.SizeLimit, component)
				assert.Equal(t, "256Mi", v.EmptyDir.SizeLimit.String(), component)
				for _, m := range c.VolumeMounts {
					if m.Name == "writable" {
						assert.NotEmpty(t, m.SubPath, "%s: each path has its own directory in the volume", component)
					}
				}
				for _, v := range pod.Volumes {
					assert.True(t, v.EmptyDir != nil || v.ConfigMap != nil, "%s: volume %s: only emptyDir and configMap volumes", component, v.Name)
				}
			}
		})
	}
}

// TestResourceDefaults: every coordinator requests and is limited in memory and
// ephemeral storage, requests CPU and has no CPU limit, in every scenario.
func TestResourceDefaults(t *testing.T) {
	ch := loadChart(t)
	want := map[string]struct{ cpu, memory, memoryLimit string }{
		"rootcoord":  {"1", "2Gi", "4Gi"},
		"querycoord": {"500m", "512Mi", "1Gi"},
		"datacoord":  {"1", "1Gi", "2Gi"},
		"mixcoord":   {"2500m", "3584Mi", "7Gi"},
	}
	for name, values := range scenarioFiles(t) {
		t.Run(name, func(t *testing.T) {
			o := renderValues(t, ch, values)
			for component, d := range o.deployments {
				r := d.Spec.Template.Spec.Containers[0].Resources
				assert.NotContains(t, r.Limits, corev1.ResourceCPU, "%s: no CPU limit", component)
				for _, res := range []corev1.ResourceName{corev1.ResourceMemory, corev1.ResourceEphemeralStorage} {
					req, ok := r.Requests[res]
					require.True(t, ok, "%s: %s request", component, res)
					limit, ok := r.Limits[res]
					require.True(t, ok, "%s: %s limit", component, res)
					assert.LessOrEqual(t, req.Cmp(limit), 0, "%s: %s request above its limit", component, res)
				}
				if values == "" {
					w := want[component]
					assertQuantity(t, w.cpu, r.Requests[corev1.ResourceCPU], component)
					assertQuantity(t, w.memory, r.Requests[corev1.ResourceMemory], component)
					assertQuantity(t, w.memoryLimit, r.Limits[corev1.ResourceMemory], component)
					assertQuantity(t, "64Mi", r.Requests[corev1.ResourceEphemeralStorage], component)
					assertQuantity(t, "512Mi", r.Limits[corev1.ResourceEphemeralStorage], component)
				}
			}
		})
	}
	t.Run("mixcoord", func(t *testing.T) {
		o := renderValues(t, ch, "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}")
		r := o.deployments["mixcoord"].Spec.Template.Spec.Containers[0].Resources
		assertQuantity(t, "2500m", r.Requests[corev1.ResourceCPU])
		assertQuantity(t, "3584Mi", r.Requests[corev1.ResourceMemory])
		assertQuantity(t, "7Gi", r.Limits[corev1.ResourceMemory])
		assert.NotContains(t, r.Limits, corev1.ResourceCPU)
	})
}

// TestSecuritySpecification reads as the chart's security behaviour, one case each.
func TestSecuritySpecification(t *testing.T) {
	ch := loadChart(t)
	tests := []struct {
		name   string
		values string
		check  func(t *testing.T, o objects)
	}{
		{"should mount the localStorage.path extra config sets instead of the default one",
			"milvus: {extraConfig: {localStorage: {path: /data/milvus/}}}",
			func(t *testing.T, o objects) {
				mounts := writableMounts(t, o.deployments["querycoord"].Spec.Template.Spec)
				assert.Contains(t, mounts, "/data/milvus")
				assert.NotContains(t, mounts, "/var/lib/milvus/data")
			}},
		{"should mount log.file.rootPath when user.yaml sets it, relative to /milvus",
			"extraConfigFiles: {user.yaml: \"log:\\n  file:\\n    rootPath: logs\\n\"}",
			func(t *testing.T, o objects) {
				for component, d := range o.deployments {
					mounts := writableMounts(t, d.Spec.Template.Spec)
					assert.Equal(t, "writable", mounts["/milvus/logs"], component)
				}
			}},
		{"should mount a path once when two settings name it",
			"milvus: {extraConfig: {log: {file: {rootPath: /tmp}}}}",
			func(t *testing.T, o objects) {
				n := 0
				for _, m := range o.deployments["rootcoord"].Spec.Template.Spec.Containers[0].VolumeMounts {
					if m.MountPath == "/tmp" {
						n++
					}
				}
				assert.Equal(t, 1, n, "the API server refuses two mounts at one path")
			}},
		{"should ignore a log setting that is not a mapping", "milvus: {extraConfig: {log: verbose}}",
			func(t *testing.T, o objects) {
				assert.Len(t, writableMounts(t, o.deployments["rootcoord"].Spec.Template.Spec), 3)
			}},
		{"should bound the writable paths by emptyDir.sizeLimit", "emptyDir: {sizeLimit: 1Gi}",
			func(t *testing.T, o objects) {
				v := volume(o.deployments["datacoord"].Spec.Template.Spec, "writable")
				require.NotNil(t, v)
				assert.Equal(t, "1Gi", v.EmptyDir.SizeLimit.String())
			}},
		{"should let a coordinator opt back into root with its own securityContext, replacing the default",
			"rootCoordinator: {securityContext: {runAsNonRoot: false, runAsUser: 0}, containerSecurityContext: {readOnlyRootFilesystem: false}}",
			func(t *testing.T, o objects) {
				root := o.deployments["rootcoord"].Spec.Template.Spec
				assert.Equal(t, int64(0), *root.SecurityContext.RunAsUser)
				assert.False(t, *root.SecurityContext.RunAsNonRoot)
				assert.Nil(t, root.SecurityContext.SeccompProfile, "replaced, not merged")
				assert.False(t, *root.Containers[0].SecurityContext.ReadOnlyRootFilesystem)
				query := o.deployments["querycoord"].Spec.Template.Spec
				assert.Equal(t, int64(1000), *query.SecurityContext.RunAsUser, "the others keep the defaults")
			}},
		{"should admit, by default, every pod of the namespace to the gRPC ports and any namespace to the metrics port", "",
			func(t *testing.T, o objects) {
				require.NotNil(t, o.networkPolicy)
				p := o.networkPolicy.Spec
				assert.Equal(t, o.deployments["rootcoord"].Spec.Selector.MatchLabels["app.kubernetes.io/instance"], p.PodSelector.MatchLabels["app.kubernetes.io/instance"])
				sel, err := metav1.LabelSelectorAsSelector(&p.PodSelector)
				require.NoError(t, err)
				for c, d := range o.deployments {
					assert.True(t, sel.Matches(labels.Set(d.Spec.Template.Labels)), "the policy selects the %s pods", c)
				}
				assert.Equal(t, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}, p.PolicyTypes, "ingress only: the coordinators still reach etcd, object storage and the MQ")
				require.Len(t, p.Ingress, 2)
				grpc, metrics := p.Ingress[0], p.Ingress[1]
				require.NotEmpty(t, grpc.From)
				assert.Equal(t, metav1.LabelSelector{}, *grpc.From[0].PodSelector, "every pod of the release namespace")
				assert.Nil(t, grpc.From[0].NamespaceSelector, "only the release namespace")
				var ports []int32
				for _, port := range grpc.Ports {
					ports = append(ports, port.Port.IntVal)
				}
				assert.ElementsMatch(t, []int32{53100, 19531, 13333}, ports)
				require.Len(t, metrics.From, 1)
				assert.Equal(t, metav1.LabelSelector{}, *metrics.From[0].NamespaceSelector, "a scraper in any namespace")
				require.Len(t, metrics.Ports, 1)
				assert.Equal(t, int32(9091), metrics.Ports[0].Port.IntVal)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, renderValues(t, ch, tt.values))
		})
	}
}

// assertQuantity compares quantities by value ("1" and "1000m" are equal).
func assertQuantity(t *testing.T, want string, got resource.Quantity, what ...any) {
	t.Helper()
	assert.Zero(t, func() int { w := resource.MustParse(want); return w.Cmp(got) }(), "%v: want %s, got %s", what, want, got.String())
}
