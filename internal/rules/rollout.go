package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haRolloutStrategy: with active-standby a rollout must start the new pod (a
// standby) before it stops an old one, so the handover is immediate. Recreate,
// or a rolling update that may stop a pod first (maxUnavailable above zero
// after rounding) or start none first (maxSurge zero after rounding), turns
// every upgrade into an outage of the coordinator.
var haRolloutStrategy = Rule{
	ID:       "ha-rollout-strategy",
	Severity: finding.Warning,
	Protects: "An active-standby coordinator whose rollout stops pods before their replacement is up: every upgrade becomes an outage.",
	Fix:      "Roll with maxUnavailable 0 and maxSurge at least 1 (the chart's default: remove the strategy override).",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			on, _, _ := standbyOn(m, w)
			if !on || !w.Strategy.Known || !w.Replicas.Known || w.Replicas.Value < 1 {
				continue
			}
			s := w.Strategy.Value
			if s.Controller == coord.KindStatefulSet {
				if v, ok := statefulSetRollout(w, s); ok {
					out = append(out, v)
				}
				continue
			}
			surge, unavailable := s.Resolved(w.Replicas.Value)
			var at coord.Source
			var why string
			switch {
			case s.Type == "Recreate":
				at, why = s.TypeAt, "Recreate stops every replica before starting new ones"
			case surge == 0:
				at, why = s.MaxSurgeAt, fmt.Sprintf("maxSurge %s starts no replacement before a replica stops", intOrString(s.MaxSurge, "25%"))
			case unavailable > 0:
				at, why = s.MaxUnavailableAt, fmt.Sprintf("maxUnavailable %s stops %d of %d replicas before their replacements run", intOrString(s.MaxUnavailable, "25%"), unavailable, w.Replicas.Value)
			default:
				continue
			}
			v := Violation{Subject: w.RoleNames(), At: at,
				Message: fmt.Sprintf("%s has active-standby on but %s: each upgrade may stop the ACTIVE coordinator with no standby ready to take over", w.Name, why),
				Fix:     fmt.Sprintf("roll %s with maxUnavailable: 0 and maxSurge: 1", w.Name)}
			switch {
			case w.Block == "":
			case at.Object == "" && strings.HasSuffix(at.Path, ".activeStandby.enabled"):
				// The producer renders Recreate because of this flag (the
				// upstream chart: a block's own flag, not the effective mode).
				v.Fix = fmt.Sprintf("set %s: true (without it the chart renders Recreate, whatever %s.strategy says)", at.Path, w.Block)
			case w.Declared.Known:
				// A producer that derives the rollout from the declared mode
				// (this chart): its own strategy is the safe one.
				v.Fix = fmt.Sprintf("remove %s.strategy (the chart rolls with maxSurge 1, maxUnavailable 0)", w.Block)
			default:
				// A producer that copies the strategy as written (the
				// upstream chart), where what is unset is Kubernetes' 25%.
				v.Fix = fmt.Sprintf("set %s.strategy to {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}", w.Block)
			}
			out = append(out, v)
		}
		return out
	},
}

// nonHARollingUpdate: without active-standby two pods of a coordinator must
// never run at once (the second crash-loops on the session key), and a
// rolling update starts the new pod before the old one has gone.
var nonHARollingUpdate = Rule{
	ID:       "non-ha-rolling-update",
	Severity: finding.Error,
	Protects: "A rolling update of a coordinator without active-standby: every rollout overlaps two non-HA pods and the new one crash-loops.",
	Fix:      "Roll it with Recreate (the chart's default without active-standby), or turn on active-standby.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			on, _, why := standbyOn(m, w)
			if on || !w.Strategy.Known {
				continue
			}
			s := w.Strategy.Value
			if s.Controller == coord.KindStatefulSet {
				continue // it stops a pod before starting its replacement: never two of one ordinal
			}
			at := s.TypeAt
			switch {
			case s.Type != "Recreate":
			case s.HasRollingUpdate:
				at = s.RollingUpdateAt
			default:
				continue
			}
			v := Violation{Subject: w.RoleNames(), At: at,
				Message: fmt.Sprintf("%s asks for a rolling update but %s runs without active-standby (%s): a rollout would run two non-HA pods at once and the new one crash-loops on the session key",
					at.Name(), w.Name, why),
				Fix: fmt.Sprintf("set spec.strategy of %s to type: Recreate with no rollingUpdate", w.Name)}
			switch {
			case w.Block != "" && w.Declared.Known:
				v.Fix = fmt.Sprintf("remove %s.strategy (the chart uses Recreate) or set %s.activeStandby.enabled: true", w.Block, w.Block)
			case w.Block != "":
				// A producer that copies the strategy as written (the upstream chart).
				v.Fix = fmt.Sprintf("set %s.strategy to {type: Recreate}, or turn active-standby on for %s", w.Block, w.Name)
			}
			out = append(out, v)
		}
		return out
	},
}

// statefulSetRollout: a StatefulSet has no surge. Its rolling update stops a
// pod, then starts the replacement, so with active-standby each upgrade stops
// coordinators before a new standby is ready, and stops the ACTIVE with none
// left at all when maxUnavailable covers every replica (or there is one).
// OnDelete replaces only the pods someone deletes: no finding.
func statefulSetRollout(w *coord.Workload, s coord.Strategy) (Violation, bool) {
	if s.Type == "OnDelete" {
		return Violation{}, false
	}
	_, unavailable := s.Resolved(w.Replicas.Value)
	why := "a StatefulSet's rolling update stops each pod before its replacement starts (it cannot surge)"
	at := s.TypeAt
	if s.MaxUnavailable != nil && w.Replicas.Value > 1 && unavailable >= w.Replicas.Value {
		why += fmt.Sprintf(", and maxUnavailable %s stops all %d replicas at once", intOrString(s.MaxUnavailable, "1"), w.Replicas.Value)
		at = s.MaxUnavailableAt
	}
	return Violation{Subject: w.RoleNames(), At: at,
		Message: fmt.Sprintf("%s has active-standby on but %s: each upgrade may stop the ACTIVE coordinator with no new standby ready to take over", w.Name, why),
		Fix: fmt.Sprintf("run %s as a Deployment rolling with maxUnavailable: 0 and maxSurge: 1, or set spec.updateStrategy.type: OnDelete and delete its pods one at a time, standbys first",
			w.Name)}, true
}
