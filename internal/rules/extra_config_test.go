package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

const userYAML = `extraConfigFiles["user.yaml"]`

func TestExtraConfigContradicts(t *testing.T) {
	runCases(t, extraConfigContradicts, []ruleCase{
		{name: "chart defaults: no extra config"},
		{name: "extraConfig agreeing with the values", overlay: "milvus: {extraConfig: {rootCoord: {enableActiveStandby: true}}}"},
		{name: `"true" as a string agrees with true`, overlay: `milvus: {extraConfig: {rootCoord: {enableActiveStandby: "true"}}}`},
		{
			name:    "extraConfig turning off what the values turn on is ignored: env wins",
			overlay: "milvus: {extraConfig: {rootCoord: {enableActiveStandby: false}}}",
			want: []want{{Subject: "rootcoordenableactivestandby@milvus.extraConfig.rootCoord.enableActiveStandby",
				At:  path("milvus.extraConfig.rootCoord.enableActiveStandby"),
				Msg: `milvus.extraConfig.rootCoord.enableActiveStandby is "false", but rootCoordinator reads "true" from env ROOT_COORD_ENABLE_ACTIVE_STANDBY (the chart sets it from rootCoordinator.activeStandby.enabled), which overrides it`,
				Fix: "remove milvus.extraConfig.rootCoord.enableActiveStandby and set rootCoordinator.activeStandby.enabled to the value you want"}},
		},
		{
			name:    "extraConfig overriding the TTL the user set in milvus.session.ttl: the values key is ignored",
			overlay: "milvus: {session: {ttl: 30}, extraConfig: {common: {session: {ttl: 20}}}}",
			user:    []string{"milvus.session.ttl", "milvus.extraConfig"},
			want: []want{{Subject: "commonsessionttl@milvus.extraConfig.common.session.ttl",
				At:  path("milvus.extraConfig.common.session.ttl"),
				Msg: `milvus.session.ttl is "30" (milvus.session.ttl), but milvus.extraConfig.common.session.ttl is "20", which overrides it in the config of rootCoordinator`,
				Fix: "remove milvus.extraConfig.common.session.ttl and set milvus.session.ttl to the value you want"}},
		},
		{name: "extraConfig overriding the chart's default TTL: the user chose extraConfig",
			overlay: "milvus: {extraConfig: {common: {session: {ttl: 20}}}}", user: []string{"milvus.extraConfig"}},
		{
			name: "a TTL in user.yaml that extraConfig overrides, for every coordinator",
			overlay: `
extraConfigFiles:
  user.yaml: |
    common:
      session:
        ttl: 20
milvus:
  extraConfig:
    common: {session: {ttl: 45}}`,
			want: []want{
				{Subject: "commonsessionttl@" + userYAML, At: path(userYAML),
					Msg: `common.session.ttl in extraConfigFiles["user.yaml"] is "20", but rootCoordinator reads "45" from milvus.extraConfig.common.session.ttl`,
					Fix: `remove common.session.ttl in extraConfigFiles["user.yaml"]`},
				{Subject: "commonsessionttl@" + userYAML, At: path(userYAML), Msg: "but queryCoordinator reads"},
				{Subject: "commonsessionttl@" + userYAML, At: path(userYAML), Msg: "but dataCoordinator reads"},
			},
		},
		{
			name: "objects: env overrides user.yaml",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: true}"),
					withEnv(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"), corev1.EnvVar{Name: "ROOT_COORD_ENABLE_ACTIVE_STANDBY", Value: "false"}))
			},
			want: []want{{Subject: "rootcoordenableactivestandby@data.user.yaml of ConfigMap coord-rootcoord-config",
				At:  coord.Source{Object: "ConfigMap coord-rootcoord-config", Path: "data.user.yaml"},
				Msg: `rootCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-rootcoord-config is "true", but Deployment coord-rootcoord reads "false" from env ROOT_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-rootcoord`,
				Fix: "remove rootCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-rootcoord-config"}},
		},
	})
}

