// Package buildinfo says which version a command is: the one the release
// build stamped into it, else the module version `go install` recorded, else
// "(devel)".
package buildinfo

import "runtime/debug"

// Version returns stamped (set with -ldflags -X main.version=...) when it is
// not empty, else the module version from the build info.
func Version(stamped string) string {
	if stamped != "" {
		return stamped
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
