package rules

import "testing"

func TestHADisruptionBudget(t *testing.T) {
	const path = "podDisruptionBudget.enabled"
	runCases(t, haDisruptionBudget, []ruleCase{
		{name: "chart defaults: budget on, two replicas each"},
		{
			name:    "budget on, many replicas",
			overlay: "rootCoordinator: {replicas: 5}",
		},
		{
			name:    "budget off, two replicas each",
			overlay: "podDisruptionBudget: {enabled: false}",
			user:    []string{path},
			want: []want{
				{Path: path, Msg: "podDisruptionBudget.enabled is false and rootCoordinator has 2 replicas: a node drain may evict them all at once"},
				{Path: path, Msg: "podDisruptionBudget.enabled is false and queryCoordinator has 2 replicas"},
				{Path: path, Msg: "podDisruptionBudget.enabled is false and dataCoordinator has 2 replicas"},
			},
		},
		{
			name: "budget off, one replica each; disabled mixCoordinator with four ignored",
			overlay: `
podDisruptionBudget: {enabled: false}
rootCoordinator: {replicas: 1}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
mixCoordinator: {replicas: 4}
`,
		},
		{
			name: "budget off, mixCoordinator only",
			overlay: `
podDisruptionBudget: {enabled: false}
mixCoordinator: {enabled: true, replicas: 3}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			want: []want{{Path: path, Msg: "podDisruptionBudget.enabled is false and mixCoordinator has 3 replicas"}},
		},
		{
			name: "budget off, replicas as strings are not read",
			overlay: `
podDisruptionBudget: {enabled: false}
rootCoordinator: {replicas: "3"}
queryCoordinator: {replicas: "3"}
dataCoordinator: {replicas: "3"}
`,
		},
		{
			name: "budget off, replicas as int64",
			overlay: `
podDisruptionBudget: {enabled: false}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
`,
			tweak: setAt("rootCoordinator.replicas", int64(3)),
			want:  []want{{Path: path, Msg: "rootCoordinator has 3 replicas"}},
		},
		{
			name: "budget removed with null",
			overlay: `
podDisruptionBudget: null
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
`,
			want: []want{{Path: path, Msg: "rootCoordinator has 2 replicas"}},
		},
		{
			name:    "enabled as a string is not read (the schema reports it)",
			overlay: `podDisruptionBudget: {enabled: "true"}`,
			user:    []string{path},
		},
	})
}
