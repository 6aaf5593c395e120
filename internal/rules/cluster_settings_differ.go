package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// clusterSettingsDiffer: the coordinators share etcd, object storage, the
// message queue and its channel names, authorization and (2.5) the streaming
// switch with each other and with every other Milvus pod. A per-coordinator
// override (an extraEnv entry on one block) splits them: one coordinator
// registers its session under another root path, or reads other channels,
// and the cluster breaks without an error that names the cause.
var clusterSettingsDiffer = Rule{
	ID:       "cluster-settings-differ",
	Severity: finding.Error,
	Protects: "Coordinators that read a cluster-wide setting (etcd endpoints, root path, auth and TLS; object storage address, bucket and TLS; mq.type; msgChannel.chanNamePrefix.cluster; common.security.authorizationEnabled; MILVUS_STREAMING_SERVICE_ENABLED) differently: they no longer see one cluster.",
	Fix:      "Set the setting once for every coordinator (its value, milvus.extraConfig or milvus.streaming.enabled), not in one coordinator's extraEnv.",
	check: func(m *coord.Model) []Violation {
		if len(m.Workloads) < 2 {
			return nil
		}
		var out []Violation
		for _, key := range coord.ClusterShared {
			if key == coord.StreamingEnv && m.Version.Known && !m.Version.Value.ReadsStreamingEnv() {
				continue // 2.4 has no streaming service; 2.6 sets the variable itself
			}
			first := m.Workloads[0]
			a, aSet := sharedValue(first, key)
			if a.Unknown {
				continue
			}
			for _, w := range m.Workloads[1:] {
				b, bSet := sharedValue(w, key)
				if b.Unknown || sameShared(key, a, aSet, b, bSet) {
					continue
				}
				// Blame the workload whose value is its own: an env var of
				// one block, rather than the setting all the others share.
				blame, other, bw, ow := b, a, w, first
				if aSet && first.Config.InEnv(a) && !a.Derived && !(bSet && w.Config.InEnv(b) && !b.Derived) {
					blame, other, bw, ow = a, b, first, w
				}
				at := blame.At
				if at == (coord.Source{}) {
					at = bw.Self()
				}
				fix := fmt.Sprintf("remove %s, so that %s reads the value every coordinator reads", settingWhere(blame), bw.Name)
				if block, _, ok := strings.Cut(blame.At.Path, ".extraEnv["); ok && blame.At.Object == "" {
					fix = fmt.Sprintf("remove %s from %s.extraEnv and set it for every coordinator", blame.Key, block)
					if key != coord.StreamingEnv {
						fix += fmt.Sprintf(" in milvus.extraConfig (%s: %s)", key, blame.Value)
					} else {
						fix += " with milvus.streaming.enabled"
					}
				}
				if blame.Derived || blame.Where == "" {
					fix = fmt.Sprintf("set %s for every coordinator alike (milvus.extraConfig, or the chart's value for it), not in one block", key)
				}
				out = append(out, Violation{Subject: coord.NormalizeKey(key), At: at,
					Message: fmt.Sprintf("%s reads %s as %s (%s) but %s reads %s (%s): every Milvus pod of one cluster must read it alike, or this coordinator works against another etcd prefix, storage, queue or channel set than the rest, or judges privileges otherwise",
						bw.Name, key, shownValue(blame), settingWhere(blame), ow.Name, shownValue(other), settingWhere(other)),
					Fix: fix})
				break
			}
		}
		return out
	},
}

func sharedValue(w *coord.Workload, key string) (coord.Setting, bool) {
	s, _, ok := w.Config.Lookup(key)
	return s, ok
}

// sameShared compares two workloads' readings of key as Milvus reads them:
// the streaming switch is on only for "1", booleans as parsed, the rest as
// written (unset is Milvus' default, the same for both).
func sameShared(key string, a coord.Setting, aSet bool, b coord.Setting, bSet bool) bool {
	if key == coord.StreamingEnv {
		return (aSet && strings.TrimSpace(a.Value) == "1") == (bSet && strings.TrimSpace(b.Value) == "1")
	}
	if !aSet || !bSet {
		return aSet == bSet
	}
	if n := coord.NormalizeKey(key); strings.HasSuffix(n, "enabled") || n == "miniousessl" {
		x, _ := coord.ParseBool(a.Value)
		y, _ := coord.ParseBool(b.Value)
		return x == y
	}
	return coord.SameValue(key, a, b)
}

func shownValue(s coord.Setting) string {
	if s.Where == "" {
		return "unset"
	}
	return quote(s.Value)
}

func settingWhere(s coord.Setting) string {
	if s.Where == "" {
		return "Milvus' default"
	}
	return s.Where
}
