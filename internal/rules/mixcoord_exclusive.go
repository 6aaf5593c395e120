package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// mixcoordExclusive: mixcoord registers the rootcoord, querycoord and datacoord
// sessions itself. Beside a separate coordinator of the same role, one of them
// crash-loops (active-standby off) or silently becomes the other's standby (on).
var mixcoordExclusive = Rule{
	ID:       "mixcoord-exclusive",
	Severity: finding.Error,
	Protects: "mixCoordinator together with a separate coordinator: both register the same Milvus role in etcd.",
	Fix:      "Enable either mixCoordinator or the three separate coordinators, never both.",
	check: func(in *Input) []finding.Finding {
		if len(in.enabledSeparate()) == len(in.enabled()) {
			return nil // no mixcoord
		}
		var out []finding.Finding
		for _, c := range in.enabledSeparate() {
			enabled := c.path("enabled")
			out = append(out, finding.Finding{
				Path:    in.blame("mixCoordinator.enabled", enabled),
				Related: []string{"mixCoordinator.enabled", enabled},
				Message: fmt.Sprintf("mixCoordinator.enabled and %s are both true: both register the %s role in etcd, so one crash-loops or silently becomes the other's standby",
					enabled, c.Role),
				Fix: fmt.Sprintf("set %s: false (mixcoord runs %s)", enabled, c.Role),
			})
		}
		return out
	},
}
