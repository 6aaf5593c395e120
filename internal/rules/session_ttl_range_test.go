package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestSessionTTLRange(t *testing.T) {
	runCases(t, sessionTTLRange, []ruleCase{
		{name: "chart defaults: 30 s"},
		{name: "15 s is the lowest safe", overlay: "milvus: {session: {ttl: 15}}"},
		{name: "60 s is the highest", overlay: "milvus: {session: {ttl: 60}}"},
		{
			name:    "10 s may expire in an etcd leader change: reported once for all coordinators",
			overlay: "milvus: {session: {ttl: 10}}",
			want: []want{{Subject: "ttl=10", At: path("milvus.session.ttl"),
				Msg: "common.session.ttl is 10 s (milvus.session.ttl): a session this short can expire during an etcd leader change",
				Fix: "set milvus.session.ttl to at least 15"}},
		},
		{
			name:    "61 s is a long outage after a crash",
			overlay: "milvus: {session: {ttl: 61}}",
			want: []want{{Subject: "ttl=61", At: path("milvus.session.ttl"),
				Msg: "common.session.ttl is 61 s (milvus.session.ttl): after a crash, SIGKILL or node loss the standby takes over only when the lease expires, so the coordinator is down for about 61 s",
				Fix: "set milvus.session.ttl to at most 60 (30 is the Milvus 2.3-2.5 default)"}},
		},
		{
			name:    "extraConfig overrides the chart's TTL",
			overlay: "milvus: {extraConfig: {common: {session: {ttl: 5}}}}",
			want: []want{{Subject: "ttl=5", At: path("milvus.extraConfig.common.session.ttl"),
				Msg: "common.session.ttl is 5 s (milvus.extraConfig.common.session.ttl)",
				Fix: "set milvus.extraConfig.common.session.ttl to at least 15"}},
		},
		{
			name:    "a TTL written as a string in extraConfig is still read",
			overlay: `milvus: {extraConfig: {common: {session: {ttl: "90"}}}}`,
			want:    []want{{Subject: "ttl=90", At: path("milvus.extraConfig.common.session.ttl"), Msg: "common.session.ttl is 90 s"}},
		},
		{
			name:    "env from extraEnv beats the config",
			overlay: `rootCoordinator: {extraEnv: [{name: COMMON_SESSION_TTL, value: "120"}]}`,
			want: []want{{Subject: "ttl=120", At: path("rootCoordinator.extraEnv[0].name"),
				Msg: "common.session.ttl is 120 s (rootCoordinator.extraEnv[0].name COMMON_SESSION_TTL)"}},
		},
		{name: "a TTL Milvus cannot read as an integer falls back to Milvus' default", overlay: `milvus: {extraConfig: {common: {session: {ttl: "30s"}}}}`},
		{name: "zero is not judged", overlay: "milvus: {session: {ttl: 0}}"},
		{
			name: "objects: 2.6.0's shipped 10 s applies when nothing sets it",
			objects: func() []coord.Object {
				return objects(configMap("coord-mix", ""), deployment("coord-mix", 1, "milvusdb/milvus:v2.6.0", "mixcoord"))
			},
			want: []want{{Subject: "ttl=10", At: coord.Source{Object: "Deployment coord-mix", Path: "spec.template.spec.containers[].image"},
				Msg: "common.session.ttl is 10 s (Milvus 2.6.0's shipped default)",
				Fix: "set common.session.ttl in the config of Deployment coord-mix to at least 15"}},
		},
		{
			name: "objects: 2.2.0's shipped 60 s is in range",
			objects: func() []coord.Object {
				return objects(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.2.0", "rootcoord"))
			},
		},
		{
			name: "objects: 2.6.5's shipped default is unverified",
			objects: func() []coord.Object {
				return objects(deployment("coord-mix", 1, "milvusdb/milvus:v2.6.5", "mixcoord"))
			},
		},
		{
			name: "objects: the env of the Deployment",
			objects: func() []coord.Object {
				return objects(withEnv(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"), corev1.EnvVar{Name: "COMMON_SESSION_TTL", Value: "8"}))
			},
			want: []want{{Subject: "ttl=8", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[coord].env[0]"},
				Msg: "common.session.ttl is 8 s (env COMMON_SESSION_TTL of Deployment coord-rootcoord)",
				Fix: "set env COMMON_SESSION_TTL of Deployment coord-rootcoord to at least 15"}},
		},
	})
}
