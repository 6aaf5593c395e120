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
			} else if _, _, s := w.AllStandby(m.Version); w.Block != "" && s.Set && s.Setting.Derived && at.Object == "" {
				// A producer that writes the key from a values key (the
				// upstream chart's default.yaml): that key is the one to set.
				v.At = m.Blame(at, w.Replicas.At)
				v.Fix = fmt.Sprintf("set %s: true or %s: 1", at.Path, w.Replicas.At.Name())
			} else if w.Block != "" && s.Set && at.Object == "" && !w.Config.InEnv(s.Setting) {
				// The user's own config file in the values wins over what the
				// producer writes (the upstream chart's user.yaml).
				v.At = at
				v.Fix = fmt.Sprintf("set %s: true in %s, or %s: 1", coord.ActiveStandbyKey(role(w, s).Section), at.Path, w.Replicas.At.Name())
			} else {
				v.At = at
				v.Fix = fmt.Sprintf("set %s in the env or config of %s, or %s: 1", offEnv(m, w), w.Name, w.Replicas.At.Path)
			}
			out = append(out, v)
		}
		return out
	},
}

// role is the role of w whose setting s is.
func role(w *coord.Workload, s coord.Standby) coord.Role {
	for _, r := range w.Roles {
		if coord.NormalizeKey(coord.ActiveStandbyKey(r.Section)) == s.Setting.Norm {
			return r
		}
	}
	return w.Roles[0]
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
