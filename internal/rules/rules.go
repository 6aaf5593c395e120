// Package rules holds the Milvus HA rules: each a function of the coordinator
// model (internal/coord), written once, with one ID, one severity, what it
// protects and its fix. The same rules judge this chart's values, the objects
// it renders, and (through the same model) any manifests.
package rules

import (
	"cmp"
	"slices"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// Rule is one check.
type Rule struct {
	ID       string           // stable; shown in brackets after every finding
	Severity finding.Severity // of every finding it reports
	Protects string           // what goes wrong in Milvus without it
	Fix      string           // how to resolve its findings, in general
	check    func(*coord.Model) []Violation
}

// Violation is one problem a rule found.
type Violation struct {
	// Subject is what the problem is about, in the same words whatever built
	// the model (a Milvus role, a config key): the violation's cause is its
	// rule and subject, so the values and the objects rendered from them
	// report one problem once.
	Subject string
	At      coord.Source // the value to change
	Message string       // what is wrong and why it matters for Milvus
	Fix     string       // the exact change that resolves it
}

// All returns every rule, sorted by ID.
func All() []Rule {
	all := []Rule{
		clusterSettingsDiffer,
		coordinatorsIncomplete,
		etcdAuthIncomplete,
		extraConfigCredentials,
		extraConfigContradicts,
		extraConfigIgnored,
		extraEnvOverrides,
		gracefulStopTimeout,
		haDisruptionBudget,
		haLivenessKillsStandby,
		haReplicasNeedStandby,
		haRolloutStrategy,
		haStandbyUnverifiable,
		haSpread,
		heaptrackEnabled,
		indexCoordinatorRemoved,
		kafkaSASLIncomplete,
		messageQueue,
		milvusConfigDuplicateKey,
		milvusVersionCoordinators,
		milvusVersionUnknown,
		mixcoordAlwaysStandby,
		mixcoordExclusive,
		networkPolicyOpen,
		nonHARollingUpdate,
		pulsarAuthParamsForm,
		sessionTTLRange,
		streamingServiceEnv,
	}
	slices.SortFunc(all, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) })
	return all
}

// Lookup returns the rule with the ID.
func Lookup(id string) (Rule, bool) {
	for _, r := range All() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Run applies every rule to the model. Each finding carries its rule,
// severity and cause; its Path is the values path of the source (or, for an
// object's field, the values block that made the object when known), and its
// Origin the source's position when the model knows it.
func Run(m *coord.Model) []finding.Finding {
	var out []finding.Finding
	for _, r := range All() {
		for _, v := range r.check(m) {
			f := finding.Finding{
				Rule: r.ID, Severity: r.Severity, Cause: r.ID + "/" + v.Subject,
				Message: v.Message, Fix: v.Fix, Origin: v.At.Origin, Stricter: true,
			}
			switch {
			case v.At.Object == "":
				f.Path = v.At.Path
			case v.At.Block != "":
				f.Path = v.At.Block
			}
			out = append(out, f)
		}
	}
	return out
}

// standbyOn is whether w runs active-standby for every role, the source to
// point at and why, in words. It is judged on the mode the producer deployed
// w for when known (this chart's activeStandby.enabled: an extra setting that
// contradicts it is another rule's finding), else on what Milvus reads.
func standbyOn(m *coord.Model, w *coord.Workload) (bool, coord.Source, string) {
	if len(w.Roles) > 0 && w.ActiveStandby(w.Roles[0], m.Version).Always {
		return true, coord.Source{}, "" // the version runs it active-standby whatever the config says
	}
	if w.Declared.Known {
		return w.Declared.Value, w.Declared.At, w.Declared.At.Name() + " is " + boolWord(w.Declared.Value)
	}
	on, role, s := w.AllStandby(m.Version)
	key := coord.ActiveStandbyKey(role.Section)
	switch {
	case on:
		return true, coord.Source{}, ""
	case !s.Set:
		return false, w.Self(), "no config file or env var sets " + key + " (Milvus' default is false)"
	case s.Invalid:
		return false, s.Setting.At, s.Setting.Where + " is " + quote(s.Setting.Value) + ", which Milvus parses as false"
	}
	return false, s.Setting.At, s.Setting.Where + " is " + quote(s.Setting.Value)
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func quote(s string) string { return `"` + s + `"` }

// replicasAbove reports whether w is known to run more than n replicas.
func replicasAbove(w *coord.Workload, n int) bool { return w.Replicas.Known && w.Replicas.Value > n }

// intOrString prints a maxSurge or maxUnavailable as written, or the default.
func intOrString(v *intstr.IntOrString, unset string) string {
	if v == nil {
		return unset + " (unset)"
	}
	return v.String()
}
