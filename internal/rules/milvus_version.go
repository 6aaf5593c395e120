package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// milvusVersionCoordinators: the coordinator commands and active-standby
// depend on the release: 2.6 has only mixcoord, active-standby exists from 2.2.
var milvusVersionCoordinators = Rule{
	ID:       "milvus-version-coordinators",
	Severity: finding.Error,
	Protects: "Coordinators the Milvus version cannot run: separate coordinators on 2.6 or later (only mixcoord exists; the pods exit with \"Unknown server type\"), or active-standby before 2.2.",
	Fix:      "On 2.6 or later enable mixCoordinator and disable rootCoordinator, queryCoordinator and dataCoordinator; use 2.2 or later for active-standby.",
	check: func(m *coord.Model) []Violation {
		if !m.Version.Known {
			return nil
		}
		v := m.Version.Value
		var out []Violation
		for _, w := range m.Workloads {
			switch {
			case v.MixcoordOnly() && w.Process == coord.Single:
				x := Violation{Subject: w.RoleNames(),
					Message: fmt.Sprintf("%s is %s (Milvus %d.%d) and %s runs `milvus run %s`: Milvus 2.6 has no separate %s, the pod exits with \"Unknown server type\"",
						m.Version.At.Name(), m.Tag.Value, v.Major, v.Minor, w.Name, w.Roles[0].Name, w.Roles[0].Name)}
				if w.Block != "" {
					enabled := coord.Source{Path: w.Block + ".enabled"}
					x.At = m.Blame(m.Version.At, enabled)
					x.Message = fmt.Sprintf("%s is %s (Milvus %d.%d) and %s is true: Milvus 2.6 has no separate %s, the pod exits with \"Unknown server type\"",
						m.Version.At.Name(), m.Tag.Value, v.Major, v.Minor, enabled.Path, w.Roles[0].Name)
					x.Fix = fmt.Sprintf("set %s: false and mixCoordinator.enabled: true", enabled.Path)
				} else {
					x.At = w.Self()
					x.Fix = fmt.Sprintf("replace %s with one Deployment that runs `milvus run mixcoord`", w.Name)
				}
				out = append(out, x)
			case !v.HasActiveStandby() && replicasAbove(w, 1):
				out = append(out, Violation{Subject: w.RoleNames(), At: m.Version.At,
					Message: fmt.Sprintf("%s is Milvus %s, which has no active-standby (it arrived in 2.2.0), and %s runs %d replicas: the extra replicas crash-loop on the session key",
						m.Version.At.Name(), v, w.Name, w.Replicas.Value),
					Fix: fmt.Sprintf("use Milvus 2.2 or later, or set %s: 1", w.Replicas.At.Name())})
			}
		}
		return out
	},
}

// milvusVersionUnknown: a tag that names no release hides the version from
// every version rule (and from the people reading the manifests).
var milvusVersionUnknown = Rule{
	ID:       "milvus-version-unknown",
	Severity: finding.Warning,
	Protects: "An image tag that names no Milvus release (latest, a branch, a digest): which coordinators and which active-standby rules apply cannot be checked.",
	Fix:      "Tag the image with its release (v2.4.17); pin it by digest with image.all.digest.",
	check: func(m *coord.Model) []Violation {
		if !m.Tag.Known || m.Version.Known || len(m.Workloads) == 0 {
			return nil
		}
		v := Violation{Subject: "version", At: m.Tag.At,
			Message: fmt.Sprintf("%s is %q, which names no Milvus release: whether the coordinators, active-standby and session TTL fit the version cannot be checked",
				m.Tag.At.Name(), m.Tag.Value),
			Fix: fmt.Sprintf("set %s to the Milvus release the image is (for example v2.4.17)", m.Tag.At.Name())}
		if m.Tag.At.Object == "" {
			v.Fix += " and pin the image with image.all.digest"
		}
		return []Violation{v}
	},
}

// indexCoordinatorRemoved: from Milvus 2.3 datacoord coordinates indexes and
// registers the indexcoord session itself; a separate indexcoord fights it.
var indexCoordinatorRemoved = Rule{
	ID:       "indexcoord-removed",
	Severity: finding.Error,
	Protects: "An index coordinator on Milvus 2.3 or later, where datacoord does index coordination and registers the indexcoord session itself.",
	Fix:      "Remove the index coordinator; dataCoordinator (or mixCoordinator) runs index coordination.",
	check: func(m *coord.Model) []Violation {
		if !m.Version.Known || m.Version.Value.HasIndexCoord() {
			return nil
		}
		var out []Violation
		for _, w := range m.Workloads {
			if w.Process == coord.Single && w.Runs(coord.IndexCoord) {
				v := Violation{Subject: coord.IndexCoord.Name, At: w.Self(),
					Message: fmt.Sprintf("%s runs indexcoord on Milvus %s: since 2.3 datacoord coordinates indexes and registers the indexcoord session itself, so the two fight over it",
						w.Name, m.Version.Value),
					Fix: fmt.Sprintf("remove %s; datacoord runs index coordination", w.Name)}
				if w.Block != "" {
					v.At = m.Blame(coord.Source{Path: w.Block + ".enabled"}, w.Self())
					v.Fix = fmt.Sprintf("set %s.enabled: false; datacoord runs index coordination", w.Block)
				}
				out = append(out, v)
			}
		}
		return out
	},
}
