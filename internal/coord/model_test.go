package coord

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func ios(s string) *intstr.IntOrString { v := intstr.FromString(s); return &v }
func ioi(i int32) *intstr.IntOrString  { v := intstr.FromInt32(i); return &v }

func TestStrategyResolvedAsTheDeploymentControllerDoes(t *testing.T) {
	cases := []struct {
		name                 string
		surge, unavailable   *intstr.IntOrString
		replicas             int
		wantSurge, wantUnava int
	}{
		{"integers are taken as written", ioi(2), ioi(0), 2, 2, 0},
		{"surge percentage rounds up", ios("50%"), ioi(0), 3, 2, 0},
		{"unavailable percentage rounds down", ioi(1), ios("50%"), 3, 1, 1},
		{"50% unavailable of 2 is 1", ioi(1), ios("50%"), 2, 1, 1},
		{"unset is 25% each: 2 replicas surge 1, unavailable 0", nil, nil, 2, 1, 0},
		{"unset is 25% each: 4 replicas surge 1, unavailable 1", nil, nil, 4, 1, 1},
		{"both zero: one unavailable", ioi(0), ioi(0), 2, 0, 1},
		{"0% surge and 0 unavailable: one unavailable", ios("0%"), ioi(0), 2, 0, 1},
		{"small percentages of one replica: surge 1, unavailable 0", ios("1%"), ios("99%"), 1, 1, 0},
		{"100% of 2", ios("100%"), ios("100%"), 2, 2, 2},
		{"a percentage that is no number counts as 0", ios("x%"), ioi(0), 2, 0, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Strategy{Type: "RollingUpdate", MaxSurge: tc.surge, MaxUnavailable: tc.unavailable}
			surge, unavailable := s.Resolved(tc.replicas)
			assert.Equal(t, tc.wantSurge, surge, "surge")
			assert.Equal(t, tc.wantUnava, unavailable, "unavailable")
		})
	}
}

// workloadWith returns a workload of process p running roles whose config is
// built by set.
func workloadWith(p Process, roles []Role, set func(*Config)) *Workload {
	w := &Workload{Name: "w", Process: p, Roles: roles, Config: NewConfig()}
	set(w.Config)
	return w
}

func version(s string) Fact[Version] {
	v, ok := ParseVersion(s)
	if !ok {
		return Fact[Version]{}
	}
	return Known(v, Source{Path: "image.all.tag"})
}

