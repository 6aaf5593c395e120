package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// networkPolicyOpen: without an ingress NetworkPolicy the coordinators' gRPC
// ports, which create and drop collections and hold the cluster's metadata,
// are open to every pod that can route to them, in any namespace. This
// chart's policy is on by default; the finding is for values that turn it
// off and for manifests (the upstream chart and the operator make none).
var networkPolicyOpen = Rule{
	ID:       "network-policy-open",
	Severity: finding.Warning,
	Protects: "Coordinator pods without an ingress NetworkPolicy: any pod that can route to them reaches their gRPC ports, which create and drop collections and hold the cluster's metadata, and their metrics.",
	Fix:      "Keep networkPolicy.enabled on (or, for manifests, add an ingress NetworkPolicy that selects the coordinator pods and admits the Milvus pods and the metrics scraper).",
	check: func(m *coord.Model) []Violation {
		var open []*coord.Workload
		for _, w := range m.Workloads {
			if w.Ingress.Known && !w.Ingress.Value.Restricted {
				open = append(open, w)
			}
		}
		if len(open) == 0 {
			return nil
		}
		names := make([]string, len(open))
		for i, w := range open {
			names[i] = w.Name
		}
		at := open[0].Ingress.At
		v := Violation{Subject: "ingress", At: at}
		in := open[0].Ingress.Value
		if in.Why != "" {
			v.Message = fmt.Sprintf("%s, so no NetworkPolicy limits who connects to %s: any pod that can route to them reaches their gRPC ports, which create and drop collections and hold the cluster's metadata, and their metrics port 9091",
				in.Why, strings.Join(names, ", "))
			v.Fix = in.Remedy
			if len(open) > 1 && open[1].Ingress.Value.Remedy != in.Remedy {
				v.Fix += ", and the same for " + strings.Join(names[1:], ", ")
			}
			return []Violation{v}
		}
		v.Message = fmt.Sprintf("no NetworkPolicy limits who connects to the pods of %s: any pod that can route to them reaches their gRPC ports, which create and drop collections and hold the cluster's metadata, and their metrics port 9091",
			strings.Join(names, ", "))
		v.Fix = "add a NetworkPolicy with policyTypes [Ingress] that selects those pods and admits their gRPC ports from the Milvus pods and port 9091 from the metrics scraper only"
		return []Violation{v}
	},
}
