package rules

import "testing"

func TestHAReplicasNeedStandby(t *testing.T) {
	related := func(key string) []string {
		return []string{key + ".activeStandby.enabled", key + ".replicas"}
	}
	runCases(t, haReplicasNeedStandby, []ruleCase{
		{
			name: "chart defaults: two replicas with active-standby",
		},
		{
			name: "one replica without active-standby",
			overlay: `
rootCoordinator:
  replicas: 1
  activeStandby:
    enabled: false
`,
			user: []string{"rootCoordinator.replicas", "rootCoordinator.activeStandby.enabled"},
		},
		{
			name: "zero replicas without active-standby",
			overlay: `
rootCoordinator:
  replicas: 0
  activeStandby:
    enabled: false
`,
		},
		{
			name: "replicas -1 (left to an HPA) without active-standby",
			overlay: `
rootCoordinator:
  replicas: -1
  activeStandby:
    enabled: false
`,
		},
		{
			name: "two replicas without active-standby, user set both: points at activeStandby",
			overlay: `
rootCoordinator:
  replicas: 2
  activeStandby:
    enabled: false
`,
			user: []string{"rootCoordinator.replicas", "rootCoordinator.activeStandby.enabled"},
			want: []want{{
				Path:    "rootCoordinator.activeStandby.enabled",
				Msg:     "rootCoordinator.replicas is 2 but activeStandby.enabled is false",
				Related: related("rootCoordinator"),
			}},
		},
		{
			name: "three replicas, user set only replicas: points at replicas",
			overlay: `
queryCoordinator:
  replicas: 3
  activeStandby:
    enabled: false
`,
			user: []string{"queryCoordinator.replicas"},
			want: []want{{
				Path:    "queryCoordinator.replicas",
				Msg:     "queryCoordinator.replicas is 3 but activeStandby.enabled is false: the extra replicas will crash-loop",
				Related: related("queryCoordinator"),
			}},
		},
		{
			name: "user set only activeStandby.enabled",
			overlay: `
dataCoordinator:
  activeStandby:
    enabled: false
`,
			user: []string{"dataCoordinator.activeStandby.enabled"},
			want: []want{{
				Path:    "dataCoordinator.activeStandby.enabled",
				Msg:     "dataCoordinator.replicas is 2 but",
				Related: related("dataCoordinator"),
			}},
		},
		{
			name: "user set the enclosing block",
			overlay: `
dataCoordinator:
  replicas: 4
  activeStandby:
    enabled: false
`,
			user: []string{"dataCoordinator"},
			want: []want{{
				Path:    "dataCoordinator.activeStandby.enabled",
				Msg:     "dataCoordinator.replicas is 4",
				Related: related("dataCoordinator"),
			}},
		},
		{
			name: "nothing marked user-set: the first path",
			overlay: `
rootCoordinator:
  activeStandby:
    enabled: false
`,
			want: []want{{
				Path:    "rootCoordinator.activeStandby.enabled",
				Msg:     "rootCoordinator.replicas is 2",
				Related: related("rootCoordinator"),
			}},
		},
		{
			name: "user set something unrelated: the first path",
			overlay: `
rootCoordinator:
  activeStandby:
    enabled: false
`,
			user: []string{"image.all.tag"},
			want: []want{{
				Path:    "rootCoordinator.activeStandby.enabled",
				Msg:     "rootCoordinator.replicas is 2",
				Related: related("rootCoordinator"),
			}},
		},
		{
			name: "every separate coordinator without active-standby, in chart order",
			overlay: `
rootCoordinator:
  replicas: 2
  activeStandby:
    enabled: false
queryCoordinator:
  replicas: 3
  activeStandby:
    enabled: false
dataCoordinator:
  replicas: 5
  activeStandby:
    enabled: false
`,
			user: []string{"rootCoordinator.replicas", "queryCoordinator.replicas", "dataCoordinator.replicas"},
			want: []want{
				{Path: "rootCoordinator.replicas", Msg: "rootCoordinator.replicas is 2", Related: related("rootCoordinator")},
				{Path: "queryCoordinator.replicas", Msg: "queryCoordinator.replicas is 3", Related: related("queryCoordinator")},
				{Path: "dataCoordinator.replicas", Msg: "dataCoordinator.replicas is 5", Related: related("dataCoordinator")},
			},
		},
		{
			name: "mixCoordinator with three replicas without active-standby",
			overlay: `
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
mixCoordinator:
  enabled: true
  replicas: 3
  activeStandby:
    enabled: false
`,
			user: []string{"mixCoordinator"},
			want: []want{{
				Path:    "mixCoordinator.activeStandby.enabled",
				Msg:     "mixCoordinator.replicas is 3 but activeStandby.enabled is false",
				Related: related("mixCoordinator"),
			}},
		},
		{
			name: "mixCoordinator with active-standby",
			overlay: `
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
mixCoordinator:
  enabled: true
  replicas: 3
`,
		},
		{
			name: "disabled coordinators are ignored",
			overlay: `
rootCoordinator:
  enabled: false
  replicas: 3
  activeStandby:
    enabled: false
mixCoordinator:
  enabled: false
  replicas: 5
  activeStandby:
    enabled: false
`,
		},
		{
			name: "enabled as a string is not read (the schema reports it)",
			overlay: `
rootCoordinator:
  enabled: "true"
  replicas: 3
  activeStandby:
    enabled: false
`,
		},
		{
			name: "replicas as a string is not read (the schema reports it)",
			overlay: `
rootCoordinator:
  replicas: "3"
  activeStandby:
    enabled: false
`,
		},
		{
			name: "replicas not a whole number is not read",
			overlay: `
rootCoordinator:
  replicas: 2.5
  activeStandby:
    enabled: false
`,
		},
		{
			name: "replicas removed with null",
			overlay: `
rootCoordinator:
  replicas: null
  activeStandby:
    enabled: false
`,
		},
		{
			name: "replicas as int64, as --set gives it",
			overlay: `
rootCoordinator:
  activeStandby:
    enabled: false
`,
			tweak: setAt("rootCoordinator.replicas", int64(3)),
			want: []want{{
				Path:    "rootCoordinator.activeStandby.enabled",
				Msg:     "rootCoordinator.replicas is 3",
				Related: related("rootCoordinator"),
			}},
		},
		{
			name: "replicas as int",
			overlay: `
rootCoordinator:
  activeStandby:
    enabled: false
`,
			tweak: setAt("rootCoordinator.replicas", 7),
			want: []want{{
				Path:    "rootCoordinator.activeStandby.enabled",
				Msg:     "rootCoordinator.replicas is 7",
				Related: related("rootCoordinator"),
			}},
		},
		{
			name: "activeStandby.enabled as a string is not read (the schema reports it)",
			overlay: `
rootCoordinator:
  replicas: 3
  activeStandby:
    enabled: "true"
`,
			user: []string{"rootCoordinator.replicas", "rootCoordinator.activeStandby.enabled"},
		},
	})
}
