package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// etcdAuthIncomplete: with etcd.auth.enabled Milvus logs in to etcd with
// etcd.auth.userName and etcd.auth.password (pkg/util/paramtable
// service_param.go EtcdEnableAuth and friends); without a user name or a
// password etcd refuses the coordinators, which cannot start.
var etcdAuthIncomplete = Rule{
	ID:       "etcd-auth-incomplete",
	Severity: finding.Error,
	Protects: "etcd authentication turned on without a user name or a password: etcd refuses the coordinators and they never start.",
	Fix:      "Set externalEtcd.auth.userName and externalEtcd.auth.password (or externalEtcd.auth.existingSecret), or turn externalEtcd.auth.enabled off.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		for _, w := range m.Workloads {
			on, _, ok := w.Config.Lookup(coord.EtcdAuthKey)
			if !ok || on.Unknown {
				continue
			}
			if b, _ := coord.ParseBool(on.Value); !b {
				continue
			}
			_, user := saslValue(w, coord.EtcdAuthUserKey)
			_, pass := saslValue(w, coord.EtcdAuthPassKey)
			if user && pass {
				continue
			}
			missing, fix := "password", "set externalEtcd.auth.password (or externalEtcd.auth.existingSecret, the name of a Secret with key etcdpassword)"
			if !user {
				missing, fix = "user name", "set externalEtcd.auth.userName"
				if !pass {
					missing = "user name and no password"
					fix = "set externalEtcd.auth.userName and externalEtcd.auth.password (or externalEtcd.auth.existingSecret)"
				}
			}
			if on.At.Object != "" {
				fix = "set etcd.auth.userName in the config file and env ETCD_AUTH_PASSWORD from a Secret, or turn etcd.auth.enabled off"
			}
			subject := "etcd-auth@" + on.At.Name()
			if seen[subject] {
				continue
			}
			seen[subject] = true
			out = append(out, Violation{Subject: subject, At: on.At,
				Message: fmt.Sprintf("%s turns etcd authentication on, but %s reads no %s: etcd refuses the coordinators and they never start", on.Where, w.Name, missing),
				Fix:     fix})
		}
		return out
	},
}
