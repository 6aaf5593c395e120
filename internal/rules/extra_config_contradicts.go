package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// extraConfigContradicts: the rollout strategy, disruption budget and
// anti-affinity follow <coordinator>.activeStandby.enabled, but the pods follow
// the merged user.yaml. Extra config that sets enableActiveStandby the other way
// (e.g. false under three replicas) splits the two: crash loops, or needless
// downtime. The chart refuses to render it.
var extraConfigContradicts = Rule{
	ID:       "extra-config-contradicts",
	Severity: finding.Error,
	Protects: "Extra Milvus config whose enableActiveStandby contradicts <coordinator>.activeStandby.enabled: the pods would run in another mode than the chart deploys them for.",
	Fix:      "Remove enableActiveStandby from the extra config; activeStandby.enabled in the values block sets it.",
	check: func(in *Input) []finding.Finding {
		var out []finding.Finding
		for _, c := range in.enabled() {
			for _, section := range c.Sections {
				value, src, found := in.effective(section, "enableActiveStandby")
				v, isBool := value.(bool)
				if !found || !isBool || v == c.HA {
					continue
				}
				key := section + ".enableActiveStandby"
				out = append(out, finding.Finding{
					Path:    pathIn(src, key),
					Related: []string{c.path("activeStandby.enabled")},
					Message: fmt.Sprintf("%s is %t but %s is %t (replicas %d): the chart deploys for one mode and the pods run in the other",
						src.where(key), v, c.path("activeStandby.enabled"), c.HA, c.Replicas),
					Fix: fmt.Sprintf("remove %s and set %s to the mode you want", src.where(key), c.path("activeStandby.enabled")),
				})
			}
		}
		return out
	},
}
