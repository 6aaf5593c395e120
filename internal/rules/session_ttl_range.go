package rules

import (
	"fmt"
	"strconv"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// Session TTL bounds: below 15 s a session may expire during an etcd leader
// change (milvus PRs 45228, 45517 moved 2.6 from 10 s to 15 s); above 60 s a
// crashed ACTIVE coordinator is replaced only after a long outage.
const (
	minSessionTTL = 15
	maxSessionTTL = 60
)

var sessionTTLRange = Rule{
	ID:       "session-ttl-range",
	Severity: finding.Warning,
	Protects: "A session TTL below 15 s (sessions expire during an etcd leader change and coordinators exit) or above 60 s (a crashed active coordinator is replaced only after the TTL).",
	Fix:      "Set milvus.session.ttl between 15 and 60 seconds (30 is the Milvus 2.3-2.5 default).",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		for _, w := range m.Workloads {
			ttl, s, ok := w.SessionTTL()
			at, where, fix := s.At, s.Where, "set "+s.Where
			if s.Derived {
				fix = "set " + s.At.Path
			}
			if !ok {
				if s.Key != "" || !m.Version.Known {
					continue // no integer: Milvus falls back to its default, which the version tells
				}
				shipped, known := m.Version.Value.ShippedSessionTTL()
				if !known {
					continue
				}
				ttl, at = shipped, m.Version.At
				where = fmt.Sprintf("Milvus %s's shipped default", m.Version.Value)
				fix = fmt.Sprintf("set %s in the config of %s", coord.SessionTTLKey, w.Name)
			}
			subject := "ttl=" + strconv.Itoa(ttl)
			if seen[subject] || ttl < 1 {
				continue
			}
			switch {
			case ttl < minSessionTTL:
				seen[subject] = true
				out = append(out, Violation{Subject: subject, At: at,
					Message: fmt.Sprintf("common.session.ttl is %d s (%s): a session this short can expire during an etcd leader change, and an active coordinator that loses its lease exits (a crash fails over in about %d s plus the metadata reload)",
						ttl, where, ttl),
					Fix: fix + " to at least " + strconv.Itoa(minSessionTTL)})
			case ttl > maxSessionTTL:
				seen[subject] = true
				out = append(out, Violation{Subject: subject, At: at,
					Message: fmt.Sprintf("common.session.ttl is %d s (%s): after a crash, SIGKILL or node loss the standby takes over only when the lease expires, so the coordinator is down for about %d s plus the metadata reload",
						ttl, where, ttl),
					Fix: fix + " to at most " + strconv.Itoa(maxSessionTTL) + " (30 is the Milvus 2.3-2.5 default)"})
			}
		}
		return out
	},
}
