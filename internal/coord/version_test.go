package coord

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParseVersionReadsTheReleaseAtTheStartOfATag(t *testing.T) {
	cases := []struct {
		tag  string
		want Version
		ok   bool
	}{
		{"v2.4.17", Version{2, 4, 17}, true},
		{"2.4.17", Version{2, 4, 17}, true},
		{"2.6.8-gpu", Version{2, 6, 8}, true},
		{"v2.5.4-20250101-abcdef", Version{2, 5, 4}, true},
		{"v2.4", Version{2, 4, 0}, true},
		{"2.10", Version{2, 10, 0}, true}, // "2.10" as text, not the number 2.1
		{"v2.4.17+build.1", Version{2, 4, 17}, true},
		{"v2.4.17@" + digest, Version{2, 4, 17}, true}, // a tag pinned by digest still names its release
		{"latest", Version{}, false},
		{digest, Version{}, false}, // a digest alone names no release
		{"master-20250101-abcdef", Version{}, false},
		{"", Version{}, false},
		{"v2", Version{}, false},
		{"2.x.1", Version{}, false},
		{"v99999999999999999999.1.0", Version{}, false}, // no overflow into a bogus release
	}
	for _, tc := range cases {
		t.Run(tc.tag, func(t *testing.T) {
			got, ok := ParseVersion(tc.tag)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestVersionStringAndOrder(t *testing.T) {
	assert.Equal(t, "2.6.8", Version{2, 6, 8}.String())
	v := Version{2, 6, 8}
	assert.True(t, v.AtLeast(2, 6, 8))
	assert.True(t, v.AtLeast(2, 6, 7))
	assert.True(t, v.AtLeast(2, 5, 99))
	assert.True(t, v.AtLeast(1, 99, 99))
	assert.False(t, v.AtLeast(2, 6, 9))
	assert.False(t, v.AtLeast(2, 7, 0))
	assert.False(t, v.AtLeast(3, 0, 0))
}

func TestVersionFactsByRelease(t *testing.T) {
	cases := []struct {
		v                                                  string
		activeStandby, indexCoord, mixOnly, always, ownKey bool
	}{
		{"2.1.4", false, true, false, false, false},
		{"2.2.0", true, true, false, false, false},
		{"2.2.16", true, true, false, false, false},
		{"2.3.0", true, false, false, false, false},
		{"2.4.17", true, false, false, false, false},
		{"2.5.4", true, false, false, false, false},
		{"2.6.0", true, false, true, false, true},
		{"2.6.7", true, false, true, false, true},
		{"2.6.8", true, false, true, true, false},
		{"2.7.0", true, false, true, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.v, func(t *testing.T) {
			v, ok := ParseVersion(tc.v)
			assert.True(t, ok)
			assert.Equal(t, tc.activeStandby, v.HasActiveStandby(), "HasActiveStandby")
			assert.Equal(t, tc.indexCoord, v.HasIndexCoord(), "HasIndexCoord")
			assert.Equal(t, tc.mixOnly, v.MixcoordOnly(), "MixcoordOnly")
			assert.Equal(t, tc.always, v.MixcoordAlwaysStandby(), "MixcoordAlwaysStandby")
			assert.Equal(t, tc.ownKey, v.MixcoordReadsOwnKey(), "MixcoordReadsOwnKey")
		})
	}
}

// The ranges of ../shared/milvus-ha-facts.md, "Failover time": each range's
// first and last release.
func TestShippedSessionTTLFollowsEachReleasesMilvusYAML(t *testing.T) {
	cases := []struct {
		v    string
		ttl  int
		know bool
	}{
		{"2.1.4", 0, false},
		{"2.2.0", 60, true},
		{"2.2.3", 60, true},
		{"2.2.4", 20, true},
		{"2.2.8", 20, true},
		{"2.3.0", 60, true},
		{"2.3.2", 60, true},
		{"2.3.3", 30, true},
		{"2.4.17", 30, true},
		{"2.5.99", 30, true},
		{"2.6.0", 10, true},
		{"2.6.4", 10, true},
		{"2.6.5", 0, false},
		{"2.6.6", 30, true},
		{"2.6.7", 15, true},
		{"2.6.8", 15, true},
		{"3.0.0", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.v, func(t *testing.T) {
			v, ok := ParseVersion(tc.v)
			assert.True(t, ok)
			ttl, know := v.ShippedSessionTTL()
			assert.Equal(t, tc.know, know)
			assert.Equal(t, tc.ttl, ttl)
		})
	}
}

func TestRoleTableNamesEachRoleOnce(t *testing.T) {
	for _, r := range append(Required, IndexCoord) {
		got, ok := RoleNamed(r.Name)
		assert.True(t, ok, r.Name)
		assert.Equal(t, r, got)
		assert.Equal(t, r.Section+".enableActiveStandby", ActiveStandbyKey(r.Section))
		assert.True(t, strings.HasSuffix(r.ValuesKey, "Coordinator"), r.ValuesKey)
	}
	_, ok := RoleNamed(MixcoordName)
	assert.False(t, ok, "mixcoord is a workload, not one of the roles")
	_, ok = RoleNamed("proxy")
	assert.False(t, ok)
	assert.Equal(t, []int{53100, 19531, 13333, 31000},
		[]int{RootCoord.DefaultPort, QueryCoord.DefaultPort, DataCoord.DefaultPort, IndexCoord.DefaultPort})
}

// TestStopFacts: the graceful-stop and port facts by release, as read in the
// Milvus source (configs/milvus.yaml and pkg/util/paramtable at the release
// bumps of the 2.4, 2.5 and 2.6 branches).
func TestStopFacts(t *testing.T) {
	cases := []struct {
		v          string
		bounded    bool
		grpc       int
		verified   bool
		rootcoord  int
		standbyKey bool // mixcoord reads mixCoord.enableActiveStandby
	}{
		{"2.3.5", false, 10, false, 53100, false},
		{"2.4.0", true, 10, true, 53100, false},
		{"2.4.17", true, 10, true, 53100, false},
		{"2.4.18", true, 10, false, 53100, false},
		{"2.4.23", true, 10, false, 53100, false},
		{"2.5.0", true, 10, true, 53100, false},
		{"2.5.4", true, 10, true, 53100, false},
		{"2.5.5", true, 3, true, 53100, false},
		{"2.5.27", true, 3, true, 53100, false},
		{"2.6.0", true, 3, true, 53100, true},
		{"2.6.7", true, 3, true, 53100, true},
		{"2.6.8", true, 3, true, 22125, false},
		{"2.6.15", true, 3, true, 22125, false},
	}
	for _, tc := range cases {
		t.Run(tc.v, func(t *testing.T) {
			v, ok := ParseVersion(tc.v)
			require.True(t, ok)
			assert.Equal(t, tc.bounded, v.HasCoordStopTimeout())
			grpc, verified := v.ShippedGRPCStopTimeout()
			assert.Equal(t, tc.grpc, grpc)
			assert.Equal(t, tc.verified, verified)
			assert.Equal(t, tc.rootcoord, v.ShippedRootCoordPort())
			assert.Equal(t, tc.standbyKey, v.MixcoordReadsOwnKey())
			assert.Equal(t, v.AtLeast(2, 6, 8), v.MixcoordAlwaysStandby())
		})
	}
	assert.Greater(t, DefaultCoordStopTimeout, 3, "Milvus' own 5 s exceeds the 3 s gRPC stop from 2.5.5")
	assert.Equal(t, "rootCoord.gracefulStopTimeout", GracefulStopKey(RootCoord.Section))
}
