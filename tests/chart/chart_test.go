// Package chart_test pins the chart's rendered output (golden files) and reads
// like its specification: each test names a behaviour, the values that trigger
// it, and asserts it on the rendered Kubernetes objects.
package chart_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/golden"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

var chartDir = filepath.Join(testtools.RepoRoot(), "charts", "milvus-coord")

func loadChart(t *testing.T) *check.Chart {
	t.Helper()
	ch, err := check.LoadChart(os.DirFS(chartDir), "charts/milvus-coord")
	require.NoError(t, err)
	return ch
}

// objects is a rendered release, decoded.
type objects struct {
	text        string
	deployments map[string]*appsv1.Deployment // by component
	configMaps  map[string]*corev1.ConfigMap  // by component
	pdbs        map[string]*policyv1.PodDisruptionBudget
	services    map[string]*corev1.Service
	secrets     []*corev1.Secret
	kinds       []string
	// networkPolicy is the chart's NetworkPolicy, when it makes one.
	networkPolicy *networkingv1.NetworkPolicy
	// findings are what valuescheck reports besides errors (the test fails on those).
	findings []finding.Finding
}

// renderValues renders the chart with values (YAML text) over its defaults,
// failing the test on any error finding.
func renderValues(t *testing.T, ch *check.Chart, values string) objects {
	t.Helper()
	var file *check.Input
	if values != "" {
		file = &check.Input{Name: "values.yaml", Data: []byte(values)}
	}
	res := ch.Check(file, check.Options{Render: render.Options{ReleaseName: "coord", Namespace: "milvus"}})
	for _, f := range res.Findings {
		require.NotEqual(t, finding.Error, f.Severity, "unexpected error: %s", f.Text())
	}
	require.NotNil(t, res.Rendered)
	o := objects{text: res.Rendered.String(), deployments: map[string]*appsv1.Deployment{}, configMaps: map[string]*corev1.ConfigMap{},
		pdbs: map[string]*policyv1.PodDisruptionBudget{}, services: map[string]*corev1.Service{}, findings: res.Findings}
	for _, m := range res.Rendered.Manifests {
		o.kinds = append(o.kinds, m.Head.Kind)
	}
	// The check decoded every object strictly into its API type already.
	for _, obj := range res.Objects {
		switch x := obj.Object.(type) {
		case *appsv1.Deployment:
			o.deployments[x.Labels["app.kubernetes.io/component"]] = x
		case *corev1.ConfigMap:
			o.configMaps[x.Labels["app.kubernetes.io/component"]] = x
		case *policyv1.PodDisruptionBudget:
			o.pdbs[x.Labels["app.kubernetes.io/component"]] = x
		case *corev1.Service:
			o.services[x.Labels["app.kubernetes.io/component"]] = x
		case *corev1.Secret:
			o.secrets = append(o.secrets, x)
		case *networkingv1.NetworkPolicy:
			o.networkPolicy = x
		}
	}
	return o
}

func scenarioFiles(t *testing.T) map[string]string {
	files, err := filepath.Glob(filepath.Join(chartDir, "ci", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]string{"defaults": ""}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[strings.TrimSuffix(filepath.Base(f), ".yaml")] = string(data)
	}
	return out
}

// TestGolden pins the rendered output of the defaults and every scenario
// (`go test ./tests/chart -update` rewrites testdata/golden/).
func TestGolden(t *testing.T) {
	ch := loadChart(t)
	for name, values := range scenarioFiles(t) {
		t.Run(name, func(t *testing.T) {
			golden.Assert(t, filepath.Join("testdata", "golden", name+".yaml"), []byte(renderValues(t, ch, values).text))
		})
	}
}

// userConfig parses a component's user.yaml.
func userConfig(t *testing.T, cm *corev1.ConfigMap) map[string]any {
	t.Helper()
	var cfg map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(cm.Data["user.yaml"]), &cfg))
	return cfg
}

var sections = map[string][]string{
	"rootcoord":  {"rootCoord"},
	"querycoord": {"queryCoord"},
	"datacoord":  {"dataCoord"},
	"mixcoord":   {"rootCoord", "queryCoord", "dataCoord"},
}

