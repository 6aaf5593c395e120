// Package valuesgen generates realistic, valid values files for the chart,
// deterministically from a seed: the differential tests against Helm and the
// benchmarks use them.
package valuesgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generate returns n valid values files for the chart, the same for the same
// seed, that vary what changes the rendered output: separate or mixed
// coordinators, replicas and HA, spread, budgets, message queue, TTL, extra
// config, network policy, security contexts and image tags.
func Generate(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(options ...string) string { return options[rng.IntN(len(options))] }
	coordinator := func(b *strings.Builder, key string, enabled bool) {
		replicas := rng.IntN(4)
		ha := replicas > 1 || rng.IntN(2) == 0
		fmt.Fprintf(b, "%s:\n  enabled: %t\n  replicas: %d\n  activeStandby:\n    enabled: %t\n", key, enabled, replicas, ha)
		if rng.IntN(3) == 0 {
			// A request with its own limit: the chart's default limit may be lower.
			memory := pick("256Mi", "1Gi", "1.5Gi")
			fmt.Fprintf(b, "  resources:\n    requests:\n      cpu: %s\n      memory: %s\n    limits:\n      memory: %s\n", pick("250m", "1", "2"), memory, memory)
		}
		if rng.IntN(4) == 0 {
			fmt.Fprintf(b, "  tolerations:\n    - key: dedicated\n      operator: Equal\n      value: %s\n      effect: NoSchedule\n", pick("milvus", "coord"))
		}
		if rng.IntN(4) == 0 {
			fmt.Fprintf(b, "  annotations:\n    prometheus.io/scrape: %q\n", pick("true", "false"))
		}
		if rng.IntN(5) == 0 {
			b.WriteString("  extraEnv:\n    - name: LOG_LEVEL\n      value: debug\n")
		}
	}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		mixed := rng.IntN(3) == 0
		tag := pick("v2.4.17", "v2.5.4", "v2.4.17-gpu")
		if mixed && rng.IntN(2) == 0 {
			tag = pick("v2.6.15", "v2.6.7")
		}
		fmt.Fprintf(&b, "image:\n  all:\n    tag: %s\n", tag)
		for _, key := range []string{"rootCoordinator", "queryCoordinator", "dataCoordinator"} {
			coordinator(&b, key, !mixed)
		}
		coordinator(&b, "mixCoordinator", mixed)
		fmt.Fprintf(&b, "milvus:\n  session:\n    ttl: %d\n  etcd:\n    rootPath: %s\n", 15+rng.IntN(46), pick("by-dev", "prod"))
		if rng.IntN(3) == 0 {
			b.WriteString("  extraConfig:\n    queryCoord:\n      balancer: ScoreBasedBalancer\n")
		}
		fmt.Fprintf(&b, "podAntiAffinity:\n  mode: %s\npodDisruptionBudget:\n  enabled: %t\n", pick("soft", "hard", "none"), rng.IntN(4) != 0)
		if rng.IntN(2) == 0 {
			b.WriteString("externalPulsar:\n  enabled: false\nexternalKafka:\n  enabled: true\n  brokerList: kafka:9092\n")
		}
		fmt.Fprintf(&b, "networkPolicy:\n  enabled: %t\n", rng.IntN(2) == 0)
		if rng.IntN(3) == 0 {
			b.WriteString("securityContext:\n  runAsNonRoot: true\n  runAsUser: 1000\n  runAsGroup: 0\n")
		}
		out[i] = b.String()
	}
	return out
}
