package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestHeaptrackEnabled(t *testing.T) {
	heaptrack := []string{"/milvus/tools/heaptrack/bin/heaptrack", "-o", "/milvus/tools/heaptrack.rootcoord", "milvus", "run", "rootcoord"}
	runCases(t, heaptrackEnabled, []ruleCase{
		{name: "chart defaults: no heaptrack"},
		{name: "heaptrack off, as Milvus' Coordinator HA page writes it", overlay: "rootCoordinator: {heaptrack: {enabled: false}}"},
		{
			name:    "heaptrack on one coordinator: that one is reported",
			overlay: "queryCoordinator: {heaptrack: {enabled: true}}",
			want: []want{{Subject: "querycoord", At: path("queryCoordinator.heaptrack.enabled"),
				Msg: "queryCoordinator runs Milvus under heaptrack, which traces every allocation",
				Fix: "set queryCoordinator.heaptrack.enabled: false"}},
		},
		{
			name:    "heaptrack on mixcoord: one finding for its three roles",
			overlay: separateOff + "mixCoordinator: {enabled: true, heaptrack: {enabled: true}}",
			want: []want{{Subject: "rootcoord, querycoord, datacoord", At: path("mixCoordinator.heaptrack.enabled"),
				Fix: "set mixCoordinator.heaptrack.enabled: false"}},
		},
		{
			name:    "a disabled coordinator's heaptrack deploys nothing",
			overlay: "rootCoordinator: {enabled: false, heaptrack: {enabled: true}}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}",
		},
		{
			name: "objects: heaptrack before milvus run in the args",
			objects: func() []coord.Object {
				d := deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord")
				d.Spec.Template.Spec.Containers[0].Args = heaptrack
				return objects(d)
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[].args"},
				Msg: "Deployment coord-rootcoord runs Milvus under heaptrack", Fix: "run Deployment coord-rootcoord without heaptrack"}},
		},
		{
			name: "objects: plain milvus run",
			objects: func() []coord.Object {
				return objects(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
		},
	})
}