// TestHAInvariants asserts, for the defaults and every scenario, the HA
// invariants on every rendered coordinator.
func TestHAInvariants(t *testing.T) {
	ch := loadChart(t)
	for name, values := range scenarioFiles(t) {
		t.Run(name, func(t *testing.T) {
			o := renderValues(t, ch, values)
			require.NotEmpty(t, o.deployments)
			for component, d := range o.deployments {
				replicas := *d.Spec.Replicas
				cfg := userConfig(t, o.configMaps[component])
				pod := d.Spec.Template.Spec
				c := pod.Containers[0]
				version, known := coord.ParseVersion(strings.SplitN(c.Image, ":", 2)[1])
				mixcoord26 := component == "mixcoord" && known && version.MixcoordOnly()
				standbySections := sections[component]
				if mixcoord26 {
					standbySections = append(standbySections[:len(standbySections):len(standbySections)], "mixCoord")
				}
				ha := true
				for _, s := range standbySections {
					on, ok := cfg[s].(map[string]any)["enableActiveStandby"].(bool)
					require.True(t, ok, "%s: %s.enableActiveStandby missing from user.yaml", component, s)
					ha = ha && on
					assert.NotContains(t, cfg[s], "activeStandby", "%s: the ignored activeStandby key", component)
				}
				envHA := map[string]string{}
				for _, e := range c.Env {
					if strings.HasSuffix(e.Name, "_ENABLE_ACTIVE_STANDBY") {
						envHA[e.Name] = e.Value
					}
				}
				assert.Len(t, envHA, len(standbySections), "%s: one env var per section", component)
				for _, v := range envHA {
					assert.Equal(t, map[bool]string{true: "true", false: "false"}[ha], v, "%s: env and user.yaml agree", component)
				}
				// From 2.6.8 Milvus runs mixcoord active-standby whatever the config says.
				ha = ha || mixcoord26 && version.MixcoordAlwaysStandby()

				// Graceful stop: every role the pod stops has its own timeout,
				// above the gRPC one, and the pod gets their sum plus the margin.
				stops := sections[component]
				if mixcoord26 {
					stops = []string{"rootCoord"}
				}
				var need int64
				for _, s := range stops {
					timeout, ok := cfg[s].(map[string]any)["gracefulStopTimeout"].(float64)
					require.True(t, ok, "%s: %s.gracefulStopTimeout missing from user.yaml", component, s)
					grpc, _ := version.ShippedGRPCStopTimeout()
					assert.Greater(t, timeout, float64(grpc), "%s: %s.gracefulStopTimeout above grpc.gracefulStopTimeout", component, s)
					need += int64(timeout)
				}
				assert.NotContains(t, cfg["common"], "gracefulStopTimeout", "%s: coordinators do not read common.gracefulStopTimeout", component)
				assert.Equal(t, need+coord.StopMargin, *pod.TerminationGracePeriodSeconds, "%s: the stop timeouts plus the margin", component)

				if replicas > 1 {
					assert.True(t, ha, "%s: replicas %d need active-standby", component, replicas)
				}
				if ha {
					assert.Equal(t, appsv1.RollingUpdateDeploymentStrategyType, d.Spec.Strategy.Type, component)
					require.NotNil(t, d.Spec.Strategy.RollingUpdate, component)
					assert.Equal(t, "1", d.Spec.Strategy.RollingUpdate.MaxSurge.String(), component)
					assert.Equal(t, "0", d.Spec.Strategy.RollingUpdate.MaxUnavailable.String(), component)
				} else {
					assert.Equal(t, appsv1.RecreateDeploymentStrategyType, d.Spec.Strategy.Type, component)
					assert.Nil(t, d.Spec.Strategy.RollingUpdate, "%s: Recreate with a rollingUpdate block is refused by the API server", component)
				}

				pdb, hasPDB := o.pdbs[component]
				assert.Equal(t, replicas > 1, hasPDB, "%s: a PDB iff replicas > 1", component)
				if hasPDB {
					assert.Equal(t, d.Spec.Selector, pdb.Spec.Selector, component)
					assert.Equal(t, "1", pdb.Spec.MaxUnavailable.String(), component)
				}
				hasAnti := pod.Affinity != nil && pod.Affinity.PodAntiAffinity != nil
				assert.Equal(t, replicas > 1, hasAnti, "%s: anti-affinity iff replicas > 1", component)

				require.NotNil(t, pod.EnableServiceLinks, component)
				assert.False(t, *pod.EnableServiceLinks, "%s: service-link env vars collide with Milvus config", component)
				require.NotNil(t, pod.AutomountServiceAccountToken, component)
				assert.False(t, *pod.AutomountServiceAccountToken, component)

				require.NotNil(t, c.StartupProbe, component)
				assert.Equal(t, "metrics", c.StartupProbe.TCPSocket.Port.String(), component)
				require.NotNil(t, c.LivenessProbe, component)
				assert.Equal(t, "metrics", c.LivenessProbe.TCPSocket.Port.String(), component)
				require.NotNil(t, c.ReadinessProbe, component)
				assert.Equal(t, "/healthz", c.ReadinessProbe.HTTPGet.Path, component)
				assert.Equal(t, "metrics", c.ReadinessProbe.HTTPGet.Port.String(), component)
				ports := map[string]int32{}
				for _, p := range c.Ports {
					ports[p.Name] = p.ContainerPort
				}
				assert.Equal(t, int32(9091), ports["metrics"], component)
				if mixcoord26 {
					assert.Len(t, ports, 2, "%s: 2.6 mixcoord listens on rootCoord.port alone", component)
					assert.EqualValues(t, cfg["rootCoord"].(map[string]any)["port"], ports["rootcoord"], component)
				}

				sum := sha256.Sum256([]byte(o.configMaps[component].Data["user.yaml"]))
				assert.Equal(t, hex.EncodeToString(sum[:]), d.Spec.Template.Annotations["checksum/config"], "%s: checksum of the config it mounts", component)
			}
			for _, cm := range o.configMaps {
				for _, secret := range []string{"minioadmin", "accessKeyID", "secretAccessKey", "saslPassword", "authParams"} {
					assert.NotContains(t, cm.Data["user.yaml"], secret, "credentials never go into a ConfigMap")
				}
			}
		})
	}
}

