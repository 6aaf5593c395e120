// Package golden compares test output with files committed under testdata/.
//
// `go test ./... -update` rewrites the files instead of comparing; review the
// diff before committing it. Every test package that uses golden files imports
// this one, which defines the -update flag once.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Updating reports whether the run rewrites golden files.
func Updating() bool { return *update }

// Assert fails the test when got differs from the file at path, or, with
// -update, writes got to path.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./... -update and review the diff")
	require.Equal(t, string(want), string(got), "%s differs: run go test ./... -update and review the diff", path)
}
