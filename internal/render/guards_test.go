package render

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// guardChart is a chart whose guard template fails with the given text.
func guardChart(failWith string) *chart.Chart {
	return &chart.Chart{
		Metadata: &chart.Metadata{Name: "g", Version: "0.1.0", APIVersion: chart.APIVersionV2},
		Templates: []*chart.File{
			{Name: "templates/_helpers.tpl", Data: []byte(`{{- define "g.msg" -}}` + failWith + `{{- end }}`)},
			{Name: GuardTemplate, Data: []byte(`{{- with include "g.msg" . }}{{ fail . }}{{ end }}`)},
			{Name: "templates/other.yaml", Data: []byte(`{{ fail "not a guard" }}`)},
		},
	}
}

func TestGuards(t *testing.T) {
	tests := []struct {
		name   string
		msg    string
		tagged []Guard
		other  bool
	}{
		{name: "no guard fires", msg: ""},
		{name: "one guard", msg: "x is wrong; fix x [ha-replicas-need-standby rootcoord]",
			tagged: []Guard{{Cause: "ha-replicas-need-standby/rootcoord", Message: "x is wrong; fix x"}}},
		{name: "every guard line, a subject with brackets and spaces",
			msg: `a [extra-env-overrides rootcoordenableactivestandby@rootCoordinator.extraEnv[0].name]` + "\n" + `b [render-template extraConfigFiles["user.yaml"]]`,
			tagged: []Guard{
				{Cause: "extra-env-overrides/rootcoordenableactivestandby@rootCoordinator.extraEnv[0].name", Message: "a"},
				{Cause: `render-template/extraConfigFiles["user.yaml"]`, Message: "b"},
			}},
		{name: "an untagged failure is another error", msg: "something broke", other: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := GuardChart(guardChart(tt.msg))
			require.Len(t, g.Templates, 2, "only the helpers and the guard template")
			res := Guards(g, chartutil.Values{}, Options{})
			assert.Equal(t, tt.tagged, res.Tagged)
			assert.Equal(t, tt.other, res.Other != nil, "other: %v", res.Other)
		})
	}
}

func TestGuardsTemplateError(t *testing.T) {
	ch := &chart.Chart{
		Metadata:  &chart.Metadata{Name: "g", Version: "0.1.0", APIVersion: chart.APIVersionV2},
		Templates: []*chart.File{{Name: GuardTemplate, Data: []byte(`{{ .Values.a.b.c }}`)}},
	}
	res := Guards(GuardChart(ch), chartutil.Values{"a": "not a map"}, Options{})
	assert.Empty(t, res.Tagged)
	require.Error(t, res.Other)
}
