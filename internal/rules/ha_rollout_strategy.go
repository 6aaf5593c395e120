package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haRolloutStrategy: with active-standby the chart rolls with maxSurge 1 and
// maxUnavailable 0: the new pod joins as a standby before an old one stops, and
// the handover is immediate. A strategy override that stops pods first
// (Recreate, maxUnavailable > 0) or starts none first (maxSurge 0) turns every
// upgrade into an outage of the coordinator.
var haRolloutStrategy = Rule{
	ID:          "ha-rollout-strategy",
	Severity:    finding.Warning,
	Protects:    "An active-standby coordinator whose strategy override stops pods before their replacement is up: every upgrade becomes an outage.",
	Fix:         "Remove the coordinator's strategy override (RollingUpdate, maxSurge 1, maxUnavailable 0).",
	HelmAccepts: true,
	check: func(in *Input) []finding.Finding {
		var out []finding.Finding
		for _, c := range in.enabled() {
			if !c.HA {
				continue
			}
			strategy := mapAt(c.Block, "strategy")
			rolling := mapAt(strategy, "rollingUpdate")
			var path, why string
			switch {
			case stringAt(strategy, "type") == "Recreate":
				path, why = c.path("strategy.type"), "Recreate stops every replica before starting new ones"
			case isPositive(rolling["maxUnavailable"]):
				path, why = c.path("strategy.rollingUpdate.maxUnavailable"), fmt.Sprintf("maxUnavailable %v stops replicas before their replacements run", rolling["maxUnavailable"])
			case isZero(rolling["maxSurge"]):
				path, why = c.path("strategy.rollingUpdate.maxSurge"), "maxSurge 0 stops a replica before its replacement runs"
			default:
				continue
			}
			out = append(out, finding.Finding{
				Path: path,
				Message: fmt.Sprintf("%s has active-standby on but %s: each upgrade may stop the ACTIVE %s with no standby ready to take over",
					c.Key, why, c.Role),
				Fix: fmt.Sprintf("remove %s (the chart rolls with maxSurge 1, maxUnavailable 0)", c.path("strategy")),
			})
		}
		return out
	},
}

// isPositive reports whether an int-or-percent value is above zero.
func isPositive(v any) bool {
	switch n := v.(type) {
	case float64:
		return n > 0
	case int64:
		return n > 0
	case string:
		return n != "" && n != "0%" && n != "0"
	}
	return false
}

// isZero reports whether an int-or-percent value is set and zero.
func isZero(v any) bool {
	switch n := v.(type) {
	case float64:
		return n == 0
	case int64:
		return n == 0
	case string:
		return n == "0%" || n == "0"
	}
	return false
}
