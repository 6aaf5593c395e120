package check

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// TestFixesWorkAsWritten: for each rule, a file with the mistake, the fix the
// finding prints, and the file with that fix applied as a user would apply
// it, word for word. The fixed file has no finding of that rule left and no
// finding the file did not have (a fix may settle others with it).
func TestFixesWorkAsWritten(t *testing.T) {
	const mixcoord = "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}\n"
	tests := []struct {
		name, rule, before, fix, after string
	}{
		{"replicas without standby", "ha-replicas-need-standby",
			"rootCoordinator:\n  replicas: 3\n  activeStandby:\n    enabled: false\n",
			"set rootCoordinator.activeStandby.enabled: true or rootCoordinator.replicas: 1",
			"rootCoordinator:\n  replicas: 3\n  activeStandby:\n    enabled: true\n"},
		{"rolling update without standby", "non-ha-rolling-update",
			"dataCoordinator:\n  replicas: 1\n  activeStandby:\n    enabled: false\n  strategy:\n    type: RollingUpdate\n",
			"remove dataCoordinator.strategy (the chart uses Recreate) or set dataCoordinator.activeStandby.enabled: true",
			"dataCoordinator:\n  replicas: 1\n  activeStandby:\n    enabled: false\n"},
		{"Recreate with standby", "ha-rollout-strategy",
			"queryCoordinator:\n  strategy:\n    type: Recreate\n",
			"remove queryCoordinator.strategy (the chart rolls with maxSurge 1, maxUnavailable 0)",
			"queryCoordinator: {}\n"},
		{"maxUnavailable above zero", "ha-rollout-strategy",
			"queryCoordinator:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 1\n",
			"remove queryCoordinator.strategy (the chart rolls with maxSurge 1, maxUnavailable 0)",
			"queryCoordinator: {}\n"},
		{"mixcoord with a separate coordinator", "mixcoord-exclusive",
			"mixCoordinator:\n  enabled: true\nqueryCoordinator:\n  enabled: false\ndataCoordinator:\n  enabled: false\n",
			"set rootCoordinator.enabled: false (mixCoordinator runs rootcoord)",
			"mixCoordinator:\n  enabled: true\nqueryCoordinator:\n  enabled: false\ndataCoordinator:\n  enabled: false\nrootCoordinator:\n  enabled: false\n"},
		{"querycoord off", "coordinators-incomplete",
			"queryCoordinator:\n  enabled: false\n",
			"set queryCoordinator.enabled: true, or run all three roles in mixCoordinator",
			"queryCoordinator:\n  enabled: true\n"},
		{"pinned to one node", "ha-spread",
			"rootCoordinator:\n  nodeSelector:\n    kubernetes.io/hostname: node-1\n",
			`remove rootCoordinator.nodeSelector["kubernetes.io/hostname"]`,
			"rootCoordinator:\n  nodeSelector: {}\n"},
		{"anti-affinity off", "ha-spread",
			"podAntiAffinity:\n  mode: none\n" + mixcoord,
			"set podAntiAffinity.mode: soft (or hard), or add mixCoordinator.topologySpreadConstraints",
			"podAntiAffinity:\n  mode: soft\n" + mixcoord},
		{"no budget", "ha-disruption-budget",
			"podDisruptionBudget:\n  enabled: false\n",
			"set podDisruptionBudget.enabled: true",
			"podDisruptionBudget:\n  enabled: true\n"},
		{"NetworkPolicy off", "network-policy-open",
			"networkPolicy:\n  enabled: false\n",
			"set networkPolicy.enabled: true (its default selectors admit every pod of the release namespace to the gRPC ports and a scraper in any namespace to port 9091)",
			"networkPolicy:\n  enabled: true\n"},
		{"short TTL", "session-ttl-range",
			"milvus:\n  session:\n    ttl: 10\n",
			"set milvus.session.ttl to at least 15",
			"milvus:\n  session:\n    ttl: 15\n"},
		{"TTL in a second spelling", "milvus-config-duplicate-key",
			"milvus:\n  extraConfig:\n    common:\n      session:\n        TTL: 20\n",
			"remove milvus.extraConfig.common.session.TTL and set milvus.session.ttl: 20",
			"milvus:\n  session:\n    ttl: 20\n"},
		{"extra config overridden by the chart's env", "extra-config-contradicts",
			"milvus:\n  extraConfig:\n    dataCoord:\n      enableActiveStandby: false\n",
			"remove milvus.extraConfig.dataCoord.enableActiveStandby and set dataCoordinator.activeStandby.enabled to the value you want",
			"milvus:\n  extraConfig: {}\n"},
		{"extra config overriding the TTL the values set", "extra-config-contradicts",
			"milvus:\n  session:\n    ttl: 30\n  extraConfig:\n    common:\n      session:\n        ttl: 20\n",
			"remove milvus.extraConfig.common.session.ttl and set milvus.session.ttl to the value you want",
			"milvus:\n  session:\n    ttl: 20\n  extraConfig:\n    common:\n      session: {}\n"},
		{"a key no Milvus code reads", "extra-config-ignored",
			"milvus:\n  extraConfig:\n    indexCoord:\n      enableActiveStandby: \"yes\"\n",
			"remove milvus.extraConfig.indexCoord.enableActiveStandby; dataCoordinator.activeStandby.enabled sets the mode",
			"milvus:\n  extraConfig:\n    indexCoord: {}\n"},
		{"extraEnv overriding the mode", "extra-env-overrides",
			"queryCoordinator:\n  extraEnv:\n    - name: QUERY_COORD_ENABLE_ACTIVE_STANDBY\n      value: \"false\"\n",
			"remove QUERY_COORD_ENABLE_ACTIVE_STANDBY from queryCoordinator.extraEnv and set queryCoordinator.activeStandby.enabled",
			"queryCoordinator:\n  extraEnv: []\n"},
		{"separate coordinators on 2.6", "milvus-version-coordinators",
			"image:\n  all:\n    tag: v2.6.3\nqueryCoordinator:\n  enabled: false\ndataCoordinator:\n  enabled: false\nmixCoordinator:\n  enabled: false\n",
			"set rootCoordinator.enabled: false and mixCoordinator.enabled: true",
			"image:\n  all:\n    tag: v2.6.3\nqueryCoordinator:\n  enabled: false\ndataCoordinator:\n  enabled: false\nmixCoordinator:\n  enabled: true\nrootCoordinator:\n  enabled: false\n"},
		{"a tag without a release", "milvus-version-unknown",
			"image:\n  all:\n    tag: latest\n",
			"set image.all.tag to the Milvus release the image is (for example v2.4.17) and pin the image with image.all.digest",
			"image:\n  all:\n    tag: v2.4.17\n"},
		{"two message queues", "message-queue",
			"externalKafka:\n  enabled: true\n  brokerList: kafka:9092\n",
			"set externalPulsar.enabled: false to use Kafka, or externalKafka.enabled: false to use Pulsar",
			"externalKafka:\n  enabled: true\n  brokerList: kafka:9092\nexternalPulsar:\n  enabled: false\n"},
		{"a credential in extra config", "extra-config-credentials",
			"milvus:\n  extraConfig:\n    minio:\n      secretAccessKey: s3cret\n",
			"remove milvus.extraConfig.minio.secretAccessKey and set externalS3.secretKey (or externalS3.existingSecret, the name of a Secret)",
			"milvus:\n  extraConfig:\n    minio: {}\nexternalS3:\n  secretKey: s3cret\n"},
		{"a credential in user.yaml text", "extra-config-credentials",
			"extraConfigFiles:\n  user.yaml: |\n    etcd:\n      auth:\n        password: pw\nexternalEtcd:\n  auth:\n    enabled: true\n    userName: root\n",
			`remove etcd.auth.password in extraConfigFiles["user.yaml"] and set externalEtcd.auth.password (or externalEtcd.auth.existingSecret, the name of a Secret)`,
			"extraConfigFiles:\n  user.yaml: \"\"\nexternalEtcd:\n  auth:\n    enabled: true\n    userName: root\n    password: pw\n"},
		{"a Kafka user without a password", "kafka-sasl-incomplete",
			"externalPulsar:\n  enabled: false\nexternalKafka:\n  enabled: true\n  brokerList: kafka:9092\n  sasl:\n    username: milvus\n",
			"set externalKafka.sasl.password (or externalKafka.existingSecret, the name of a Secret with key saslpassword)",
			"externalPulsar:\n  enabled: false\nexternalKafka:\n  enabled: true\n  brokerList: kafka:9092\n  sasl:\n    username: milvus\n    password: pw\n"},
		{"a Kafka password without a user", "kafka-sasl-incomplete",
			"externalPulsar:\n  enabled: false\nexternalKafka:\n  enabled: true\n  brokerList: kafka:9092\n  existingSecret: kafka\n",
			"set externalKafka.sasl.username",
			"externalPulsar:\n  enabled: false\nexternalKafka:\n  enabled: true\n  brokerList: kafka:9092\n  existingSecret: kafka\n  sasl:\n    username: milvus\n"},
		{"pulsar.authParams as JSON", "pulsar-auth-params-form",
			"externalPulsar:\n  authParams: '{\"token\": \"eyJhbGciOi\"}'\n",
			`write externalPulsar.authParams as the pairs token:<the value of "token">`,
			"externalPulsar:\n  authParams: token:eyJhbGciOi\n"},
		{"one coordinator's channel prefix", "cluster-settings-differ",
			"queryCoordinator:\n  extraEnv:\n    - name: MSG_CHANNEL_CHAN_NAME_PREFIX_CLUSTER\n      value: prod\n",
			"remove MSG_CHANNEL_CHAN_NAME_PREFIX_CLUSTER from queryCoordinator.extraEnv and set it for every coordinator in milvus.extraConfig (msgChannel.chanNamePrefix.cluster: prod)",
			"queryCoordinator:\n  extraEnv: []\nmilvus:\n  extraConfig:\n    msgChannel:\n      chanNamePrefix:\n        cluster: prod\n"},
		{"etcd auth without a password", "etcd-auth-incomplete",
			"externalEtcd:\n  auth:\n    enabled: true\n    userName: milvus\n",
			"set externalEtcd.auth.password (or externalEtcd.auth.existingSecret, the name of a Secret with key etcdpassword)",
			"externalEtcd:\n  auth:\n    enabled: true\n    userName: milvus\n    password: pw\n"},
		{"streaming on a release without it", "streaming-service-env",
			"milvus:\n  streaming:\n    enabled: true\n",
			"remove milvus.streaming.enabled",
			"milvus:\n  streaming: {}\n"},
		{"a number YAML read from text", "schema-type",
			"image:\n  all:\n    tag: 2.4\n",
			`write image.all.tag: "2.4" (quoted, so YAML keeps the text)`,
			"image:\n  all:\n    tag: \"2.4\"\n"},
		{"an octal password", "schema-type",
			"externalS3:\n  secretKey: 0123\n",
			`write externalS3.secretKey: "0123" (quoted, so YAML keeps the text)`,
			"externalS3:\n  secretKey: \"0123\"\n"},
		{"a quoted number", "schema-type",
			"rootCoordinator:\n  replicas: \"3\"\n",
			"write rootCoordinator.replicas: 3 without quotes",
			"rootCoordinator:\n  replicas: 3\n"},
		{"a request above the chart's default limit", "render-typed",
			"rootCoordinator:\n  resources:\n    requests:\n      memory: 8Gi\n",
			"set rootCoordinator.resources.limits.memory to at least 8Gi, or lower the request",
			"rootCoordinator:\n  resources:\n    requests:\n      memory: 8Gi\n    limits:\n      memory: 8Gi\n"},
		{"heaptrack left on", "heaptrack-enabled",
			"queryCoordinator:\n  heaptrack:\n    enabled: true\n",
			"set queryCoordinator.heaptrack.enabled: false",
			"queryCoordinator:\n  heaptrack:\n    enabled: false\n"},
		{"a selector label in podLabels", "render-template",
			"podLabels:\n  team: db\n  app.kubernetes.io/name: milvus\n",
			`remove podLabels["app.kubernetes.io/name"]`,
			"podLabels:\n  team: db\n"},
		{"a stop timeout at the gRPC one", "graceful-stop-timeout",
			"milvus:\n  gracefulStopTimeout: 10\n",
			"set milvus.gracefulStopTimeout to at least 11",
			"milvus:\n  gracefulStopTimeout: 11\n"},
		{"a per-role stop timeout above the one the grace is sized from", "graceful-stop-timeout",
			"milvus:\n  extraConfig:\n    rootCoord:\n      gracefulStopTimeout: 600\n",
			"remove milvus.extraConfig.rootCoord.gracefulStopTimeout and set milvus.gracefulStopTimeout: 600",
			"milvus:\n  gracefulStopTimeout: 600\n  extraConfig:\n    rootCoord: {}\n"},
		{"a per-role stop timeout at the gRPC one in extraConfig", "graceful-stop-timeout",
			"milvus:\n  extraConfig:\n    queryCoord:\n      gracefulStopTimeout: 4\n",
			"set milvus.extraConfig.queryCoord.gracefulStopTimeout to at least 11",
			"milvus:\n  extraConfig:\n    queryCoord:\n      gracefulStopTimeout: 11\n"},
		{"active-standby off for 2.6.8 mixcoord", "mixcoord-always-standby",
			"image:\n  all:\n    tag: v2.6.8\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator:\n  enabled: true\n  activeStandby:\n    enabled: false\n",
			"set mixCoordinator.activeStandby.enabled: true",
			"image:\n  all:\n    tag: v2.6.8\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator:\n  enabled: true\n  activeStandby:\n    enabled: true\n"},
		{"2.6.7 mixcoord replicas without standby: the guard's words", "ha-replicas-need-standby",
			"image:\n  all:\n    tag: v2.6.7\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator:\n  enabled: true\n  activeStandby:\n    enabled: false\n",
			"set mixCoordinator.activeStandby.enabled: true or mixCoordinator.replicas: 1",
			"image:\n  all:\n    tag: v2.6.7\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator:\n  enabled: true\n  activeStandby:\n    enabled: true\n"},
		{"a misplaced Milvus key", "schema-unknown-key",
			"rootCoordinator:\n  enableActiveStandby: true\n",
			"did you mean activeStandby.enabled? replace enableActiveStandby with activeStandby: {enabled: <its value>}",
			"rootCoordinator:\n  activeStandby: {enabled: true}\n"},
	}
	ch := embedded(t)
	causes := func(fs []finding.Finding) map[string]bool {
		out := map[string]bool{}
		for _, f := range fs {
			out[f.Rule+" "+f.Cause+" "+f.Message] = true
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ch.Check(input("v.yaml", tt.before), Options{}).Findings
			found := 0
			for _, f := range before {
				if f.Rule == tt.rule {
					found++
					assert.Equal(t, tt.fix, f.Fix)
				}
			}
			require.NotZero(t, found, "the mistake is found: %v", briefs(before))

			after := ch.Check(input("v.yaml", tt.after), Options{}).Findings
			had := causes(before)
			for _, f := range after {
				assert.NotEqual(t, tt.rule, f.Rule, "the fix leaves a finding of its rule: %s", f.Text())
				assert.True(t, had[f.Rule+" "+f.Cause+" "+f.Message], "the fix brings a new finding: %s", f.Text())
			}
		})
	}
}
