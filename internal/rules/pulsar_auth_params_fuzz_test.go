package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzAuthParamsProblem: whatever the text, the check never panics, passes
// exactly the texts Milvus carries whole (every non-empty part one key and
// one value, no JSON), and never echoes a part without ':' (it may be a bare
// secret) in its message.
func FuzzAuthParamsProblem(f *testing.F) {
	for _, s := range []string{"", "token:x", "a:b,c:d", "{\"token\":\"x\"}", "{", "{}", "file:///x", "a:b:c", "bare", ",,", "k:,", ":v", "{\"a\":1}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var problem, fix string
		require.NotPanics(t, func() { problem, fix = authParamsProblem(text) })
		trimmed := strings.TrimSpace(text)
		whole := !strings.HasPrefix(trimmed, "{")
		for _, part := range strings.Split(trimmed, ",") {
			if part != "" && len(strings.Split(part, ":")) != 2 {
				whole = false
			}
		}
		require.Equal(t, whole, problem == "", "text %q: problem %q", text, problem)
		require.Equal(t, problem == "", fix == "")
		for _, part := range strings.Split(trimmed, ",") {
			if len(part) > 3 && !strings.ContainsAny(part, ":{}\"") {
				require.NotContains(t, problem, part, "a bare part is printed")
			}
		}
	})
}
