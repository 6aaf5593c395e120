package rules

import "testing"

func TestNonHARollingUpdate(t *testing.T) {
	rel := func(key string) []string {
		return []string{key + ".strategy", key + ".strategy.type", key + ".strategy.rollingUpdate"}
	}
	nonHA := func(key, strategy string) string {
		return key + ":\n  replicas: 1\n  activeStandby: {enabled: false}\n  strategy: " + strategy + "\n"
	}
	runCases(t, nonHARollingUpdate, []ruleCase{
		{name: "chart defaults: active-standby, no strategy"},
		{
			name:    "active-standby with an explicit RollingUpdate",
			overlay: "rootCoordinator:\n  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n",
		},
		{name: "non-HA without strategy (the chart uses Recreate)", overlay: nonHA("rootCoordinator", "{}")},
		{name: "non-HA with Recreate", overlay: nonHA("rootCoordinator", "{type: Recreate}")},
		{
			name:    "non-HA with type RollingUpdate",
			overlay: nonHA("rootCoordinator", "{type: RollingUpdate}"),
			want: []want{{
				Path:    "rootCoordinator.strategy.type",
				Msg:     "rootCoordinator.strategy.type asks for a rolling update but rootCoordinator.activeStandby.enabled is false: a rollout would run two non-HA rootcoord pods at once",
				Related: rel("rootCoordinator"),
			}},
		},
		{
			name:    "non-HA with a rollingUpdate block and no type",
			overlay: nonHA("queryCoordinator", "{rollingUpdate: {maxSurge: 1}}"),
			want: []want{{
				Path:    "queryCoordinator.strategy.rollingUpdate",
				Msg:     "queryCoordinator.strategy.rollingUpdate asks for a rolling update but queryCoordinator.activeStandby.enabled is false",
				Related: rel("queryCoordinator"),
			}},
		},
		{
			name:    "non-HA with Recreate and a rollingUpdate block",
			overlay: nonHA("dataCoordinator", "{type: Recreate, rollingUpdate: {maxUnavailable: 1}}"),
			want: []want{{
				Path:    "dataCoordinator.strategy.rollingUpdate",
				Msg:     "two non-HA datacoord pods",
				Related: rel("dataCoordinator"),
			}},
		},
		{
			name:    "non-HA with RollingUpdate and a rollingUpdate block: the type",
			overlay: nonHA("dataCoordinator", "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}"),
			want: []want{{
				Path:    "dataCoordinator.strategy.type",
				Msg:     "dataCoordinator.strategy.type asks for a rolling update",
				Related: rel("dataCoordinator"),
			}},
		},
		{
			name: "every separate coordinator, in chart order",
			overlay: nonHA("rootCoordinator", "{type: RollingUpdate}") +
				nonHA("queryCoordinator", "{type: RollingUpdate}") +
				nonHA("dataCoordinator", "{rollingUpdate: {}}"),
			want: []want{
				{Path: "rootCoordinator.strategy.type", Msg: "rootcoord pods", Related: rel("rootCoordinator")},
				{Path: "queryCoordinator.strategy.type", Msg: "querycoord pods", Related: rel("queryCoordinator")},
				{Path: "dataCoordinator.strategy.rollingUpdate", Msg: "datacoord pods", Related: rel("dataCoordinator")},
			},
		},
		{
			name: "non-HA mixCoordinator",
			overlay: nonHA("mixCoordinator", "{type: RollingUpdate}") + `  enabled: true
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			want: []want{{
				Path:    "mixCoordinator.strategy.type",
				Msg:     "mixCoordinator.strategy.type asks for a rolling update but mixCoordinator.activeStandby.enabled is false: a rollout would run two non-HA mixcoord pods",
				Related: rel("mixCoordinator"),
			}},
		},
		{
			name:    "disabled coordinator is ignored",
			overlay: nonHA("mixCoordinator", "{type: RollingUpdate}"),
		},
		{name: "strategy as a string is not read", overlay: nonHA("rootCoordinator", "RollingUpdate")},
		{name: "type of the wrong type is not read", overlay: nonHA("rootCoordinator", "{type: 1}")},
		{name: "rollingUpdate removed with null", overlay: nonHA("rootCoordinator", "{rollingUpdate: null}")},
		{
			name: "activeStandby.enabled as a string is not read (the schema reports it)",
			overlay: `
rootCoordinator:
  activeStandby: {enabled: "true"}
  strategy: {type: RollingUpdate}
`,
		},
	})
}
