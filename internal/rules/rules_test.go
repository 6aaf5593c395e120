package rules

import (
	"cmp"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

func TestAll(t *testing.T) {
	all := All()
	ids := make([]string, 0, len(all))
	for _, r := range all {
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{
		"coordinators-incomplete",
		"extra-config-contradicts",
		"extra-config-ignored",
		"extra-env-overrides",
		"ha-disruption-budget",
		"ha-replicas-need-standby",
		"ha-rollout-strategy",
		"ha-spread",
		"indexcoord-removed",
		"message-queue",
		"milvus-version-coordinators",
		"mixcoord-exclusive",
		"non-ha-rolling-update",
		"session-ttl-range",
	}, ids, "every rule, sorted by ID")
	assert.True(t, slices.IsSortedFunc(all, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) }), "sorted by ID")

	idPattern := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, r := range all {
		assert.False(t, seen[r.ID], "duplicate rule ID %s", r.ID)
		seen[r.ID] = true
		assert.Regexp(t, idPattern, r.ID)
		assert.NotEmpty(t, r.Protects, "%s: Protects", r.ID)
		assert.NotEmpty(t, r.Fix, "%s: Fix", r.ID)
		assert.NotNil(t, r.check, "%s: check", r.ID)
		assert.Contains(t, []finding.Severity{finding.Error, finding.Warning}, r.Severity, "%s: Severity", r.ID)
	}
}

func TestRun(t *testing.T) {
	severity := map[string]finding.Severity{}
	for _, r := range All() {
		severity[r.ID] = r.Severity
	}
	cases := []struct {
		name    string
		values  func(t *testing.T) map[string]any
		user    []string
		wantIDs []string // rule IDs of the findings, in order
		anyIDs  bool     // only no panic, and Rule and Severity set
	}{
		{
			name:   "chart defaults are clean",
			values: chartDefaults,
		},
		{
			name: "findings of several rules, errors and warnings",
			values: func(t *testing.T) map[string]any {
				return mergedValues(t, `
rootCoordinator:
  replicas: 3
  activeStandby: {enabled: false}
milvus:
  session: {ttl: 5}
podDisruptionBudget: {enabled: false}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
indexCoordinator: {enabled: true}
`)
			},
			user: []string{"rootCoordinator.replicas"},
			wantIDs: []string{
				"ha-disruption-budget",
				"ha-replicas-need-standby",
				"indexcoord-removed",
				"session-ttl-range",
			},
		},
		{
			name:   "no values at all: no panic",
			values: func(*testing.T) map[string]any { return nil },
			anyIDs: true,
		},
		{
			name: "every block of the wrong type: no panic",
			values: func(*testing.T) map[string]any {
				return map[string]any{
					"image":               "milvusdb/milvus:v2.6.0",
					"milvus":              3.0,
					"extraConfigFiles":    map[string]any{"user.yaml": 5.0},
					"podAntiAffinity":     true,
					"podDisruptionBudget": "yes",
					"externalPulsar":      []any{true},
					"externalKafka":       map[string]any{"enabled": true, "brokerList": map[string]any{}},
					"rootCoordinator":     "enabled",
					"queryCoordinator":    []any{map[string]any{"enabled": true}},
					"dataCoordinator":     map[string]any{"enabled": true, "replicas": "2", "activeStandby": "on", "strategy": []any{}, "affinity": "x", "nodeSelector": "x"},
					"mixCoordinator":      nil,
				}
			},
			anyIDs: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := &Input{Values: tc.values(t), SetByUser: setByUser(tc.user)}
			var got []finding.Finding
			require.NotPanics(t, func() { got = Run(in) })
			ids := make([]string, 0, len(got))
			for _, f := range got {
				ids = append(ids, f.Rule)
				require.Contains(t, severity, f.Rule, "finding with an unknown rule: %+v", f)
				assert.Equal(t, severity[f.Rule], f.Severity, "severity of %s", f.Rule)
				assert.Equal(t, finding.Origin{}, f.Origin, "Origin is the caller's to fill")
			}
			if tc.anyIDs {
				return
			}
			if tc.wantIDs == nil {
				tc.wantIDs = []string{}
			}
			assert.Equal(t, tc.wantIDs, ids)
		})
	}
}