// TestSpecification reads as the chart's behaviour, one case each.
func TestSpecification(t *testing.T) {
	ch := loadChart(t)
	tests := []struct {
		name   string
		values string
		check  func(t *testing.T, o objects)
	}{
		{"should create a PodDisruptionBudget with maxUnavailable 1 if replicas is greater than 1", "rootCoordinator: {replicas: 3}",
			func(t *testing.T, o objects) {
				require.Contains(t, o.pdbs, "rootcoord")
				assert.Equal(t, "1", o.pdbs["rootcoord"].Spec.MaxUnavailable.String())
				require.NotNil(t, o.pdbs["rootcoord"].Spec.UnhealthyPodEvictionPolicy)
				assert.Equal(t, policyv1.AlwaysAllow, *o.pdbs["rootcoord"].Spec.UnhealthyPodEvictionPolicy)
			}},
		{"should not create a PodDisruptionBudget for one replica", "rootCoordinator: {replicas: 1}",
			func(t *testing.T, o objects) { assert.NotContains(t, o.pdbs, "rootcoord") }},
		{"should not create any PodDisruptionBudget when disabled", "podDisruptionBudget: {enabled: false}",
			func(t *testing.T, o objects) { assert.Empty(t, o.pdbs) }},
		{"should render Recreate and no rollingUpdate block without active-standby",
			"queryCoordinator: {replicas: 1, activeStandby: {enabled: false}}",
			func(t *testing.T, o objects) {
				s := o.deployments["querycoord"].Spec.Strategy
				assert.Equal(t, appsv1.RecreateDeploymentStrategyType, s.Type)
				assert.Nil(t, s.RollingUpdate)
				assert.NotContains(t, o.text, "rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n    type: Recreate")
				assert.Zero(t, o.deployments["querycoord"].Spec.MinReadySeconds)
			}},
		{"should merge a user rollingUpdate over the HA default", "rootCoordinator: {strategy: {rollingUpdate: {maxSurge: 2}}}",
			func(t *testing.T, o objects) {
				s := o.deployments["rootcoord"].Spec.Strategy
				assert.Equal(t, "2", s.RollingUpdate.MaxSurge.String())
				assert.Equal(t, "0", s.RollingUpdate.MaxUnavailable.String())
			}},
		{"should honour Recreate asked for an HA coordinator, with no rollingUpdate block", "rootCoordinator: {strategy: {type: Recreate}}",
			func(t *testing.T, o objects) {
				s := o.deployments["rootcoord"].Spec.Strategy
				assert.Equal(t, appsv1.RecreateDeploymentStrategyType, s.Type)
				assert.Nil(t, s.RollingUpdate)
			}},
		{"should use a required anti-affinity in hard mode", "podAntiAffinity: {mode: hard}",
			func(t *testing.T, o objects) {
				anti := o.deployments["datacoord"].Spec.Template.Spec.Affinity.PodAntiAffinity
				require.Len(t, anti.RequiredDuringSchedulingIgnoredDuringExecution, 1)
				assert.Equal(t, "kubernetes.io/hostname", anti.RequiredDuringSchedulingIgnoredDuringExecution[0].TopologyKey)
				assert.Equal(t, "datacoord", anti.RequiredDuringSchedulingIgnoredDuringExecution[0].LabelSelector.MatchLabels["app.kubernetes.io/component"])
			}},
		{"should render no anti-affinity in mode none", "podAntiAffinity: {mode: none}",
			func(t *testing.T, o objects) { assert.Nil(t, o.deployments["datacoord"].Spec.Template.Spec.Affinity) }},
		{"should keep a user node affinity beside the chart's anti-affinity",
			"rootCoordinator: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [coord]}]}]}}}}",
			func(t *testing.T, o objects) {
				aff := o.deployments["rootcoord"].Spec.Template.Spec.Affinity
				assert.NotNil(t, aff.NodeAffinity)
				assert.NotNil(t, aff.PodAntiAffinity)
			}},
		{"should let a user podAntiAffinity replace the chart's",
			"rootCoordinator: {affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 5, podAffinityTerm: {topologyKey: zone, labelSelector: {matchLabels: {a: b}}}}]}}}",
			func(t *testing.T, o objects) {
				pref := o.deployments["rootcoord"].Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution
				require.Len(t, pref, 1)
				assert.Equal(t, int32(5), pref[0].Weight)
			}},
		{"should write enableActiveStandby for all three roles of mixcoord",
			"rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}",
			func(t *testing.T, o objects) {
				require.Len(t, o.deployments, 1)
				assert.Equal(t, []string{"milvus", "run", "mixture", "-rootcoord", "-querycoord", "-datacoord"}, o.deployments["mixcoord"].Spec.Template.Spec.Containers[0].Args)
				cfg := userConfig(t, o.configMaps["mixcoord"])
				for _, s := range []string{"rootCoord", "queryCoord", "dataCoord"} {
					assert.Equal(t, true, cfg[s].(map[string]any)["enableActiveStandby"], s)
				}
				ports := o.services["mixcoord"].Spec.Ports
				require.Len(t, ports, 4)
				assert.Equal(t, int32(53100), ports[0].Port)
			}},
		{"should run `milvus run mixcoord` on Milvus 2.6",
			"image: {all: {tag: v2.6.15}}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}",
			func(t *testing.T, o objects) {
				assert.Equal(t, []string{"milvus", "run", "mixcoord"}, o.deployments["mixcoord"].Spec.Template.Spec.Containers[0].Args)
			}},
		{"should change the config checksum, and so roll the pods, when the config changes", "milvus: {session: {ttl: 45}}",
			func(t *testing.T, o objects) {
				defaults := renderValues(t, ch, "")
				for _, c := range []string{"rootcoord", "querycoord", "datacoord"} {
					assert.NotEqual(t, defaults.deployments[c].Spec.Template.Annotations["checksum/config"], o.deployments[c].Spec.Template.Annotations["checksum/config"], c)
				}
			}},
		{"should roll only the coordinator whose config changed", "queryCoordinator: {service: {port: 19532}}",
			func(t *testing.T, o objects) {
				defaults := renderValues(t, ch, "")
				assert.NotEqual(t, defaults.deployments["querycoord"].Spec.Template.Annotations["checksum/config"], o.deployments["querycoord"].Spec.Template.Annotations["checksum/config"])
				assert.Equal(t, defaults.deployments["rootcoord"].Spec.Template.Annotations["checksum/config"], o.deployments["rootcoord"].Spec.Template.Annotations["checksum/config"])
			}},
		{"should merge extra config over user.yaml, false values included",
			"milvus: {extraConfig: {queryCoord: {balancer: ScoreBasedBalancer, autoBalance: false}}}",
			func(t *testing.T, o objects) {
				q := userConfig(t, o.configMaps["querycoord"])["queryCoord"].(map[string]any)
				assert.Equal(t, "ScoreBasedBalancer", q["balancer"])
				assert.Equal(t, false, q["autoBalance"])
				assert.Equal(t, true, q["enableActiveStandby"])
			}},
		{"should take credentials from an existing Secret and make none",
			"externalS3: {existingSecret: s3-creds}",
			func(t *testing.T, o objects) {
				assert.Empty(t, o.secrets)
				env := o.deployments["rootcoord"].Spec.Template.Spec.Containers[0].Env
				var found bool
				for _, e := range env {
					if e.Name == "MINIO_ACCESS_KEY_ID" {
						found = true
						assert.Equal(t, "s3-creds", e.ValueFrom.SecretKeyRef.Name)
					}
				}
				assert.True(t, found)
			}},
		{"should use no access keys with IAM", "externalS3: {useIAM: true}",
			func(t *testing.T, o objects) {
				assert.Empty(t, o.secrets)
				assert.NotContains(t, o.text, "MINIO_ACCESS_KEY_ID")
			}},
		{"should write Kafka, not Pulsar, when Kafka is enabled",
			"externalPulsar: {enabled: false}\nexternalKafka: {enabled: true, brokerList: 'k:9092', sasl: {username: milvus, password: pw}}",
			func(t *testing.T, o objects) {
				cfg := userConfig(t, o.configMaps["datacoord"])
				assert.Equal(t, "kafka", cfg["mq"].(map[string]any)["type"])
				assert.NotContains(t, cfg, "pulsar")
				require.Len(t, o.secrets, 1)
				assert.Equal(t, "pw", o.secrets[0].StringData["saslpassword"])
			}},
		{"should write pulsar.webport from externalPulsar.webport, 80 by default as Milvus ships it", "externalPulsar: {webport: 8080}",
			func(t *testing.T, o objects) {
				assert.EqualValues(t, 8080, userConfig(t, o.configMaps["rootcoord"])["pulsar"].(map[string]any)["webport"])
				def := userConfig(t, renderValues(t, ch, "").configMaps["rootcoord"])
				assert.EqualValues(t, 80, def["pulsar"].(map[string]any)["webport"])
			}},
		{"should take the etcd password from the chart's Secret, never the ConfigMap", "externalEtcd: {auth: {enabled: true, userName: milvus, password: etcd-pw}}",
			func(t *testing.T, o objects) {
				for component, cm := range o.configMaps {
					assert.NotContains(t, cm.Data["user.yaml"], "etcd-pw", component)
					auth := userConfig(t, cm)["etcd"].(map[string]any)["auth"].(map[string]any)
					assert.Equal(t, map[string]any{"enabled": true, "userName": "milvus"}, auth, component)
					env := envByName(o.deployments[component])
					require.Contains(t, env, "ETCD_AUTH_PASSWORD", component)
					ref := env["ETCD_AUTH_PASSWORD"].ValueFrom.SecretKeyRef
					require.NotNil(t, ref, component)
					assert.Equal(t, "etcdpassword", ref.Key)
				}
				require.Len(t, o.secrets, 1)
				assert.Equal(t, "etcd-pw", o.secrets[0].StringData["etcdpassword"])
			}},
		{"should read the etcd password from an existing Secret and make none for it", "externalEtcd: {auth: {enabled: true, userName: milvus, existingSecret: etcd-creds}}",
			func(t *testing.T, o objects) {
				ref := envByName(o.deployments["datacoord"])["ETCD_AUTH_PASSWORD"].ValueFrom.SecretKeyRef
				assert.Equal(t, "etcd-creds", ref.Name)
				for _, s := range o.secrets {
					assert.NotContains(t, s.StringData, "etcdpassword")
				}
			}},
		{"should mount the etcd client certificate Secret read-only and point etcd.ssl at it", "externalEtcd: {tls: {secretName: etcd-tls, minVersion: \"1.2\"}}",
			func(t *testing.T, o objects) {
				for component, d := range o.deployments {
					ssl := userConfig(t, o.configMaps[component])["etcd"].(map[string]any)["ssl"].(map[string]any)
					assert.Equal(t, map[string]any{"enabled": true, "tlsCert": "/milvus/tls/etcd/tls.crt", "tlsKey": "/milvus/tls/etcd/tls.key",
						"tlsCACert": "/milvus/tls/etcd/ca.crt", "tlsMinVersion": "1.2"}, ssl, component)
					assertSecretMount(t, d, "etcd-tls", "/milvus/tls/etcd")
				}
				assert.NotContains(t, userConfig(t, renderValues(t, ch, "").configMaps["rootcoord"])["etcd"], "ssl")
			}},
		{"should mount the object storage CA and set minio.ssl.tlsCACert", "externalS3: {useSSL: true, tls: {caSecretName: s3-ca}}",
			func(t *testing.T, o objects) {
				minio := userConfig(t, o.configMaps["querycoord"])["minio"].(map[string]any)
				assert.Equal(t, map[string]any{"tlsCACert": "/milvus/tls/s3/ca.crt"}, minio["ssl"])
				assertSecretMount(t, o.deployments["querycoord"], "s3-ca", "/milvus/tls/s3")
			}},
		{"should set MILVUS_STREAMING_SERVICE_ENABLED to 1 on every coordinator only when streaming is on", "image: {all: {tag: v2.5.27}}\nmilvus: {streaming: {enabled: true}}",
			func(t *testing.T, o objects) {
				for component, d := range o.deployments {
					assert.Equal(t, "1", envByName(d)["MILVUS_STREAMING_SERVICE_ENABLED"].Value, component)
				}
				assert.NotContains(t, envByName(renderValues(t, ch, "").deployments["rootcoord"]), "MILVUS_STREAMING_SERVICE_ENABLED")
			}},
		{"should make no NetworkPolicy when turned off", "networkPolicy: {enabled: false}",
			func(t *testing.T, o objects) {
				assert.NotContains(t, o.kinds, "NetworkPolicy")
				assert.Contains(t, renderValues(t, ch, "").kinds, "NetworkPolicy")
			}},
		{"should drop all capabilities and forbid privilege escalation by default", "",
			func(t *testing.T, o objects) {
				sc := o.deployments["rootcoord"].Spec.Template.Spec.Containers[0].SecurityContext
				require.NotNil(t, sc)
				assert.False(t, *sc.AllowPrivilegeEscalation)
				assert.Equal(t, []corev1.Capability{"ALL"}, sc.Capabilities.Drop)
				assert.Equal(t, corev1.SeccompProfileTypeRuntimeDefault, sc.SeccompProfile.Type)
			}},
		{"should stop each role within milvus.gracefulStopTimeout, not common.gracefulStopTimeout, and give the pod that plus 30 s",
			"milvus: {gracefulStopTimeout: 40}",
			func(t *testing.T, o objects) {
				for c, section := range map[string]string{"rootcoord": "rootCoord", "querycoord": "queryCoord", "datacoord": "dataCoord"} {
					cfg := userConfig(t, o.configMaps[c])
					assert.Equal(t, 40.0, cfg[section].(map[string]any)["gracefulStopTimeout"], c)
					assert.NotContains(t, cfg["common"], "gracefulStopTimeout", c)
					assert.Equal(t, int64(70), *o.deployments[c].Spec.Template.Spec.TerminationGracePeriodSeconds, c)
				}
			}},
		{"should give a 2.4 mixture the sum of its three stop timeouts, which it runs one after another",
			mixcoordOn + "milvus: {gracefulStopTimeout: 20}",
			func(t *testing.T, o objects) {
				cfg := userConfig(t, o.configMaps["mixcoord"])
				for _, section := range []string{"rootCoord", "queryCoord", "dataCoord"} {
					assert.Equal(t, 20.0, cfg[section].(map[string]any)["gracefulStopTimeout"], section)
				}
				assert.Equal(t, int64(3*20+30), *o.deployments["mixcoord"].Spec.Template.Spec.TerminationGracePeriodSeconds)
			}},
		{"should give 2.6 mixcoord rootCoord's stop timeout alone",
			mixcoordOn + "image: {all: {tag: v2.6.15}}\nmilvus: {gracefulStopTimeout: 20}",
			func(t *testing.T, o objects) {
				cfg := userConfig(t, o.configMaps["mixcoord"])
				assert.Equal(t, 20.0, cfg["rootCoord"].(map[string]any)["gracefulStopTimeout"])
				assert.NotContains(t, cfg["queryCoord"], "gracefulStopTimeout")
				assert.NotContains(t, cfg["dataCoord"], "gracefulStopTimeout")
				assert.Equal(t, int64(20+30), *o.deployments["mixcoord"].Spec.Template.Spec.TerminationGracePeriodSeconds)
			}},
		{"should write mixCoord.enableActiveStandby in config and env on 2.6.0 to 2.6.7",
			separateOff + "image: {all: {tag: v2.6.7}}\nmixCoordinator: {enabled: true, replicas: 1, activeStandby: {enabled: false}}",
			func(t *testing.T, o objects) {
				cfg := userConfig(t, o.configMaps["mixcoord"])
				assert.Equal(t, false, cfg["mixCoord"].(map[string]any)["enableActiveStandby"])
				assert.Contains(t, o.deployments["mixcoord"].Spec.Template.Spec.Containers[0].Env,
					corev1.EnvVar{Name: "MIX_COORD_ENABLE_ACTIVE_STANDBY", Value: "false"})
				assert.Equal(t, appsv1.RecreateDeploymentStrategyType, o.deployments["mixcoord"].Spec.Strategy.Type)
			}},
		{"should render 2.6.8 mixcoord as HA even with activeStandby.enabled false, and warn that it has no effect",
			separateOff + "image: {all: {tag: v2.6.8}}\nmixCoordinator: {enabled: true, replicas: 2, activeStandby: {enabled: false}}",
			func(t *testing.T, o objects) {
				d := o.deployments["mixcoord"]
				assert.Equal(t, appsv1.RollingUpdateDeploymentStrategyType, d.Spec.Strategy.Type)
				assert.Equal(t, "0", d.Spec.Strategy.RollingUpdate.MaxUnavailable.String())
				assert.Equal(t, int32(30), d.Spec.MinReadySeconds)
				assert.Contains(t, o.pdbs, "mixcoord")
				assert.NotNil(t, d.Spec.Template.Spec.Affinity.PodAntiAffinity)
				// The config says what the values say; Milvus ignores it.
				assert.Equal(t, false, userConfig(t, o.configMaps["mixcoord"])["mixCoord"].(map[string]any)["enableActiveStandby"])
				require.Len(t, o.findings, 1)
				assert.Equal(t, "mixcoord-always-standby", o.findings[0].Rule)
				assert.Equal(t, finding.Warning, o.findings[0].Severity)
				assert.Equal(t, "set mixCoordinator.activeStandby.enabled: true", o.findings[0].Fix)
			}},
		{"should expose and admit only rootCoord.port and metrics for 2.6 mixcoord",
			mixcoordOn + "image: {all: {tag: v2.6.15}}\nnetworkPolicy: {enabled: true}",
			func(t *testing.T, o objects) {
				var names []string
				for _, p := range o.services["mixcoord"].Spec.Ports {
					names = append(names, p.Name)
				}
				assert.Equal(t, []string{"rootcoord", "metrics"}, names)
				assert.Len(t, o.deployments["mixcoord"].Spec.Template.Spec.Containers[0].Ports, 2)
				require.NotNil(t, o.networkPolicy)
				require.Len(t, o.networkPolicy.Spec.Ingress, 2)
				grpc := o.networkPolicy.Spec.Ingress[0].Ports
				require.Len(t, grpc, 1)
				assert.Equal(t, int32(22125), grpc[0].Port.IntVal)
			}},
		{"should use mixCoordinator.service.port when set, on every version",
			separateOff + "image: {all: {tag: v2.6.15}}\nmixCoordinator: {enabled: true, service: {port: 53100}}",
			func(t *testing.T, o objects) {
				assert.Equal(t, 53100.0, userConfig(t, o.configMaps["mixcoord"])["rootCoord"].(map[string]any)["port"])
				assert.Equal(t, int32(53100), o.services["mixcoord"].Spec.Ports[0].Port)
			}},
		{"should keep selectors stable: no version in selector labels", "image: {all: {tag: v2.4.15}}",
			func(t *testing.T, o objects) {
				defaults := renderValues(t, ch, "")
				for c, d := range o.deployments {
					assert.Equal(t, defaults.deployments[c].Spec.Selector, d.Spec.Selector, c)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, renderValues(t, ch, tt.values))
		})
	}
}

