package rules

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// chartValuesFile is the chart's values.yaml: every test case starts from it.
const chartValuesFile = "../../charts/milvus-coord/values.yaml"

// chartDefaults returns a fresh copy of the chart's default values, parsed the
// way Helm parses them (numbers arrive as float64).
func chartDefaults(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(chartValuesFile)
	require.NoError(t, err)
	var defaults map[string]any
	require.NoError(t, yaml.Unmarshal(raw, &defaults))
	return defaults
}

// mergeOverlay returns overlay merged over base the way Helm coalesces user
// values over chart defaults: mappings merge, everything else is replaced, and a
// null removes a key the defaults have (a null for a key the defaults lack is
// kept, as Helm keeps it). Neither argument is modified.
func mergeOverlay(base, overlay map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(overlay))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overlay {
		old, inBase := base[k]
		switch {
		case v == nil && inBase:
			delete(out, k)
		case isMap(v) && isMap(old):
			out[k] = mergeOverlay(old.(map[string]any), v.(map[string]any))
		default:
			out[k] = v
		}
	}
	return out
}

func isMap(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// mergedValues returns the chart defaults with the YAML overlay merged over them.
func mergedValues(t *testing.T, overlay string) map[string]any {
	t.Helper()
	var user map[string]any
	// Strict: a duplicate key would silently drop half of a case.
	require.NoError(t, yaml.UnmarshalStrict([]byte(overlay), &user), "overlay:\n%s", overlay)
	return mergeOverlay(chartDefaults(t), user)
}

// setByUser returns a SetByUser that, like values.Provenance, reports a path as
// user-set when it, or a value enclosing it, is one of paths. No paths: nil, so
// blame falls back to its first path.
func setByUser(paths []string) func(string) bool {
	if paths == nil {
		return nil
	}
	return func(p string) bool {
		for _, s := range paths {
			if p == s || strings.HasPrefix(p, s+".") || strings.HasPrefix(p, s+"[") {
				return true
			}
		}
		return false
	}
}

// setAt returns a tweak that sets the value at a dotted path (keys without dots)
// in the merged values, e.g. an int64 as `--set` produces it.
func setAt(path string, v any) func(map[string]any) {
	return func(values map[string]any) {
		keys := strings.Split(path, ".")
		m := values
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		m[keys[len(keys)-1]] = v
	}
}

// result is one finding of a rule as the tests compare it.
type result struct {
	Path    string
	Message string
	Related []string
}

// runRule runs the single rule r through its check function and returns its
// findings as (path, message) pairs with their related paths. Every finding must
// explain itself and carry a fix; Rule and Severity are Run's to fill.
func runRule(t *testing.T, r Rule, in *Input) []result {
	t.Helper()
	var out []result
	for _, f := range r.check(in) {
		assert.NotEmpty(t, f.Path, "finding without a path: %+v", f)
		assert.NotEmpty(t, f.Message, "finding without a message: %+v", f)
		assert.NotEmpty(t, f.Fix, "finding without a fix: %+v", f)
		assert.Empty(t, f.Rule, "check must leave Rule to Run: %+v", f)
		assert.Zero(t, f.Severity, "check must leave Severity to Run: %+v", f)
		out = append(out, result{Path: f.Path, Message: f.Message, Related: f.Related})
	}
	return out
}

// want is one expected finding: its exact path, a part of its message that
// proves the reason and the numbers, and its exact related paths (nil for none).
type want struct {
	Path    string
	Msg     string
	Related []string
}

// ruleCase is one row of a rule's table test.
type ruleCase struct {
	name    string
	overlay string               // YAML merged over the chart defaults
	user    []string             // paths the user set (nil: SetByUser is nil)
	tweak   func(map[string]any) // optional edit of the merged values
	want    []want               // in the order the rule reports them
}

// runCases runs the table of cases against rule r.
func runCases(t *testing.T, r Rule, cases []ruleCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		require.False(t, seen[tc.name], "duplicate case name %q", tc.name)
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			values := mergedValues(t, tc.overlay)
			if tc.tweak != nil {
				tc.tweak(values)
			}
			in := &Input{Values: values, SetByUser: setByUser(tc.user)}
			var got []result
			require.NotPanics(t, func() { got = runRule(t, r, in) })
			require.Len(t, got, len(tc.want), "findings: %+v", got)
			for i, w := range tc.want {
				assert.Equal(t, w.Path, got[i].Path, "finding %d path (message %q)", i, got[i].Message)
				assert.Contains(t, got[i].Message, w.Msg, "finding %d message", i)
				assert.Equal(t, w.Related, got[i].Related, "finding %d related paths", i)
			}
		})
	}
}