func TestExtraConfigIgnored(t *testing.T) {
	runCases(t, extraConfigIgnored, []ruleCase{
		{name: "chart defaults: no extra config"},
		{name: `"true" as a string is a boolean Milvus parses`, overlay: `milvus: {extraConfig: {queryCoord: {enableActiveStandby: "true"}}}`},
		{name: `"1" as a string is a boolean Milvus parses`, overlay: "extraConfigFiles:\n  user.yaml: |\n    dataCoord:\n      enableActiveStandby: \"1\""},
		{
			name:    `indexCoord.enableActiveStandby "yes" on 2.4: no code reads the key`,
			overlay: `milvus: {extraConfig: {indexCoord: {enableActiveStandby: "yes"}}}`,
			want: []want{{Subject: "indexcoordenableactivestandby@milvus.extraConfig.indexCoord.enableActiveStandby",
				At:  path("milvus.extraConfig.indexCoord.enableActiveStandby"),
				Msg: "milvus.extraConfig.indexCoord.enableActiveStandby is set, but on Milvus 2.4.17 no code reads it: since 2.3 datacoord registers the indexcoord session and dataCoord.enableActiveStandby decides its mode",
				Fix: "remove milvus.extraConfig.indexCoord.enableActiveStandby; dataCoordinator.activeStandby.enabled sets the mode"}},
		},
		{name: "indexCoord.enableActiveStandby equal to dataCoord's on 2.4: ignored, but it says what decides (the upstream chart writes both)",
			overlay: `milvus: {extraConfig: {indexCoord: {enableActiveStandby: true}}}`},
		{
			name:    "indexCoord.enableActiveStandby against dataCoord's on 2.4: it misleads",
			overlay: "dataCoordinator: {replicas: 1, activeStandby: {enabled: false}}\nmilvus: {extraConfig: {indexCoord: {enableActiveStandby: true}}}",
			want: []want{{Subject: "indexcoordenableactivestandby@milvus.extraConfig.indexCoord.enableActiveStandby",
				At: path("milvus.extraConfig.indexCoord.enableActiveStandby"), Msg: "no code reads it"}},
		},
		{name: "indexCoord.enableActiveStandby on 2.2 is read", overlay: "image: {all: {tag: v2.2.16}}\nmilvus: {extraConfig: {indexCoord: {enableActiveStandby: true}}}"},
		{
			name:    "the docs page's activeStandby.enabled is read by no code",
			overlay: "extraConfigFiles:\n  user.yaml: |\n    rootCoord:\n      activeStandby:\n        enabled: true",
			want: []want{{Subject: "rootcoordactivestandbyenabled@" + userYAML, At: path(userYAML),
				Msg: `rootCoord.activeStandby.enabled in extraConfigFiles["user.yaml"] is set, but no Milvus code reads it (the key is rootCoord.enableActiveStandby)`,
				Fix: `remove rootCoord.activeStandby.enabled in extraConfigFiles["user.yaml"] and set activeStandby.enabled in the coordinator's values block`}},
		},
		{
			name: "objects: a value Milvus cannot parse",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: \"yes\"}"), deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "rootcoordenableactivestandby@data.user.yaml of ConfigMap coord-rootcoord-config",
				At:  coord.Source{Object: "ConfigMap coord-rootcoord-config", Path: "data.user.yaml"},
				Msg: `rootCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-rootcoord-config is "yes", which is no boolean Milvus parses (it reads true, false, 1, 0, t, f): Milvus silently runs rootcoord without active-standby`,
				Fix: "set rootCoord.enableActiveStandby in data.user.yaml of ConfigMap coord-rootcoord-config to true or false"}},
		},
		{
			name: "objects: T in the env is true",
			objects: func() []coord.Object {
				return objects(withEnv(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"), corev1.EnvVar{Name: "ROOT_COORD_ENABLE_ACTIVE_STANDBY", Value: "T"}))
			},
		},
	})
}

func TestExtraEnvOverrides(t *testing.T) {
	runCases(t, extraEnvOverrides, []ruleCase{
		{name: "chart defaults: the chart's env only"},
		{name: "unrelated env", overlay: `rootCoordinator: {extraEnv: [{name: GODEBUG, value: "madvdontneed=1"}]}`},
		{
			name:    "an env var turning active-standby off",
			overlay: `rootCoordinator: {extraEnv: [{name: ROOT_COORD_ENABLE_ACTIVE_STANDBY, value: "false"}]}`,
			want: []want{{Subject: "rootcoordenableactivestandby@rootCoordinator.extraEnv[0].name", At: path("rootCoordinator.extraEnv[0].name"),
				Msg: `rootCoordinator.extraEnv[0].name ROOT_COORD_ENABLE_ACTIVE_STANDBY sets rootCoord.enableActiveStandby to "false", which Milvus reads over the config the chart writes from the values: the pods do not run with the value the chart deploys them for`,
				Fix: "remove ROOT_COORD_ENABLE_ACTIVE_STANDBY from rootCoordinator.extraEnv and set rootCoordinator.activeStandby.enabled"}},
		},
		{
			name:    "an env var agreeing today",
			overlay: `dataCoordinator: {extraEnv: [{name: DATA_COORD_ENABLE_ACTIVE_STANDBY, value: "true"}]}`,
			want: []want{{Subject: "datacoordenableactivestandby@dataCoordinator.extraEnv[0].name", At: path("dataCoordinator.extraEnv[0].name"),
				Msg: "it agrees today, and silently wins once dataCoordinator.activeStandby.enabled changes"}},
		},
		{
			name:    "the session TTL from env",
			overlay: `queryCoordinator: {extraEnv: [{name: COMMON_SESSION_TTL, value: "20"}]}`,
			want: []want{{Subject: "commonsessionttl@queryCoordinator.extraEnv[0].name", At: path("queryCoordinator.extraEnv[0].name"),
				Msg: `sets common.session.ttl to "20"`, Fix: "remove COMMON_SESSION_TTL from queryCoordinator.extraEnv and set milvus.session.ttl"}},
		},
		{
			name:    "extraEnv items that are no name-value mapping are skipped",
			overlay: "rootCoordinator: {extraEnv: [FOO=bar, null, 7, {value: x}, {name: 5}, [a]]}",
		},
		{
			name: "objects: two env vars of one key disagree",
			objects: func() []coord.Object {
				return objects(withEnv(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"),
					corev1.EnvVar{Name: "ROOT_COORD_ENABLE_ACTIVE_STANDBY", Value: "true"},
					corev1.EnvVar{Name: "rootCoord.enableActiveStandby", Value: "false"}))
			},
			want: []want{{Subject: "rootcoordenableactivestandby@spec.template.spec.containers[coord].env[1] of Deployment coord-rootcoord",
				At:  coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[coord].env[1]"},
				Msg: `env rootCoord.enableActiveStandby of Deployment coord-rootcoord ("false") overrides env ROOT_COORD_ENABLE_ACTIVE_STANDBY of Deployment coord-rootcoord ("true")`,
				Fix: "keep one env var for rootCoord.enableActiveStandby in Deployment coord-rootcoord"}},
		},
	})
}

