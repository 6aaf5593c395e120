package rules

import (
	"fmt"
	slashpath "path"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// haLivenessKillsStandby: /healthz answers 500 unless every component is
// Healthy or StandBy (internal/http/healthz/healthz_handler.go). A standby
// promoted to ACTIVE goes through Initializing while it reloads its metadata
// from etcd (rootcoord's initInternal: initMetaTable), which on a large
// cluster outlasts the liveness probe's failures: the kubelet restarts the
// new ACTIVE coordinator in the middle of the takeover (milvus issue 37630,
// PR 38406). The upstream chart's 4.x renders exactly that probe; 5.x, the
// operator and this chart probe liveness with tcpSocket on the HTTP port,
// which the HTTP server opens before the components start.
var haLivenessKillsStandby = Rule{
	ID:       "ha-liveness-kills-standby",
	Severity: finding.Warning,
	Protects: "An HA coordinator whose liveness probe is httpGet /healthz: /healthz fails while a promoted standby reloads its metadata, and the kubelet restarts it mid-takeover.",
	Fix:      "Probe liveness with tcpSocket on the HTTP port (9091, named metrics); keep /healthz for readiness.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		for _, w := range m.Workloads {
			if !w.Liveness.Known || !replicasAbove(w, 1) {
				continue
			}
			p := w.Liveness.Value
			if p.Kind != coord.ProbeHTTPGet || !isHealthz(p.Path) {
				continue
			}
			if on, _, _ := standbyOn(m, w); !on {
				continue
			}
			port := p.Port
			if port == "" {
				port = "9091"
			}
			fix := p.Remedy
			if fix == "" {
				fix = fmt.Sprintf("in %s, replace httpGet with tcpSocket: {port: %s}", p.At.Name(), port)
			}
			out = append(out, Violation{Subject: w.RoleNames(), At: p.At,
				Message: fmt.Sprintf("%s runs %d active-standby replicas with liveness probe httpGet %s on port %s: /healthz fails while a promoted standby reloads its metadata (state Initializing), so the kubelet may restart the new ACTIVE coordinator mid-takeover (milvus issue 37630)",
					w.Name, w.Replicas.Value, p.Path, port),
				Fix: fix})
		}
		return out
	},
}

// isHealthz reports whether an httpGet path asks Milvus' /healthz.
func isHealthz(p string) bool {
	p, _, _ = strings.Cut(p, "?")
	return slashpath.Clean("/"+p) == "/healthz"
}
