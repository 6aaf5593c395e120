package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestHASpread(t *testing.T) {
	noneFix := func(block string) string {
		return "set podAntiAffinity.mode: soft (or hard), or add " + block + ".topologySpreadConstraints"
	}
	runCases(t, haSpread, []ruleCase{
		{name: "chart defaults: soft anti-affinity"},
		{name: "hard anti-affinity", overlay: "podAntiAffinity: {mode: hard}"},
		{name: "one replica needs no spread", overlay: "podAntiAffinity: {mode: none}\nrootCoordinator: {replicas: 1}\nqueryCoordinator: {replicas: 1}\ndataCoordinator: {replicas: 1}"},
		{name: "without active-standby spread is not the question", overlay: "podAntiAffinity: {mode: none}\nrootCoordinator: {activeStandby: {enabled: false}}\nqueryCoordinator: {replicas: 1}\ndataCoordinator: {replicas: 1}"},
		{name: "topologySpreadConstraints instead of anti-affinity", overlay: "podAntiAffinity: {mode: none}\nrootCoordinator: {topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}]}\nqueryCoordinator: {replicas: 1}\ndataCoordinator: {replicas: 1}"},
		{
			name:    "mode none: every HA coordinator may share a node",
			overlay: "podAntiAffinity: {mode: none}",
			user:    []string{"podAntiAffinity.mode"},
			want: []want{
				{Subject: "rootcoord/apart", At: path("podAntiAffinity.mode"),
					Msg: "rootCoordinator: podAntiAffinity.mode is none and rootCoordinator has no topologySpreadConstraints, so its 2 replicas may all run on one node",
					Fix: noneFix("rootCoordinator")},
				{Subject: "querycoord/apart", At: path("podAntiAffinity.mode"), Msg: "queryCoordinator: podAntiAffinity.mode is none", Fix: noneFix("queryCoordinator")},
				{Subject: "datacoord/apart", At: path("podAntiAffinity.mode"), Msg: "dataCoordinator: podAntiAffinity.mode is none", Fix: noneFix("dataCoordinator")},
			},
		},
		{
			name:    "mode none left by default, replicas raised by the user: blame the replicas",
			overlay: "podAntiAffinity: {mode: none}\nrootCoordinator: {replicas: 3}\nqueryCoordinator: {replicas: 1}\ndataCoordinator: {replicas: 1}",
			user:    []string{"rootCoordinator.replicas"},
			want:    []want{{Subject: "rootcoord/apart", At: path("rootCoordinator.replicas"), Msg: "so its 3 replicas may all run on one node"}},
		},
		{
			name:    "an empty podAntiAffinity replaces the chart's",
			overlay: "queryCoordinator: {affinity: {podAntiAffinity: {}}}",
			user:    []string{"queryCoordinator.affinity"},
			want: []want{{Subject: "querycoord/apart", At: path("queryCoordinator.affinity.podAntiAffinity"),
				Msg: "queryCoordinator.affinity.podAntiAffinity is empty and replaces the chart's anti-affinity",
				Fix: "remove queryCoordinator.affinity.podAntiAffinity to get the chart's anti-affinity, or write your own terms"}},
		},
		{
			name:    "a hostname nodeSelector pins every replica to one node",
			overlay: "dataCoordinator: {nodeSelector: {kubernetes.io/hostname: node-1}}",
			want: []want{{Subject: "datacoord/pinned", At: path(`dataCoordinator.nodeSelector["kubernetes.io/hostname"]`),
				Msg: `dataCoordinator.nodeSelector["kubernetes.io/hostname"] pins all 2 replicas of dataCoordinator to node node-1`,
				Fix: `remove dataCoordinator.nodeSelector["kubernetes.io/hostname"]`}},
		},
		{
			name: "a required node affinity allowing one host pins every replica",
			overlay: `
rootCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-2]}]`,
			want: []want{{Subject: "rootcoord/pinned", At: path("rootCoordinator.affinity.nodeAffinity"),
				Msg: "pins all 2 replicas of rootCoordinator to node node-2",
				Fix: "allow more than one node in rootCoordinator.affinity.nodeAffinity"}},
		},
		{
			name:    "a node affinity allowing two hosts pins nothing",
			overlay: "rootCoordinator: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [a, b]}]}]}}}}",
		},
		{
			name: "objects: anti-affinity selecting the pods",
			objects: func() []coord.Object {
				return objects(haCoordinator("rootcoord")...)
			},
		},
		{
			name: "objects: anti-affinity selecting other pods",
			objects: func() []coord.Object {
				d := antiAffinity(deployment("coord-rootcoord", 2, "milvusdb/milvus:v2.4.17", "rootcoord"), map[string]string{"app": "proxy"})
				return objects(configMap("coord-rootcoord", "rootCoord: {enableActiveStandby: true}"), d)
			},
			want: []want{{Subject: "rootcoord/apart", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.affinity"},
				Msg: "Deployment coord-rootcoord: no pod anti-affinity or topology spread constraint selects its pods, so its 2 replicas may all run on one node",
				Fix: "add a pod anti-affinity (or topology spread constraint) selecting the pods of Deployment coord-rootcoord by topology key kubernetes.io/hostname"}},
		},
		{
			name: "objects: a nodeSelector pin",
			objects: func() []coord.Object {
				objs := haCoordinator("rootcoord")
				objs[1].(*deploymentT).Spec.Template.Spec.NodeSelector = map[string]string{"kubernetes.io/hostname": "node-9"}
				return objects(objs...)
			},
			want: []want{{Subject: "rootcoord/pinned", At: coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.nodeSelector"},
				Msg: "pins all 2 replicas of Deployment coord-rootcoord to node node-9",
				Fix: "remove spec.template.spec.nodeSelector of Deployment coord-rootcoord"}},
		},
		{
			name: "objects: a required node affinity pin",
			objects: func() []coord.Object {
				objs := haCoordinator("querycoord")
				d := objs[1].(*deploymentT)
				d.Spec.Template.Spec.Affinity.NodeAffinity = &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
					NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "kubernetes.io/hostname", Operator: corev1.NodeSelectorOpIn, Values: []string{"node-3"}}}}}}}
				return objects(objs...)
			},
			want: []want{{Subject: "querycoord/pinned", At: coord.Source{Object: "Deployment coord-querycoord", Path: "spec.template.spec.affinity.nodeAffinity"},
				Msg: "to node node-3", Fix: "allow more than one node in spec.template.spec.affinity.nodeAffinity of Deployment coord-querycoord"}},
		},
	})
}

