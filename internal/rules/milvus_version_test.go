package rules

import "testing"

func TestMilvusVersionCoordinators(t *testing.T) {
	separateOff := `
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`
	all3 := func(path, msg string) []want {
		return []want{
			{Path: path, Msg: msg + " and rootCoordinator.enabled is true: Milvus 2.6 has no separate rootcoord, the pod exits with \"Unknown server type\"", Related: []string{"image.all.tag", "rootCoordinator.enabled"}},
			{Path: path, Msg: msg + " and queryCoordinator.enabled is true: Milvus 2.6 has no separate querycoord", Related: []string{"image.all.tag", "queryCoordinator.enabled"}},
			{Path: path, Msg: msg + " and dataCoordinator.enabled is true: Milvus 2.6 has no separate datacoord", Related: []string{"image.all.tag", "dataCoordinator.enabled"}},
		}
	}
	runCases(t, milvusVersionCoordinators, []ruleCase{
		{
			name: "chart defaults: v2.4.17 with separate coordinators",
		},
		{
			name:    "v2.5.14 with separate coordinators",
			overlay: `image: {all: {tag: v2.5.14}}`,
			user:    []string{"image.all.tag"},
		},
		{
			name:    "2.5.99 without v",
			overlay: `image: {all: {tag: "2.5.99"}}`,
			user:    []string{"image.all.tag"},
		},
		{
			name:    "v1.1.0",
			overlay: `image: {all: {tag: v1.1.0}}`,
		},
		{
			name:    "v2.6.0 with separate coordinators, user set the tag",
			overlay: `image: {all: {tag: v2.6.0}}`,
			user:    []string{"image.all.tag"},
			want:    all3("image.all.tag", "image.all.tag is v2.6.0 (Milvus 2.6)"),
		},
		{
			name:    "2.6.15 without v",
			overlay: `image: {all: {tag: "2.6.15"}}`,
			user:    []string{"image.all.tag"},
			want:    all3("image.all.tag", "image.all.tag is 2.6.15 (Milvus 2.6)"),
		},
		{
			name:    "v2.6.0-rc1 pre-release",
			overlay: `image: {all: {tag: v2.6.0-rc1}}`,
			user:    []string{"image.all.tag"},
			want:    all3("image.all.tag", "image.all.tag is v2.6.0-rc1 (Milvus 2.6)"),
		},
		{
			name:    "v2.10.1 compares numerically",
			overlay: `image: {all: {tag: v2.10.1}}`,
			user:    []string{"image.all.tag"},
			want:    all3("image.all.tag", "image.all.tag is v2.10.1 (Milvus 2.10)"),
		},
		{
			name:    "v3.0",
			overlay: `image: {all: {tag: v3.0}}`,
			user:    []string{"image.all.tag"},
			want:    all3("image.all.tag", "image.all.tag is v3.0 (Milvus 3.0)"),
		},
		{
			name:    "v2.6.0 with mixCoordinator only",
			overlay: "image: {all: {tag: v2.6.0}}\n" + separateOff,
			user:    []string{"image.all.tag"},
		},
		{
			name: "v2.6.0 with mixCoordinator and one separate coordinator",
			overlay: `
image: {all: {tag: v2.6.0}}
mixCoordinator: {enabled: true}
rootCoordinator: {enabled: true}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			user: []string{"image.all.tag"},
			want: []want{{Path: "image.all.tag", Msg: "image.all.tag is v2.6.0 (Milvus 2.6) and rootCoordinator.enabled is true", Related: []string{"image.all.tag", "rootCoordinator.enabled"}}},
		},
		{
			name: "user set only the coordinator: points at its enabled",
			overlay: `
image: {all: {tag: v2.6.3}}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			user: []string{"rootCoordinator.enabled"},
			want: []want{{Path: "rootCoordinator.enabled", Msg: "image.all.tag is v2.6.3 (Milvus 2.6) and rootCoordinator.enabled is true", Related: []string{"image.all.tag", "rootCoordinator.enabled"}}},
		},
		{
			name: "nothing marked user-set: image.all.tag",
			overlay: `
image: {all: {tag: v2.6.3}}
rootCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			want: []want{{Path: "image.all.tag", Msg: "and queryCoordinator.enabled is true", Related: []string{"image.all.tag", "queryCoordinator.enabled"}}},
		},
		{
			name:    "latest carries no version",
			overlay: `image: {all: {tag: latest}}`,
			user:    []string{"image.all.tag"},
		},
		{
			name:    "digest-like tag carries no version",
			overlay: `image: {all: {tag: "sha256-4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"}}`,
			user:    []string{"image.all.tag"},
		},
		{
			name:    "branch build carries no version",
			overlay: `image: {all: {tag: master-20250101-abcdef0}}`,
			user:    []string{"image.all.tag"},
		},
		{
			name:    "empty tag",
			overlay: `image: {all: {tag: ""}}`,
		},
		{
			name:    "tag as a number is not read (the schema reports it)",
			overlay: `image: {all: {tag: 2.6}}`,
			user:    []string{"image.all.tag"},
		},
		{
			name:    "image.all not a mapping",
			overlay: `image: {all: v2.6.0}`,
		},
		{
			name: "disabled separate coordinators are ignored on 2.6",
			overlay: `
image: {all: {tag: v2.6.0}}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
		},
	})
}
