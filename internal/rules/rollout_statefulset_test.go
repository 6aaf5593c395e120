package rules

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

// statefulSet is deployment's coordinator as a StatefulSet.
func statefulSet(name string, replicas int32, image string, update appsv1.StatefulSetUpdateStrategy, args ...string) *appsv1.StatefulSet {
	d := deployment(name, replicas, image, args...)
	return &appsv1.StatefulSet{ObjectMeta: d.ObjectMeta, Spec: appsv1.StatefulSetSpec{
		Replicas: d.Spec.Replicas, Selector: d.Spec.Selector, Template: d.Spec.Template, UpdateStrategy: update}}
}

func TestRolloutRulesOfAStatefulSet(t *testing.T) {
	const image = "milvusdb/milvus:v2.4.17"
	ha := func(replicas int32, update appsv1.StatefulSetUpdateStrategy) func() []coord.Object {
		return func() []coord.Object {
			return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: true}"), statefulSet("coord-rootcoord", replicas, image, update, "rootcoord"))
		}
	}
	nonHA := func(replicas int32, update appsv1.StatefulSetUpdateStrategy) func() []coord.Object {
		return func() []coord.Object {
			return objects(configMap("coord-rootcoord", ""), statefulSet("coord-rootcoord", replicas, image, update, "rootcoord"))
		}
	}
	sts := func(p string) coord.Source { return coord.Source{Object: "StatefulSet coord-rootcoord", Path: p} }
	all := intstr.FromString("100%")
	rolling := appsv1.StatefulSetUpdateStrategy{}
	onDelete := appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType}
	allAtOnce := appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType,
		RollingUpdate: &appsv1.RollingUpdateStatefulSetStrategy{MaxUnavailable: &all}}
	const fix = "run StatefulSet coord-rootcoord as a Deployment rolling with maxUnavailable: 0 and maxSurge: 1, or set spec.updateStrategy.type: OnDelete and delete its pods one at a time, standbys first"

	t.Run(haRolloutStrategy.ID, func(t *testing.T) {
		runCases(t, haRolloutStrategy, []ruleCase{
			{name: "rolling update (the default) stops a pod before its replacement starts", objects: ha(2, rolling),
				want: []want{{Subject: "rootcoord", At: sts("spec.updateStrategy.type"),
					Msg: "StatefulSet coord-rootcoord has active-standby on but a StatefulSet's rolling update stops each pod before its replacement starts (it cannot surge): each upgrade", Fix: fix}}},
			{name: "maxUnavailable 100% stops every replica at once", objects: ha(3, allAtOnce),
				want: []want{{Subject: "rootcoord", At: sts("spec.updateStrategy.rollingUpdate.maxUnavailable"),
					Msg: "and maxUnavailable 100% stops all 3 replicas at once", Fix: fix}}},
			{name: "OnDelete replaces only the pods someone deletes", objects: ha(2, onDelete)},
		})
	})
	t.Run(nonHARollingUpdate.ID, func(t *testing.T) {
		runCases(t, nonHARollingUpdate, []ruleCase{
			{name: "rolling update never runs two pods of one ordinal", objects: nonHA(1, rolling)},
			{name: "OnDelete", objects: nonHA(1, onDelete)},
		})
	})
	t.Run(haReplicasNeedStandby.ID, func(t *testing.T) {
		runCases(t, haReplicasNeedStandby, []ruleCase{
			{name: "two ordinals without active-standby still fight over the session key", objects: nonHA(2, rolling),
				want: []want{{Subject: "rootcoord", At: sts(""), Msg: "StatefulSet coord-rootcoord runs 2 replicas without active-standby"}}},
		})
	})
}
