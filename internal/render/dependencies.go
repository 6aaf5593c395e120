package render

import (
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// WithDependencies returns a copy of ch whose subcharts are those the user's
// values enable (their conditions and tags), with their import-values done,
// as `helm template` prepares a chart before it renders it. ch itself is
// left untouched, so one loaded chart serves concurrent checks.
func WithDependencies(ch *chart.Chart, user map[string]any) (*chart.Chart, error) {
	c := cloneChart(ch)
	if err := chartutil.ProcessDependenciesWithMerge(c, copyValues(user)); err != nil {
		return nil, err
	}
	return c, nil
}

// cloneChart copies what ProcessDependencies changes: the metadata's
// dependencies, the values, and the tree of subcharts. Templates and files
// are shared: nothing writes them.
func cloneChart(ch *chart.Chart) *chart.Chart {
	c := *ch
	if ch.Metadata != nil {
		md := *ch.Metadata
		md.Dependencies = make([]*chart.Dependency, len(ch.Metadata.Dependencies))
		for i, d := range ch.Metadata.Dependencies {
			dep := *d
			md.Dependencies[i] = &dep
		}
		c.Metadata = &md
	}
	c.Values = copyValues(ch.Values)
	subs := ch.Dependencies()
	copies := make([]*chart.Chart, len(subs))
	for i, sub := range subs {
		copies[i] = cloneChart(sub)
	}
	c.SetDependencies(copies...) // and makes the copy their parent
	return &c
}

func copyValues(v map[string]any) map[string]any {
	if v == nil {
		return nil
	}
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = copyValue(x)
	}
	return out
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return copyValues(x)
	case chartutil.Values:
		return copyValues(x)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = copyValue(item)
		}
		return out
	}
	return v
}
