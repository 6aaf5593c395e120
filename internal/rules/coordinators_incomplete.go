package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// coordinatorsIncomplete: Milvus components wait for every coordinator role's
// session; a role nobody serves keeps the cluster from ever serving.
var coordinatorsIncomplete = Rule{
	ID:       "coordinators-incomplete",
	Severity: finding.Error,
	Protects: "A cluster missing rootcoord, querycoord or datacoord (or indexcoord on Milvus 2.2): Milvus waits for the missing role and never serves.",
	Fix:      "Enable mixCoordinator, or all of rootCoordinator, queryCoordinator and dataCoordinator.",
	check: func(m *coord.Model) []Violation {
		if m.Unreadable {
			return nil // a block of the wrong type: the schema's finding, the roles unknown
		}
		if len(m.Workloads) == 0 {
			if len(m.Absent) == 0 {
				return nil // manifests without coordinators: not a Milvus installation
			}
			return []Violation{{Subject: "all", At: coord.Source{Path: coord.MixcoordValuesKey + ".enabled"},
				Message: "no coordinator is enabled: the chart would deploy nothing and Milvus cannot start without coordinators",
				Fix:     "set mixCoordinator.enabled: true, or enable rootCoordinator, queryCoordinator and dataCoordinator"}}
		}
		var running []string
		for _, w := range m.Workloads {
			running = append(running, w.RoleNames())
		}
		var out []Violation
		for _, role := range coord.Required {
			served := false
			for _, w := range m.Workloads {
				served = served || w.Runs(role)
			}
			if served {
				continue
			}
			v := Violation{Subject: role.Name,
				Message: fmt.Sprintf("no workload runs %s (the cluster gets %s): Milvus waits for it forever", role.Name, strings.Join(running, ", ")),
				Fix:     "add a Deployment that runs `milvus run " + role.Name + "`, or run every role in mixcoord"}
			for _, a := range m.Absent {
				if a.Key == role.ValuesKey {
					v.At = a.Enabled
					v.Message = fmt.Sprintf("%s is false and mixCoordinator is off: the cluster gets %s but no %s, and Milvus waits for it forever",
						a.Enabled.Path, strings.Join(running, " and "), role.Name)
					v.Fix = fmt.Sprintf("set %s: true, or run all three roles in mixCoordinator", a.Enabled.Path)
				}
			}
			out = append(out, v)
		}
		if m.Version.Known && m.Version.Value.HasIndexCoord() {
			served := false
			for _, w := range m.Workloads {
				served = served || w.Runs(coord.IndexCoord)
			}
			if !served {
				v := Violation{Subject: coord.IndexCoord.Name, At: m.Version.At,
					Message: fmt.Sprintf("%s is Milvus %s, where indexcoord is a coordinator of its own (datacoord takes it over from 2.3), and nothing here runs it: index building waits for it forever",
						m.Version.At.Name(), m.Version.Value),
					Fix: "use Milvus 2.3 or later, or run indexcoord beside these coordinators (the upstream milvus chart's indexCoordinator)"}
				out = append(out, v)
			}
		}
		return out
	},
}
