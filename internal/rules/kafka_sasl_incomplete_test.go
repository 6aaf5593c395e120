package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestKafkaSASLIncomplete(t *testing.T) {
	kafkaWith := func(fields string) string {
		return "externalPulsar: {enabled: false}\nexternalKafka: {enabled: true, brokerList: \"k:9092\"" + fields + "}\n"
	}
	kafka := kafkaWith("")
	const panicMsg = `Milvus panics at start ("enable security mode need config username and password at the same time!")`
	runCases(t, kafkaSASLIncomplete, []ruleCase{
		{name: "chart defaults: Pulsar"},
		{name: "Kafka without SASL", overlay: kafka},
		{name: "user name and password", overlay: kafkaWith(", sasl: {username: u, password: p}")},
		{name: "user name and an existing Secret", overlay: kafkaWith(", sasl: {username: u}, existingSecret: kafka-creds")},
		{name: "Pulsar ignores the Kafka block", overlay: "externalKafka: {sasl: {username: u}}"},
		{
			name:    "a user name without a password: one finding per coordinator",
			overlay: kafkaWith(", sasl: {username: u}"),
			want: []want{
				{Subject: "rootCoordinator", At: path("externalKafka.sasl.username"), Msg: "externalKafka.sasl.username sets the Kafka SASL user name, but rootCoordinator reads no kafka.saslPassword: " + panicMsg,
					Fix: "set externalKafka.sasl.password (or externalKafka.existingSecret, the name of a Secret with key saslpassword)"},
				{Subject: "queryCoordinator", At: path("externalKafka.sasl.username"), Msg: panicMsg},
				{Subject: "dataCoordinator", At: path("externalKafka.sasl.username"), Msg: panicMsg},
			},
		},
		{
			name:    "a password without a user name",
			overlay: kafkaWith(", sasl: {password: p}") + "queryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}",
			want: []want{{Subject: "mixCoordinator", At: path("externalKafka.sasl.password"),
				Msg: "externalKafka.sasl.password sets the Kafka SASL password, but mixCoordinator reads no kafka.saslUsername: " + panicMsg,
				Fix: "set externalKafka.sasl.username"}},
		},
		{
			name:    "the user name from extraConfig, the password from nowhere",
			overlay: kafka + "milvus: {extraConfig: {kafka: {saslUsername: u}}}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}",
			want:    []want{{Subject: "mixCoordinator", At: path("milvus.extraConfig.kafka.saslUsername"), Msg: "milvus.extraConfig.kafka.saslUsername sets the Kafka SASL user name"}},
		},
		{
			name:    "the password from one block's extraEnv: the other coordinators panic",
			overlay: kafkaWith(", sasl: {username: u}") + "rootCoordinator: {extraEnv: [{name: KAFKA_SASL_PASSWORD, valueFrom: {secretKeyRef: {name: s, key: k}}}]}",
			want: []want{
				{Subject: "queryCoordinator", At: path("externalKafka.sasl.username"), Msg: panicMsg},
				{Subject: "dataCoordinator", At: path("externalKafka.sasl.username"), Msg: panicMsg},
			},
		},
		{
			name: "a manifest with a user name and no password",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "mq:\n  type: kafka\nkafka:\n  saslUsername: u\n"), deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "Deployment coord-rootcoord", At: coord.Source{Object: "ConfigMap coord-rootcoord-config", Path: "data.user.yaml"},
				Msg: panicMsg, Fix: "set env KAFKA_SASL_PASSWORD from a Secret, or remove kafka.saslUsername"}},
		},
		{
			name: "a manifest with the password from a Secret",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "mq:\n  type: kafka\nkafka:\n  saslUsername: u\n"),
					withEnv(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"),
						corev1.EnvVar{Name: "KAFKA_SASL_PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{Key: "p"}}}))
			},
		},
	})
}
