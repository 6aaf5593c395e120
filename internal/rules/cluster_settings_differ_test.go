package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestClusterSettingsDiffer(t *testing.T) {
	const split = "every Milvus pod of one cluster must read it alike"
	runCases(t, clusterSettingsDiffer, []ruleCase{
		{name: "chart defaults: every coordinator reads the same"},
		{name: "extraConfig sets it for every coordinator", overlay: "milvus: {extraConfig: {msgChannel: {chanNamePrefix: {cluster: prod}}, common: {security: {authorizationEnabled: true}}}}"},
		{name: "one coordinator alone cannot differ", overlay: separateOff + "mixCoordinator: {enabled: true, extraEnv: [{name: MSG_CHANNEL_CHAN_NAME_PREFIX_CLUSTER, value: x}]}"},
		{name: "booleans as Milvus parses them", overlay: "milvus: {extraConfig: {common: {security: {authorizationEnabled: true}}}}\nqueryCoordinator: {extraEnv: [{name: COMMON_SECURITY_AUTHORIZATION_ENABLED, value: \"True\"}]}"},
		{name: "a value from a Secret cannot be told", overlay: "queryCoordinator: {extraEnv: [{name: ETCD_ROOT_PATH, valueFrom: {secretKeyRef: {name: s, key: k}}}]}"},
		{
			name:    "one block's channel prefix: blame its env var",
			overlay: "queryCoordinator: {extraEnv: [{name: MSG_CHANNEL_CHAN_NAME_PREFIX_CLUSTER, value: prod}]}",
			want: []want{{Subject: "msgchannelchannameprefixcluster", At: path("queryCoordinator.extraEnv[0].name"),
				Msg: `queryCoordinator reads msgChannel.chanNamePrefix.cluster as "prod" (queryCoordinator.extraEnv[0].name MSG_CHANNEL_CHAN_NAME_PREFIX_CLUSTER) but rootCoordinator reads unset (Milvus' default): ` + split,
				Fix: "remove MSG_CHANNEL_CHAN_NAME_PREFIX_CLUSTER from queryCoordinator.extraEnv and set it for every coordinator in milvus.extraConfig (msgChannel.chanNamePrefix.cluster: prod)"}},
		},
		{
			name:    "the first block is the odd one: blame it, not the others",
			overlay: "rootCoordinator: {extraEnv: [{name: ETCD_ROOT_PATH, value: other}]}",
			want: []want{{Subject: "etcdrootpath", At: path("rootCoordinator.extraEnv[0].name"),
				Msg: `rootCoordinator reads etcd.rootPath as "other"`}},
		},
		{
			name:    "authorization on in one block only",
			overlay: "dataCoordinator: {extraEnv: [{name: COMMON_SECURITY_AUTHORIZATION_ENABLED, value: \"true\"}]}",
			want:    []want{{Subject: "commonsecurityauthorizationenabled", At: path("dataCoordinator.extraEnv[0].name"), Msg: split}},
		},
		{
			name:    "streaming on in one block only: \"true\" is off, \"1\" is on",
			overlay: "image: {all: {tag: v2.5.27}}\nqueryCoordinator: {extraEnv: [{name: MILVUS_STREAMING_SERVICE_ENABLED, value: \"1\"}]}\ndataCoordinator: {extraEnv: [{name: MILVUS_STREAMING_SERVICE_ENABLED, value: \"true\"}]}",
			want:    []want{{Subject: "milvusstreamingserviceenabled", At: path("queryCoordinator.extraEnv[0].name"), Msg: split}},
		},
		{
			name:    "streaming on in one block only on 2.4: no streaming service, nothing to agree on",
			overlay: "queryCoordinator: {extraEnv: [{name: MILVUS_STREAMING_SERVICE_ENABLED, value: \"1\"}]}",
		},
		{name: "streaming for all from the values", overlay: "image: {all: {tag: v2.5.27}}\nmilvus: {streaming: {enabled: true}}"},
		{
			name: "manifests: two Deployments with other etcd root paths",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "etcd:\n  rootPath: a\n"), deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"),
					configMap("coord-querycoord", "etcd:\n  rootPath: b\n"), deployment("coord-querycoord", 1, "milvusdb/milvus:v2.4.17", "querycoord"))
			},
			want: []want{{Subject: "etcdrootpath", At: coord.Source{Object: "ConfigMap coord-querycoord-config", Path: "data.user.yaml"},
				Msg: `Deployment coord-querycoord reads etcd.rootPath as "b"`,
				Fix: "remove etcd.rootPath in data.user.yaml of ConfigMap coord-querycoord-config, so that Deployment coord-querycoord reads the value every coordinator reads"}},
		},
	})
}
