package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haSpread: two HA replicas on one node are not HA: the node's loss takes both.
var haSpread = Rule{
	ID:       "ha-spread",
	Severity: finding.Warning,
	Protects: "Replicas of an HA coordinator that may all land on one node (spread turned off) or must (pinned to one node): the node's loss takes every replica.",
	Fix:      "Keep podAntiAffinity.mode soft or hard (or add topologySpreadConstraints), and do not pin replicas to one hostname.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			if on, _, _ := standbyOn(m, w); !on || !replicasAbove(w, 1) || !w.Spread.Known {
				continue
			}
			s := w.Spread.Value
			if s.PinnedTo != "" {
				fix := "remove " + s.PinnedAt.Name()
				if strings.Contains(s.PinnedAt.Path, "nodeAffinity") {
					fix = "allow more than one node in " + s.PinnedAt.Name()
				}
				out = append(out, Violation{Subject: w.RoleNames() + "/pinned", At: s.PinnedAt,
					Message: fmt.Sprintf("%s pins all %d replicas of %s to node %s: losing that node loses every replica", s.PinnedAt.Name(), w.Replicas.Value, w.Name, s.PinnedTo),
					Fix:     fix})
			}
			if !s.Apart {
				out = append(out, Violation{Subject: w.RoleNames() + "/apart", At: m.Blame(w.Spread.At, w.Replicas.At),
					Message: fmt.Sprintf("%s: %s, so its %d replicas may all run on one node, and its loss takes every replica", w.Name, s.Why, w.Replicas.Value),
					Fix:     s.Remedy})
			}
		}
		return out
	},
}

// haDisruptionBudget: without a budget a node drain may evict every replica
// at once; a budget over one replica blocks drains and protects nothing; one
// budget over two coordinators lets a drain take the last replica of one.
var haDisruptionBudget = Rule{
	ID:       "ha-disruption-budget",
	Severity: finding.Warning,
	Protects: "HA coordinators without their own PodDisruptionBudget: a node drain or cluster upgrade may evict every replica at once.",
	Fix:      "Set podDisruptionBudget.enabled: true.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			if !w.Budget.Known || !w.Replicas.Known {
				continue
			}
			b := w.Budget.Value
			on, _, _ := standbyOn(m, w)
			switch {
			case w.Replicas.Value <= 1 && b.Covered:
				out = append(out, Violation{Subject: w.RoleNames(), At: w.Budget.At,
					Message: fmt.Sprintf("PodDisruptionBudget %s covers the single replica of %s: it blocks node drains and protects nothing", b.Name, w.Name),
					Fix:     fmt.Sprintf("give %s more than one replica, or no budget", w.Name)})
			case w.Replicas.Value <= 1 || !on:
			case !b.Covered:
				out = append(out, Violation{Subject: w.RoleNames(), At: w.Budget.At,
					Message: fmt.Sprintf("no PodDisruptionBudget covers the %d replicas of %s: a node drain may evict them all at once", w.Replicas.Value, w.Name),
					Fix:     b.Remedy})
			case b.SharedWith != "":
				out = append(out, Violation{Subject: w.RoleNames(), At: w.Budget.At,
					Message: fmt.Sprintf("PodDisruptionBudget %s selects the pods of %s and of %s: one disruption allowed across both lets a drain take the last ready replica of one", b.Name, w.Name, b.SharedWith),
					Fix:     fmt.Sprintf("give %s its own budget selecting only its pods", w.Name)})
			}
		}
		return out
	},
}
