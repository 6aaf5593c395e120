package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestMixcoordAlwaysStandby(t *testing.T) {
	mixcoord := func(tag string, standby bool) string {
		on := "false"
		if standby {
			on = "true"
		}
		return separateOff + "image: {all: {tag: " + tag + "}}\nmixCoordinator: {enabled: true, replicas: 2, activeStandby: {enabled: " + on + "}}\n"
	}
	runCases(t, mixcoordAlwaysStandby, []ruleCase{
		{name: "chart defaults: 2.4 separate coordinators"},
		{name: "2.6.8 with active-standby on", overlay: mixcoord("v2.6.8", true)},
		{name: "2.6.7 decides by the values: another rule's", overlay: mixcoord("v2.6.7", false)},
		{name: "a 2.4 mixture decides by the values", overlay: mixcoord("v2.4.17", false)},
		{
			name:    "2.6.8 ignores activeStandby.enabled false",
			overlay: mixcoord("v2.6.8", false),
			want: []want{{Subject: "mixcoord", At: path("mixCoordinator.activeStandby.enabled"),
				Msg: "mixCoordinator.activeStandby.enabled is false, but image.all.tag is v2.6.8 and from Milvus 2.6.8 mixcoord runs active-standby whatever the config says: the setting has no effect, and the chart renders mixCoordinator as HA",
				Fix: "set mixCoordinator.activeStandby.enabled: true"}},
		},
		{
			name: "objects: 2.6.15 mixcoord with mixCoord.enableActiveStandby false in its config",
			objects: func() []coord.Object {
				return objects(configMap("coord-mix", "mixCoord:\n  enableActiveStandby: false\nrootCoord:\n  enableActiveStandby: true\n"),
					deployment("coord-mix", 1, "milvusdb/milvus:v2.6.15", "mixcoord"))
			},
			want: []want{{Subject: "mixcoord", At: coord.Source{Object: "ConfigMap coord-mix-config", Path: "data.user.yaml"},
				Msg: `mixCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-mix-config is "false", but spec.template.spec.containers[].image of Deployment coord-mix is v2.6.15`,
				Fix: "set mixCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-mix-config to true"}},
		},
		{
			name: "objects: the rootCoord fallback in env, as the upstream chart writes it",
			objects: func() []coord.Object {
				return objects(configMap("coord-mix", ""), withEnv(deployment("coord-mix", 1, "milvusdb/milvus:v2.6.8", "mixcoord"),
					corev1.EnvVar{Name: "ROOT_COORD_ENABLE_ACTIVE_STANDBY", Value: "false"}))
			},
			want: []want{{Subject: "mixcoord", At: coord.Source{Object: "Deployment coord-mix", Path: "spec.template.spec.containers[coord].env[0]"},
				Msg: `env ROOT_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-mix is "false"`,
				Fix: "set env ROOT_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-mix to true"}},
		},
		{
			name: "objects: nothing set, Milvus' default false does nothing either, and no line says it",
			objects: func() []coord.Object {
				return objects(deployment("coord-mix", 1, "milvusdb/milvus:v2.6.8", "mixcoord"))
			},
		},
		{
			name: "objects: mixCoord true wins over a false rootCoord fallback",
			objects: func() []coord.Object {
				return objects(configMap("coord-mix", "mixCoord:\n  enableActiveStandby: true\nrootCoord:\n  enableActiveStandby: false\n"),
					deployment("coord-mix", 1, "milvusdb/milvus:v2.6.8", "mixcoord"))
			},
		},
	})
}
