package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
	// go test ./... -update passes -update to every test binary; the golden
	// package defines the flag, so this package accepts it too.
	_ "github.com/milvus-coord/milvus-coord/internal/golden"
)

// userSet is a Model.UserSet that, like the values' provenance, reports a
// path as set when it or a value enclosing it is one of paths.
func userSet(paths []string) func(string) bool {
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

// valuesModel is the model of the chart defaults with overlay merged over them.
func valuesModel(t testing.TB, overlay string, user []string) *coord.Model {
	t.Helper()
	var u map[string]any
	require.NoError(t, yaml.UnmarshalStrict([]byte(overlay), &u), "overlay:\n%s", overlay)
	m := coord.FromValues(testtools.Coalesce(testtools.ChartDefaults(t), u))
	m.UserSet = userSet(user)
	return m
}

// want is one expected violation: its subject, where it points (Path, Object
// and Block of At), a fragment of its message that proves the reason and the
// numbers, and its fix, exact when given.
type want struct {
	Subject string
	At      coord.Source
	Msg     string
	Fix     string
}

// ruleCase is one row of a rule's table: values (the chart defaults with
// overlay, user naming the paths the user set) or, when objects is set, the
// model of those objects.
type ruleCase struct {
	name    string
	overlay string
	user    []string
	objects func() []coord.Object
	want    []want // in the order the rule reports them
}

func runCases(t *testing.T, r Rule, cases []ruleCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		require.False(t, seen[tc.name], "duplicate case %q", tc.name)
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			var m *coord.Model
			if tc.objects != nil {
				m = coord.FromObjects(tc.objects())
			} else {
				m = valuesModel(t, tc.overlay, tc.user)
			}
			var got []Violation
			require.NotPanics(t, func() { got = r.check(m) })
			require.Len(t, got, len(tc.want), "violations: %s", describe(got))
			for i, w := range tc.want {
				g := got[i]
				assert.NotEmpty(t, g.Message, "violation %d without message", i)
				assert.NotEmpty(t, g.Fix, "violation %d without fix", i)
				assert.Equal(t, w.Subject, g.Subject, "violation %d subject", i)
				at := g.At
				at.Origin = coordOriginZero
				assert.Equal(t, w.At, at, "violation %d at (message %q)", i, g.Message)
				assert.Contains(t, g.Message, w.Msg, "violation %d message", i)
				if w.Fix != "" {
					assert.Equal(t, w.Fix, g.Fix, "violation %d fix", i)
				}
			}
		})
	}
}

var coordOriginZero = coord.Source{}.Origin

func describe(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("\n  " + v.Subject + " @ " + v.At.Name() + " [" + v.At.Block + "]: " + v.Message + "; FIX " + v.Fix)
	}
	return b.String()
}

// path is a values source.
func path(p string) coord.Source { return coord.Source{Path: p} }

// separateOff turns the separate coordinators off; with mixCoordinator on,
// every role runs in it.
const separateOff = `
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`