// separateOff turns the separate coordinators off; mixcoordOn also turns
// mixCoordinator on.
const (
	separateOff = "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\n"
	mixcoordOn  = separateOff + "mixCoordinator: {enabled: true}\n"
)

// TestMixcoordPortFollowsTheRelease: with mixCoordinator.service.port null the
// chart listens, exposes and admits the rootcoord port the image's Milvus
// ships, the same the model's version facts name (internal/coord).
func TestMixcoordPortFollowsTheRelease(t *testing.T) {
	ch := loadChart(t)
	for _, tag := range []string{"v2.4.17", "v2.5.27", "v2.6.0", "v2.6.7", "v2.6.8", "2.6.8-gpu", "v2.6.15", "v3.0.0", "latest"} {
		t.Run(tag, func(t *testing.T) {
			want := int32(coord.RootCoord.DefaultPort)
			if v, ok := coord.ParseVersion(tag); ok {
				want = int32(v.ShippedRootCoordPort())
			}
			o := renderValues(t, ch, mixcoordOn+"networkPolicy: {enabled: true}\nimage: {all: {tag: "+tag+"}}")
			assert.EqualValues(t, want, userConfig(t, o.configMaps["mixcoord"])["rootCoord"].(map[string]any)["port"])
			assert.Equal(t, want, o.services["mixcoord"].Spec.Ports[0].Port)
			assert.Equal(t, want, o.deployments["mixcoord"].Spec.Template.Spec.Containers[0].Ports[0].ContainerPort)
			require.NotNil(t, o.networkPolicy)
			assert.Equal(t, want, o.networkPolicy.Spec.Ingress[0].Ports[0].Port.IntVal)
		})
	}
}

