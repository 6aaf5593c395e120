package rules

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// streamingServiceEnv: Milvus 2.5 turns its streaming service on from the
// environment alone, and only for the exact text "1"
// (internal/util/streamingutil/env.go: os.Getenv(...) == "1"). "true" leaves
// the coordinators without it while the streaming nodes run with it. Before
// 2.5 nothing reads the variable (there is no streaming service); 2.6 sets it
// itself at start, so there it changes nothing and is not reported.
var streamingServiceEnv = Rule{
	ID:       "streaming-service-env",
	Severity: finding.Error,
	Protects: "MILVUS_STREAMING_SERVICE_ENABLED set to anything but 1 (Milvus reads only \"1\" as on), or set for a Milvus before 2.5, which has no streaming service.",
	Fix:      "Set milvus.streaming.enabled: true on Milvus 2.5 (it writes MILVUS_STREAMING_SERVICE_ENABLED=1), and remove the variable elsewhere.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		for _, w := range m.Workloads {
			s, _, ok := w.Config.Lookup(coord.StreamingEnv)
			if !ok || s.Unknown {
				continue
			}
			subject := "streaming@" + s.At.Name()
			if seen[subject] {
				continue
			}
			v := strings.TrimSpace(s.Value)
			switch {
			case v != "1" && v != "":
				seen[subject] = true
				out = append(out, Violation{Subject: subject, At: s.At,
					Message: fmt.Sprintf("%s sets %s to %s, but Milvus turns the streaming service on only for the text \"1\": %s runs without it, and beside streaming nodes the cluster does not work", s.Where, coord.StreamingEnv, quote(s.Value), w.Name),
					Fix:     fmt.Sprintf("remove %s and set milvus.streaming.enabled: true (or false)", streamingTarget(s))})
			case v == "1" && m.Version.Known && !m.Version.Value.HasStreamingService():
				seen[subject] = true
				out = append(out, Violation{Subject: subject, At: s.At,
					Message: fmt.Sprintf("%s sets %s, but Milvus %s has no streaming service (it came with 2.5): nothing reads it", s.Where, coord.StreamingEnv, m.Version.Value),
					Fix:     fmt.Sprintf("remove %s", streamingTarget(s))})
			}
		}
		return out
	},
}

// streamingTarget names the setting to remove: the values key, or the env var.
func streamingTarget(s coord.Setting) string {
	if s.Derived {
		return "milvus.streaming.enabled"
	}
	if s.At.Object == "" && s.At.Path != "" {
		return strings.TrimSuffix(s.At.Path, ".name")
	}
	return "env " + s.Key
}
