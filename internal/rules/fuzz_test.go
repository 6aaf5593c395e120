package rules

import (
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// fuzzSeeds are overlays of the tables and hostile shapes: lists where
// mappings are expected, numbers where strings are, nested nulls, huge ints.
var fuzzSeeds = []string{
	"{}",
	"rootCoordinator: {replicas: 500, activeStandby: {enabled: false}}",
	`rootCoordinator: {strategy: {rollingUpdate: {maxSurge: "50%", maxUnavailable: 0}}}`,
	`rootCoordinator: {strategy: {rollingUpdate: {maxSurge: "0%", maxUnavailable: "50%"}}}`,
	`milvus: {extraConfig: {indexCoord: {enableActiveStandby: "yes"}}}`,
	`milvus: {extraConfig: {"common.session.ttl": 25, common: {session: {TTL: 20}}}}`,
	"extraConfigFiles:\n  user.yaml: |\n    common:\n      session:\n        TTL: 20\n    rootCoord: {activeStandby: {enabled: true}}",
	"image: {all: {tag: v2.2.16}}",
	"image: {all: {tag: latest}}",
	"image: {all: {tag: v2.6.7}}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true, activeStandby: {enabled: false}}\nmilvus: {extraConfig: {mixCoord: {enableActiveStandby: yes}}}",
	"image: {all: {tag: v2.6.8}}\nmixCoordinator: {enabled: true}",
	"rootCoordinator: {extraEnv: [FOO=bar, null, 7, {value: x}, {name: 5}, [a], {name: COMMON_SESSION_TTL, value: 1}]}",
	"podAntiAffinity: {mode: none}\nqueryCoordinator: {nodeSelector: {kubernetes.io/hostname: n}, affinity: {podAntiAffinity: {}}}",
	"externalPulsar: {enabled: false}\nexternalKafka: {enabled: true}",
	"podDisruptionBudget: {enabled: false}",
	// hostile shapes
	"rootCoordinator: []",
	"rootCoordinator: [enabled, {replicas: 2}]",
	"image: [all]",
	"image: {all: [tag]}",
	"image: {all: {tag: 2.10}}",
	"milvus: [extraConfig]",
	"milvus: {extraConfig: [1, 2]}",
	"milvus: {extraConfig: {common: [session]}}",
	"milvus: {extraConfig: {common: {session: {ttl: [1, 2]}}}}",
	"milvus: {session: {ttl: 1e300}}",
	"milvus: {session: {ttl: -9223372036854775808}}",
	"milvus: {session: {ttl: 9223372036854775807}}",
	"rootCoordinator: {replicas: 1e300}",
	"rootCoordinator: {replicas: -9223372036854775808, activeStandby: {enabled: false}}",
	"rootCoordinator: {replicas: 9223372036854775807}",
	"rootCoordinator: {replicas: 2147483648, strategy: {rollingUpdate: {maxSurge: \"99999999999%\", maxUnavailable: \"-5%\"}}}",
	"rootCoordinator: {strategy: {rollingUpdate: {maxSurge: 2147483648}}}",
	"rootCoordinator: {strategy: {rollingUpdate: {maxSurge: \"%\"}}}",
	"rootCoordinator: {strategy: {type: [RollingUpdate]}}",
	"rootCoordinator: {strategy: {rollingUpdate: null}}",
	"rootCoordinator: {activeStandby: null}",
	"rootCoordinator: {activeStandby: {enabled: null}}",
	"rootCoordinator: {enabled: null}",
	"rootCoordinator: null",
	"image: null",
	"milvus: {extraConfig: {a: {b: {c: {d: null}}}}}",
	"extraConfigFiles: {user.yaml: 5}",
	"extraConfigFiles: {user.yaml: \"[1, 2]\"}",
	"extraConfigFiles: {user.yaml: \"a: [b\"}",
	"extraConfigFiles: {user.yaml: \"null\"}",
	"extraConfigFiles: []",
	"extraEnv: 5",
	"rootCoordinator: {extraEnv: {name: X}}",
	"rootCoordinator: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [null, 1, {matchExpressions: [null, {key: kubernetes.io/hostname, operator: In, values: [1]}]}]}}}}",
	"rootCoordinator: {nodeSelector: [kubernetes.io/hostname]}",
	"rootCoordinator: {topologySpreadConstraints: {a: 1}}",
	"podAntiAffinity: {mode: [none]}",
	"podDisruptionBudget: [enabled]",
	"externalKafka: {enabled: 1, brokerList: 2}",
	`"": {"": {"": null}}`,
	"mixCoordinator: {enabled: true, replicas: 0}",
	"milvus: {gracefulStopTimeout: [1]}",
	"milvus: {gracefulStopTimeout: -5, extraConfig: {grpc: {gracefulStopTimeout: NaN}, rootCoord: {gracefulStopTimeout: 1e308}}}",
	"image: {all: {tag: v2.6.8}}\nmixCoordinator: {enabled: true, activeStandby: {enabled: 1}}",
	"image: {all: {tag: v2.6.8}}\nrootCoordinator: {extraEnv: [{name: ROOT_COORD_GRACEFUL_STOP_TIMEOUT, value: inf}]}",
}

// FuzzRules: whatever values reach the rules (merged over the chart
// defaults, as Helm coalesces them), building the model and running every
// rule never panics.
func FuzzRules(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	defaults := testtools.ChartDefaults(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var overlay map[string]any
		if yaml.Unmarshal(data, &overlay) != nil {
			return
		}
		m := coord.FromValues(testtools.Coalesce(defaults, overlay))
		m.UserSet = func(string) bool { return true }
		Run(m)
		m.UserSet = nil
		Run(m)
		Run(coord.FromValues(overlay)) // without the defaults: every fact may be missing
	})
}
