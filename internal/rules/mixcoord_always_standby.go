package rules

import (
	"fmt"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// mixcoordAlwaysStandby: from Milvus 2.6.8 mixcoord registers its session
// active-standby whatever the config says (internal/coordinator/mix_coord.go
// SetEnableActiveStandBy(true), milvus PR 46457), so a setting that turns it
// off does nothing: the user believes in a mode Milvus does not run. The chart
// renders such a mixcoord as HA (rolling update, budget, spread) all the same.
var mixcoordAlwaysStandby = Rule{
	ID:       "mixcoord-always-standby",
	Severity: finding.Warning,
	Protects: "Active-standby turned off for mixcoord on Milvus 2.6.8 or later, which runs it active-standby whatever the config says: the setting has no effect.",
	Fix:      "Set mixCoordinator.activeStandby.enabled: true (or remove the setting that turns it off).",
	check: func(m *coord.Model) []Violation {
		if !m.Version.Known || !m.Version.Value.MixcoordAlwaysStandby() {
			return nil
		}
		var out []Violation
		for _, w := range m.Workloads {
			if w.Process != coord.Mixcoord {
				continue
			}
			why := fmt.Sprintf("but %s is %s and from Milvus 2.6.8 mixcoord runs active-standby whatever the config says: the setting has no effect",
				m.Version.At.Name(), m.Tag.Value)
			if w.Declared.Known {
				if !w.Declared.Value {
					out = append(out, Violation{Subject: coord.MixcoordName, At: w.Declared.At,
						Message: fmt.Sprintf("%s is false, %s, and the chart renders %s as HA (rolling update, disruption budget, spread)", w.Declared.At.Name(), why, w.Name),
						Fix:     fmt.Sprintf("set %s: true", w.Declared.At.Name())})
				}
				continue
			}
			// What 2.6.0 to 2.6.7 would read: mixcoord's own key, else rootCoord's.
			for _, section := range []string{coord.MixcoordSection, coord.RootCoord.Section} {
				s, _, ok := w.Config.Lookup(coord.ActiveStandbyKey(section))
				if !ok {
					continue
				}
				if on, _ := coord.ParseBool(s.Value); !on && !s.Unknown {
					out = append(out, Violation{Subject: coord.MixcoordName, At: s.At,
						Message: fmt.Sprintf("%s is %s, %s", s.Where, quote(s.Value), why),
						Fix:     fmt.Sprintf("set %s to true", s.Where)})
				}
				break
			}
		}
		return out
	},
}
