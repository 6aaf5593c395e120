package coord

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version is a Milvus release.
type Version struct{ Major, Minor, Patch int }

// versionTag matches the release at the start of an image tag: v2.4.17,
// 2.6.8-gpu, v2.5.4-20250101-abcdef. A tag that names a digest, "latest" or a
// branch build carries no version.
var versionTag = regexp.MustCompile(`^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+_].*)?$`)

// ParseVersion reads the Milvus version from an image tag; false for a tag
// that carries none.
func ParseVersion(tag string) (Version, bool) {
	tag, _, _ = strings.Cut(tag, "@") // a digest pins the image, it names no release
	m := versionTag.FindStringSubmatch(tag)
	if m == nil {
		return Version{}, false
	}
	var v Version
	var err error
	if v.Major, err = strconv.Atoi(m[1]); err != nil {
		return Version{}, false
	}
	if v.Minor, err = strconv.Atoi(m[2]); err != nil {
		return Version{}, false
	}
	if m[3] != "" {
		if v.Patch, err = strconv.Atoi(m[3]); err != nil {
			return Version{}, false
		}
	}
	return v, true
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// AtLeast reports whether v is major.minor.patch or later.
func (v Version) AtLeast(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major > major
	}
	if v.Minor != minor {
		return v.Minor > minor
	}
	return v.Patch >= patch
}

// Facts of Milvus by release, read from its source (release branches 2.2 to
// 2.6; see ../shared/milvus-ha-facts.md for the files).

// HasActiveStandby: the enableActiveStandby keys exist from 2.2.0.
func (v Version) HasActiveStandby() bool { return v.AtLeast(2, 2, 0) }

// HasIndexCoord: indexcoord is a coordinator of its own before 2.3.
func (v Version) HasIndexCoord() bool { return !v.AtLeast(2, 3, 0) }

// MixcoordOnly: from 2.6 only `milvus run mixcoord` exists; the separate
// coordinator commands exit with "Unknown server type".
func (v Version) MixcoordOnly() bool { return v.AtLeast(2, 6, 0) }

// MixcoordAlwaysStandby: from 2.6.8 mixcoord is active-standby whatever the
// config says (milvus PR 46457).
func (v Version) MixcoordAlwaysStandby() bool { return v.AtLeast(2, 6, 8) }

// MixcoordReadsOwnKey: 2.6.0 to 2.6.7 decide mixcoord's active-standby by
// mixCoord.enableActiveStandby, falling back to rootCoord.enableActiveStandby.
func (v Version) MixcoordReadsOwnKey() bool { return v.MixcoordOnly() && !v.MixcoordAlwaysStandby() }

// ShippedSessionTTL is common.session.ttl in the release's configs/milvus.yaml;
// false where it was not verified.
func (v Version) ShippedSessionTTL() (int, bool) {
	switch {
	case v.Major != 2 || !v.AtLeast(2, 2, 0):
		return 0, false
	case !v.AtLeast(2, 2, 4):
		return 60, true
	case !v.AtLeast(2, 3, 0):
		return 20, true
	case !v.AtLeast(2, 3, 3):
		return 60, true
	case !v.AtLeast(2, 6, 0):
		return 30, true
	case !v.AtLeast(2, 6, 5):
		return 10, true
	case !v.AtLeast(2, 6, 6):
		return 0, false // 2.6.5 unverified
	case !v.AtLeast(2, 6, 7):
		return 30, true
	}
	return 15, true
}

// HasCoordStopTimeout: from 2.4 each coordinator stops within
// `<section>.gracefulStopTimeout` and then calls os.Exit(1) without revoking
// its session (cmd/components/util.go exitWhenStopTimeout, milvus PR 30317,
// before 2.4.0-rc.1). Before 2.4 the stop has no bound of its own.
func (v Version) HasCoordStopTimeout() bool { return v.AtLeast(2, 4, 0) }

// ShippedGRPCStopTimeout is grpc.gracefulStopTimeout in the release's
// configs/milvus.yaml (and its paramtable default), in seconds: how long the
// gRPC server's graceful stop may take before the session is revoked. 10 s up
// to 2.5.4 (verified on 2.4.2, 2.4.17 and 2.5.0 to 2.5.4), 3 s from 2.5.5 and in
// 2.6 (milvus PRs 39760 and 39764, Feb 2025). verified is false for 2.4.18 and
// later 2.4 releases, where the 2.4 backport landed in a release not checked:
// the longer value is returned.
func (v Version) ShippedGRPCStopTimeout() (seconds int, verified bool) {
	switch {
	case !v.AtLeast(2, 4, 0):
		return 10, false
	case !v.AtLeast(2, 4, 18):
		return 10, true
	case !v.AtLeast(2, 5, 0):
		return 10, false
	case !v.AtLeast(2, 5, 5):
		return 10, true
	}
	return 3, true
}

// ShippedRootCoordPort is rootCoord.port in the release's configs/milvus.yaml:
// 22125 from 2.6.8 (milvus PR 46268: 53100 lies in Linux's ephemeral port
// range), 53100 before. 2.6 mixcoord listens on this port only.
func (v Version) ShippedRootCoordPort() int {
	if v.AtLeast(2, 6, 8) {
		return 22125
	}
	return RootCoord.DefaultPort
}

// ReadsStreamingEnv reports whether the release reads MILVUS_STREAMING_SERVICE_ENABLED:
// 2.5 does; 2.4 has no streaming service, and 2.6 sets the variable itself at
// start ("after 2.6.0, we enable streaming service by default", cmd/main.go).
func (v Version) ReadsStreamingEnv() bool { return v.AtLeast(2, 5, 0) && !v.AtLeast(2, 6, 0) }

// HasStreamingService reports whether the release has a streaming service at all.
func (v Version) HasStreamingService() bool { return v.AtLeast(2, 5, 0) }
