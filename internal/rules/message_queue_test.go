package rules

import "testing"

func TestMessageQueue(t *testing.T) {
	rel := []string{"externalPulsar.enabled", "externalKafka.enabled"}
	const (
		both    = "externalPulsar.enabled and externalKafka.enabled are both true: Milvus uses exactly one message queue"
		neither = "externalPulsar.enabled and externalKafka.enabled are both false: Milvus needs a message queue"
		kafka   = "externalPulsar: {enabled: false}\nexternalKafka: {enabled: true, brokerList: \"kafka-0.kafka:9092\"}\n"
	)
	runCases(t, messageQueue, []ruleCase{
		{name: "chart defaults: Pulsar"},
		{name: "Kafka with brokers", overlay: kafka},
		{
			name:    "both, user enabled Kafka: points at Kafka",
			overlay: `externalKafka: {enabled: true, brokerList: "k:9092"}`,
			user:    []string{"externalKafka.enabled", "externalKafka.brokerList"},
			want:    []want{{Path: "externalKafka.enabled", Msg: both, Related: rel}},
		},
		{
			name:    "both, user enabled only Pulsar: points at Pulsar",
			overlay: "externalPulsar: {enabled: true}\nexternalKafka: {enabled: true, brokerList: \"k:9092\"}\n",
			user:    []string{"externalPulsar.enabled"},
			want:    []want{{Path: "externalPulsar.enabled", Msg: both, Related: rel}},
		},
		{
			name:    "both, nothing marked user-set: Kafka",
			overlay: `externalKafka: {enabled: true, brokerList: "k:9092"}`,
			want:    []want{{Path: "externalKafka.enabled", Msg: both, Related: rel}},
		},
		{
			name:    "both with an empty broker list: one finding, both",
			overlay: `externalKafka: {enabled: true}`,
			user:    []string{"externalKafka.enabled"},
			want:    []want{{Path: "externalKafka.enabled", Msg: both, Related: rel}},
		},
		{
			name:    "neither, user disabled Pulsar: points at Pulsar",
			overlay: `externalPulsar: {enabled: false}`,
			user:    []string{"externalPulsar.enabled"},
			want:    []want{{Path: "externalPulsar.enabled", Msg: neither, Related: rel}},
		},
		{
			name:    "neither, user disabled only Kafka: points at Kafka",
			overlay: "externalPulsar: {enabled: false}\nexternalKafka: {enabled: false}\n",
			user:    []string{"externalKafka.enabled"},
			want:    []want{{Path: "externalKafka.enabled", Msg: neither, Related: rel}},
		},
		{
			name:    "neither, nothing marked user-set: Pulsar",
			overlay: `externalPulsar: {enabled: false}`,
			want:    []want{{Path: "externalPulsar.enabled", Msg: neither, Related: rel}},
		},
		{
			name:    "neither, both blocks removed with null",
			overlay: "externalPulsar: null\nexternalKafka: null\n",
			want:    []want{{Path: "externalPulsar.enabled", Msg: neither, Related: rel}},
		},
		{
			name:    "Kafka with an empty broker list",
			overlay: "externalPulsar: {enabled: false}\nexternalKafka: {enabled: true}\n",
			user:    []string{"externalPulsar.enabled", "externalKafka.enabled"},
			want: []want{{
				Path: "externalKafka.brokerList",
				Msg:  "externalKafka.enabled is true but externalKafka.brokerList is empty: the coordinators cannot reach Kafka",
			}},
		},
		{
			name:    "Kafka with the broker list removed with null",
			overlay: "externalPulsar: {enabled: false}\nexternalKafka: {enabled: true, brokerList: null}\n",
			want:    []want{{Path: "externalKafka.brokerList", Msg: "externalKafka.brokerList is empty"}},
		},
		{
			name:    "Pulsar enabled as a string is not read (the schema reports it)",
			overlay: `externalPulsar: {enabled: "true"}`,
			user:    []string{"externalPulsar.enabled"},
		},
		{
			name:    "broker list as a YAML list is not read (the schema reports it)",
			overlay: "externalPulsar: {enabled: false}\nexternalKafka: {enabled: true, brokerList: [\"kafka-0.kafka:9092\"]}\n",
		},
	})
}
