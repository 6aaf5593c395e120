package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haReplicasNeedStandby: without active-standby every replica writes the same
// exclusive etcd session key; the second retries for about 80 s, then panics
// and crash-loops (milvus issue 28063), after running its init.
var haReplicasNeedStandby = Rule{
	ID:       "ha-replicas-need-standby",
	Severity: finding.Error,
	Protects: "A coordinator with more than one replica and active-standby off: the extra replicas crash-loop fighting over the etcd session key.",
	Fix:      "Turn on active-standby for the coordinator (activeStandby.enabled: true), or run one replica.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			if !replicasAbove(w, 1) {
				continue
			}
			on, at, why := standbyOn(m, w)
			if on {
				continue
			}
			v := Violation{
				Subject: w.RoleNames(),
				Message: fmt.Sprintf("%s runs %d replicas without active-standby (%s): the extra replicas crash-loop fighting over the etcd session key",
					w.Name, w.Replicas.Value, why),
			}
			if w.Declared.Known {
				v.At = m.Blame(w.Declared.At, w.Replicas.At)
				v.Fix = fmt.Sprintf("set %s: true or %s: 1", w.Declared.At.Name(), w.Replicas.At.Name())
			} else {
				v.At = at
				v.Fix = fmt.Sprintf("set %s in the env or config of %s, or %s: 1", offEnv(m, w), w.Name, w.Replicas.At.Path)
			}
			out = append(out, v)
		}
		return out
	},
}

// offEnv names the env settings that turn on active-standby for every role of
// w that runs without it: setting them all resolves the finding.
func offEnv(m *coord.Model, w *coord.Workload) string {
	var set []string
	for _, r := range w.Roles {
		if r.Name == coord.IndexCoord.Name && m.Version.Known && !m.Version.Value.HasIndexCoord() {
			r = coord.DataCoord // from 2.3 datacoord's key decides indexcoord's mode
		}
		env := coord.EnvName(coord.ActiveStandbyKey(r.Section)) + "=true"
		if !w.ActiveStandby(r, m.Version).On && !slices.Contains(set, env) {
			set = append(set, env)
		}
	}
	if len(set) == 0 {
		set = append(set, coord.EnvName(coord.ActiveStandbyKey(w.Roles[0].Section))+"=true")
	}
	return strings.Join(set, " and ")
}
