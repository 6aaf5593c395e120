package chart_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/render"
)

const testDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

const mixcoordOnly = "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}\n"

func initContainer(t *testing.T, pod corev1.PodSpec, name string) *corev1.Container {
	t.Helper()
	for i := range pod.InitContainers {
		if pod.InitContainers[i].Name == name {
			return &pod.InitContainers[i]
		}
	}
	return nil
}

func envValue(c corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

func volumeNames(pod corev1.PodSpec) []string {
	var out []string
	for _, v := range pod.Volumes {
		out = append(out, v.Name)
	}
	return out
}

func mountPaths(c corev1.Container) []string {
	var out []string
	for _, m := range c.VolumeMounts {
		out = append(out, m.MountPath)
	}
	return out
}

// TestPodExtrasSpecification: heaptrack, profiling, extra volumes and mounts,
// pod labels and the priority class, what upstream chart users expect, each
// the values that trigger it and what it renders.
func TestPodExtrasSpecification(t *testing.T) {
	ch := loadChart(t)
	tests := []struct {
		name   string
		values string
		check  func(t *testing.T, o objects)
	}{
		{"should render the Coordinator HA snippet of Milvus' docs as the chart's defaults",
			"rootCoordinator: {enabled: true, replicas: 2, resources: {}, nodeSelector: {}, affinity: {}, tolerations: [], extraEnv: [], heaptrack: {enabled: false}, profiling: {enabled: false}, activeStandby: {enabled: true}}",
			func(t *testing.T, o objects) {
				assert.Equal(t, renderValues(t, ch, "").text, o.text, "every value of the snippet is the chart's default")
			}},
		{"should add no init container, tools volume or Pyroscope annotation by default", "",
			func(t *testing.T, o objects) {
				for c, d := range o.deployments {
					pod := d.Spec.Template.Spec
					assert.Empty(t, pod.InitContainers, c)
					assert.NotContains(t, volumeNames(pod), "heaptrack", c)
					assert.NotContains(t, d.Spec.Template.Annotations, "pyroscope.io/scrape", c)
					assert.Empty(t, pod.PriorityClassName, c)
				}
			}},
		{"should add the Pyroscope annotations, named after the Deployment, with profiling",
			"queryCoordinator: {profiling: {enabled: true}, annotations: {team: search}}",
			func(t *testing.T, o objects) {
				d := o.deployments["querycoord"]
				a := d.Spec.Template.Annotations
				assert.Equal(t, "true", a["pyroscope.io/scrape"])
				assert.Equal(t, d.Name, a["pyroscope.io/application-name"])
				assert.Equal(t, "coord-milvus-coord-querycoord", a["pyroscope.io/application-name"])
				assert.Equal(t, "9091", a["pyroscope.io/port"], "Milvus serves pprof on its metrics port")
				assert.Equal(t, "search", a["team"], "the user's annotations stay")
				assert.NotContains(t, o.deployments["rootcoord"].Spec.Template.Annotations, "pyroscope.io/scrape", "only the coordinator asked")
			}},
		{"should let a user annotation override a Pyroscope one",
			"rootCoordinator: {profiling: {enabled: true}, annotations: {pyroscope.io/application-name: milvus-root}}",
			func(t *testing.T, o objects) {
				assert.Equal(t, "milvus-root", o.deployments["rootcoord"].Spec.Template.Annotations["pyroscope.io/application-name"])
			}},
		{"should run Milvus under heaptrack, copied by a restricted init container, with heaptrack",
			"dataCoordinator: {heaptrack: {enabled: true}}",
			func(t *testing.T, o objects) {
				d := o.deployments["datacoord"]
				pod := d.Spec.Template.Spec
				init := initContainer(t, pod, "heaptrack")
				require.NotNil(t, init)
				assert.Equal(t, "milvusdb/heaptrack:v0.1.0", init.Image)
				assert.Equal(t, []string{"cp", "-r", "/opt/heaptrack", "/milvus/tools"}, init.Command)
				require.Len(t, init.VolumeMounts, 1)
				assert.Equal(t, corev1.VolumeMount{Name: "heaptrack", MountPath: "/milvus/tools"}, init.VolumeMounts[0])
				main := pod.Containers[0]
				assert.Equal(t, main.SecurityContext, init.SecurityContext, "the init container runs as restricted as Milvus")
				require.NotNil(t, init.SecurityContext)
				assert.True(t, *init.SecurityContext.ReadOnlyRootFilesystem)
				assert.False(t, *init.SecurityContext.AllowPrivilegeEscalation)
				assert.Equal(t, []corev1.Capability{"ALL"}, init.SecurityContext.Capabilities.Drop)
				assert.Equal(t, "128Mi", init.Resources.Limits.Memory().String())
				assert.Equal(t, "100m", init.Resources.Requests.Cpu().String())

				assert.Equal(t, []string{"/milvus/tools/heaptrack/bin/heaptrack", "-o", "/milvus/tools/heaptrack.datacoord", "milvus", "run", "datacoord"}, main.Args,
					"the trace goes to the writable tools volume, not the read-only working directory")
				ld, ok := envValue(main, "LD_LIBRARY_PATH")
				assert.True(t, ok)
				assert.Equal(t, "/milvus/tools/heaptrack/lib:/milvus/lib:/usr/lib", ld)
				assert.Contains(t, mountPaths(main), "/milvus/tools")
				var tools *corev1.Volume
				for i := range pod.Volumes {
					if pod.Volumes[i].Name == "heaptrack" {
						tools = &pod.Volumes[i]
					}
				}
				require.NotNil(t, tools)
				require.NotNil(t, tools.EmptyDir)
				assert.Equal(t, "512Mi", tools.EmptyDir.SizeLimit.String())

				assert.Empty(t, o.deployments["rootcoord"].Spec.Template.Spec.InitContainers, "only the coordinator asked")
			}},
		{"should keep mixcoord's args after heaptrack",
			"rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true, heaptrack: {enabled: true}}\n" +
				"heaptrack: {image: {tag: v0.2.0, digest: " + testDigest + "}}",
			func(t *testing.T, o objects) {
				pod := o.deployments["mixcoord"].Spec.Template.Spec
				assert.Equal(t, []string{"/milvus/tools/heaptrack/bin/heaptrack", "-o", "/milvus/tools/heaptrack.mixcoord", "milvus", "run", "mixture", "-rootcoord", "-querycoord", "-datacoord"}, pod.Containers[0].Args)
				assert.Equal(t, "milvusdb/heaptrack:v0.2.0@"+testDigest, initContainer(t, pod, "heaptrack").Image, "heaptrack.image.digest pins it")
			}},
		{"should merge a coordinator's podLabels over the top-level ones and keep the selector",
			"podLabels: {team: db, tier: control}\nrootCoordinator: {podLabels: {tier: root}}",
			func(t *testing.T, o objects) {
				defaults := renderValues(t, ch, "")
				root := o.deployments["rootcoord"]
				assert.Equal(t, "db", root.Spec.Template.Labels["team"])
				assert.Equal(t, "root", root.Spec.Template.Labels["tier"], "the coordinator's value wins")
				assert.Equal(t, "control", o.deployments["querycoord"].Spec.Template.Labels["tier"])
				for c, d := range o.deployments {
					assert.Equal(t, defaults.deployments[c].Spec.Selector, d.Spec.Selector, c)
					for k, v := range d.Spec.Selector.MatchLabels {
						assert.Equal(t, v, d.Spec.Template.Labels[k], "%s: the pods match the selector", c)
					}
					assert.NotContains(t, d.Labels, "team", "%s: pod labels, not Deployment labels", c)
				}
			}},
		{"should set the top-level priorityClassName, replaced by a coordinator's",
			"priorityClassName: milvus-high\ndataCoordinator: {priorityClassName: system-cluster-critical}",
			func(t *testing.T, o objects) {
				assert.Equal(t, "milvus-high", o.deployments["rootcoord"].Spec.Template.Spec.PriorityClassName)
				assert.Equal(t, "system-cluster-critical", o.deployments["datacoord"].Spec.Template.Spec.PriorityClassName)
			}},
		{"should append a coordinator's extraVolumes and extraVolumeMounts to the top-level ones",
			"extraVolumes: [{name: ca, secret: {secretName: milvus-ca}}]\nextraVolumeMounts: [{name: ca, mountPath: /milvus/tls/ca, readOnly: true}]\n" +
				"rootCoordinator: {extraVolumes: [{name: root-cert, secret: {secretName: rootcoord-tls}}], extraVolumeMounts: [{name: root-cert, mountPath: /milvus/tls/cert, readOnly: true}]}",
			func(t *testing.T, o objects) {
				root := o.deployments["rootcoord"].Spec.Template.Spec
				assert.Equal(t, []string{"config", "writable", "ca", "root-cert"}, volumeNames(root))
				paths := mountPaths(root.Containers[0])
				assert.Equal(t, []string{"/milvus/tls/ca", "/milvus/tls/cert"}, paths[len(paths)-2:], "top-level first, then the coordinator's")
				assert.Equal(t, "milvus-ca", root.Volumes[2].Secret.SecretName)
				query := o.deployments["querycoord"].Spec.Template.Spec
				assert.Equal(t, []string{"config", "writable", "ca"}, volumeNames(query))
				assert.Contains(t, mountPaths(query.Containers[0]), "/milvus/tls/ca")
				assert.NotContains(t, mountPaths(query.Containers[0]), "/milvus/tls/cert")
			}},
		{"should pin the image by image.all.digest while the version label and the version read the tag",
			mixcoordOnly + "image: {all: {tag: v2.6.15, digest: " + testDigest + "}}",
			func(t *testing.T, o objects) {
				d := o.deployments["mixcoord"]
				assert.Equal(t, "milvusdb/milvus:v2.6.15@"+testDigest, d.Spec.Template.Spec.Containers[0].Image)
				assert.Equal(t, "v2.6.15", d.Labels["app.kubernetes.io/version"])
				assert.Equal(t, []string{"milvus", "run", "mixcoord"}, d.Spec.Template.Spec.Containers[0].Args, "2.6 read from the tag")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, renderValues(t, ch, tt.values))
		})
	}
}

