package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestVersion: --version prints the stamped version (the release build sets
// main.version) and exits 0.
func TestVersion(t *testing.T) {
	defer func(v string) { version = v }(version)
	for _, tc := range []struct{ stamped, want string }{{"", "coordctl (devel)\n"}, {"v1.2.3", "coordctl v1.2.3\n"}} {
		version = tc.stamped
		var out, errOut bytes.Buffer
		assert.Equal(t, exitOK, run([]string{"--version"}, nil, &out, &errOut))
		assert.Equal(t, tc.want, out.String())
		assert.Empty(t, errOut.String())
	}
}