func TestHADisruptionBudget(t *testing.T) {
	runCases(t, haDisruptionBudget, []ruleCase{
		{name: "chart defaults: a budget per HA coordinator"},
		{name: "one replica and no budget", overlay: "podDisruptionBudget: {enabled: false}\nrootCoordinator: {replicas: 1}\nqueryCoordinator: {replicas: 1}\ndataCoordinator: {replicas: 1}"},
		{
			name:    "budgets turned off for HA coordinators",
			overlay: "podDisruptionBudget: {enabled: false}\nqueryCoordinator: {replicas: 1}\ndataCoordinator: {replicas: 1}",
			want: []want{{Subject: "rootcoord", At: path("podDisruptionBudget.enabled"),
				Msg: "no PodDisruptionBudget covers the 2 replicas of rootCoordinator: a node drain may evict them all at once",
				Fix: "set podDisruptionBudget.enabled: true"}},
		},
		{
			name:    "budget of the wrong type is the schema's",
			overlay: `podDisruptionBudget: {enabled: "no"}`,
		},
		{
			name: "objects: each coordinator with its own budget",
			objects: func() []coord.Object {
				return objects(haCluster()...)
			},
		},
		{
			name: "objects: no budget",
			objects: func() []coord.Object {
				objs := haCoordinator("rootcoord")
				return objects(objs[0], objs[1])
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord"},
				Msg: "no PodDisruptionBudget covers the 2 replicas of Deployment coord-rootcoord",
				Fix: "add a PodDisruptionBudget with maxUnavailable: 1 selecting only the pods of Deployment coord-rootcoord"}},
		},
		{
			name: "objects: a budget over a single replica blocks drains",
			objects: func() []coord.Object {
				return objects(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"), pdb("coord-rootcoord", map[string]string{"app": "coord-rootcoord"}))
			},
			want: []want{{Subject: "rootcoord", At: coord.Source{Object: "Deployment coord-rootcoord"},
				Msg: "PodDisruptionBudget coord-rootcoord covers the single replica of Deployment coord-rootcoord: it blocks node drains and protects nothing",
				Fix: "give Deployment coord-rootcoord more than one replica, or no budget"}},
		},
		{
			name: "objects: one budget over two coordinators",
			objects: func() []coord.Object {
				q, d := haCoordinator("querycoord"), haCoordinator("datacoord")
				q[1].(*deploymentT).Spec.Template.Labels["tier"] = "coord"
				d[1].(*deploymentT).Spec.Template.Labels["tier"] = "coord"
				return objects(q[0], q[1], d[0], d[1], pdb("coords", map[string]string{"tier": "coord"}))
			},
			want: []want{
				{Subject: "querycoord", At: coord.Source{Object: "Deployment coord-querycoord"},
					Msg: "PodDisruptionBudget coords selects the pods of Deployment coord-querycoord and of Deployment coord-datacoord",
					Fix: "give Deployment coord-querycoord its own budget selecting only its pods"},
				{Subject: "datacoord", At: coord.Source{Object: "Deployment coord-datacoord"},
					Msg: "PodDisruptionBudget coords selects the pods of Deployment coord-datacoord and of Deployment coord-querycoord"},
			},
		},
	})
}