// TestNotes: NOTES.txt says, per coordinator, its mode, replicas, worst-case
// failover and how to find the ACTIVE pod.
func TestNotes(t *testing.T) {
	ch := loadChart(t)
	res := ch.Check(&check.Input{Name: "values.yaml", Data: []byte(
		"queryCoordinator: {replicas: 1, activeStandby: {enabled: false}}\nmilvus: {session: {ttl: 20}, etcd: {rootPath: prod}}\n")},
		check.Options{Render: render.Options{ReleaseName: "coord"}})
	require.NotNil(t, res.Rendered)
	notes := res.Rendered.Notes
	assert.Contains(t, notes, "- rootcoord: 2 replica(s), active-standby")
	assert.Contains(t, notes, "- querycoord: 1 replica(s), single (no standby)")
	assert.Contains(t, notes, "a stop that runs out\n    of time, up to 20 s (common.session.ttl) plus the metadata reload")
	assert.Contains(t, notes, "etcdctl get prod/meta/session/<role>")
	// Every HA pod logs "enter STANDBY mode": the notes must not call that a standby's sign.
	assert.Contains(t, notes, `Every HA pod logs "enter STANDBY mode", the ACTIVE one too`)
	assert.Contains(t, notes, `"quit STANDBY mode, this node will become ACTIVE"`)
	assert.NotContains(t, notes, `A STANDBY pod logs "enter STANDBY mode"`)
	assert.Contains(t, notes, "(rootcoord, querycoord, datacoord)")

	assert.Contains(t, notes, "failover: at once on a graceful stop that ends within\n    30 s per role (rootCoord.gracefulStopTimeout;\n    the pod gets 60 s)")

	res = ch.Check(&check.Input{Name: "values.yaml", Data: []byte(separateOff +
		"image: {all: {tag: v2.6.8}}\nmixCoordinator: {enabled: true, activeStandby: {enabled: false}}\n")},
		check.Options{Render: render.Options{ReleaseName: "coord"}})
	require.NotNil(t, res.Rendered)
	notes = res.Rendered.Notes
	assert.Contains(t, notes, "- mixcoord: 2 replica(s), active-standby\n    (Milvus 2.6.8 runs mixcoord active-standby whatever\n    activeStandby.enabled says: its false has no effect)")

	res = ch.Check(&check.Input{Name: "values.yaml", Data: []byte(mixcoordOn)}, check.Options{Render: render.Options{ReleaseName: "coord"}})
	require.NotNil(t, res.Rendered)
	assert.Contains(t, res.Rendered.Notes, "(rootCoord, queryCoord, dataCoord.gracefulStopTimeout;\n    the pod gets 120 s)")

	res = ch.Check(&check.Input{Name: "values.yaml", Data: []byte("image: {all: {tag: v2.6.3}}\n" +
		"rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}\n")},
		check.Options{Render: render.Options{ReleaseName: "coord"}})
	require.NotNil(t, res.Rendered)
	assert.Contains(t, res.Rendered.Notes, "(mixcoord; the active one also writes rootcoord, querycoord, datacoord)", "2.6 keys")
}

