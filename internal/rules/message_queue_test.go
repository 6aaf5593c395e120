package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestMessageQueue(t *testing.T) {
	runCases(t, messageQueue, []ruleCase{
		{name: "chart defaults: Pulsar"},
		{name: "Kafka with brokers", overlay: "externalPulsar: {enabled: false}\nexternalKafka: {enabled: true, brokerList: \"kafka:9092\"}"},
		{
			name:    "both queues on: blame the one the user turned on",
			overlay: "externalKafka: {enabled: true, brokerList: \"kafka:9092\"}",
			user:    []string{"externalKafka"},
			want: []want{{Subject: "queue", At: path("externalKafka.enabled"),
				Msg: "externalPulsar.enabled and externalKafka.enabled are both true: Milvus uses exactly one message queue",
				Fix: "set externalPulsar.enabled: false to use Kafka, or externalKafka.enabled: false to use Pulsar"}},
		},
		{
			name:    "no queue",
			overlay: "externalPulsar: {enabled: false}",
			user:    []string{"externalPulsar.enabled"},
			want: []want{{Subject: "queue", At: path("externalPulsar.enabled"),
				Msg: "externalPulsar.enabled and externalKafka.enabled are both false: Milvus needs a message queue",
				Fix: "set externalPulsar.enabled: true or externalKafka.enabled: true (with externalKafka.brokerList)"}},
		},
		{
			name:    "Kafka without brokers",
			overlay: "externalPulsar: {enabled: false}\nexternalKafka: {enabled: true}",
			want: []want{{Subject: "kafka-brokers", At: path("externalKafka.brokerList"),
				Msg: "externalKafka.enabled is true but externalKafka.brokerList is empty",
				Fix: "set externalKafka.brokerList to the bootstrap servers, e.g. kafka-0.kafka:9092,kafka-1.kafka:9092"}},
		},
		{name: "a queue block of the wrong type is the schema's", overlay: "externalKafka: {enabled: true, brokerList: [a, b]}"},
		{
			name:    "objects carry no queue",
			objects: func() []coord.Object { return objects(haCluster()...) },
		},
	})
}
