package rules

import "testing"

func TestExtraConfigContradicts(t *testing.T) {
	const userYAML = `extraConfigFiles["user.yaml"]`
	mixOnly := `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`
	rel := func(key string) []string { return []string{key + ".activeStandby.enabled"} }
	runCases(t, extraConfigContradicts, []ruleCase{
		{
			name: "chart defaults: no extra config",
		},
		{
			name: "extra config agrees with the values",
			overlay: `
extraConfigFiles:
  user.yaml: |
    queryCoord:
      enableActiveStandby: true
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: true}
    dataCoord: {enableActiveStandby: true}
`,
		},
		{
			name: "false in milvus.extraConfig under active-standby",
			overlay: `
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: false}
`,
			want: []want{{
				Path:    "milvus.extraConfig.rootCoord.enableActiveStandby",
				Msg:     "milvus.extraConfig.rootCoord.enableActiveStandby is false but rootCoordinator.activeStandby.enabled is true (replicas 2)",
				Related: rel("rootCoordinator"),
			}},
		},
		{
			name: "true in milvus.extraConfig without active-standby",
			overlay: `
queryCoordinator:
  replicas: 1
  activeStandby: {enabled: false}
milvus:
  extraConfig:
    queryCoord: {enableActiveStandby: true}
`,
			want: []want{{
				Path:    "milvus.extraConfig.queryCoord.enableActiveStandby",
				Msg:     "milvus.extraConfig.queryCoord.enableActiveStandby is true but queryCoordinator.activeStandby.enabled is false (replicas 1)",
				Related: rel("queryCoordinator"),
			}},
		},
		{
			name: "false in user.yaml under active-standby with three replicas",
			overlay: `
dataCoordinator: {replicas: 3}
extraConfigFiles:
  user.yaml: |
    dataCoord:
      enableActiveStandby: false
`,
			want: []want{{
				Path:    userYAML,
				Msg:     `dataCoord.enableActiveStandby in extraConfigFiles["user.yaml"] is false but dataCoordinator.activeStandby.enabled is true (replicas 3)`,
				Related: rel("dataCoordinator"),
			}},
		},
		{
			name: "mixCoordinator runs all three sections",
			overlay: mixOnly + `
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: false}
    queryCoord: {enableActiveStandby: false}
    dataCoord: {enableActiveStandby: false}
`,
			want: []want{
				{Path: "milvus.extraConfig.rootCoord.enableActiveStandby", Msg: "rootCoord.enableActiveStandby is false but mixCoordinator.activeStandby.enabled is true (replicas 2)", Related: rel("mixCoordinator")},
				{Path: "milvus.extraConfig.queryCoord.enableActiveStandby", Msg: "queryCoord.enableActiveStandby is false but mixCoordinator.activeStandby.enabled is true", Related: rel("mixCoordinator")},
				{Path: "milvus.extraConfig.dataCoord.enableActiveStandby", Msg: "dataCoord.enableActiveStandby is false but mixCoordinator.activeStandby.enabled is true", Related: rel("mixCoordinator")},
			},
		},
		{
			name: "disabled separate coordinator is ignored beside mixCoordinator",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator:
  enabled: false
  replicas: 1
  activeStandby: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: true}
`,
		},
		{
			name: "disabled mixCoordinator is ignored beside separate coordinators",
			overlay: `
mixCoordinator:
  replicas: 1
  activeStandby: {enabled: false}
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: true}
    queryCoord: {enableActiveStandby: true}
    dataCoord: {enableActiveStandby: true}
`,
		},
		{
			name: "both sources contradict: only the value Milvus reads (milvus.extraConfig, merged last) is reported",
			overlay: `
extraConfigFiles:
  user.yaml: |
    rootCoord:
      enableActiveStandby: false
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: false}
`,
			want: []want{
				{Path: "milvus.extraConfig.rootCoord.enableActiveStandby", Msg: "milvus.extraConfig.rootCoord.enableActiveStandby is false", Related: rel("rootCoordinator")},
			},
		},
		{
			name: "user.yaml agrees, milvus.extraConfig (merged last) contradicts",
			overlay: `
extraConfigFiles:
  user.yaml: |
    queryCoord:
      enableActiveStandby: true
milvus:
  extraConfig:
    queryCoord: {enableActiveStandby: false}
`,
			want: []want{{
				Path:    "milvus.extraConfig.queryCoord.enableActiveStandby",
				Msg:     "is false but queryCoordinator.activeStandby.enabled is true",
				Related: rel("queryCoordinator"),
			}},
		},
		{
			name: "non-boolean is extra-config-ignored's finding",
			overlay: `
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: "false"}
`,
		},
		{
			name: "indexCoord is not a section any coordinator runs here",
			overlay: `
milvus:
  extraConfig:
    indexCoord: {enableActiveStandby: false}
`,
		},
		{
			name: "invalid YAML in user.yaml is ignored",
			overlay: `
extraConfigFiles:
  user.yaml: "rootCoord: {enableActiveStandby: false"
`,
		},
		{
			name: "section not a mapping is not read",
			overlay: `
milvus:
  extraConfig:
    rootCoord: false
`,
		},
		{
			name: "contradiction in user.yaml overridden by milvus.extraConfig",
			overlay: `
extraConfigFiles:
  user.yaml: |
    rootCoord:
      enableActiveStandby: false
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: true}
`,
		},
		{
			name: "activeStandby.enabled as a string is not read (the schema reports it)",
			overlay: `
rootCoordinator:
  activeStandby: {enabled: "true"}
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: true}
`,
		},
	})
}
