package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// extraConfigCredentials: a secret written into a Milvus config file sits in
// clear in a ConfigMap (anyone who may read ConfigMaps reads it, and it is in
// every `helm get values` and rendered manifest), and where the chart sets the
// key's env var from a Secret (MINIO_ACCESS_KEY_ID, MINIO_SECRET_ACCESS_KEY,
// ...), Milvus reads the env over the file: the file's value is silently
// ignored as well.
var extraConfigCredentials = Rule{
	ID:       "extra-config-credentials",
	Severity: finding.Error,
	Protects: "Credentials (minio.accessKeyID, minio.secretAccessKey, etcd.auth.password, kafka.saslPassword, pulsar.authParams, ...) in milvus.extraConfig or extraConfigFiles: they sit in clear in a ConfigMap, and the env vars the chart sets from its Secret override them (env beats files).",
	Fix:      "Remove the key and set the values that take it from a Secret (externalS3.*, externalEtcd.auth.*, externalKafka.sasl.password, externalPulsar.authParams, or their existingSecret); for a secret the chart has no value for, an extraEnv entry with valueFrom.secretKeyRef.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		for _, w := range m.Workloads {
			for _, f := range w.Config.Files {
				for _, s := range f.Settings() {
					c, ok := coord.CredentialFor(s.Norm)
					if !ok || s.Derived {
						continue
					}
					subject := s.Norm + "@" + credentialSource(s.At)
					if seen[subject] {
						continue
					}
					seen[subject] = true
					out = append(out, credentialViolation(m, w, c, s, subject))
				}
			}
		}
		return out
	},
}

// credentialSource names where a config-file setting was written, in the
// same words for the values and the guard that refuses them: the values key
// the user wrote it under, or the object for manifests.
func credentialSource(at coord.Source) string {
	switch {
	case at.Object != "":
		return at.Name()
	case strings.HasPrefix(at.Path, "milvus.extraConfig"):
		return "milvus.extraConfig"
	case strings.HasPrefix(at.Path, "extraConfigFiles"):
		return "extraConfigFiles"
	}
	return at.Path
}

func credentialViolation(m *coord.Model, w *coord.Workload, c coord.Credential, s coord.Setting, subject string) Violation {
	overridden := ""
	if win, _, ok := w.Config.Lookup(c.Key); ok && w.Config.InEnv(win) {
		overridden = fmt.Sprintf(", and %s reads %s from the environment over it (Milvus reads env over config files), so the setting is silently ignored", w.Name, win.Key)
	}
	v := Violation{Subject: subject, At: s.At,
		Message: fmt.Sprintf("%s is a credential (%s) written into a Milvus config file: it sits in clear in a ConfigMap%s", s.Where, c.Key, overridden)}
	switch {
	case s.At.Object != "":
		v.Fix = fmt.Sprintf("remove %s from the config file and set env %s from a Secret (valueFrom.secretKeyRef) instead", s.Key, c.Env())
	case c.Values != "":
		v.Fix = fmt.Sprintf("remove %s and set %s (or %s, the name of a Secret)", s.Where, c.Values, c.Secret)
	default:
		blocks := make([]string, 0, len(m.Workloads))
		for _, w := range m.Workloads {
			blocks = append(blocks, w.Block+".extraEnv")
		}
		v.Fix = fmt.Sprintf("remove %s and add to %s an entry {name: %s, valueFrom: {secretKeyRef: {name: <Secret>, key: <key>}}}", s.Where, strings.Join(blocks, ", "), c.Env())
	}
	return v
}
