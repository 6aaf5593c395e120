package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// nonHARollingUpdate: a RollingUpdate starts the new pod before the old one
// stops. Without active-standby the two fight over the session key and the new
// one crash-loops (after running its init), so a non-HA coordinator must be
// replaced with Recreate.
var nonHARollingUpdate = Rule{
	ID:       "non-ha-rolling-update",
	Severity: finding.Error,
	Protects: "A RollingUpdate strategy on a coordinator without active-standby: every rollout overlaps two non-HA pods and the new one crash-loops.",
	Fix:      "Remove the coordinator's strategy (the chart uses Recreate), or turn on activeStandby.enabled.",
	check: func(in *Input) []finding.Finding {
		var out []finding.Finding
		for _, c := range in.enabled() {
			if c.HA {
				continue
			}
			strategy := mapAt(c.Block, "strategy")
			path := ""
			switch {
			case stringAt(strategy, "type") == "RollingUpdate":
				path = c.path("strategy.type")
			case mapAt(strategy, "rollingUpdate") != nil:
				path = c.path("strategy.rollingUpdate")
			default:
				continue
			}
			out = append(out, finding.Finding{
				Path:    path,
				Related: []string{c.path("strategy"), c.path("strategy.type"), c.path("strategy.rollingUpdate")},
				Message: fmt.Sprintf("%s asks for a rolling update but %s is false: a rollout would run two non-HA %s pods at once and the new one crash-loops on the session key",
					path, c.path("activeStandby.enabled"), c.Role),
				Fix: fmt.Sprintf("remove %s (the chart uses Recreate) or set %s: true", c.path("strategy"), c.path("activeStandby.enabled")),
			})
		}
		return out
	},
}
