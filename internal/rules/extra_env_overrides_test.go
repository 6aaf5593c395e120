package rules

import "testing"

func TestExtraEnvOverrides(t *testing.T) {
	rel := func(key string) []string { return []string{key + ".extraEnv"} }
	runCases(t, extraEnvOverrides, []ruleCase{
		{name: "chart defaults: no extraEnv"},
		{name: "unrelated env vars", overlay: "rootCoordinator: {extraEnv: [{name: LOG_LEVEL, value: debug}, {name: GOGC, value: '200'}]}"},
		{
			name:    "ROOT_COORD_ENABLE_ACTIVE_STANDBY on rootcoord",
			overlay: "rootCoordinator: {extraEnv: [{name: LOG_LEVEL, value: debug}, {name: ROOT_COORD_ENABLE_ACTIVE_STANDBY, value: 'false'}]}",
			want: []want{{Path: "rootCoordinator.extraEnv[1].name",
				Msg:     "rootCoordinator.extraEnv[1].name sets ROOT_COORD_ENABLE_ACTIVE_STANDBY, which Milvus reads as rootCoord.enableActiveStandby over the value the chart writes",
				Related: rel("rootCoordinator")}},
		},
		{
			name:    "spelled the way Milvus also matches it",
			overlay: "queryCoordinator: {extraEnv: [{name: querycoord_enableactivestandby, value: 'true'}]}",
			want:    []want{{Path: "queryCoordinator.extraEnv[0].name", Msg: "reads as queryCoord.enableActiveStandby", Related: rel("queryCoordinator")}},
		},
		{
			name:    "COMMON_SESSION_TTL on datacoord points at milvus.session.ttl",
			overlay: "dataCoordinator: {extraEnv: [{name: COMMON_SESSION_TTL, value: '5'}]}",
			want:    []want{{Path: "dataCoordinator.extraEnv[0].name", Msg: "reads as common.session.ttl", Related: rel("dataCoordinator")}},
		},
		{
			name:    "another role's key on mixcoord",
			overlay: "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true, extraEnv: [{name: DATA_COORD_ENABLE_ACTIVE_STANDBY, value: 'false'}]}",
			want:    []want{{Path: "mixCoordinator.extraEnv[0].name", Msg: "reads as dataCoord.enableActiveStandby", Related: rel("mixCoordinator")}},
		},
		{name: "disabled coordinator is ignored", overlay: "rootCoordinator: {enabled: false, extraEnv: [{name: ROOT_COORD_ENABLE_ACTIVE_STANDBY, value: 'false'}]}"},
		{name: "entry without a name", overlay: "rootCoordinator: {extraEnv: [{value: x}]}"},
		{name: "extraEnv of the wrong type stays silent", overlay: "rootCoordinator: {extraEnv: ROOT_COORD_ENABLE_ACTIVE_STANDBY}"},
	})
}
