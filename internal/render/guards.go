package render

import (
	"path"
	"regexp"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// GuardTemplate is the template that holds a chart's guards: the checks that
// stop `helm install` where the schema cannot say why (the Milvus version, env
// names, YAML text inside a value).
const GuardTemplate = "templates/validate.yaml"

// guardLine is one guard's message: the text, then "[<rule-id> <subject>]",
// which names the rule and subject of the finding it agrees with.
var guardLine = regexp.MustCompile(`^(.*) \[([a-z0-9-]+) (.+)\]$`)

// GuardChart returns ch with only its helpers and its guard template, for
// finding out cheaply which guards the values trip.
func GuardChart(ch *chart.Chart) *chart.Chart {
	g := *ch
	g.Templates = nil
	for _, t := range ch.Templates {
		if t.Name == GuardTemplate || strings.HasPrefix(path.Base(t.Name), "_") {
			g.Templates = append(g.Templates, t)
		}
	}
	return &g
}

// Guard is one guard message of a chart.
type Guard struct {
	Cause   string // "<rule-id>/<subject>"
	Message string // Helm's words
}

// GuardResult is what the guards say of values: the guards that refuse them,
// and any other error the guard template met (for values of the wrong type,
// which the schema reports, or a broken chart).
type GuardResult struct {
	Tagged []Guard
	Other  error
}

// Guards renders the guard chart g (from GuardChart) with vals.
func Guards(g *chart.Chart, vals chartutil.Values, opts Options) GuardResult {
	_, err := Render(g, vals, Options{ReleaseName: opts.ReleaseName, Namespace: opts.Namespace, KubeVersion: opts.KubeVersion, Unordered: true})
	return ParseGuards(err)
}

// ParseGuards reads the guard lines out of a render error (nil: no guard
// fired); an error that is not the guards' is Other.
func ParseGuards(err error) GuardResult {
	if err == nil {
		return GuardResult{}
	}
	m := execError.FindStringSubmatch(err.Error())
	if m == nil {
		return GuardResult{Other: err}
	}
	var res GuardResult
	for _, line := range strings.Split(m[4], "\n") {
		g := guardLine.FindStringSubmatch(strings.TrimSpace(line))
		if g == nil {
			res.Other = err // a line that is no guard's: the error as Helm gave it
			continue
		}
		res.Tagged = append(res.Tagged, Guard{Cause: g[2] + "/" + g[3], Message: g[1]})
	}
	return res
}
