package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haDisruptionBudget: without a PodDisruptionBudget a node drain may evict
// every replica of a coordinator at once, active and standby alike.
var haDisruptionBudget = Rule{
	ID:          "ha-disruption-budget",
	Severity:    finding.Warning,
	Protects:    "HA coordinators without a PodDisruptionBudget: a node drain or cluster upgrade may evict every replica at once.",
	Fix:         "Set podDisruptionBudget.enabled: true.",
	HelmAccepts: true,
	check: func(in *Input) []finding.Finding {
		budget, ok := optionalMap(in.Values, "podDisruptionBudget")
		if !ok {
			return nil
		}
		if enabled, ok := optionalBool(budget, "enabled"); enabled || !ok {
			return nil
		}
		var out []finding.Finding
		for _, c := range in.enabled() {
			if c.Replicas > 1 {
				out = append(out, finding.Finding{
					Path:    "podDisruptionBudget.enabled",
					Message: fmt.Sprintf("podDisruptionBudget.enabled is false and %s has %d replicas: a node drain may evict them all at once", c.Key, c.Replicas),
					Fix:     "set podDisruptionBudget.enabled: true",
				})
			}
		}
		return out
	},
}
