package manifests

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/rules"
)

// Check checks one manifest stream: the problems of the stream, then the HA
// rules on the coordinators it holds, every finding at its line, sorted.
func Check(name string, data []byte) []finding.Finding {
	objs, total, out := Objects(name, data)
	m := coord.FromObjects(objs)
	switch {
	case total == 0 && len(out) == 0:
		out = append(out, finding.Finding{Rule: RuleEmpty, Severity: finding.Warning, Origin: finding.Origin{File: name},
			Message: "the stream holds no object (it is empty or only comments): nothing was checked",
			Fix:     "pass the objects: kubectl get deploy,sts,cm,pdb -o yaml, or the output of helm template"})
	case len(m.Workloads) == 0:
		out = append(out, finding.Finding{Rule: RuleNoCoords, Severity: finding.Warning, Origin: finding.Origin{File: name},
			Message: fmt.Sprintf("no Deployment or StatefulSet among the %d objects read runs a Milvus coordinator (milvus run rootcoord, querycoord, datacoord, mixture or mixcoord): no HA rule applied", total),
			Fix:     "include the coordinators' Deployments or StatefulSets and the ConfigMaps they mount"})
	}
	for _, f := range rules.Run(m) {
		// The objects are what gets applied: no Helm to be stricter than.
		f.Stricter = false
		out = append(out, f)
	}
	for i := range out {
		out[i].Cause = causeOf(out[i])
		if out[i].Origin.File == "" {
			out[i].Origin.File = name // a finding about the whole stream
		}
	}
	finding.Sort(out)
	return dedupe(out)
}

// causeOf keeps a rule's cause, and gives each stream problem its own.
func causeOf(f finding.Finding) string {
	if f.Cause != "" {
		return f.Cause
	}
	return fmt.Sprintf("%s/%s", f.Rule, f.Origin)
}

// dedupe drops a finding that repeats the one before it word for word (two
// workloads' rules pointing at one shared ConfigMap key say it once).
func dedupe(fs []finding.Finding) []finding.Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && f == fs[i-1] {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Catalog describes every rule the manifests check reports, for the report
// formats: the stream's, then the HA rules.
func Catalog() []check.RuleInfo {
	var out []check.RuleInfo
	for _, r := range Rules() {
		out = append(out, check.RuleInfo{ID: r.ID, Stage: "manifests", Severity: r.Severity, Protects: r.Protects, Fix: r.Fix, HelmRefuses: check.HelmNever})
	}
	for _, r := range rules.All() {
		out = append(out, check.RuleInfo{ID: r.ID, Stage: "rules", Severity: r.Severity, Protects: r.Protects, Fix: r.Fix, HelmRefuses: check.HelmNever})
	}
	return out
}
