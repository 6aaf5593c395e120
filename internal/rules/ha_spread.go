package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

const hostnameLabel = "kubernetes.io/hostname"

// haSpread: standby replicas on the node of the active one die with it. The
// chart spreads replicas with a pod anti-affinity; this warns when the values
// turn that off or pin every replica to one node.
var haSpread = Rule{
	ID:          "ha-spread",
	Severity:    finding.Warning,
	Protects:    "Replicas of an HA coordinator that may all land on one node (spread turned off) or must (pinned to one node): the node's loss takes every replica.",
	Fix:         "Keep podAntiAffinity.mode soft or hard (or add topologySpreadConstraints), and do not pin replicas to one hostname.",
	HelmAccepts: true,
	check: func(in *Input) []finding.Finding {
		var out []finding.Finding
		mode := stringAt(mapAt(in.Values, "podAntiAffinity"), "mode")
		for _, c := range in.enabled() {
			if c.Replicas <= 1 {
				continue
			}
			if host := stringAt(mapAt(c.Block, "nodeSelector"), hostnameLabel); host != "" {
				out = append(out, finding.Finding{
					Path:    c.path("nodeSelector") + `["` + hostnameLabel + `"]`,
					Message: fmt.Sprintf("%s pins all %d replicas of %s to node %s: losing that node loses every replica", c.path("nodeSelector"), c.Replicas, c.Role, host),
					Fix:     fmt.Sprintf("remove %s from %s", hostnameLabel, c.path("nodeSelector")),
				})
			}
			if host, ok := pinnedByNodeAffinity(mapAt(c.Block, "affinity", "nodeAffinity")); ok {
				out = append(out, finding.Finding{
					Path:    c.path("affinity.nodeAffinity"),
					Message: fmt.Sprintf("%s requires node %s for all %d replicas of %s: losing that node loses every replica", c.path("affinity.nodeAffinity"), host, c.Replicas, c.Role),
					Fix:     "allow more than one node in the required node affinity",
				})
			}
			spreads := len(sliceAt(c.Block, "topologySpreadConstraints")) > 0
			userAnti, hasUserAnti := mapAt(c.Block, "affinity")["podAntiAffinity"]
			switch {
			case hasUserAnti:
				if m, isMap := userAnti.(map[string]any); (isMap || userAnti == nil) && len(m) == 0 && !spreads {
					out = append(out, finding.Finding{
						Path:    c.path("affinity.podAntiAffinity"),
						Related: []string{c.path("affinity")},
						Message: fmt.Sprintf("%s is empty and replaces the chart's anti-affinity: the %d replicas of %s may all run on one node", c.path("affinity.podAntiAffinity"), c.Replicas, c.Role),
						Fix:     fmt.Sprintf("remove %s to get the chart's anti-affinity, or write your own terms", c.path("affinity.podAntiAffinity")),
					})
				}
			case mode == "none" && !spreads:
				out = append(out, finding.Finding{
					Path:    in.blame("podAntiAffinity.mode", c.path("replicas")),
					Related: []string{"podAntiAffinity.mode", c.path("affinity")},
					Message: fmt.Sprintf("podAntiAffinity.mode is none and %s has %d replicas and no topologySpreadConstraints: they may all run on one node, and its loss takes every replica", c.Key, c.Replicas),
					Fix:     fmt.Sprintf("set podAntiAffinity.mode: soft (or hard), or add %s", c.path("topologySpreadConstraints")),
				})
			}
		}
		return out
	},
}

// pinnedByNodeAffinity reports the hostname that a required node affinity
// restricts every pod to, when it allows exactly one.
func pinnedByNodeAffinity(nodeAffinity map[string]any) (string, bool) {
	terms := sliceAt(mapAt(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms")
	if len(terms) == 0 {
		return "", false
	}
	host := ""
	for _, t := range terms {
		term, _ := t.(map[string]any)
		pinned := ""
		for _, e := range sliceAt(term, "matchExpressions") {
			expr, _ := e.(map[string]any)
			vals := sliceAt(expr, "values")
			if stringAt(expr, "key") == hostnameLabel && stringAt(expr, "operator") == "In" && len(vals) == 1 {
				pinned, _ = vals[0].(string)
			}
		}
		// Terms are ORed: every term must pin the same host.
		if pinned == "" || host != "" && pinned != host {
			return "", false
		}
		host = pinned
	}
	return host, true
}

func sliceAt(m map[string]any, key string) []any {
	s, _ := m[key].([]any)
	return s
}
