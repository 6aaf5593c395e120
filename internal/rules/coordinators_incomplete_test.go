package rules

import "testing"

func TestCoordinatorsIncomplete(t *testing.T) {
	runCases(t, coordinatorsIncomplete, []ruleCase{
		{
			name: "chart defaults: all three separate coordinators",
		},
		{
			name: "mixCoordinator only",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
		},
		{
			name: "mixCoordinator beside a partial set is mixcoord-exclusive's finding",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
`,
		},
		{
			name: "no coordinator at all",
			overlay: `
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			user: []string{"rootCoordinator.enabled", "queryCoordinator.enabled", "dataCoordinator.enabled"},
			want: []want{{Path: "mixCoordinator.enabled", Msg: "no coordinator is enabled"}},
		},
		{
			name: "rootcoord missing",
			overlay: `
rootCoordinator: {enabled: false}
`,
			want: []want{{
				Path: "rootCoordinator.enabled",
				Msg:  "rootCoordinator.enabled is false and mixCoordinator is off: the cluster gets querycoord and datacoord but no rootcoord",
			}},
		},
		{
			name: "querycoord missing",
			overlay: `
queryCoordinator: {enabled: false}
`,
			want: []want{{
				Path: "queryCoordinator.enabled",
				Msg:  "the cluster gets rootcoord and datacoord but no querycoord",
			}},
		},
		{
			name: "datacoord missing",
			overlay: `
dataCoordinator: {enabled: false}
`,
			want: []want{{
				Path: "dataCoordinator.enabled",
				Msg:  "the cluster gets rootcoord and querycoord but no datacoord",
			}},
		},
		{
			name: "two roles missing, in chart order",
			overlay: `
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
`,
			want: []want{
				{Path: "rootCoordinator.enabled", Msg: "the cluster gets datacoord but no rootcoord"},
				{Path: "queryCoordinator.enabled", Msg: "the cluster gets datacoord but no querycoord"},
			},
		},
		{
			name: "separate block removed with null counts as disabled",
			overlay: `
dataCoordinator: null
`,
			want: []want{{Path: "dataCoordinator.enabled", Msg: "gets rootcoord and querycoord but no datacoord"}},
		},
		{
			name: "enabled as a string is not read (the schema reports it)",
			overlay: `
rootCoordinator: {enabled: "true"}
`,
			user: []string{"rootCoordinator.enabled"},
		},
	})
}
