package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// milvusVersionCoordinators: Milvus 2.6 removed the separate coordinator
// binaries; `milvus run rootcoord` exits with "Unknown server type".
var milvusVersionCoordinators = Rule{
	ID:       "milvus-version-coordinators",
	Severity: finding.Error,
	Protects: "Separate coordinators on Milvus 2.6 or later, which only has mixcoord: the pods exit with \"Unknown server type\".",
	Fix:      "On 2.6 or later enable mixCoordinator and disable rootCoordinator, queryCoordinator and dataCoordinator.",
	check: func(in *Input) []finding.Finding {
		v, tag, ok := in.imageVersion()
		if !ok || !v.AtLeast(2, 6) {
			return nil
		}
		var out []finding.Finding
		for _, c := range in.enabledSeparate() {
			enabled := c.path("enabled")
			out = append(out, finding.Finding{
				Path:    in.blame("image.all.tag", enabled),
				Related: []string{"image.all.tag", enabled},
				Message: fmt.Sprintf("image.all.tag is %s (Milvus %d.%d) and %s is true: Milvus 2.6 has no separate %s, the pod exits with \"Unknown server type\"",
					tag, v.Major, v.Minor, enabled, c.Role),
				Fix: fmt.Sprintf("set %s: false and mixCoordinator.enabled: true", enabled),
			})
		}
		return out
	},
}
