// Package rules holds the Milvus HA rules that valuescheck applies to merged
// values: one rule per file, each a small pure function of the values and the
// Milvus version, each with a stable ID and a table test beside it.
//
// Rules read values defensively: a value of the wrong type is the schema's
// finding, so a rule that cannot read what it needs stays silent.
package rules

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// Rule is one check.
type Rule struct {
	ID       string           // stable; shown in brackets after every finding
	Severity finding.Severity // of every finding it reports
	Protects string           // what goes wrong in Milvus without it
	Fix      string           // how to resolve its findings, in general
	// HelmAccepts is true when Helm renders the values this rule rejects:
	// valuescheck is stricter than Helm there.
	HelmAccepts bool
	check       func(*Input) []finding.Finding
}

// Input is what rules read.
type Input struct {
	// Values are the merged values, chart defaults included.
	Values map[string]any
	// SetByUser reports whether the value at a path came from the user's files
	// or flags rather than the chart defaults; rules use it to point at the
	// value the user wrote when two values conflict.
	SetByUser func(path string) bool
}

// All returns every rule, sorted by ID.
func All() []Rule {
	all := []Rule{
		haReplicasNeedStandby,
		mixcoordExclusive,
		coordinatorsIncomplete,
		milvusVersionCoordinators,
		indexCoordinatorRemoved,
		extraConfigIgnored,
		extraConfigContradicts,
		extraEnvOverrides,
		sessionTTLRange,
		haSpread,
		haDisruptionBudget,
		nonHARollingUpdate,
		haRolloutStrategy,
		messageQueue,
	}
	slices.SortFunc(all, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) })
	return all
}

// Run applies every rule and returns their findings, Rule and Severity set,
// Origin left for the caller to fill from Path.
func Run(in *Input) []finding.Finding {
	var out []finding.Finding
	for _, r := range All() {
		for _, f := range r.check(in) {
			f.Rule, f.Severity = r.ID, r.Severity
			out = append(out, f)
		}
	}
	return out
}

// blame returns the first of paths the user set, so a finding points at the
// line the user wrote; the first path when the defaults set them all.
func (in *Input) blame(paths ...string) string {
	for _, p := range paths {
		if in.SetByUser != nil && in.SetByUser(p) {
			return p
		}
	}
	return paths[0]
}

// coordinator is one coordinator block as the rules see it.
type coordinator struct {
	Key      string   // values key: rootCoordinator
	Role     string   // Milvus role: rootcoord (mixcoord for the mixed one)
	Sections []string // Milvus config sections it runs: rootCoord, ...
	Separate bool     // false for mixCoordinator
	Enabled  bool
	Replicas int
	HA       bool
	Block    map[string]any
}

func (c coordinator) path(p string) string { return c.Key + "." + p }

var coordinatorKeys = []struct {
	key, role string
	sections  []string
}{
	{"rootCoordinator", "rootcoord", []string{"rootCoord"}},
	{"queryCoordinator", "querycoord", []string{"queryCoord"}},
	{"dataCoordinator", "datacoord", []string{"dataCoord"}},
	{"mixCoordinator", "mixcoord", []string{"rootCoord", "queryCoord", "dataCoord"}},
}

// coordinators returns the coordinator blocks in chart order, leaving out a
// block whose enabled, replicas or activeStandby.enabled has the wrong type
// (the schema reports it; guessing its meaning would invent findings).
func (in *Input) coordinators() []coordinator {
	out := make([]coordinator, 0, len(coordinatorKeys))
	for _, k := range coordinatorKeys {
		block, ok := optionalMap(in.Values, k.key)
		if !ok {
			continue
		}
		enabled, okEnabled := optionalBool(block, "enabled")
		replicas, okReplicas := optionalInt(block, "replicas")
		standby, okStandby := optionalMap(block, "activeStandby")
		ha, okHA := optionalBool(standby, "enabled")
		if !okEnabled || !okReplicas || !okStandby || !okHA {
			continue
		}
		out = append(out, coordinator{
			Key: k.key, Role: k.role, Sections: k.sections, Separate: k.role != "mixcoord",
			Enabled: enabled, Replicas: replicas, HA: ha, Block: block,
		})
	}
	return out
}

// enabled returns the enabled coordinators.
func (in *Input) enabled() []coordinator {
	var out []coordinator
	for _, c := range in.coordinators() {
		if c.Enabled {
			out = append(out, c)
		}
	}
	return out
}

// enabledSeparate returns the enabled separate coordinators (not mixcoord).
func (in *Input) enabledSeparate() []coordinator {
	var out []coordinator
	for _, c := range in.enabled() {
		if c.Separate {
			out = append(out, c)
		}
	}
	return out
}

func mapAt(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// The optional* readers read a value the chart treats as its zero value when
// it is absent (a missing key, or null deleting it): ok is false only for a
// value of the wrong type.

func optionalMap(m map[string]any, key string) (map[string]any, bool) {
	switch v := m[key].(type) {
	case nil:
		return nil, true
	case map[string]any:
		return v, true
	}
	return nil, false
}

func optionalBool(m map[string]any, key string) (bool, bool) {
	switch v := m[key].(type) {
	case nil:
		return false, true
	case bool:
		return v, true
	}
	return false, false
}

func optionalString(m map[string]any, key string) (string, bool) {
	switch v := m[key].(type) {
	case nil:
		return "", true
	case string:
		return v, true
	}
	return "", false
}

func optionalInt(m map[string]any, key string) (int, bool) {
	if m[key] == nil {
		return 0, true
	}
	return intAt(m, key)
}

// stringAt reads a string, "" for anything else.
func stringAt(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// intAt reads a whole number: YAML numbers arrive as float64, --set ones as int64.
func intAt(m map[string]any, key string) (int, bool) {
	switch n := m[key].(type) {
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	case int64:
		return int(n), true
	case int:
		return n, true
	}
	return 0, false
}

// Version is a Milvus release read from an image tag.
type Version struct{ Major, Minor, Patch int }

var versionTag = regexp.MustCompile(`^v?(\d+)\.(\d+)(?:\.(\d+))?`)

// ParseVersion reads the Milvus version from an image tag such as "v2.4.17";
// false for tags that carry none (a digest, "latest", a branch build).
func ParseVersion(tag string) (Version, bool) {
	m := versionTag.FindStringSubmatch(tag)
	if m == nil {
		return Version{}, false
	}
	var v Version
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		v.Patch, _ = strconv.Atoi(m[3])
	}
	return v, true
}

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v Version) String() string {
	return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) + "." + strconv.Itoa(v.Patch)
}

// imageVersion is the Milvus version of the image, if the tag tells it.
func (in *Input) imageVersion() (Version, string, bool) {
	tag := stringAt(mapAt(in.Values, "image", "all"), "tag")
	v, ok := ParseVersion(tag)
	return v, tag, ok
}
