package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// coordinatorsIncomplete: a Milvus cluster needs all three coordinator roles;
// without mixcoord, each separate one must run. Helm renders a partial set; the
// cluster then hangs waiting for the missing role.
var coordinatorsIncomplete = Rule{
	ID:          "coordinators-incomplete",
	Severity:    finding.Error,
	Protects:    "A cluster missing rootcoord, querycoord or datacoord: Milvus waits for the missing role and never serves.",
	Fix:         "Enable mixCoordinator, or all of rootCoordinator, queryCoordinator and dataCoordinator.",
	HelmAccepts: true,
	check: func(in *Input) []finding.Finding {
		enabled := in.enabled()
		for _, c := range enabled {
			if !c.Separate {
				return nil
			}
		}
		if len(enabled) == 0 {
			return []finding.Finding{{
				Path:    "mixCoordinator.enabled",
				Message: "no coordinator is enabled: the chart would deploy nothing and Milvus cannot start without coordinators",
				Fix:     "set mixCoordinator.enabled: true, or enable rootCoordinator, queryCoordinator and dataCoordinator",
			}}
		}
		var out []finding.Finding
		for _, c := range in.coordinators() {
			if !c.Separate || c.Enabled {
				continue
			}
			var running []string
			for _, e := range enabled {
				running = append(running, e.Role)
			}
			out = append(out, finding.Finding{
				Path: c.path("enabled"),
				Message: fmt.Sprintf("%s is false and mixCoordinator is off: the cluster gets %s but no %s, and Milvus waits for it forever",
					c.path("enabled"), strings.Join(running, " and "), c.Role),
				Fix: fmt.Sprintf("set %s: true, or run all three roles in mixCoordinator", c.path("enabled")),
			})
		}
		return out
	},
}
