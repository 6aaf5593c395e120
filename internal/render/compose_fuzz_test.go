package render

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/template"
	"github.com/stretchr/testify/require"
)

// FuzzEscapeInterpolation: whatever a value holds, compose's own interpolation
// (the compose-spec template package `docker compose` uses) turns the escaped
// form back into it, even when every variable it could name is set.
func FuzzEscapeInterpolation(f *testing.F) {
	for _, s := range []string{"", "$", "$$", "$$$", "a$", "$A", "${A}", "${A:-b}", "${A:?unset}", "${", "$}", "${A${B}}", "\\$A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := template.Substitute(escapeInterpolation(s), func(string) (string, bool) { return "SET", true })
		require.NoError(t, err)
		require.Equal(t, s, got)
	})
}
