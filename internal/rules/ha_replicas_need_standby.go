package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haReplicasNeedStandby: without active-standby every replica writes the same
// exclusive etcd session key; the second retries for about 80 s, then panics
// and crash-loops (milvus issue 28063), after running its init.
var haReplicasNeedStandby = Rule{
	ID:       "ha-replicas-need-standby",
	Severity: finding.Error,
	Protects: "A coordinator with more than one replica and active-standby off: the extra replicas crash-loop fighting over the etcd session key.",
	Fix:      "Set <coordinator>.activeStandby.enabled: true, or replicas: 1.",
	check: func(in *Input) []finding.Finding {
		var out []finding.Finding
		for _, c := range in.enabled() {
			if c.Replicas <= 1 || c.HA {
				continue
			}
			standby, replicas := c.path("activeStandby.enabled"), c.path("replicas")
			out = append(out, finding.Finding{
				Path:    in.blame(standby, replicas),
				Related: []string{standby, replicas},
				Message: fmt.Sprintf("%s is %d but activeStandby.enabled is false: the extra replicas will crash-loop fighting over the etcd session key",
					replicas, c.Replicas),
				Fix: fmt.Sprintf("set %s: true or replicas: 1", standby),
			})
		}
		return out
	},
}
