package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haStandbyUnverifiable: when the key that decides active-standby comes from
// a source the input does not hold (the upstream chart's customConfigMap,
// which replaces the config the chart writes and its enableActiveStandby with
// it; an env var from a Secret), the mode of a coordinator with several
// replicas cannot be checked: if that source leaves the key unset, Milvus'
// default false applies and the extra replicas crash-loop on the session key.
var haStandbyUnverifiable = Rule{
	ID:       "ha-standby-unverifiable",
	Severity: finding.Warning,
	Protects: "A coordinator with more than one replica whose enableActiveStandby comes from a config the input does not show (customConfigMap, an env var from a Secret): if it does not say true, the extra replicas crash-loop.",
	Fix:      "Set active-standby where it can be checked (the coordinator's activeStandby.enabled, extraConfigFiles), or make sure the external config sets <section>.enableActiveStandby: true.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			if !replicasAbove(w, 1) || w.Declared.Known {
				continue
			}
			for _, r := range w.Roles {
				s := w.ActiveStandby(r, m.Version)
				if !s.Unknown || s.Always {
					continue
				}
				key := coord.ActiveStandbyKey(r.Section)
				v := Violation{Subject: w.RoleNames(), At: s.Setting.At,
					Message: fmt.Sprintf("%s runs %d replicas and reads %s from %s, which is not among the input: if it does not set %s: true, Milvus runs %s without active-standby and the extra replicas crash-loop on the session key",
						w.Name, w.Replicas.Value, key, s.Setting.Where, key, r.Name),
					Fix: fmt.Sprintf("make sure %s sets %s: true", s.Setting.Where, key)}
				if s.Setting.At.Object != "" && strings.HasPrefix(s.Setting.Where, "ConfigMap ") {
					name := strings.TrimPrefix(s.Setting.Where, "ConfigMap ")
					v.Fix = fmt.Sprintf("pass %s with the objects (kubectl get configmap %s -o yaml), so that what it sets can be checked, and make sure it sets %s: true", s.Setting.Where, name, key)
				}
				if s.Setting.At.Path == "customConfigMap" && w.Block != "" {
					v.Fix = fmt.Sprintf("remove customConfigMap and set %s.activeStandby.enabled: true (put your own settings in extraConfigFiles[\"user.yaml\"])", w.Block)
				}
				out = append(out, v)
				break
			}
		}
		return out
	},
}
