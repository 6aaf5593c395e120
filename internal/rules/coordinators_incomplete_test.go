package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestCoordinatorsIncomplete(t *testing.T) {
	runCases(t, coordinatorsIncomplete, []ruleCase{
		{name: "chart defaults: the three separate coordinators"},
		{name: "mixCoordinator alone", overlay: separateOff + "mixCoordinator: {enabled: true}"},
		{
			name:    "rootCoordinator turned off without mixCoordinator",
			overlay: "rootCoordinator: {enabled: false}",
			want: []want{{Subject: "rootcoord", At: path("rootCoordinator.enabled"),
				Msg: "rootCoordinator.enabled is false and mixCoordinator is off: the cluster gets querycoord and datacoord but no rootcoord, and Milvus waits for it forever",
				Fix: "set rootCoordinator.enabled: true, or run all three roles in mixCoordinator"}},
		},
		{
			name:    "every coordinator off",
			overlay: separateOff,
			want: []want{{Subject: "all", At: path("mixCoordinator.enabled"),
				Msg: "no coordinator is enabled",
				Fix: "set mixCoordinator.enabled: true, or enable rootCoordinator, queryCoordinator and dataCoordinator"}},
		},
		{
			name:    "Milvus 2.2 still has indexcoord, which this chart does not run",
			overlay: "image: {all: {tag: v2.2.16}}",
			want: []want{{Subject: "indexcoord", At: path("image.all.tag"),
				Msg: "image.all.tag is Milvus 2.2.16, where indexcoord is a coordinator of its own (datacoord takes it over from 2.3), and nothing here runs it",
				Fix: "use Milvus 2.3 or later, or run indexcoord beside these coordinators (the upstream milvus chart's indexCoordinator)"}},
		},
		{
			name:    "Milvus 2.2.0 mixCoordinator lacks indexcoord too",
			overlay: "image: {all: {tag: 2.2.0}}\n" + separateOff + "mixCoordinator: {enabled: true}",
			want:    []want{{Subject: "indexcoord", At: path("image.all.tag"), Msg: "Milvus 2.2.0"}},
		},
		{name: "Milvus 2.3.0 has no indexcoord of its own", overlay: "image: {all: {tag: v2.3.0}}"},
		{name: "an unknown version asks for no indexcoord", overlay: "image: {all: {tag: latest}}"},
		{
			// Neither a workload nor absent: unknown. The schema reports the
			// type at the user's line; the rule judges only known facts, and
			// a finding here would point at no line at all.
			name:    "a block of the wrong type is the schema's, not a missing role",
			overlay: "rootCoordinator: [x]",
		},
		{
			name:    "objects: no coordinator at all is not a Milvus installation",
			objects: func() []coord.Object { return objects(deployment("proxy", 1, "milvusdb/milvus:v2.4.17", "proxy")) },
		},
		{
			name: "objects: rootcoord alone",
			objects: func() []coord.Object {
				return objects(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{
				{Subject: "querycoord", Msg: "no workload runs querycoord (the cluster gets rootcoord): Milvus waits for it forever",
					Fix: "add a Deployment that runs `milvus run querycoord`, or run every role in mixcoord"},
				{Subject: "datacoord", Msg: "no workload runs datacoord", Fix: "add a Deployment that runs `milvus run datacoord`, or run every role in mixcoord"},
			},
		},
		{
			name: "objects: 2.2 with an indexcoord Deployment is complete",
			objects: func() []coord.Object {
				return objects(deployment("mix", 1, "milvusdb/milvus:v2.2.16", "mixture", "-rootcoord", "-querycoord", "-datacoord", "-indexcoord"))
			},
		},
	})
}