// TestPodExtrasRefused: values that take the chart's own names are refused by
// Helm (the guards) and by valuescheck, at the value, with the fix.
func TestPodExtrasRefused(t *testing.T) {
	ch := loadChart(t)
	tests := []struct {
		name, values string
		path         string // the values path of the finding
		msg          string // a fragment that says why
		fix          string // a fragment of the fix
	}{
		{"a selector label in podLabels", "podLabels:\n  app.kubernetes.io/name: other\n",
			`podLabels["app.kubernetes.io/name"]`, "a selector label the chart sets", `remove podLabels["app.kubernetes.io/name"]`},
		{"a selector label in a coordinator's podLabels", "queryCoordinator:\n  podLabels:\n    app.kubernetes.io/component: x\n",
			`queryCoordinator.podLabels["app.kubernetes.io/component"]`, "the API server refuses a Deployment whose pods do not match its selector", "remove"},
		{"a volume named like the chart's", "extraVolumes:\n  - name: writable\n    emptyDir: {}\n",
			"extraVolumes[0].name", `"writable", the name of a volume the chart makes`, "rename the volume"},
		{"heaptrack's volume name, even with heaptrack off", "rootCoordinator:\n  extraVolumes:\n    - name: heaptrack\n      emptyDir: {}\n",
			"rootCoordinator.extraVolumes[0].name", `"heaptrack"`, "rename the volume"},
		{"a coordinator volume named like a top-level one",
			"extraVolumes:\n  - name: tls\n    secret: {secretName: a}\ndataCoordinator:\n  extraVolumes:\n    - name: tls\n      secret: {secretName: b}\n",
			"dataCoordinator.extraVolumes[0].name", "already the name of extraVolumes[0].name", "rename one of them"},
		{"a mount of no volume", "extraVolumeMounts:\n  - name: tls\n    mountPath: /milvus/tls\n",
			"extraVolumeMounts[0].name", `"tls", which names no volume of the rootcoord pods`, "add a volume of that name"},
		{"a mount over the chart's user.yaml",
			"extraVolumes:\n  - name: cfg\n    configMap: {name: mine}\nextraVolumeMounts:\n  - name: cfg\n    mountPath: /milvus/configs/user.yaml\n",
			"extraVolumeMounts[0].mountPath", "where the chart mounts its own volume", "mount it at another path"},
		{"a mount over heaptrack's tools",
			"extraVolumes:\n  - name: t\n    emptyDir: {}\nrootCoordinator:\n  heaptrack: {enabled: true}\n  extraVolumeMounts:\n    - name: t\n      mountPath: /milvus/tools/\n",
			"rootCoordinator.extraVolumeMounts[0].mountPath", `"/milvus/tools"`, "mount it at another path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ch.Check(&check.Input{Name: "values.yaml", Data: []byte(tt.values)}, check.Options{Render: render.Options{ReleaseName: "coord", Namespace: "milvus"}})
			assert.Nil(t, res.Rendered)
			var found bool
			for _, f := range res.Findings {
				if f.Path != tt.path {
					continue
				}
				found = true
				assert.Equal(t, render.RuleTemplate, f.Rule)
				assert.Contains(t, f.Message, tt.msg)
				assert.Contains(t, f.Fix, tt.fix)
				assert.Equal(t, "values.yaml", f.Origin.File)
				assert.NotZero(t, f.Origin.Line, "placed at the value")
			}
			assert.True(t, found, "no finding at %s: %v", tt.path, res.Findings)
			var errors int
			for _, f := range res.Findings {
				if f.Severity == finding.Error {
					errors++
				}
			}
			assert.Equal(t, 1, errors, "one finding per problem, however many coordinators: %v", res.Findings)
		})
	}
}

// TestDigestKeepsVersionRules: a digest does not hide the release from the
// version rules, which read the tag.
func TestDigestKeepsVersionRules(t *testing.T) {
	ch := loadChart(t)
	res := ch.Check(&check.Input{Name: "values.yaml", Data: []byte("image: {all: {tag: v2.6.15, digest: " + testDigest + "}}\n")},
		check.Options{Render: render.Options{ReleaseName: "coord"}})
	var rules []string
	for _, f := range res.Findings {
		rules = append(rules, f.Rule)
	}
	assert.Contains(t, strings.Join(rules, " "), "milvus-version-coordinators", "separate coordinators on 2.6 are refused whatever the digest")
}
