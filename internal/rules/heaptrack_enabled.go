package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// heaptrackEnabled: heaptrack preloads a library that records every
// allocation and frees of Milvus and streams it to a trace file. It slows the
// coordinator down (a slow ACTIVE coordinator is slow for the whole cluster,
// and one that stalls past the session TTL fails over) and the trace grows
// until the pod is evicted for its ephemeral storage: a debugging tool, not a
// production setting. The upstream chart says so in a comment; here it is a
// finding.
var heaptrackEnabled = Rule{
	ID:       "heaptrack-enabled",
	Severity: finding.Warning,
	Protects: "A coordinator run under heaptrack in production: every allocation is traced, Milvus runs slower, and the trace grows until the kubelet evicts the pod (a failover).",
	Fix:      "Set the coordinator's heaptrack.enabled: false once the memory problem is understood.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			if !w.Heaptrack.Known || !w.Heaptrack.Value {
				continue
			}
			where := w.Name
			fix := "run " + w.Name + " without heaptrack"
			if w.Block != "" {
				fix = fmt.Sprintf("set %s.heaptrack.enabled: false", w.Block)
			}
			out = append(out, Violation{Subject: w.RoleNames(), At: w.Heaptrack.At,
				Message: fmt.Sprintf("%s runs Milvus under heaptrack, which traces every allocation: %s is slower (an ACTIVE coordinator that stalls past the session TTL fails over) and its trace grows until the kubelet evicts the pod (heaptrack is for debugging a memory problem, not for production)",
					where, w.RoleNames()),
				Fix: fix})
		}
		return out
	},
}
