package rules

import (
	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// messageQueue: Milvus uses exactly one message queue, and every component
// must use the same one.
var messageQueue = Rule{
	ID:       "message-queue",
	Severity: finding.Error,
	Protects: "Zero or two message queues, or Kafka without brokers: the coordinators cannot reach the cluster's message queue.",
	Fix:      "Enable exactly one of externalPulsar and externalKafka, with its address.",
	check: func(m *coord.Model) []Violation {
		if !m.Queue.Known {
			return nil
		}
		q := m.Queue.Value
		var out []Violation
		switch {
		case q.Pulsar && q.Kafka:
			out = append(out, Violation{Subject: "queue", At: m.Blame(q.KafkaAt, q.PulsarAt),
				Message: "externalPulsar.enabled and externalKafka.enabled are both true: Milvus uses exactly one message queue",
				Fix:     "set externalPulsar.enabled: false to use Kafka, or externalKafka.enabled: false to use Pulsar"})
		case !q.Pulsar && !q.Kafka:
			out = append(out, Violation{Subject: "queue", At: m.Blame(q.PulsarAt, q.KafkaAt),
				Message: "externalPulsar.enabled and externalKafka.enabled are both false: Milvus needs a message queue",
				Fix:     "set externalPulsar.enabled: true or externalKafka.enabled: true (with externalKafka.brokerList)"})
		}
		if q.Kafka && q.KafkaBrokers == "" {
			out = append(out, Violation{Subject: "kafka-brokers", At: q.BrokersAt,
				Message: "externalKafka.enabled is true but externalKafka.brokerList is empty: the coordinators cannot reach Kafka and fail to start",
				Fix:     "set externalKafka.brokerList to the bootstrap servers, e.g. kafka-0.kafka:9092,kafka-1.kafka:9092"})
		}
		return out
	},
}
