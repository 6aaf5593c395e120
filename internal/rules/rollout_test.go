package rules

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestHARolloutStrategy(t *testing.T) {
	const fix = "remove rootCoordinator.strategy (the chart rolls with maxSurge 1, maxUnavailable 0)"
	runCases(t, haRolloutStrategy, []ruleCase{
		{name: "chart defaults: maxSurge 1, maxUnavailable 0"},
		{name: "maxSurge 2 with maxUnavailable 0 starts standbys first", overlay: "rootCoordinator: {strategy: {rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}}"},
		{name: "maxSurge 50% with maxUnavailable 0 starts standbys first", overlay: `rootCoordinator: {strategy: {rollingUpdate: {maxSurge: "50%", maxUnavailable: 0}}}`},
		{name: "maxUnavailable 0% is zero", overlay: `rootCoordinator: {strategy: {rollingUpdate: {maxUnavailable: "0%"}}}`},
		{name: "maxUnavailable 49% of 2 rounds down to zero", overlay: `rootCoordinator: {strategy: {rollingUpdate: {maxUnavailable: "49%"}}}`},
		{name: "without active-standby the rollout is another rule's", overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}, strategy: {type: RollingUpdate}}"},
		{
			name:    "maxUnavailable 50% of 2 replicas stops one first",
			overlay: `rootCoordinator: {strategy: {rollingUpdate: {maxUnavailable: "50%"}}}`,
			want: []want{{
				Subject: "rootcoord", At: path("rootCoordinator.strategy.rollingUpdate.maxUnavailable"),
				Msg: "rootCoordinator has active-standby on but maxUnavailable 50% stops 1 of 2 replicas before their replacements run",
				Fix: fix,
			}},
		},
		{
			name:    "maxUnavailable 1 stops one first",
			overlay: `queryCoordinator: {strategy: {rollingUpdate: {maxUnavailable: 1}}}`,
			want: []want{{
				Subject: "querycoord", At: path("queryCoordinator.strategy.rollingUpdate.maxUnavailable"),
				Msg: "maxUnavailable 1 stops 1 of 2 replicas", Fix: "remove queryCoordinator.strategy (the chart rolls with maxSurge 1, maxUnavailable 0)",
			}},
		},
		{
			// Kubernetes turns maxSurge 0 / maxUnavailable 0 into one
			// unavailable: the value to change is the surge the user wrote.
			name:    "maxSurge 0% starts no replacement first: point at maxSurge",
			overlay: `rootCoordinator: {strategy: {rollingUpdate: {maxSurge: "0%"}}}`,
			user:    []string{"rootCoordinator.strategy.rollingUpdate.maxSurge"},
			want: []want{{
				Subject: "rootcoord", At: path("rootCoordinator.strategy.rollingUpdate.maxSurge"),
				Msg: "maxSurge 0%", Fix: fix,
			}},
		},
		{
			name:    "Recreate stops every replica",
			overlay: `rootCoordinator: {strategy: {type: Recreate}}`,
			want: []want{{
				Subject: "rootcoord", At: path("rootCoordinator.strategy.type"),
				Msg: "rootCoordinator has active-standby on but Recreate stops every replica before starting new ones: each upgrade may stop the ACTIVE coordinator",
				Fix: fix,
			}},
		},
		{
			name: "objects: the API server's 25% default of 2 replicas is safe",
			objects: func() []coord.Object {
				d := antiAffinity(deployment("coord-rootcoord", 2, "milvusdb/milvus:v2.4.17", "rootcoord"), map[string]string{"app": "coord-rootcoord"})
				return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: true}"), d)
			},
		},
		{
			name: "objects: the API server's 25% default of 4 replicas stops one first",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: true}"), deployment("coord-rootcoord", 4, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{
				Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.strategy.rollingUpdate.maxUnavailable"},
				Msg: "maxUnavailable 25% (unset) stops 1 of 4 replicas",
				Fix: "roll Deployment coord-rootcoord with maxUnavailable: 0 and maxSurge: 1",
			}},
		},
		{
			name: "objects: Recreate",
			objects: func() []coord.Object {
				d := deployment("coord-rootcoord", 2, "milvusdb/milvus:v2.4.17", "rootcoord")
				d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
				return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: true}"), d)
			},
			want: []want{{
				Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.strategy.type"},
				Msg: "Recreate stops every replica",
			}},
		},
	})
}

func TestNonHARollingUpdate(t *testing.T) {
	const fix = "remove rootCoordinator.strategy (the chart uses Recreate) or set rootCoordinator.activeStandby.enabled: true"
	runCases(t, nonHARollingUpdate, []ruleCase{
		{name: "chart defaults: active-standby rolls"},
		{name: "without active-standby the chart's Recreate", overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}}"},
		{name: "an explicit Recreate", overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}, strategy: {type: Recreate}}"},
		{
			name:    "RollingUpdate without active-standby",
			overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}, strategy: {type: RollingUpdate}}",
			want: []want{{
				Subject: "rootcoord", At: path("rootCoordinator.strategy.type"),
				Msg: "rootCoordinator.strategy.type asks for a rolling update but rootCoordinator runs without active-standby (rootCoordinator.activeStandby.enabled is false)",
				Fix: fix,
			}},
		},
		{
			name:    "a rollingUpdate block under Recreate",
			overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}, strategy: {rollingUpdate: {maxSurge: 1}}}",
			want: []want{{
				Subject: "rootcoord", At: path("rootCoordinator.strategy.rollingUpdate"),
				Msg: "rootCoordinator.strategy.rollingUpdate asks for a rolling update", Fix: fix,
			}},
		},
		{
			name: "objects: the API server's RollingUpdate default without active-standby",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", ""), deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{
				Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.strategy.type"},
				Msg: "spec.strategy.type of Deployment coord-rootcoord asks for a rolling update but Deployment coord-rootcoord runs without active-standby",
				Fix: "set spec.strategy of Deployment coord-rootcoord to type: Recreate with no rollingUpdate",
			}},
		},
		{
			name: "objects: Recreate without active-standby",
			objects: func() []coord.Object {
				d := deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord")
				d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
				return objects(d)
			},
		},
	})
}
