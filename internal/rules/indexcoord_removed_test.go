package rules

import "testing"

func TestIndexCoordinatorRemoved(t *testing.T) {
	const msg = "indexCoordinator is set, but indexcoord was merged into datacoord in Milvus 2.3"
	runCases(t, indexCoordinatorRemoved, []ruleCase{
		{
			name: "chart defaults: no indexCoordinator",
		},
		{
			name:    "indexCoordinator enabled",
			overlay: `indexCoordinator: {enabled: true, replicas: 2}`,
			user:    []string{"indexCoordinator"},
			want:    []want{{Path: "indexCoordinator", Msg: msg}},
		},
		{
			name:    "indexCoordinator disabled is still a block this chart does not have",
			overlay: `indexCoordinator: {enabled: false}`,
			want:    []want{{Path: "indexCoordinator", Msg: msg}},
		},
		{
			name:    "empty indexCoordinator block",
			overlay: `indexCoordinator: {}`,
			want:    []want{{Path: "indexCoordinator", Msg: msg}},
		},
		{
			name:    "indexCoordinator of the wrong type: no panic",
			overlay: `indexCoordinator: "yes"`,
			want:    []want{{Path: "indexCoordinator", Msg: msg}},
		},
		{
			name: "indexCoord in the Milvus extra config is not the values block",
			overlay: `
milvus:
  extraConfig:
    indexCoord: {enableActiveStandby: true}
`,
		},
	})
}
