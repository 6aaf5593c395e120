package check

import (
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/schema"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// RuleInfo describes one rule ID valuescheck reports.
type RuleInfo struct {
	ID          string           `json:"id"`
	Stage       string           `json:"stage"` // parse, schema, rules or render
	Severity    finding.Severity `json:"-"`
	Protects    string           `json:"protects"`
	Fix         string           `json:"fix"`
	HelmAccepts bool             `json:"helmAccepts"` // valuescheck is stricter than Helm here
}

// Catalog lists every rule ID in the order of the pipeline's stages, then by ID.
func Catalog() []RuleInfo {
	stage := func(name string, sev finding.Severity, helmAccepts bool, entries ...[3]string) []RuleInfo {
		out := make([]RuleInfo, len(entries))
		for i, e := range entries {
			out[i] = RuleInfo{ID: e[0], Stage: name, Severity: sev, Protects: e[1], Fix: e[2], HelmAccepts: helmAccepts}
		}
		return out
	}
	out := stage("parse", finding.Error, false,
		[3]string{values.RuleAliasBomb, "A YAML alias bomb: aliases that expand a small file into millions of values.", "Write the values out instead of nesting aliases."},
		[3]string{values.RuleNotMapping, "A file whose top level is a list or a scalar: Helm refuses it.", "Write `key: value` lines at the top level."},
		[3]string{values.RuleNotText, "Binary or non-UTF-8 input.", "Pass a YAML text file."},
		[3]string{values.RuleSyntax, "Invalid YAML.", "Correct the syntax at the line shown."},
	)
	out = append(out, stage("parse", finding.Error, true,
		[3]string{values.RuleDuplicateKey, "A key set twice in one mapping: Helm keeps the last one and silently drops the first.", "Remove or merge one of them."},
		[3]string{values.RuleMultipleDocs, "Several YAML documents in one file: Helm reads the first and silently drops the rest.", "Merge the documents, or pass them as separate files."},
		[3]string{values.RuleTooLarge, "A file over 4 MiB: a mistake, or an attack on the checker.", "Check that this is the values file you meant."},
	)...)
	out = append(out, stage("parse", finding.Warning, true,
		[3]string{values.RuleEmpty, "An empty values file: it changes nothing, which is rarely what was meant.", "Add the values, or stop passing the file."})...)
	out = append(out, stage("schema", finding.Error, false,
		[3]string{schema.RuleType, "A value of the wrong type (a quoted number, a string for a boolean): Helm refuses it.", "Write the value with the type the schema names."},
		[3]string{schema.RuleUnknownKey, "A key the chart does not know, usually a typo that would otherwise be ignored.", "Rename it to the key suggested, or remove it."},
		[3]string{schema.RuleValue, "A value out of range, outside its allowed set, or not allowed with other values.", "Set an allowed value."},
	)...)
	for _, r := range rules.All() {
		out = append(out, RuleInfo{ID: r.ID, Stage: "rules", Severity: r.Severity, Protects: r.Protects, Fix: r.Fix, HelmAccepts: r.HelmAccepts})
	}
	out = append(out, stage("render", finding.Error, false,
		[3]string{render.RuleTemplate, "Values the chart's templates refuse (its `fail` guards) or cannot render.", "Change the values the message names."})...)
	out = append(out, stage("render", finding.Error, true,
		[3]string{render.RuleHAInvariant, "A rendered coordinator that breaks active-standby safety (replicas without standby, overlapping non-HA pods, shared budgets, one role in two Deployments).", "Change the values override the message names."},
		[3]string{render.RuleTyped, "A rendered object the Kubernetes API would refuse to decode (unknown field, wrong type, invalid quantity).", "Correct the field in the template or the value it renders."})...)
	out = append(out, stage("render", finding.Warning, true,
		[3]string{render.RuleHADegraded, "A rendered HA coordinator without its safe rollout, disruption budget or spread across nodes.", "Remove the values override the message names."},
		[3]string{render.RuleUncheckedKind, "A rendered object of a kind the typed check does not know.", "Check it against the API reference."})...)
	return out
}
