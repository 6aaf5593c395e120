package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExtraConfigSources(t *testing.T) {
	const userYAML = `extraConfigFiles["user.yaml"]`
	type source struct {
		path   string
		inText bool
		where  string // where("rootCoord.x")
		config map[string]any
	}
	text := source{path: userYAML, inText: true, where: `rootCoord.x in extraConfigFiles["user.yaml"]`}
	extra := source{path: "milvus.extraConfig", where: "milvus.extraConfig.rootCoord.x"}
	with := func(s source, config map[string]any) source { s.config = config; return s }
	cases := []struct {
		name    string
		overlay string
		want    []source
	}{
		{name: "chart defaults: empty text, empty mapping", want: []source{with(extra, map[string]any{})}},
		{
			name: "both, user.yaml first",
			overlay: `
extraConfigFiles:
  user.yaml: |
    common:
      session:
        ttl: 20
milvus:
  extraConfig:
    rootCoord: {enableActiveStandby: true}
`,
			want: []source{
				with(text, map[string]any{"common": map[string]any{"session": map[string]any{"ttl": 20.0}}}),
				with(extra, map[string]any{"rootCoord": map[string]any{"enableActiveStandby": true}}),
			},
		},
		{
			name:    "invalid YAML text is skipped",
			overlay: "extraConfigFiles:\n  user.yaml: \"a: [\"\n",
			want:    []source{with(extra, map[string]any{})},
		},
		{
			name:    "text that is a scalar is skipped",
			overlay: "extraConfigFiles:\n  user.yaml: \"hello\"\n",
			want:    []source{with(extra, map[string]any{})},
		},
		{
			name:    "text that is null is skipped",
			overlay: "extraConfigFiles:\n  user.yaml: \"~\"\n",
			want:    []source{with(extra, map[string]any{})},
		},
		{
			name:    "text of the wrong type and no extraConfig",
			overlay: "extraConfigFiles:\n  user.yaml: {a: 1}\nmilvus:\n  extraConfig: null\n",
		},
		{
			name:    "extraConfig of the wrong type",
			overlay: "milvus:\n  extraConfig: [a]\n",
		},
		{
			name:    "extraConfigFiles of the wrong type",
			overlay: "extraConfigFiles: \"user.yaml\"\nmilvus: {extraConfig: {a: 1}}\n",
			want:    []source{with(extra, map[string]any{"a": 1.0})},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := &Input{Values: mergedValues(t, tc.overlay)}
			var got []extraConfigSource
			require.NotPanics(t, func() { got = in.extraConfigSources() })
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				assert.Equal(t, w.path, got[i].path)
				assert.Equal(t, w.inText, got[i].inText)
				assert.Equal(t, w.config, got[i].config)
				assert.Equal(t, w.where, got[i].where("rootCoord.x"))
			}
		})
	}
}
