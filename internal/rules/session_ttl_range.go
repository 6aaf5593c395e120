package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

const (
	// minSessionTTL: Milvus 2.6.0-2.6.5 shipped 10 s, which proved too short to
	// survive an etcd leader change (milvus PRs 45228/45517 raised it again).
	minSessionTTL = 15
	// maxSessionTTL: after a crash the standby waits a full TTL; past a minute the
	// coordinator's outage is longer than any shipped Milvus default.
	maxSessionTTL = 60
)

// sessionTTLRange warns about a common.session.ttl outside 15-60 s.
var sessionTTLRange = Rule{
	ID:          "session-ttl-range",
	Severity:    finding.Warning,
	Protects:    "A session TTL below 15 s (sessions expire during an etcd leader change and coordinators exit) or above 60 s (a crashed active coordinator is replaced only after the TTL).",
	Fix:         "Set milvus.session.ttl between 15 and 60 seconds (30 is the Milvus 2.3-2.5 default).",
	HelmAccepts: true,
	check: func(in *Input) []finding.Finding {
		path, name := "milvus.session.ttl", "milvus.session.ttl"
		ttl, ok := intAt(mapAt(in.Values, "milvus", "session"), "ttl")
		// Extra config is merged over the chart's user.yaml, so its TTL is the one
		// Milvus reads; a TTL there that is not a number cannot be judged.
		for _, src := range in.extraConfigSources() {
			if v, found := mapAt(src.config, "common", "session")["ttl"]; found {
				ttl, ok = intAt(map[string]any{"ttl": v}, "ttl")
				path, name = pathIn(src, "common.session.ttl"), src.where("common.session.ttl")
			}
		}
		switch {
		case !ok || ttl < 1:
			return nil // not a TTL Milvus can run with: the schema reports it
		case ttl < minSessionTTL:
			return []finding.Finding{{
				Path: path,
				Message: fmt.Sprintf("common.session.ttl is %d s: a session this short can expire during an etcd leader change, and an active coordinator that loses its lease exits (a crash fails over in about %d s plus the metadata reload)",
					ttl, ttl),
				Fix: fmt.Sprintf("set %s to at least %d", name, minSessionTTL),
			}}
		case ttl > maxSessionTTL:
			return []finding.Finding{{
				Path: path,
				Message: fmt.Sprintf("common.session.ttl is %d s: after a crash, SIGKILL or node loss the standby takes over only when the lease expires, so the coordinator is down for about %d s plus the metadata reload",
					ttl, ttl),
				Fix: fmt.Sprintf("set %s to at most %d (30 is the Milvus 2.3-2.5 default)", name, maxSessionTTL),
			}}
		}
		return nil
	},
}
