package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// kafkaSASLIncomplete: Milvus builds its Kafka client config with a panic
// when exactly one of kafka.saslUsername and kafka.saslPassword is empty
// (pkg/mq/msgstream/mqwrapper/kafka/kafka_client.go GetBasicConfig: "enable
// security mode need config username and password at the same time!"): the
// coordinator crash-loops at start.
var kafkaSASLIncomplete = Rule{
	ID:       "kafka-sasl-incomplete",
	Severity: finding.Error,
	Protects: "Kafka with a SASL user name but no password, or a password but no user name: Milvus panics at start (\"enable security mode need config username and password at the same time!\").",
	Fix:      "Set both externalKafka.sasl.username and externalKafka.sasl.password (or externalKafka.existingSecret), or neither.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			if mq, _, ok := w.Config.Lookup(coord.MQTypeKey); !ok || mq.Value != "kafka" {
				continue
			}
			user, userSet := saslValue(w, coord.KafkaSASLUserKey)
			pass, passSet := saslValue(w, coord.KafkaSASLPassKey)
			if userSet == passSet {
				continue
			}
			subject := w.Block
			if subject == "" {
				subject = w.Name
			}
			v := Violation{Subject: subject}
			if userSet {
				v.At = user.At
				v.Message = fmt.Sprintf("%s sets the Kafka SASL user name, but %s reads no kafka.saslPassword: Milvus panics at start (\"enable security mode need config username and password at the same time!\") and the pods crash-loop", user.Where, w.Name)
				v.Fix = "set externalKafka.sasl.password (or externalKafka.existingSecret, the name of a Secret with key saslpassword)"
				if user.At.Object != "" {
					v.Fix = "set env KAFKA_SASL_PASSWORD from a Secret, or remove kafka.saslUsername"
				}
			} else {
				v.At = pass.At
				v.Message = fmt.Sprintf("%s sets the Kafka SASL password, but %s reads no kafka.saslUsername: Milvus panics at start (\"enable security mode need config username and password at the same time!\") and the pods crash-loop", pass.Where, w.Name)
				v.Fix = "set externalKafka.sasl.username"
				if pass.At.Object != "" {
					v.Fix = "set kafka.saslUsername in the config file, or remove the password"
				}
			}
			out = append(out, v)
		}
		return out
	},
}

// saslValue is the setting Milvus reads for key and whether it is non-empty
// (a value from a Secret counts as set).
func saslValue(w *coord.Workload, key string) (coord.Setting, bool) {
	s, _, ok := w.Config.Lookup(key)
	return s, ok && (s.Unknown || s.Value != "")
}
