package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestHAStandbyUnverifiable(t *testing.T) {
	fromSecret := corev1.EnvVar{Name: "ROOT_COORD_ENABLE_ACTIVE_STANDBY", ValueFrom: &corev1.EnvVarSource{
		SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "ha"}, Key: "on"}}}
	runCases(t, haStandbyUnverifiable, []ruleCase{
		{name: "chart defaults: the chart sets the mode"},
		{name: "this chart's values: the declared mode decides, extraEnv is another rule's",
			overlay: "rootCoordinator: {replicas: 3, extraEnv: [{name: ROOT_COORD_ENABLE_ACTIVE_STANDBY, valueFrom: {secretKeyRef: {name: ha, key: on}}}]}"},
		{
			name: "objects: the ConfigMap the pods read their config from is not in the input",
			objects: func() []coord.Object {
				return objects(deployment("coord-root", 2, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-root", Path: "spec.template.spec.volumes"},
				Msg: "Deployment coord-root runs 2 replicas and reads rootCoord.enableActiveStandby from ConfigMap coord-root-config, which is not among the input",
				Fix: "pass ConfigMap coord-root-config with the objects (kubectl get configmap coord-root-config -o yaml), so that what it sets can be checked, and make sure it sets rootCoord.enableActiveStandby: true"}},
		},
		{
			name: "objects: one replica: nothing to check",
			objects: func() []coord.Object {
				return objects(deployment("coord-root", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
		},
		{
			name: "objects: the mode comes from a Secret",
			objects: func() []coord.Object {
				return objects(configMap("coord-root", "common:\n  session:\n    ttl: 30\n"),
					withEnv(deployment("coord-root", 2, "milvusdb/milvus:v2.4.17", "rootcoord"), fromSecret))
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-root", Path: "spec.template.spec.containers[coord].env[0]"},
				Msg: "Deployment coord-root runs 2 replicas and reads rootCoord.enableActiveStandby from env ROOT_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-root, which is not among the input",
				Fix: "make sure env ROOT_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-root sets rootCoord.enableActiveStandby: true"}},
		},
		{
			name: "objects: one replica is no HA question",
			objects: func() []coord.Object {
				return objects(withEnv(deployment("coord-root", 1, "milvusdb/milvus:v2.4.17", "rootcoord"), fromSecret))
			},
		},
	})
}

// TestHAStandbyUnverifiableUpstream: the upstream chart's customConfigMap
// replaces the config it writes, enableActiveStandby with it.
func TestHAStandbyUnverifiableUpstream(t *testing.T) {
	vals := map[string]any{
		"cluster":         map[string]any{"enabled": true},
		"image":           map[string]any{"all": map[string]any{"tag": "v2.4.17"}},
		"customConfigMap": "my-config",
		"mixCoordinator":  map[string]any{"enabled": true, "replicas": float64(2), "activeStandby": map[string]any{"enabled": true}},
	}
	got := haStandbyUnverifiable.check(coord.FromUpstream(vals, 4))
	require.Len(t, got, 1, describe(got))
	assert.Equal(t, "customConfigMap", got[0].At.Path)
	assert.Contains(t, got[0].Message, "reads rootCoord.enableActiveStandby from milvus.yaml of ConfigMap my-config (customConfigMap)")
	assert.Equal(t, `remove customConfigMap and set mixCoordinator.activeStandby.enabled: true (put your own settings in extraConfigFiles["user.yaml"])`, got[0].Fix)

	vals["image"] = map[string]any{"all": map[string]any{"tag": "v2.6.15"}}
	assert.Empty(t, haStandbyUnverifiable.check(coord.FromUpstream(vals, 5)), "2.6.8+ mixcoord is active-standby whatever the config says")
}
