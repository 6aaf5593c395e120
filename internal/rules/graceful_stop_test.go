package rules

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

// withGrace sets the pods' terminationGracePeriodSeconds.
func withGrace(d *appsv1.Deployment, seconds int64) *appsv1.Deployment {
	d.Spec.Template.Spec.TerminationGracePeriodSeconds = &seconds
	return d
}

func TestGracefulStopTimeout(t *testing.T) {
	mixcoord26 := separateOff + "mixCoordinator: {enabled: true}\nimage: {all: {tag: v2.6.15}}\n"
	obj := func(p string) coord.Source { return coord.Source{Object: "Deployment coord-mix", Path: p} }
	runCases(t, gracefulStopTimeout, []ruleCase{
		{name: "chart defaults: 30 s per role, above 2.4.17's 10 s gRPC stop"},
		{
			name:    "10 s on 2.4.17 is not above the gRPC stop: every role, at the value",
			overlay: "milvus: {gracefulStopTimeout: 10}",
			want: []want{
				{Subject: "rootcoordgracefulstoptimeout", At: path("milvus.gracefulStopTimeout"),
					Msg: "rootCoord.gracefulStopTimeout of rootCoordinator is 10 s (milvus.gracefulStopTimeout), not above the gRPC graceful stop that runs inside it (grpc.gracefulStopTimeout: 10 s, Milvus 2.4.17's default)",
					Fix: "set milvus.gracefulStopTimeout to at least 11"},
				{Subject: "querycoordgracefulstoptimeout", At: path("milvus.gracefulStopTimeout"), Msg: "queryCoord.gracefulStopTimeout of queryCoordinator is 10 s",
					Fix: "set milvus.gracefulStopTimeout to at least 11"},
				{Subject: "datacoordgracefulstoptimeout", At: path("milvus.gracefulStopTimeout"), Msg: "dataCoord.gracefulStopTimeout of dataCoordinator is 10 s",
					Fix: "set milvus.gracefulStopTimeout to at least 11"},
			},
		},
		{name: "5 s is above 2.6's 3 s gRPC stop", overlay: mixcoord26 + "milvus: {gracefulStopTimeout: 5}"},
		{name: "before 2.4 a coordinator's stop has no bound of its own", overlay: "image: {all: {tag: v2.3.5}}\nmilvus: {gracefulStopTimeout: 1}"},
		{
			name:    "a gRPC stop raised in extraConfig outgrows the chart's timeout",
			overlay: mixcoord26 + "milvus: {extraConfig: {grpc: {gracefulStopTimeout: 60}}}",
			want: []want{{Subject: "rootcoordgracefulstoptimeout", At: path("milvus.gracefulStopTimeout"),
				Msg: "is 30 s (milvus.gracefulStopTimeout), not above the gRPC graceful stop that runs inside it (grpc.gracefulStopTimeout: 60 s, milvus.extraConfig.grpc.gracefulStopTimeout)",
				Fix: "set milvus.gracefulStopTimeout to at least 61"}},
		},
		{
			name:    "a timeout Milvus cannot parse is 0 s",
			overlay: "milvus: {extraConfig: {dataCoord: {gracefulStopTimeout: soon}}}",
			want: []want{{Subject: "datacoordgracefulstoptimeout", At: path("milvus.extraConfig.dataCoord.gracefulStopTimeout"),
				Msg: `dataCoord.gracefulStopTimeout of dataCoordinator is "soon", which Milvus reads as 0 s, (milvus.extraConfig.dataCoord.gracefulStopTimeout)`,
				Fix: "set milvus.extraConfig.dataCoord.gracefulStopTimeout to at least 11"}},
		},
		{
			name:    "a per-role timeout in extraConfig above the one the grace is sized from",
			overlay: "milvus: {extraConfig: {rootCoord: {gracefulStopTimeout: 600}}}",
			want: []want{{Subject: "rootcoord/grace", At: path("milvus.extraConfig.rootCoord.gracefulStopTimeout"),
				Msg: "rootCoordinator gives its pods 60 s to stop (terminationGracePeriodSeconds), but Milvus may take 600 s (rootCoord.gracefulStopTimeout): the kubelet kills a coordinator that is still stopping",
				Fix: "remove milvus.extraConfig.rootCoord.gracefulStopTimeout and set milvus.gracefulStopTimeout: 600"}},
		},
		{
			name:    "an env var from extraEnv beats the chart's timeout",
			overlay: `queryCoordinator: {extraEnv: [{name: QUERY_COORD_GRACEFUL_STOP_TIMEOUT, value: "90.5"}]}`,
			want: []want{{Subject: "querycoord/grace", At: path("queryCoordinator.extraEnv[0].name"),
				Msg: "queryCoordinator gives its pods 60 s to stop (terminationGracePeriodSeconds), but Milvus may take 90.5 s",
				Fix: "remove QUERY_COORD_GRACEFUL_STOP_TIMEOUT from queryCoordinator.extraEnv and set milvus.gracefulStopTimeout: 91"}},
		},
		{name: "a timeout from a Secret cannot be judged", overlay: `queryCoordinator: {extraEnv: [{name: QUERY_COORD_GRACEFUL_STOP_TIMEOUT, valueFrom: {secretKeyRef: {name: s, key: k}}}]}`},
		{
			name:    "a 2.4 mixture stops three roles one after another",
			overlay: separateOff + "mixCoordinator: {enabled: true}\nmilvus: {extraConfig: {queryCoord: {gracefulStopTimeout: 100}}}",
			want: []want{{Subject: "rootcoord, querycoord, datacoord/grace", At: path("milvus.extraConfig.queryCoord.gracefulStopTimeout"),
				Msg: "mixCoordinator gives its pods 120 s to stop (terminationGracePeriodSeconds), but Milvus may take 160 s (the sum of rootCoord.gracefulStopTimeout, queryCoord.gracefulStopTimeout, dataCoord.gracefulStopTimeout, which it stops one after another)",
				Fix: "remove milvus.extraConfig.queryCoord.gracefulStopTimeout and set milvus.gracefulStopTimeout: 100"}},
		},
		{
			name:    "objects: Milvus' own defaults are no setting to judge",
			objects: func() []coord.Object { return objects(haCluster()...) },
		},
		{
			name: "objects: a mixture killed before its three 5 s stops end",
			objects: func() []coord.Object {
				return objects(withGrace(deployment("coord-mix", 1, "milvusdb/milvus:v2.4.17", "mixture", "-rootcoord", "-querycoord", "-datacoord"), 10))
			},
			want: []want{{Subject: "rootcoord, querycoord, datacoord/grace", At: obj("spec.template.spec.terminationGracePeriodSeconds"),
				Msg: "Deployment coord-mix gives its pods 10 s to stop (terminationGracePeriodSeconds), but Milvus may take 15 s",
				Fix: "set terminationGracePeriodSeconds of Deployment coord-mix to at least 45"}},
		},
		{
			name: "objects: the API server's 30 s default covers a mixture's 15 s",
			objects: func() []coord.Object {
				return objects(deployment("coord-mix", 1, "milvusdb/milvus:v2.4.17", "mixture", "-rootcoord", "-querycoord", "-datacoord"))
			},
		},
		{
			name: "objects: 2.6 mixcoord's rootCoord timeout at the gRPC one",
			objects: func() []coord.Object {
				return objects(configMap("coord-mix", "rootCoord:\n  gracefulStopTimeout: 3\n"), deployment("coord-mix", 1, "milvusdb/milvus:v2.6.15", "mixcoord"))
			},
			want: []want{{Subject: "rootcoordgracefulstoptimeout", At: coord.Source{Object: "ConfigMap coord-mix-config", Path: "data.user.yaml"},
				Msg: "rootCoord.gracefulStopTimeout of Deployment coord-mix is 3 s (rootCoord.gracefulStopTimeout in data.user.yaml of ConfigMap coord-mix-config), not above the gRPC graceful stop that runs inside it (grpc.gracefulStopTimeout: 3 s, Milvus 2.6.15's default)",
				Fix: "set rootCoord.gracefulStopTimeout in data.user.yaml of ConfigMap coord-mix-config to at least 4"}},
		},
		{
			name: "objects: a gRPC stop set in env on an unverified 2.4 release",
			objects: func() []coord.Object {
				return objects(withEnv(deployment("coord-root", 1, "milvusdb/milvus:v2.4.23", "rootcoord"),
					corev1.EnvVar{Name: "GRPC_GRACEFUL_STOP_TIMEOUT", Value: "8"}))
			},
			want: []want{{Subject: "rootcoordgracefulstoptimeout", At: coord.Source{Object: "Deployment coord-root"},
				Msg: "rootCoord.gracefulStopTimeout of Deployment coord-root is 5 s (Milvus' default), not above the gRPC graceful stop that runs inside it (grpc.gracefulStopTimeout: 8 s, env GRPC_GRACEFUL_STOP_TIMEOUT of Deployment coord-root)",
				Fix: "set rootCoord.gracefulStopTimeout to at least 9 in the config of Deployment coord-root"}},
		},
		{
			name: "objects: no version and no gRPC setting: nothing to compare with",
			objects: func() []coord.Object {
				return objects(configMap("coord-root", "rootCoord:\n  gracefulStopTimeout: 1\n"), deployment("coord-root", 1, "milvusdb/milvus:latest", "rootcoord"))
			},
		},
	})
}
