package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// extraConfigIgnored: `rootCoord.activeStandby.enabled` (the name on Milvus'
// docs page) is read by no Milvus code, and a non-boolean enableActiveStandby
// silently parses as false: either way the user believes HA is on when it is not.
var extraConfigIgnored = Rule{
	ID:       "extra-config-ignored",
	Severity: finding.Error,
	Protects: "Extra Milvus config that Milvus silently ignores: <coord>.activeStandby.enabled (read by no code) or a non-boolean enableActiveStandby (parsed as false).",
	Fix:      "Remove the key from the extra config and set <coordinator>.activeStandby.enabled in the values.",
	check: func(in *Input) []finding.Finding {
		var out []finding.Finding
		for _, src := range in.extraConfigSources() {
			for _, section := range []string{"rootCoord", "queryCoord", "dataCoord", "indexCoord"} {
				if _, ok := mapAt(src.config, section)["activeStandby"]; ok {
					key := section + ".activeStandby"
					out = append(out, finding.Finding{
						Path: pathIn(src, key),
						Message: fmt.Sprintf("%s is set, but no Milvus code reads it (the key is %s.enableActiveStandby): it is silently ignored",
							src.where(key), section),
						Fix: fmt.Sprintf("remove %s and set activeStandby.enabled in the %s values block", src.where(key), valuesBlock[section]),
					})
				}
			}
		}
		// Only the value Milvus ends up reading matters: a later source may override it.
		for _, section := range []string{"rootCoord", "queryCoord", "dataCoord", "indexCoord"} {
			v, src, ok := in.effective(section, "enableActiveStandby")
			if _, isBool := v.(bool); !ok || isBool {
				continue
			}
			key := section + ".enableActiveStandby"
			out = append(out, finding.Finding{
				Path:    pathIn(src, key),
				Message: fmt.Sprintf("%s is %#v, not a boolean: Milvus silently parses it as false", src.where(key), v),
				Fix:     fmt.Sprintf("remove %s and set activeStandby.enabled: true or false in the coordinator's values block", src.where(key)),
			})
		}
		return out
	},
}

// pathIn is the values path a finding about key in src points at: the key
// itself, or for YAML text the value holding the text.
func pathIn(src extraConfigSource, key string) string {
	if src.inText {
		return src.path
	}
	return src.path + "." + key
}

// valuesBlock names the values block that sets a config section's
// enableActiveStandby (indexcoord runs inside datacoord since Milvus 2.3).
var valuesBlock = map[string]string{
	"rootCoord":  "rootCoordinator",
	"queryCoord": "queryCoordinator",
	"dataCoord":  "dataCoordinator",
	"indexCoord": "dataCoordinator",
}