func TestMilvusConfigDuplicateKey(t *testing.T) {
	runCases(t, milvusConfigDuplicateKey, []ruleCase{
		{name: "chart defaults: each key once"},
		{name: "extraConfig overriding the chart's key in its own spelling", overlay: "milvus: {extraConfig: {common: {session: {ttl: 20}}}}"},
		{
			name:    "TTL beside the chart's ttl",
			overlay: "milvus: {extraConfig: {common: {session: {TTL: 20}}}}",
			want: []want{{Subject: "commonsessionttl@milvus.extraConfig.common.session.TTL", At: path("milvus.extraConfig.common.session.TTL"),
				Msg: "milvus.extraConfig.common.session.TTL and milvus.session.ttl are one Milvus key written twice in the config file of rootCoordinator: Milvus loads the file into a map and reads one of the two at random",
				Fix: "remove milvus.extraConfig.common.session.TTL and set milvus.session.ttl: 20"}},
		},
		{
			name:    "a dotted key beside the chart's nested one",
			overlay: `milvus: {extraConfig: {"common.session.ttl": 25}}`,
			want: []want{{Subject: "commonsessionttl@" + `milvus.extraConfig["common.session.ttl"]`, At: path(`milvus.extraConfig["common.session.ttl"]`),
				Msg: `milvus.extraConfig["common.session.ttl"] and milvus.session.ttl are one Milvus key written twice`,
				Fix: `remove milvus.extraConfig["common.session.ttl"] and set milvus.session.ttl: 25`}},
		},
		{
			name:    "another case of enableActiveStandby beside the chart's",
			overlay: "milvus: {extraConfig: {rootCoord: {EnableActiveStandby: \"1\"}}}",
			want: []want{{Subject: "rootcoordenableactivestandby@milvus.extraConfig.rootCoord.EnableActiveStandby", At: path("milvus.extraConfig.rootCoord.EnableActiveStandby"),
				Msg: "milvus.extraConfig.rootCoord.EnableActiveStandby and rootCoordinator.activeStandby.enabled are one Milvus key written twice",
				Fix: "remove milvus.extraConfig.rootCoord.EnableActiveStandby and set rootCoordinator.activeStandby.enabled: true"}},
		},
		{
			// The rendered user.yaml holds ttl (the chart's, overridden by
			// extraConfig in the same spelling) and TTL (from user.yaml text):
			// TTL is the second spelling, and removing it is the fix.
			name: "TTL in user.yaml text and ttl in extraConfig: the odd spelling is the text's",
			overlay: `
extraConfigFiles:
  user.yaml: |
    common:
      session:
        TTL: 20
milvus:
  extraConfig:
    common: {session: {ttl: 25}}`,
			want: []want{{Subject: "commonsessionttl@" + userYAML, At: path(userYAML),
				Msg: `common.session.TTL in extraConfigFiles["user.yaml"]`,
				Fix: `remove common.session.TTL in extraConfigFiles["user.yaml"] and set milvus.session.ttl: 20`}},
		},
		{
			name: "objects: two spellings in one ConfigMap",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "common:\n  session:\n    ttl: 30\n    TTL: 10\n"), deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "commonsessionttl@data.user.yaml of ConfigMap coord-rootcoord-config",
				At:  coord.Source{Object: "ConfigMap coord-rootcoord-config", Path: "data.user.yaml"},
				Msg: "are one Milvus key written twice in the config file of Deployment coord-rootcoord"}},
		},
	})
}
