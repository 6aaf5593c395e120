package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haConfigKeys are the Milvus settings the chart derives from values for HA.
// Milvus reads environment variables over config files, matching names after
// lower-casing them and dropping '_', '.' and '/'; the chart's own env vars
// come first, so an extraEnv entry with the same meaning wins over them.
var haConfigKeys = []string{
	"rootCoord.enableActiveStandby",
	"queryCoord.enableActiveStandby",
	"dataCoord.enableActiveStandby",
	"indexCoord.enableActiveStandby",
	"common.session.ttl",
}

// milvusEnvKey normalizes a config key or env var name the way Milvus matches them.
func milvusEnvKey(name string) string {
	return strings.NewReplacer("_", "", ".", "", "/", "").Replace(strings.ToLower(name))
}

// extraEnvOverrides: an extraEnv entry such as ROOT_COORD_ENABLE_ACTIVE_STANDBY
// silently overrides the active-standby mode or session TTL the chart writes
// from the values, so the pods run in another mode than they are deployed for.
var extraEnvOverrides = Rule{
	ID:       "extra-env-overrides",
	Severity: finding.Error,
	Protects: "extraEnv entries that override what the chart derives from values (*_ENABLE_ACTIVE_STANDBY, COMMON_SESSION_TTL): Milvus reads env over config, so the pods would run in another mode than they are deployed for.",
	Fix:      "Remove the entry and set activeStandby.enabled or milvus.session.ttl instead.",
	check: func(in *Input) []finding.Finding {
		var out []finding.Finding
		for _, c := range in.enabled() {
			for i, item := range sliceAt(c.Block, "extraEnv") {
				name, _ := item.(map[string]any)["name"].(string)
				for _, key := range haConfigKeys {
					if name == "" || milvusEnvKey(name) != milvusEnvKey(key) {
						continue
					}
					path := fmt.Sprintf("%s.extraEnv[%d].name", c.Key, i)
					out = append(out, finding.Finding{
						Path:    path,
						Related: []string{c.path("extraEnv")},
						Message: fmt.Sprintf("%s sets %s, which Milvus reads as %s over the value the chart writes from the values: the pods would not run in the mode they are deployed for",
							path, name, key),
						Fix: fmt.Sprintf("remove %s from %s; set %s", name, c.path("extraEnv"), valuesKeyFor(c, key)),
					})
				}
			}
		}
		return out
	},
}

// valuesKeyFor names the values key that sets a Milvus config key.
func valuesKeyFor(c coordinator, key string) string {
	if key == "common.session.ttl" {
		return "milvus.session.ttl"
	}
	return c.path("activeStandby.enabled")
}