func TestParseVersion(t *testing.T) {
	cases := []struct {
		tag    string
		want   Version
		ok     bool
		String string
	}{
		{tag: "v2.4.17", want: Version{2, 4, 17}, ok: true, String: "2.4.17"},
		{tag: "2.4.17", want: Version{2, 4, 17}, ok: true, String: "2.4.17"},
		{tag: "v2.5.0", want: Version{2, 5, 0}, ok: true, String: "2.5.0"},
		{tag: "v2.6", want: Version{2, 6, 0}, ok: true, String: "2.6.0"},
		{tag: "v2.6.0-rc1", want: Version{2, 6, 0}, ok: true, String: "2.6.0"},
		{tag: "v2.6.15-gpu", want: Version{2, 6, 15}, ok: true, String: "2.6.15"},
		{tag: "2.6.0-20250101-abcdef0", want: Version{2, 6, 0}, ok: true, String: "2.6.0"},
		{tag: "v2.10.3", want: Version{2, 10, 3}, ok: true, String: "2.10.3"},
		{tag: "v3.0", want: Version{3, 0, 0}, ok: true, String: "3.0.0"},
		{tag: "v2.6.0@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", want: Version{2, 6, 0}, ok: true, String: "2.6.0"},
		{tag: "latest"},
		{tag: ""},
		{tag: "v2"},
		{tag: "2"},
		{tag: "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"},
		{tag: "master-20250101-abcdef0"},
		{tag: "nightly-2.6.0"},
		{tag: "V2.6.0"},
		{tag: "v.2.6"},
	}
	for _, tc := range cases {
		t.Run(tc.tag, func(t *testing.T) {
			got, ok := ParseVersion(tc.tag)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
			if ok {
				assert.Equal(t, tc.String, got.String())
			}
		})
	}
}

func TestVersionAtLeast(t *testing.T) {
	cases := []struct {
		v            Version
		major, minor int
		want         bool
	}{
		{Version{2, 6, 0}, 2, 6, true},
		{Version{2, 6, 15}, 2, 6, true},
		{Version{2, 5, 99}, 2, 6, false},
		{Version{2, 4, 17}, 2, 6, false},
		{Version{2, 10, 0}, 2, 6, true},
		{Version{3, 0, 0}, 2, 6, true},
		{Version{1, 9, 0}, 2, 6, false},
		{Version{1, 99, 0}, 2, 6, false},
		{Version{2, 3, 0}, 2, 3, true},
		{Version{2, 2, 9}, 2, 3, false},
		{Version{0, 0, 0}, 0, 0, true},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.v.AtLeast(tc.major, tc.minor), "%s AtLeast(%d, %d)", tc.v, tc.major, tc.minor)
	}
}

func TestBlame(t *testing.T) {
	cases := []struct {
		name  string
		user  []string
		paths []string
		want  string
	}{
		{name: "no SetByUser: the first path", paths: []string{"a.b", "c.d"}, want: "a.b"},
		{name: "none user-set: the first path", user: []string{"x"}, paths: []string{"a.b", "c.d"}, want: "a.b"},
		{name: "only the second user-set", user: []string{"c.d"}, paths: []string{"a.b", "c.d"}, want: "c.d"},
		{name: "both user-set: the first", user: []string{"a.b", "c.d"}, paths: []string{"a.b", "c.d"}, want: "a.b"},
		{name: "a single path", paths: []string{"a.b"}, want: "a.b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := &Input{SetByUser: setByUser(tc.user)}
			assert.Equal(t, tc.want, in.blame(tc.paths...))
		})
	}
}
