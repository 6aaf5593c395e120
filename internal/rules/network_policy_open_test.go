package rules

import (
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/coordtest"
)

func TestNetworkPolicyOpen(t *testing.T) {
	root := func() *deploymentT { return deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord") }
	rootPods := map[string]string{"app": "coord-rootcoord"}
	openObjects := want{Subject: "ingress", At: coord.Source{Object: "Deployment coord-rootcoord"},
		Msg: "no NetworkPolicy limits who connects to the pods of Deployment coord-rootcoord: any pod that can route to them reaches their gRPC ports",
		Fix: "add a NetworkPolicy with policyTypes [Ingress] that selects those pods and admits their gRPC ports from the Milvus pods and port 9091 from the metrics scraper only"}
	runCases(t, networkPolicyOpen, []ruleCase{
		{name: "chart defaults: on"},
		{
			name:    "turned off: one finding naming every coordinator",
			overlay: "networkPolicy: {enabled: false}", user: []string{"networkPolicy.enabled"},
			want: []want{{Subject: "ingress", At: path("networkPolicy.enabled"),
				Msg: "networkPolicy.enabled is false, so no NetworkPolicy limits who connects to rootCoordinator, queryCoordinator, dataCoordinator: any pod",
				Fix: "set networkPolicy.enabled: true (its default selectors admit every pod of the release namespace to the gRPC ports and a scraper in any namespace to port 9091)"}},
		},
		{name: "a wrong type: the schema's finding, not a guess", overlay: "networkPolicy: {enabled: maybe}"},
		{
			name:    "mixCoordinator only: names it",
			overlay: separateOff + "mixCoordinator: {enabled: true}\nnetworkPolicy: {enabled: false}",
			want: []want{{Subject: "ingress", At: path("networkPolicy.enabled"),
				Msg: "limits who connects to mixCoordinator: any pod"}},
		},
		{name: "objects: no NetworkPolicy", objects: func() []coord.Object { return objects(root()) }, want: []want{openObjects}},
		{
			name:    "objects: a policy over the pods",
			objects: func() []coord.Object { return objects(root(), coordtest.IngressPolicy("np", rootPods)) },
		},
		{
			name: "objects: an empty podSelector selects every pod of the namespace",
			objects: func() []coord.Object {
				return objects(root(), coordtest.IngressPolicy("np", nil))
			},
		},
		{
			name: "objects: a policy in another namespace",
			objects: func() []coord.Object {
				p := coordtest.IngressPolicy("np", rootPods)
				p.Namespace = "other"
				return objects(root(), p)
			},
			want: []want{openObjects},
		},
		{
			name: "objects: a policy over other pods",
			objects: func() []coord.Object {
				return objects(root(), coordtest.IngressPolicy("np", map[string]string{"app": "proxy"}))
			},
			want: []want{openObjects},
		},
		{
			name: "objects: an egress-only policy",
			objects: func() []coord.Object {
				p := coordtest.IngressPolicy("np", rootPods)
				p.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
				return objects(root(), p)
			},
			want: []want{openObjects},
		},
		{
			name: "objects: no policyTypes means Ingress",
			objects: func() []coord.Object {
				p := coordtest.IngressPolicy("np", rootPods)
				p.Spec.PolicyTypes = nil
				return objects(root(), p)
			},
		},
		{
			name: "objects: an ingress rule without from admits every source",
			objects: func() []coord.Object {
				p := coordtest.IngressPolicy("np", rootPods)
				p.Spec.Ingress = append(p.Spec.Ingress, networkingv1.NetworkPolicyIngressRule{})
				return objects(root(), p)
			},
			want: []want{openObjects},
		},
		{
			name: "objects: only the open workloads are named",
			objects: func() []coord.Object {
				query := deployment("coord-querycoord", 1, "milvusdb/milvus:v2.4.17", "querycoord")
				return objects(root(), query, coordtest.IngressPolicy("np", rootPods))
			},
			want: []want{{Subject: "ingress", At: coord.Source{Object: "Deployment coord-querycoord"},
				Msg: "limits who connects to the pods of Deployment coord-querycoord: any"}},
		},
		{
			name: "objects: an invalid podSelector selects nothing",
			objects: func() []coord.Object {
				p := coordtest.IngressPolicy("np", nil)
				p.Spec.PodSelector = metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Bogus"}}}
				return objects(root(), p)
			},
			want: []want{openObjects},
		},
	})
}
