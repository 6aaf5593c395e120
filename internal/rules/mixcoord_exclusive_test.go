package rules

import "testing"

func TestMixcoordExclusive(t *testing.T) {
	related := func(key string) []string { return []string{"mixCoordinator.enabled", key + ".enabled"} }
	runCases(t, mixcoordExclusive, []ruleCase{
		{
			name: "chart defaults: separate coordinators only",
		},
		{
			name: "mixCoordinator only",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			user: []string{"mixCoordinator.enabled", "rootCoordinator.enabled", "queryCoordinator.enabled", "dataCoordinator.enabled"},
		},
		{
			name: "mixCoordinator explicitly off beside separate coordinators",
			overlay: `
mixCoordinator: {enabled: false}
`,
			user: []string{"mixCoordinator.enabled"},
		},
		{
			name: "mixCoordinator beside all three separate coordinators, user enabled mixCoordinator",
			overlay: `
mixCoordinator: {enabled: true}
`,
			user: []string{"mixCoordinator.enabled"},
			want: []want{
				{Path: "mixCoordinator.enabled", Msg: "mixCoordinator.enabled and rootCoordinator.enabled are both true: both register the rootcoord role", Related: related("rootCoordinator")},
				{Path: "mixCoordinator.enabled", Msg: "mixCoordinator.enabled and queryCoordinator.enabled are both true: both register the querycoord role", Related: related("queryCoordinator")},
				{Path: "mixCoordinator.enabled", Msg: "mixCoordinator.enabled and dataCoordinator.enabled are both true: both register the datacoord role", Related: related("dataCoordinator")},
			},
		},
		{
			name: "mixCoordinator beside one separate coordinator the user enabled",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: true}
dataCoordinator: {enabled: false}
`,
			user: []string{"queryCoordinator.enabled"},
			want: []want{
				{Path: "queryCoordinator.enabled", Msg: "mixCoordinator.enabled and queryCoordinator.enabled are both true: both register the querycoord role", Related: related("queryCoordinator")},
			},
		},
		{
			name: "user set both: points at mixCoordinator.enabled",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: true}
`,
			user: []string{"mixCoordinator.enabled", "dataCoordinator.enabled"},
			want: []want{
				{Path: "mixCoordinator.enabled", Msg: "both register the datacoord role", Related: related("dataCoordinator")},
			},
		},
		{
			name: "nothing marked user-set: mixCoordinator.enabled",
			overlay: `
mixCoordinator: {enabled: true}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			want: []want{
				{Path: "mixCoordinator.enabled", Msg: "mixCoordinator.enabled and rootCoordinator.enabled are both true", Related: related("rootCoordinator")},
			},
		},
		{
			name: "mixCoordinator.enabled as a string is not read (the schema reports it)",
			overlay: `
mixCoordinator: {enabled: "true"}
`,
			user: []string{"mixCoordinator.enabled"},
		},
		{
			name: "separate enabled as a string is not read (the schema reports it)",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: "true"}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
		},
		{
			name: "mixCoordinator block not a mapping",
			overlay: `
mixCoordinator: true
`,
		},
	})
}
