package rules

import (
	"cmp"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

func TestAllRulesAreSortedUniqueAndComplete(t *testing.T) {
	all := All()
	require.NotEmpty(t, all)
	assert.True(t, slices.IsSortedFunc(all, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) }), "sorted by ID")
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, r := range all {
		assert.False(t, seen[r.ID], "duplicate rule ID %s", r.ID)
		seen[r.ID] = true
		assert.Regexp(t, kebab, r.ID)
		assert.NotEmpty(t, r.Protects, "%s: Protects", r.ID)
		assert.NotEmpty(t, r.Fix, "%s: Fix", r.ID)
		assert.NotNil(t, r.check, "%s: check", r.ID)
		assert.Contains(t, []finding.Severity{finding.Error, finding.Warning}, r.Severity, "%s: Severity", r.ID)
		got, ok := Lookup(r.ID)
		assert.True(t, ok, "Lookup(%s)", r.ID)
		assert.Equal(t, r.ID, got.ID)
	}
	_, ok := Lookup("no-such-rule")
	assert.False(t, ok)
}

func TestChartDefaultsViolateNoRule(t *testing.T) {
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			m := valuesModel(t, "{}", []string{})
			assert.Empty(t, r.check(m), "%s", describe(r.check(m)))
		})
	}
}

func TestHealthyObjectsViolateNoRule(t *testing.T) {
	m := coord.FromObjects(objects(haCluster()...))
	require.Len(t, m.Workloads, 3)
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			assert.Empty(t, r.check(m), "%s", describe(r.check(m)))
		})
	}
}

func TestRunFillsEveryFindingFromItsRule(t *testing.T) {
	t.Run("values: Path is the values path", func(t *testing.T) {
		m := valuesModel(t, "rootCoordinator: {replicas: 500, activeStandby: {enabled: false}}", []string{"rootCoordinator.replicas", "rootCoordinator.activeStandby"})
		got := Run(m)
		var f *finding.Finding
		for i := range got {
			if got[i].Rule == "ha-replicas-need-standby" {
				f = &got[i]
			}
		}
		require.NotNil(t, f, "%+v", got)
		assert.Equal(t, finding.Error, f.Severity)
		assert.Equal(t, "ha-replicas-need-standby/rootcoord", f.Cause)
		assert.True(t, f.Stricter)
		assert.Equal(t, "rootCoordinator.activeStandby.enabled", f.Path)
		assert.Contains(t, f.Message, "500 replicas")
		assert.NotEmpty(t, f.Fix)
		for _, g := range got {
			r, ok := Lookup(g.Rule)
			require.True(t, ok, g.Rule)
			assert.Equal(t, r.Severity, g.Severity, g.Rule)
			assert.Regexp(t, "^"+regexp.QuoteMeta(g.Rule)+"/.+", g.Cause)
			assert.True(t, g.Stricter)
		}
	})
	t.Run("objects: Path is the values block that made the object", func(t *testing.T) {
		objs := objects(haCluster()...)
		objs[1].Block = "rootCoordinator"
		objs[1].At = coord.Source{Object: "Deployment rel-rootcoord", Origin: finding.Origin{File: "manifest.yaml", Line: 12, Col: 3}}
		d := objs[1].Object.(interface{ GetName() string })
		require.Equal(t, "coord-rootcoord", d.GetName())
		m := coord.FromObjects(objs)
		m.Workloads[0].Replicas.Value = 2
		m.Workloads[0].Config = coord.NewConfig() // nothing sets active-standby
		got := Run(m)
		rules := map[string]finding.Finding{}
		for _, f := range got {
			rules[f.Rule] = f
		}
		require.Contains(t, rules, "ha-replicas-need-standby", "%+v", got)
		require.Contains(t, rules, "non-ha-rolling-update", "%+v", got)
		assert.Len(t, got, 2, "%+v", got)
		assert.Equal(t, "ha-replicas-need-standby/rootcoord", rules["ha-replicas-need-standby"].Cause)
		assert.Equal(t, "non-ha-rolling-update/rootcoord", rules["non-ha-rolling-update"].Cause)
		for _, f := range got {
			assert.Equal(t, "rootCoordinator", f.Path, "%s: At.Block", f.Rule)
			assert.True(t, f.Stricter, f.Rule)
			// A finding about the object, or one of its fields, points at the object.
			assert.Equal(t, finding.Origin{File: "manifest.yaml", Line: 12, Col: 3}, f.Origin, "%s: the object's position", f.Rule)
		}
	})
	t.Run("objects without a block: no path", func(t *testing.T) {
		m := coord.FromObjects(objects(deployment("coord-rootcoord", 2, "milvusdb/milvus:latest", "rootcoord")))
		for _, f := range Run(m) {
			assert.Empty(t, f.Path, "%+v", f)
		}
	})
}
