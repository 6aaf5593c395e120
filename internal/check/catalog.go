package check

import (
	"regexp"
	"slices"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/schema"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// RuleInfo describes one rule ID valuescheck reports.
type RuleInfo struct {
	ID       string           `json:"id"`
	Stage    string           `json:"stage"` // parse, schema, rules or render
	Severity finding.Severity `json:"-"`
	Protects string           `json:"protects"`
	Fix      string           `json:"fix"`
	// HelmRefuses says whether Helm refuses what the rule finds: "always",
	// "never" (valuescheck is stricter than Helm), or for an HA rule "where the
	// chart's schema or guards say so" (each finding then says which).
	HelmRefuses string `json:"helmRefuses"`
}

// Words of RuleInfo.HelmRefuses.
const (
	HelmAlways = "always"
	HelmNever  = "never"
	HelmSome   = "where the chart's schema or guards cover it"
)

// Catalog lists every rule ID in the order of the pipeline's stages, then by
// ID. Whether Helm refuses a rule's findings is read from the chart itself:
// the rule entries of its schema and the tags of its guards.
func (c *Chart) Catalog() []RuleInfo {
	var out []RuleInfo
	for _, r := range values.Rules() {
		out = append(out, RuleInfo{ID: r.ID, Stage: "parse", Severity: r.Severity, Protects: r.Protects, Fix: r.Fix, HelmRefuses: helm(!r.HelmAccepts)})
	}
	for _, r := range schema.Rules() {
		refuses := HelmAlways
		if c.validator == nil {
			refuses = HelmNever // keys derived from a chart without a schema: Helm ignores unknown ones
		}
		out = append(out, RuleInfo{ID: r.ID, Stage: "schema", Severity: r.Severity, Protects: r.Protects, Fix: r.Fix, HelmRefuses: refuses})
	}
	enforced := c.enforcedRules()
	for _, r := range rules.All() {
		refuses := HelmNever
		if slices.Contains(enforced, r.ID) {
			refuses = HelmSome
		}
		out = append(out, RuleInfo{ID: r.ID, Stage: "rules", Severity: r.Severity, Protects: r.Protects, Fix: r.Fix, HelmRefuses: refuses})
	}
	for _, r := range render.Rules() {
		out = append(out, RuleInfo{ID: r.ID, Stage: "render", Severity: r.Severity, Protects: r.Protects, Fix: r.Fix, HelmRefuses: helm(!r.HelmAccepts)})
	}
	return out
}

func helm(refuses bool) string {
	if refuses {
		return HelmAlways
	}
	return HelmNever
}

// guardTag finds the rule IDs a guard template names in its tags.
var guardTag = regexp.MustCompile(`\[([a-z][a-z0-9]*(?:-[a-z0-9]+)+) `)

// enforcedRules are the rules the chart's schema entries or guards enforce.
func (c *Chart) enforcedRules() []string {
	if c.validator == nil {
		return nil // a chart without a schema (the upstream chart) has no guards either
	}
	ids := c.validator.RuleIDs()
	for _, t := range c.chart.Templates {
		if t.Name == render.GuardTemplate {
			for _, m := range guardTag.FindAllStringSubmatch(string(t.Data), -1) {
				ids = append(ids, m[1])
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// StricterWord is how a catalog row reads in the docs' "Helm refuses it" column.
func StricterWord(r RuleInfo) string {
	switch r.HelmRefuses {
	case HelmAlways:
		return "yes"
	case HelmNever:
		return "no: valuescheck only"
	}
	return "partly: " + strings.TrimPrefix(r.HelmRefuses, "where ")
}