// envByName is the env of a Deployment's Milvus container, by name.
func envByName(d *appsv1.Deployment) map[string]corev1.EnvVar {
	out := map[string]corev1.EnvVar{}
	for _, e := range d.Spec.Template.Spec.Containers[0].Env {
		out[e.Name] = e
	}
	return out
}

// assertSecretMount checks that d mounts Secret secret read-only at dir.
func assertSecretMount(t *testing.T, d *appsv1.Deployment, secret, dir string) {
	t.Helper()
	var volume string
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Secret != nil && v.Secret.SecretName == secret {
			volume = v.Name
		}
	}
	require.NotEmpty(t, volume, "%s has no volume of Secret %s", d.Name, secret)
	for _, m := range d.Spec.Template.Spec.Containers[0].VolumeMounts {
		if m.Name == volume {
			assert.Equal(t, dir, m.MountPath)
			assert.True(t, m.ReadOnly, "%s mounts %s writable", d.Name, secret)
			return
		}
	}
	t.Errorf("%s does not mount volume %s", d.Name, volume)
}

// TestChartRefusesEveryCredential keeps the chart's credential table
// (milvus-coord.credentialKeys) equal to internal/coord's: every credential,
// in milvus.extraConfig or in extraConfigFiles and in the env spelling, is
// refused by Helm itself, not only by valuescheck.
func TestChartRefusesEveryCredential(t *testing.T) {
	ch := loadChart(t)
	for _, c := range coord.Credentials {
		head, last, _ := strings.Cut(c.Key, ".")
		cases := map[string]string{
			"milvus.extraConfig": fmt.Sprintf("milvus: {extraConfig: {%s: {%q: x}}}", head, last),
			"extraConfigFiles":   fmt.Sprintf("extraConfigFiles: {user.yaml: %q}", c.Env()+": x"),
		}
		for source, values := range cases {
			t.Run(c.Key+" in "+source, func(t *testing.T) {
				res := ch.Check(&check.Input{Name: "v.yaml", Data: []byte(values)}, check.Options{})
				cause := "extra-config-credentials/" + coord.NormalizeKey(c.Key) + "@" + source
				var got []string
				for _, f := range res.Findings {
					got = append(got, f.Cause)
					if f.Cause == cause {
						assert.False(t, f.Stricter, "Helm must refuse it too: %s", f.Text())
						return
					}
				}
				t.Errorf("no finding %s; got %v", cause, got)
			})
		}
	}
}
