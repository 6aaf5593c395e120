package rules

import "github.com/milvus-coord/milvus-coord/internal/finding"

// messageQueue: Milvus uses exactly one message queue; the chart writes
// mq.type from externalPulsar/externalKafka. With Kafka, an empty broker list
// renders a config with which every coordinator fails to start.
var messageQueue = Rule{
	ID:       "message-queue",
	Severity: finding.Error,
	Protects: "Zero or two message queues, or Kafka without brokers: the coordinators cannot reach the cluster's message queue.",
	Fix:      "Enable exactly one of externalPulsar and externalKafka, with its address.",
	check: func(in *Input) []finding.Finding {
		pulsarBlock, ok1 := optionalMap(in.Values, "externalPulsar")
		kafkaBlock, ok2 := optionalMap(in.Values, "externalKafka")
		pulsar, ok3 := optionalBool(pulsarBlock, "enabled")
		kafka, ok4 := optionalBool(kafkaBlock, "enabled")
		brokers, ok5 := optionalString(kafkaBlock, "brokerList")
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
			return nil // the schema reports the wrong type
		}
		related := []string{"externalPulsar.enabled", "externalKafka.enabled"}
		switch {
		case pulsar && kafka:
			return []finding.Finding{{
				Path: in.blame("externalKafka.enabled", "externalPulsar.enabled"), Related: related,
				Message: "externalPulsar.enabled and externalKafka.enabled are both true: Milvus uses exactly one message queue",
				Fix:     "set externalPulsar.enabled: false to use Kafka, or externalKafka.enabled: false to use Pulsar",
			}}
		case !pulsar && !kafka:
			return []finding.Finding{{
				Path: in.blame("externalPulsar.enabled", "externalKafka.enabled"), Related: related,
				Message: "externalPulsar.enabled and externalKafka.enabled are both false: Milvus needs a message queue",
				Fix:     "set externalPulsar.enabled: true or externalKafka.enabled: true (with externalKafka.brokerList)",
			}}
		case kafka && brokers == "":
			return []finding.Finding{{
				Path:    "externalKafka.brokerList",
				Message: "externalKafka.enabled is true but externalKafka.brokerList is empty: the coordinators cannot reach Kafka and fail to start",
				Fix:     "set externalKafka.brokerList to the bootstrap servers, e.g. kafka-0.kafka:9092,kafka-1.kafka:9092",
			}}
		}
		return nil
	},
}
