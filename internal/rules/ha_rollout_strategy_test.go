package rules

import "testing"

func TestHARolloutStrategy(t *testing.T) {
	strategy := func(key, s string) string { return key + ":\n  strategy: " + s + "\n" }
	const (
		maxUnavailable = "rootCoordinator.strategy.rollingUpdate.maxUnavailable"
		maxSurge       = "rootCoordinator.strategy.rollingUpdate.maxSurge"
	)
	runCases(t, haRolloutStrategy, []ruleCase{
		{name: "chart defaults: no strategy override"},
		{
			name:    "explicit maxSurge 1, maxUnavailable 0",
			overlay: strategy("rootCoordinator", "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"),
		},
		{
			name:    "Recreate",
			overlay: strategy("rootCoordinator", "{type: Recreate}"),
			want: []want{{
				Path: "rootCoordinator.strategy.type",
				Msg:  "rootCoordinator has active-standby on but Recreate stops every replica before starting new ones: each upgrade may stop the ACTIVE rootcoord with no standby ready",
			}},
		},
		{
			name:    "Recreate with one replica still stops the only pod first",
			overlay: "rootCoordinator:\n  replicas: 1\n  strategy: {type: Recreate}\n",
			want:    []want{{Path: "rootCoordinator.strategy.type", Msg: "Recreate stops every replica"}},
		},
		{
			name:    "maxUnavailable 1",
			overlay: strategy("rootCoordinator", "{rollingUpdate: {maxUnavailable: 1}}"),
			want:    []want{{Path: maxUnavailable, Msg: "rootCoordinator has active-standby on but maxUnavailable 1 stops replicas before their replacements run"}},
		},
		{
			name:    "maxUnavailable 25%",
			overlay: strategy("rootCoordinator", `{rollingUpdate: {maxUnavailable: "25%"}}`),
			want:    []want{{Path: maxUnavailable, Msg: "maxUnavailable 25% stops replicas"}},
		},
		{
			name:    "maxUnavailable as a numeric string",
			overlay: strategy("rootCoordinator", `{rollingUpdate: {maxUnavailable: "2"}}`),
			want:    []want{{Path: maxUnavailable, Msg: "maxUnavailable 2 stops replicas"}},
		},
		{name: "maxUnavailable 0", overlay: strategy("rootCoordinator", "{rollingUpdate: {maxUnavailable: 0}}")},
		{name: "maxUnavailable 0%", overlay: strategy("rootCoordinator", `{rollingUpdate: {maxUnavailable: "0%"}}`)},
		{name: `maxUnavailable "0"`, overlay: strategy("rootCoordinator", `{rollingUpdate: {maxUnavailable: "0"}}`)},
		{
			name:    "maxSurge 0",
			overlay: strategy("rootCoordinator", "{rollingUpdate: {maxSurge: 0}}"),
			want:    []want{{Path: maxSurge, Msg: "rootCoordinator has active-standby on but maxSurge 0 stops a replica before its replacement runs"}},
		},
		{
			name:    "maxSurge 0%",
			overlay: strategy("rootCoordinator", `{rollingUpdate: {maxSurge: "0%"}}`),
			want:    []want{{Path: maxSurge, Msg: "maxSurge 0 stops a replica"}},
		},
		{name: "maxSurge 2", overlay: strategy("rootCoordinator", "{rollingUpdate: {maxSurge: 2}}")},
		{name: "maxSurge 50%", overlay: strategy("rootCoordinator", `{rollingUpdate: {maxSurge: "50%"}}`)},
		{
			name:    "maxUnavailable 1 and maxSurge 0: one finding, maxUnavailable",
			overlay: strategy("rootCoordinator", "{rollingUpdate: {maxUnavailable: 1, maxSurge: 0}}"),
			want:    []want{{Path: maxUnavailable, Msg: "maxUnavailable 1"}},
		},
		{
			name:    "Recreate and maxUnavailable: one finding, the type",
			overlay: strategy("rootCoordinator", "{type: Recreate, rollingUpdate: {maxUnavailable: 1}}"),
			want:    []want{{Path: "rootCoordinator.strategy.type", Msg: "Recreate stops every replica"}},
		},
		{
			name:  "maxUnavailable as int64 (--set)",
			tweak: setAt("rootCoordinator.strategy", map[string]any{"rollingUpdate": map[string]any{"maxUnavailable": int64(1)}}),
			want:  []want{{Path: maxUnavailable, Msg: "maxUnavailable 1 stops"}},
		},
		{
			name:  "maxSurge as int64 (--set)",
			tweak: setAt("rootCoordinator.strategy", map[string]any{"rollingUpdate": map[string]any{"maxSurge": int64(0), "maxUnavailable": int64(0)}}),
			want:  []want{{Path: maxSurge, Msg: "maxSurge 0 stops"}},
		},
		{
			name: "every coordinator, in chart order",
			overlay: strategy("rootCoordinator", "{type: Recreate}") +
				strategy("queryCoordinator", "{rollingUpdate: {maxUnavailable: 1}}") +
				strategy("dataCoordinator", "{rollingUpdate: {maxSurge: 0}}"),
			want: []want{
				{Path: "rootCoordinator.strategy.type", Msg: "the ACTIVE rootcoord"},
				{Path: "queryCoordinator.strategy.rollingUpdate.maxUnavailable", Msg: "queryCoordinator has active-standby on but maxUnavailable 1"},
				{Path: "dataCoordinator.strategy.rollingUpdate.maxSurge", Msg: "dataCoordinator has active-standby on but maxSurge 0"},
			},
		},
		{
			name: "mixCoordinator with Recreate",
			overlay: `
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
mixCoordinator:
  enabled: true
  strategy: {type: Recreate}
`,
			want: []want{{Path: "mixCoordinator.strategy.type", Msg: "mixCoordinator has active-standby on but Recreate stops every replica before starting new ones: each upgrade may stop the ACTIVE mixcoord"}},
		},
		{
			name:    "non-HA Recreate is what the chart wants",
			overlay: "rootCoordinator:\n  replicas: 1\n  activeStandby: {enabled: false}\n  strategy: {type: Recreate}\n",
		},
		{name: "disabled coordinator is ignored", overlay: strategy("mixCoordinator", "{type: Recreate}")},
		{name: "strategy as a string is not read", overlay: strategy("rootCoordinator", "Recreate")},
		{name: "rollingUpdate as a string is not read", overlay: strategy("rootCoordinator", "{rollingUpdate: maxSurge=0}")},
		{name: "maxUnavailable as a boolean is not read", overlay: strategy("rootCoordinator", "{rollingUpdate: {maxUnavailable: true, maxSurge: false}}")},
		{name: "maxUnavailable null", overlay: strategy("rootCoordinator", "{rollingUpdate: {maxUnavailable: null, maxSurge: null}}")},
		{
			name:    "activeStandby.enabled as a string is not read",
			overlay: "rootCoordinator:\n  activeStandby: {enabled: \"true\"}\n  strategy: {type: Recreate}\n",
		},
	})
}
