package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestHAReplicasNeedStandby(t *testing.T) {
	runCases(t, haReplicasNeedStandby, []ruleCase{
		{name: "chart defaults: two replicas with active-standby"},
		{name: "one replica without active-standby is fine", overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}}"},
		{
			name:    "500 replicas with active-standby off: blame the switch the user turned off",
			overlay: "rootCoordinator: {replicas: 500, activeStandby: {enabled: false}}",
			user:    []string{"rootCoordinator.replicas", "rootCoordinator.activeStandby.enabled"},
			want: []want{{
				Subject: "rootcoord", At: path("rootCoordinator.activeStandby.enabled"),
				Msg: "rootCoordinator runs 500 replicas without active-standby (rootCoordinator.activeStandby.enabled is false)",
				Fix: "set rootCoordinator.activeStandby.enabled: true or rootCoordinator.replicas: 1",
			}},
		},
		{
			name:    "replicas raised over a switch left off: blame the replicas",
			overlay: "queryCoordinator: {replicas: 3, activeStandby: {enabled: false}}",
			user:    []string{"queryCoordinator.replicas"},
			want: []want{{
				Subject: "querycoord", At: path("queryCoordinator.replicas"),
				Msg: "queryCoordinator runs 3 replicas without active-standby",
				Fix: "set queryCoordinator.activeStandby.enabled: true or queryCoordinator.replicas: 1",
			}},
		},
		{
			name:    "2.6.3 mixcoord without active-standby names every role",
			overlay: "image: {all: {tag: v2.6.3}}\n" + separateOff + "mixCoordinator: {enabled: true, activeStandby: {enabled: false}}",
			user:    []string{"mixCoordinator.activeStandby.enabled"},
			want: []want{{
				Subject: "rootcoord, querycoord, datacoord", At: path("mixCoordinator.activeStandby.enabled"),
				Msg: "mixCoordinator runs 2 replicas without active-standby",
			}},
		},
		{
			name:    "2.6.8 mixcoord is active-standby whatever the values say",
			overlay: "image: {all: {tag: v2.6.8}}\n" + separateOff + "mixCoordinator: {enabled: true, activeStandby: {enabled: false}}",
		},
		{
			name:    "replicas of the wrong type are the schema's finding",
			overlay: `dataCoordinator: {replicas: "3", activeStandby: {enabled: false}}`,
		},
		{
			name: "objects: user.yaml says yes, which Milvus parses as false",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "rootCoord:\n  enableActiveStandby: \"yes\"\n"), deployment("coord-rootcoord", 2, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{
				Subject: "rootcoord", At: coord.Source{Object: "ConfigMap coord-rootcoord-config", Path: "data.user.yaml"},
				Msg: `rootCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-rootcoord-config is "yes", which Milvus parses as false`,
				Fix: "set ROOT_COORD_ENABLE_ACTIVE_STANDBY=true in the env or config of Deployment coord-rootcoord, or spec.replicas: 1",
			}},
		},
		{
			name: "objects: env turns off what user.yaml turns on",
			objects: func() []coord.Object {
				return objects(configMap("coord-querycoord", "queryCoord: {enableActiveStandby: true}"),
					withEnv(deployment("coord-querycoord", 3, "milvusdb/milvus:v2.4.17", "querycoord"), corev1.EnvVar{Name: "QUERY_COORD_ENABLE_ACTIVE_STANDBY", Value: "false"}))
			},
			want: []want{{
				Subject: "querycoord", At: coord.Source{Object: "Deployment coord-querycoord", Path: "spec.template.spec.containers[coord].env[0]"},
				Msg: `Deployment coord-querycoord runs 3 replicas without active-standby (env QUERY_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-querycoord is "false")`,
			}},
		},
		{
			// The kubelet resolves valueFrom at start: the value is unknown
			// here, not "" (which Milvus would parse as false).
			name: "objects: an env var from a ConfigMap key is not judged as empty",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: true}"),
					withEnv(deployment("coord-rootcoord", 2, "milvusdb/milvus:v2.4.17", "rootcoord"), corev1.EnvVar{Name: "ROOT_COORD_ENABLE_ACTIVE_STANDBY",
						ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "ha"}, Key: "on"}}}))
			},
		},
		{
			name: "objects: nothing sets the key",
			objects: func() []coord.Object {
				return objects(configMap("coord-datacoord", ""), deployment("coord-datacoord", 2, "milvusdb/milvus:v2.4.17", "datacoord"))
			},
			want: []want{{
				Subject: "datacoord", At: coord.Source{Object: "Deployment coord-datacoord"},
				Msg: "no config file or env var sets dataCoord.enableActiveStandby (Milvus' default is false)",
			}},
		},
	})
}
