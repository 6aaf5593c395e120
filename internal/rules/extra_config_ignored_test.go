package rules

import "testing"

func TestExtraConfigIgnored(t *testing.T) {
	const userYAML = `extraConfigFiles["user.yaml"]`
	runCases(t, extraConfigIgnored, []ruleCase{
		{
			name: "chart defaults: no extra config",
		},
		{
			name: "boolean enableActiveStandby in both sources",
			overlay: `
extraConfigFiles:
  user.yaml: |
    rootCoord:
      enableActiveStandby: true
milvus:
  extraConfig:
    queryCoord: {enableActiveStandby: true}
    dataCoord: {enableActiveStandby: false}
`,
		},
		{
			name: "YAML 1.1 boolean (on) in user.yaml is a boolean",
			overlay: `
extraConfigFiles:
  user.yaml: |
    rootCoord:
      enableActiveStandby: on
`,
		},
		{
			name: "docs-page key in user.yaml",
			overlay: `
extraConfigFiles:
  user.yaml: |
    rootCoord:
      activeStandby:
        enabled: true
`,
			user: []string{userYAML},
			want: []want{{
				Path: userYAML,
				Msg:  `rootCoord.activeStandby in extraConfigFiles["user.yaml"] is set, but no Milvus code reads it (the key is rootCoord.enableActiveStandby)`,
			}},
		},
		{
			name: "docs-page key in milvus.extraConfig",
			overlay: `
milvus:
  extraConfig:
    queryCoord:
      activeStandby: {enabled: true}
`,
			want: []want{{
				Path: "milvus.extraConfig.queryCoord.activeStandby",
				Msg:  "milvus.extraConfig.queryCoord.activeStandby is set, but no Milvus code reads it (the key is queryCoord.enableActiveStandby)",
			}},
		},
		{
			name: "docs-page key for indexCoord",
			overlay: `
milvus:
  extraConfig:
    indexCoord:
      activeStandby: {enabled: true}
`,
			want: []want{{
				Path: "milvus.extraConfig.indexCoord.activeStandby",
				Msg:  "(the key is indexCoord.enableActiveStandby)",
			}},
		},
		{
			name: "string enableActiveStandby in milvus.extraConfig",
			overlay: `
milvus:
  extraConfig:
    dataCoord: {enableActiveStandby: "true"}
`,
			want: []want{{
				Path: "milvus.extraConfig.dataCoord.enableActiveStandby",
				Msg:  `milvus.extraConfig.dataCoord.enableActiveStandby is "true", not a boolean: Milvus silently parses it as false`,
			}},
		},
		{
			name: "quoted yes in user.yaml",
			overlay: `
extraConfigFiles:
  user.yaml: |
    queryCoord:
      enableActiveStandby: "yes"
`,
			want: []want{{
				Path: userYAML,
				Msg:  `queryCoord.enableActiveStandby in extraConfigFiles["user.yaml"] is "yes", not a boolean`,
			}},
		},
		{
			name: "number enableActiveStandby",
			overlay: `
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: 1}
`,
			want: []want{{Path: "milvus.extraConfig.rootCoord.enableActiveStandby", Msg: "enableActiveStandby is 1, not a boolean"}},
		},
		{
			name: "null enableActiveStandby",
			overlay: `
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: null}
`,
			want: []want{{Path: "milvus.extraConfig.rootCoord.enableActiveStandby", Msg: "enableActiveStandby is <nil>, not a boolean"}},
		},
		{
			name: "both problems in one section: activeStandby first",
			overlay: `
milvus:
  extraConfig:
    rootCoord:
      activeStandby: {enabled: true}
      enableActiveStandby: "on"
`,
			want: []want{
				{Path: "milvus.extraConfig.rootCoord.activeStandby", Msg: "milvus.extraConfig.rootCoord.activeStandby is set"},
				{Path: "milvus.extraConfig.rootCoord.enableActiveStandby", Msg: `is "on", not a boolean`},
			},
		},
		{
			name: "sections in order rootCoord, queryCoord, dataCoord, indexCoord",
			overlay: `
milvus:
  extraConfig:
    indexCoord: {activeStandby: {}}
    dataCoord: {activeStandby: {}}
    queryCoord: {activeStandby: {}}
    rootCoord: {activeStandby: {}}
`,
			want: []want{
				{Path: "milvus.extraConfig.rootCoord.activeStandby", Msg: "(the key is rootCoord.enableActiveStandby)"},
				{Path: "milvus.extraConfig.queryCoord.activeStandby", Msg: "(the key is queryCoord.enableActiveStandby)"},
				{Path: "milvus.extraConfig.dataCoord.activeStandby", Msg: "(the key is dataCoord.enableActiveStandby)"},
				{Path: "milvus.extraConfig.indexCoord.activeStandby", Msg: "(the key is indexCoord.enableActiveStandby)"},
			},
		},
		{
			name: "user.yaml before milvus.extraConfig",
			overlay: `
extraConfigFiles:
  user.yaml: |
    dataCoord:
      activeStandby:
        enabled: true
milvus:
  extraConfig:
    rootCoord:
      activeStandby: {enabled: true}
`,
			want: []want{
				{Path: userYAML, Msg: `dataCoord.activeStandby in extraConfigFiles["user.yaml"] is set`},
				{Path: "milvus.extraConfig.rootCoord.activeStandby", Msg: "milvus.extraConfig.rootCoord.activeStandby is set"},
			},
		},
		{
			name: "applies with mixCoordinator too",
			overlay: `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
milvus:
  extraConfig:
    rootCoord:
      activeStandby: {enabled: true}
`,
			want: []want{{Path: "milvus.extraConfig.rootCoord.activeStandby", Msg: "is set, but no Milvus code reads it"}},
		},
		{
			name: "invalid YAML in user.yaml is ignored (the chart refuses it)",
			overlay: `
extraConfigFiles:
  user.yaml: "rootCoord: [\n  activeStandby: {enabled: true"
`,
		},
		{
			name: "user.yaml that is a scalar is ignored",
			overlay: `
extraConfigFiles:
  user.yaml: "rootCoord.activeStandby.enabled"
`,
		},
		{
			name: "user.yaml that is a list is ignored",
			overlay: `
extraConfigFiles:
  user.yaml: |
    - rootCoord:
        activeStandby: {enabled: true}
`,
		},
		{
			name: "whitespace-only user.yaml",
			overlay: `
extraConfigFiles:
  user.yaml: "  \n"
`,
		},
		{
			name: "user.yaml not a string is not read (the schema reports it)",
			overlay: `
extraConfigFiles:
  user.yaml:
    rootCoord:
      activeStandby: {enabled: true}
`,
		},
		{
			name: "milvus.extraConfig not a mapping is not read",
			overlay: `
milvus:
  extraConfig: "rootCoord: {activeStandby: {enabled: true}}"
`,
		},
		{
			name: "section not a mapping is not read",
			overlay: `
milvus:
  extraConfig:
    rootCoord: "activeStandby"
    queryCoord: [activeStandby]
`,
		},
		{
			name: "other keys of a coordinator section are fine",
			overlay: `
milvus:
  extraConfig:
    queryCoord: {balancer: ScoreBasedBalancer}
`,
		},
		{
			name: "non-boolean in user.yaml overridden by milvus.extraConfig",
			overlay: `
extraConfigFiles:
  user.yaml: |
    rootCoord:
      enableActiveStandby: "yes"
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: true}
`,
		},
	})
}
