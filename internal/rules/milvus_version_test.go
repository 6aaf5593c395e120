package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestMilvusVersionCoordinators(t *testing.T) {
	runCases(t, milvusVersionCoordinators, []ruleCase{
		{name: "chart defaults: 2.4 with separate coordinators"},
		{name: "2.5 separate coordinators", overlay: "image: {all: {tag: v2.5.4-20250101-abcdef}}"},
		{name: "2.6 mixCoordinator only", overlay: "image: {all: {tag: v2.6.8}}\n" + separateOff + "mixCoordinator: {enabled: true}"},
		{name: "unknown version: nothing to check", overlay: "image: {all: {tag: latest}}"},
		{
			name:    "2.6 with separate coordinators: the tag the user set",
			overlay: "image: {all: {tag: 2.6.8-gpu}}",
			user:    []string{"image.all.tag"},
			want: []want{
				{Subject: "rootcoord", At: path("image.all.tag"),
					Msg: `image.all.tag is 2.6.8-gpu (Milvus 2.6) and rootCoordinator.enabled is true: Milvus 2.6 has no separate rootcoord, the pod exits with "Unknown server type"`,
					Fix: "set rootCoordinator.enabled: false and mixCoordinator.enabled: true"},
				{Subject: "querycoord", At: path("image.all.tag"), Fix: "set queryCoordinator.enabled: false and mixCoordinator.enabled: true"},
				{Subject: "datacoord", At: path("image.all.tag"), Fix: "set dataCoordinator.enabled: false and mixCoordinator.enabled: true"},
			},
		},
		{
			name:    "2.6 from the defaults and a coordinator the user enabled: blame the coordinator",
			overlay: "image: {all: {tag: v2.6.0}}\n" + "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}",
			user:    []string{"dataCoordinator.enabled"},
			want:    []want{{Subject: "datacoord", At: path("dataCoordinator.enabled"), Msg: "(Milvus 2.6) and dataCoordinator.enabled is true"}},
		},
		{
			name:    "2.1 has no active-standby for its two replicas",
			overlay: "image: {all: {tag: v2.1.4}}\nqueryCoordinator: {replicas: 1}\ndataCoordinator: {replicas: 1}",
			want: []want{{Subject: "rootcoord", At: path("image.all.tag"),
				Msg: "image.all.tag is Milvus 2.1.4, which has no active-standby (it arrived in 2.2.0), and rootCoordinator runs 2 replicas",
				Fix: "use Milvus 2.2 or later, or set rootCoordinator.replicas: 1"}},
		},
		{
			name: "objects: rootcoord on 2.6",
			objects: func() []coord.Object {
				return objects(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.6.3", "rootcoord"))
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord"},
				Msg: "spec.template.spec.containers[].image of Deployment coord-rootcoord is v2.6.3 (Milvus 2.6) and Deployment coord-rootcoord runs `milvus run rootcoord`",
				Fix: "replace Deployment coord-rootcoord with one Deployment that runs `milvus run mixcoord`"}},
		},
		{
			name: "objects: the mixture flags start mixcoord on 2.6",
			objects: func() []coord.Object {
				return objects(deployment("coord-mix", 1, "milvusdb/milvus:v2.6.3", "mixture", "-rootcoord", "-querycoord", "-datacoord"))
			},
		},
	})
}

func TestMilvusVersionUnknown(t *testing.T) {
	const fix = "set image.all.tag to the Milvus release the image is (for example v2.4.17) and pin the image with image.all.digest"
	runCases(t, milvusVersionUnknown, []ruleCase{
		{name: "chart defaults: v2.4.17"},
		{name: "a digest beside the tag keeps the version", overlay: "image: {all: {tag: v2.4.17, digest: " + digest + "}}"},
		{
			name:    "latest names no release",
			overlay: "image: {all: {tag: latest}}",
			want: []want{{Subject: "version", At: path("image.all.tag"),
				Msg: `image.all.tag is "latest", which names no Milvus release: whether the coordinators, active-standby and session TTL fit the version cannot be checked`,
				Fix: fix}},
		},
		{
			name:    "a digest in the tag names no release",
			overlay: "image: {all: {tag: \"" + digest + "\"}}",
			want:    []want{{Subject: "version", At: path("image.all.tag"), Msg: `image.all.tag is "sha256:`, Fix: fix}},
		},
		{
			name:    "a branch build names no release",
			overlay: "image: {all: {tag: master-20250101-abcdef}}",
			want:    []want{{Subject: "version", At: path("image.all.tag"), Msg: `"master-20250101-abcdef"`}},
		},
		{name: "no coordinator deployed: nothing to check", overlay: "image: {all: {tag: latest}}\n" + separateOff},
		{
			name:    "tag of the wrong type is the schema's",
			overlay: "image: {all: {tag: 2.6}}",
		},
		{
			name: "objects: latest",
			objects: func() []coord.Object {
				return objects(deployment("coord-rootcoord", 1, "milvusdb/milvus:latest", "rootcoord"))
			},
			want: []want{{Subject: "version", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[].image"},
				Msg: `spec.template.spec.containers[].image of Deployment coord-rootcoord is "latest"`,
				Fix: "set spec.template.spec.containers[].image of Deployment coord-rootcoord to the Milvus release the image is (for example v2.4.17)"}},
		},
		{
			// The kubelet pulls :latest for an image without a tag, and a
			// reference pinned by digest alone names no release either.
			name: "objects: an image without a tag runs latest",
			objects: func() []coord.Object {
				return objects(deployment("coord-rootcoord", 1, "milvusdb/milvus@"+digest, "rootcoord"))
			},
			want: []want{{Subject: "version", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[].image"},
				Msg: "which names no Milvus release"}},
		},
	})
}

func TestIndexCoordinatorRemoved(t *testing.T) {
	runCases(t, indexCoordinatorRemoved, []ruleCase{
		{name: "chart defaults: the chart has no indexcoord"},
		{
			name: "objects: indexcoord on 2.4",
			objects: func() []coord.Object {
				return objects(deployment("coord-indexcoord", 1, "milvusdb/milvus:v2.4.17", "indexcoord"))
			},
			want: []want{{Subject: "indexcoord", At: coord.Source{Object: "Deployment coord-indexcoord"},
				Msg: "Deployment coord-indexcoord runs indexcoord on Milvus 2.4.17: since 2.3 datacoord coordinates indexes and registers the indexcoord session itself",
				Fix: "remove Deployment coord-indexcoord; datacoord runs index coordination"}},
		},
		{
			name: "objects: indexcoord on 2.2 is a coordinator of its own",
			objects: func() []coord.Object {
				return objects(deployment("coord-indexcoord", 1, "milvusdb/milvus:v2.2.16", "indexcoord"))
			},
		},
		{
			name: "objects: indexcoord of an unknown version",
			objects: func() []coord.Object {
				return objects(deployment("coord-indexcoord", 1, "milvusdb/milvus:latest", "indexcoord"))
			},
		},
	})
}