func TestActiveStandbyFollowsTheVersionsRules(t *testing.T) {
	rootOn := func(c *Config) { c.UserYAML().Set(setting("rootCoord.enableActiveStandby", "true", "root")) }
	cases := []struct {
		name    string
		process Process
		version string
		set     func(*Config)
		role    Role
		want    Standby
	}{
		{
			name: "2.4 single coordinator reads its own section", process: Single, version: "2.4.17",
			set: rootOn, role: RootCoord,
			want: Standby{On: true, Set: true, Setting: setting("rootCoord.enableActiveStandby", "true", "root")},
		},
		{
			name: "unset: Milvus' default false", process: Single, version: "2.4.17",
			set: func(*Config) {}, role: RootCoord, want: Standby{},
		},
		{
			name: "2.4 mixture: each role reads its own section", process: Mixture, version: "2.4.17",
			set: rootOn, role: QueryCoord, want: Standby{},
		},
		{
			name: "a value Milvus cannot parse is false and invalid", process: Single, version: "2.4.17",
			set:  func(c *Config) { c.UserYAML().Set(setting("queryCoord.enableActiveStandby", "yes", "q")) },
			role: QueryCoord,
			want: Standby{Set: true, Invalid: true, Setting: setting("queryCoord.enableActiveStandby", "yes", "q")},
		},
		{
			name: "env beats the file", process: Single, version: "2.4.17",
			set: func(c *Config) {
				rootOn(c)
				c.Env.Set(setting("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "0", "env"))
			},
			role: RootCoord,
			want: Standby{Set: true, Setting: setting("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "0", "env")},
		},
		{
			name: "2.6.0 mixcoord falls back to rootCoord", process: Mixcoord, version: "2.6.0",
			set: rootOn, role: QueryCoord,
			want: Standby{On: true, Set: true, Setting: setting("rootCoord.enableActiveStandby", "true", "root")},
		},
		{
			name: "2.6.7 mixcoord reads mixCoord.enableActiveStandby first", process: Mixcoord, version: "2.6.7",
			set: func(c *Config) {
				rootOn(c)
				c.UserYAML().Set(setting("mixCoord.enableActiveStandby", "false", "mix"))
			},
			role: DataCoord,
			want: Standby{Set: true, Setting: setting("mixCoord.enableActiveStandby", "false", "mix")},
		},
		{
			name: "2.6.7 mixcoord ignores the other sections", process: Mixcoord, version: "2.6.7",
			set:  func(c *Config) { c.UserYAML().Set(setting("queryCoord.enableActiveStandby", "true", "q")) },
			role: QueryCoord, want: Standby{},
		},
		{
			name: "2.6.8 mixcoord is always active-standby", process: Mixcoord, version: "2.6.8",
			set:  func(c *Config) { c.UserYAML().Set(setting("mixCoord.enableActiveStandby", "false", "mix")) },
			role: RootCoord, want: Standby{On: true, Always: true},
		},
		{
			name: "mixcoord of an unknown version reads the role's section", process: Mixcoord, version: "latest",
			set: rootOn, role: RootCoord,
			want: Standby{On: true, Set: true, Setting: setting("rootCoord.enableActiveStandby", "true", "root")},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := workloadWith(tc.process, Required, tc.set)
			got := w.ActiveStandby(tc.role, version(tc.version))
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestAllStandbyNamesTheFirstRoleWithout(t *testing.T) {
	w := workloadWith(Mixture, Required, func(c *Config) {
		c.UserYAML().Set(setting("rootCoord.enableActiveStandby", "true", "r"))
		c.UserYAML().Set(setting("queryCoord.enableActiveStandby", "true", "q"))
	})
	on, role, s := w.AllStandby(version("2.4.17"))
	assert.False(t, on)
	assert.Equal(t, DataCoord, role)
	assert.False(t, s.Set)
	w.Config.UserYAML().Set(setting("dataCoord.enableActiveStandby", "1", "d"))
	on, _, _ = w.AllStandby(version("2.4.17"))
	assert.True(t, on)
}

func TestSessionTTLIsTheIntegerThePodsRead(t *testing.T) {
	cases := []struct {
		name  string
		set   func(*Config)
		ttl   int
		where string
		ok    bool
	}{
		{name: "unset", set: func(*Config) {}},
		{name: "file", set: func(c *Config) { c.UserYAML().Set(setting("common.session.ttl", "30", "f")) }, ttl: 30, where: "f", ok: true},
		{name: "env over file", set: func(c *Config) {
			c.UserYAML().Set(setting("common.session.ttl", "30", "f"))
			c.Env.Set(setting("COMMON_SESSION_TTL", " 10 ", "e"))
		}, ttl: 10, where: "e", ok: true},
		{name: "no integer", set: func(c *Config) { c.UserYAML().Set(setting("common.session.ttl", "30s", "f")) }, where: "f"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := workloadWith(Single, []Role{RootCoord}, tc.set)
			ttl, s, ok := w.SessionTTL()
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.ttl, ttl)
			assert.Equal(t, tc.where, s.Where)
		})
	}
}

func TestBlamePointsAtTheValueTheUserSet(t *testing.T) {
	a, b := Source{Path: "a"}, Source{Path: "b"}
	m := &Model{}
	assert.Equal(t, a, m.Blame(a, b), "no provenance: the first")
	m.UserSet = func(p string) bool { return p == "b" }
	assert.Equal(t, b, m.Blame(a, b))
	m.UserSet = func(string) bool { return false }
	assert.Equal(t, a, m.Blame(a, b), "defaults only: the first")
	obj := Source{Object: "Deployment x", Path: "b"}
	m.UserSet = func(string) bool { return true }
	assert.Equal(t, a, m.Blame(obj, a), "an object's field is never a values path the user set")
}

func TestHAKeysAndSameValue(t *testing.T) {
	w := &Workload{Process: Mixcoord, Roles: Required}
	assert.Equal(t, []string{"rootCoord.enableActiveStandby", "queryCoord.enableActiveStandby",
		"dataCoord.enableActiveStandby", "mixCoord.enableActiveStandby", "common.session.ttl"}, w.HAKeys())
	w = &Workload{Process: Single, Roles: []Role{DataCoord}}
	assert.Equal(t, []string{"dataCoord.enableActiveStandby", "common.session.ttl"}, w.HAKeys())

	key := "rootCoord.enableActiveStandby"
	assert.True(t, SameValue(key, Setting{Value: "true"}, Setting{Value: "1"}), "booleans as parsed")
	assert.True(t, SameValue(key, Setting{Value: "yes"}, Setting{Value: "false"}), "unparsable is false")
	assert.False(t, SameValue(key, Setting{Value: "T"}, Setting{Value: "0"}))
	assert.True(t, SameValue("common.session.ttl", Setting{Value: " 30"}, Setting{Value: "30"}))
	assert.False(t, SameValue("common.session.ttl", Setting{Value: "30"}, Setting{Value: "030"}))
}

func TestSourceNameAndWorkloadRoles(t *testing.T) {
	assert.Equal(t, "rootCoordinator.replicas", Source{Path: "rootCoordinator.replicas"}.Name())
	assert.Equal(t, "Deployment x", Source{Object: "Deployment x"}.Name())
	assert.Equal(t, "spec.replicas of Deployment x", Source{Object: "Deployment x", Path: "spec.replicas"}.Name())
	w := &Workload{Name: "Deployment x", Block: "mixCoordinator", Roles: Required}
	assert.Equal(t, "rootcoord, querycoord, datacoord", w.RoleNames())
	assert.True(t, w.Runs(QueryCoord))
	assert.False(t, w.Runs(IndexCoord))
	assert.Equal(t, Source{Object: "Deployment x", Block: "mixCoordinator"}, w.Self())
}
