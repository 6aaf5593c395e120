package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestMixcoordExclusive(t *testing.T) {
	runCases(t, mixcoordExclusive, []ruleCase{
		{name: "chart defaults: separate coordinators only"},
		{name: "mixCoordinator only", overlay: separateOff + "mixCoordinator: {enabled: true}"},
		{
			name:    "mixCoordinator beside every separate coordinator: one finding per role",
			overlay: "mixCoordinator: {enabled: true}",
			user:    []string{"mixCoordinator.enabled"},
			want: []want{
				{Subject: "rootcoord", At: path("mixCoordinator.enabled"),
					Msg: "mixCoordinator.enabled and rootCoordinator.enabled are both true: both register the rootcoord role in etcd",
					Fix: "set rootCoordinator.enabled: false (mixCoordinator runs rootcoord)"},
				{Subject: "querycoord", At: path("mixCoordinator.enabled"), Msg: "queryCoordinator.enabled are both true",
					Fix: "set queryCoordinator.enabled: false (mixCoordinator runs querycoord)"},
				{Subject: "datacoord", At: path("mixCoordinator.enabled"), Msg: "dataCoordinator.enabled are both true",
					Fix: "set dataCoordinator.enabled: false (mixCoordinator runs datacoord)"},
			},
		},
		{
			name:    "a separate coordinator turned back on beside mixCoordinator: blame it",
			overlay: "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}",
			user:    []string{"dataCoordinator"},
			want: []want{{Subject: "datacoord", At: path("dataCoordinator.enabled"),
				Msg: "mixCoordinator.enabled and dataCoordinator.enabled are both true", Fix: "set dataCoordinator.enabled: false (mixCoordinator runs datacoord)"}},
		},
		{
			name: "objects: a mixture beside rootcoord",
			objects: func() []coord.Object {
				return objects(deployment("coord-mix", 2, "milvusdb/milvus:v2.4.17", "mixture", "-rootcoord", "-querycoord", "-datacoord"),
					deployment("coord-rootcoord", 2, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord"},
				Msg: "Deployment coord-mix and Deployment coord-rootcoord all run the Milvus rootcoord role",
				Fix: "delete Deployment coord-rootcoord or stop Deployment coord-mix from running rootcoord"}},
		},
		{
			name: "objects: two Deployments of rootcoord",
			objects: func() []coord.Object {
				return objects(deployment("a", 1, "milvusdb/milvus:v2.4.17", "rootcoord"), deployment("b", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment b"}, Msg: "Deployment a and Deployment b all run the Milvus rootcoord role"}},
		},
	})
}
