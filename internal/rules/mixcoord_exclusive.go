package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// mixcoordExclusive: mixcoord registers the same session roles as the
// separate coordinators, so two workloads serving one role fight over its key.
var mixcoordExclusive = Rule{
	ID:       "mixcoord-exclusive",
	Severity: finding.Error,
	Protects: "Two workloads serving one coordinator role (mixCoordinator together with a separate coordinator): both register the same Milvus role in etcd.",
	Fix:      "Run each role in one workload: mixCoordinator, or the separate coordinators, never both.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, role := range append(coord.Required, coord.IndexCoord) {
			var serving []*coord.Workload
			for _, w := range m.Workloads {
				if w.Runs(role) {
					serving = append(serving, w)
				}
			}
			if len(serving) < 2 {
				continue
			}
			names := make([]string, len(serving))
			for i, w := range serving {
				names[i] = w.Name
			}
			mix, single := serving[0], serving[len(serving)-1]
			for _, w := range serving {
				if w.Process == coord.Single {
					single = w
				} else {
					mix = w
				}
			}
			v := Violation{Subject: role.Name,
				Message: fmt.Sprintf("%s all run the Milvus %s role: they register the same etcd session, so one crash-loops or silently becomes the other's standby",
					strings.Join(names, " and "), role.Name)}
			if mix.Block != "" && single.Block != "" {
				mixAt, singleAt := coord.Source{Path: mix.Block + ".enabled"}, coord.Source{Path: single.Block + ".enabled"}
				v.At = m.Blame(mixAt, singleAt)
				v.Message = fmt.Sprintf("%s and %s are both true: both register the %s role in etcd, so one crash-loops or silently becomes the other's standby",
					mixAt.Path, singleAt.Path, role.Name)
				v.Fix = fmt.Sprintf("set %s: false (%s runs %s)", singleAt.Path, mix.Block, role.Name)
			} else {
				v.At = single.Self()
				v.Fix = fmt.Sprintf("delete %s or stop %s from running %s", single.Name, mix.Name, role.Name)
			}
			out = append(out, v)
		}
		return out
	},
}
