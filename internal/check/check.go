// Package check is valuescheck's pipeline, in this order: values are parsed
// with positions and merged like Helm's; validated against the chart's schema
// (keys and types); built into the model of the coordinator layer
// (internal/coord) and judged by the HA rules; checked against what Helm itself
// refuses (the schema's rule entries and the chart's guards); rendered with
// Helm's engine, decoded and validated as the API server would, built into the
// model again from the objects and judged by the same rules. Every stage
// speaks in findings; one cause is one finding; nothing here prints.
package check

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/schema"
	"github.com/milvus-coord/milvus-coord/internal/upstream"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// Chart is a chart loaded for checking: parsed once, then shared read-only by
// every check, also concurrently.
type Chart struct {
	// Dir is the chart directory as shown in findings (charts/milvus-coord for
	// the embedded chart).
	Dir       string
	chart     *chart.Chart
	guards    *chart.Chart // the chart with only its helpers and guard template
	defaults  *values.Defaults
	validator *schema.Validator
	schemaRaw []byte
	// upstream is set for zilliztech's milvus chart (no schema): the keys it
	// knows, and its major version, which decides its templates.
	upstream      *upstream.Keys
	upstreamMajor int
}

// ChartName is this project's chart, as its Chart.yaml names it.
const ChartName = "milvus-coord"

// LoadChart loads the chart at the root of fsys; dir is how findings name it.
func LoadChart(fsys fs.FS, dir string) (*Chart, error) {
	ch, err := render.LoadChart(fsys)
	if err != nil {
		return nil, fmt.Errorf("loading chart %s: %w", dir, err)
	}
	var raw []byte
	for _, f := range ch.Raw {
		if f.Name == chartutil.ValuesfileName {
			raw = f.Data
		}
	}
	defaults := values.NewDefaults(path.Join(dir, chartutil.ValuesfileName), raw)
	if upstream.Is(ch.Metadata) && len(ch.Schema) == 0 {
		major, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(ch.Metadata.Version, "v"), ".", 2)[0])
		return &Chart{Dir: dir, chart: ch, defaults: defaults, upstream: upstream.NewKeys(ch), upstreamMajor: major}, nil
	}
	if ch.Name() != ChartName || len(ch.Schema) == 0 {
		what := fmt.Sprintf("chart %s is %s %s", dir, ch.Name(), ch.Metadata.Version)
		if ch.Name() == ChartName {
			what = fmt.Sprintf("chart %s is %s %s without its values.schema.json", dir, ch.Name(), ch.Metadata.Version)
		}
		return nil, fmt.Errorf("%s: valuescheck checks %s (with its values.schema.json) and zilliztech's %s chart %s.x (Chart.yaml name %q)",
			what, ChartName, upstream.Name, strings.Join(upstream.Majors, ".x and "), upstream.Name)
	}
	validator, err := schema.Compile(ch.Schema)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", dir, err)
	}
	return &Chart{Dir: dir, chart: ch, guards: render.GuardChart(ch), defaults: defaults, validator: validator, schemaRaw: ch.Schema}, nil
}

// SupportsKubeVersion reports an error when kubeVersion does not parse or the
// chart's kubeVersion constraint excludes it (helm template refuses both).
func (c *Chart) SupportsKubeVersion(kubeVersion string) error {
	caps, err := render.Capabilities(kubeVersion)
	if err != nil {
		return err
	}
	if c.chart.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(c.chart.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return fmt.Errorf("chart %s requires kubeVersion %s, which excludes --kube-version %s", c.Dir, c.chart.Metadata.KubeVersion, caps.KubeVersion.String())
	}
	return nil
}

// Schema returns the chart's values.schema.json.
func (c *Chart) Schema() []byte { return c.schemaRaw }

// Input is one values input: its name as shown to users and its bytes.
type Input struct {
	Name string
	Data []byte
}

// Options are the parts of a check shared by every file: parsed once per run.
type Options struct {
	Layers []*values.Document // the -f layers, parsed
	Sets   *values.Prepared   // --set and friends, parsed, their files read
	Render render.Options
}

// ParseLayers parses the -f layers once for all checks. A layer that cannot be
// parsed is reported and left out.
func ParseLayers(inputs []Input) ([]*values.Document, []finding.Finding) {
	var docs []*values.Document
	var out []finding.Finding
	for _, in := range inputs {
		doc, problems := values.Parse(in.Name, in.Data)
		out = append(out, problems...)
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	return docs, out
}

// Result is the outcome of one check.
type Result struct {
	Findings []finding.Finding // sorted
	Rendered *render.Result    // the rendered chart; nil when an error stopped the render, or with Render.Unordered
	Objects  []render.Object   // the rendered objects, decoded; nil with Rendered
}

// Check checks one values file over the chart defaults and the layers (file
// may be nil: the layers alone).
func (c *Chart) Check(file *Input, opts Options) Result {
	var res Result
	docs := opts.Layers
	if file != nil {
		doc, problems := values.Parse(file.Name, file.Data)
		res.Findings = append(res.Findings, problems...)
		if doc == nil {
			finding.Sort(res.Findings)
			return res
		}
		docs = append(docs[:len(docs):len(docs)], doc)
	}
	user, prov, flagProblems := values.Merge(c.defaults, docs, opts.Sets)
	found := append(res.Findings, flagProblems...)
	if c.upstream != nil {
		return c.checkUpstream(res, found, user, prov, opts) // coalesces with the subcharts the values enable
	}
	vals, err := chartutil.CoalesceValues(c.chart, user)
	if err != nil {
		found = append(found, finding.Finding{Rule: schema.RuleType, Severity: finding.Error,
			Message: "Helm cannot merge the values with the chart's: " + err.Error(), Fix: "check the values' types"})
		return c.finish(res, found, prov)
	}

	// Keys and types.
	schemaFindings, schemaEnforced := c.validator.ValidateAll(vals, prov.Scalar)
	for _, f := range schemaFindings {
		f.Cause = "schema/" + f.Rule + "/" + f.Path + "/" + f.Message
		found = append(found, f)
	}

	// The HA rules, on the model of what these values deploy.
	model := coord.FromValues(vals)
	model.UserSet = prov.SetByUser
	ruleFindings := rules.Run(model)

	// What Helm itself refuses: the schema's rule entries and the chart's
	// guards. Where nothing fails the full render below runs the guards
	// too; otherwise the guards are rendered alone, to learn which of the
	// causes Helm refuses.
	enforced := map[string]string{} // cause -> Helm's words for it
	for _, cause := range schemaEnforced {
		enforced[cause] = "values.schema.json refuses it"
	}
	if len(enforced) == 0 && !finding.Fails(found, false) && !finding.Fails(ruleFindings, false) {
		found = append(found, ruleFindings...)
		rendered, objs, renderFindings := c.render(c.chart, vals, opts.Render, nil)
		found = append(found, renderFindings...)
		if !finding.Fails(renderFindings, false) {
			res.Rendered, res.Objects = rendered, objs
		}
		return c.finish(res, found, prov)
	}
	guards := render.Guards(c.guards, vals, opts.Render)
	for _, g := range guards.Tagged {
		enforced[g.Cause] = g.Message
	}
	for i := range ruleFindings {
		if _, ok := enforced[ruleFindings[i].Cause]; ok {
			ruleFindings[i].Stricter = false
			delete(enforced, ruleFindings[i].Cause)
		}
	}
	found = append(found, ruleFindings...)
	found = append(found, c.unexplained(enforced)...)
	return c.finish(res, found, prov)
}

// upstreamDefaultYAML is the config file the upstream chart generates whole
// from its values (milvus.yaml, default.yaml, user.yaml: index 1).
const upstreamDefaultYAML = 1

// checkUpstream checks values of zilliztech's milvus chart: keys the chart
// does not know, the HA rules on the model of what its templates deploy, and,
// when nothing fails, its render, judged by the same rules. Helm refuses
// none of what the keys or the rules find: the chart has no schema or guard.
func (c *Chart) checkUpstream(res Result, found []finding.Finding, user map[string]any, prov *values.Provenance, opts Options) Result {
	found = append(found, c.upstream.Unknown(user)...)
	var vals chartutil.Values
	ch, err := render.WithDependencies(c.chart, user)
	if err == nil {
		vals, err = chartutil.CoalesceValues(ch, user)
	}
	if err != nil {
		found = append(found, render.ErrorFinding(err))
		return c.finish(res, found, prov)
	}
	model := coord.FromUpstream(vals, c.upstreamMajor)
	model.UserSet = prov.SetByUser
	found = append(found, rules.Run(model)...)
	if !finding.Fails(found, false) {
		rendered, objs, renderFindings := c.render(ch, vals, opts.Render, func(objects *coord.Model) {
			// What the templates tell about the objects: default.yaml is
			// written whole from the values; a customConfigMap is not in
			// the render, and Milvus reads it; ingress is not the chart's.
			coord.ChartWritten(objects, upstreamDefaultYAML)
			for _, w := range objects.Workloads {
				// The chart makes no NetworkPolicy: one for these pods
				// comes from outside it, which --chart cannot see.
				w.Ingress = coord.Fact[coord.Ingress]{}
			}
			if custom := vals["customConfigMap"]; custom != nil && custom != "" {
				for _, w := range objects.Workloads {
					coord.ExternalConfig(w, fmt.Sprintf("milvus.yaml of ConfigMap %v (customConfigMap)", custom), coord.Source{Path: "customConfigMap"})
				}
			}
		})
		found = append(found, renderFindings...)
		if !finding.Fails(renderFindings, false) {
			res.Rendered, res.Objects = rendered, objs
		}
	}
	return c.finish(res, found, prov)
}

// unexplained turns what Helm refuses that no rule reported into findings, so
// that nothing Helm refuses passes (a chart copy whose guards differ).
func (c *Chart) unexplained(enforced map[string]string) []finding.Finding {
	causes := make([]string, 0, len(enforced))
	for cause := range enforced {
		causes = append(causes, cause)
	}
	slices.Sort(causes)
	var out []finding.Finding
	for _, cause := range causes {
		id, subject, _ := strings.Cut(cause, "/")
		f := finding.Finding{Rule: id, Severity: finding.Error, Cause: cause,
			Message: fmt.Sprintf("Helm refuses these values for rule %s (%s): %s", id, subject, enforced[cause]),
			Fix:     "change the values the message names"}
		if id == render.RuleTemplate {
			// A guard's own words: "what is wrong; the fix".
			f.Path = subject
			f.Message, f.Fix, _ = strings.Cut(enforced[cause], "; ")
		}
		out = append(out, f)
	}
	return out
}

// finish deduplicates by cause, places every finding at the line that set its
// value, and sorts them.
func (c *Chart) finish(res Result, found []finding.Finding, prov *values.Provenance) Result {
	seen := map[string]bool{}
	kept := found[:0:0]
	for _, f := range found {
		if f.Cause != "" {
			if seen[f.Cause] {
				continue
			}
			seen[f.Cause] = true
		}
		kept = append(kept, f)
	}
	for i := range kept {
		f := &kept[i]
		switch {
		case f.Origin != (finding.Origin{}) || f.Path == "":
		case f.Rule == schema.RuleUnknownKey:
			f.Origin = prov.KeyOrigin(f.Path) // the misspelled key, not its value
		default:
			f.Origin = prov.Origin(f.Path)
		}
	}
	finding.Sort(kept)
	res.Findings = kept
	return res
}

// render renders the chart, checks the objects as the API server would, and
// judges the model built from them by the same rules; template positions in
// findings are made paths under the chart directory.
func (c *Chart) render(ch *chart.Chart, vals chartutil.Values, opts render.Options, prepare func(*coord.Model)) (*render.Result, []render.Object, []finding.Finding) {
	rendered, err := render.Render(ch, vals, opts)
	if err != nil {
		// The chart's guards refuse what no rule reported (a chart copy
		// whose guards differ): their own words, at the values they name.
		if guards := render.ParseGuards(err); len(guards.Tagged) > 0 && guards.Other == nil {
			enforced := map[string]string{}
			for _, g := range guards.Tagged {
				enforced[g.Cause] = g.Message
			}
			return nil, nil, c.unexplained(enforced)
		}
		f := render.ErrorFinding(err)
		f.Origin.File = c.templatePath(f.Origin.File)
		return nil, nil, []finding.Finding{f}
	}
	objs, found := render.Decode(rendered.Manifests)
	for i := range found {
		found[i].Origin.File = c.templatePath(found[i].Origin.File)
	}
	if opts.Unordered {
		rendered = nil // objects only: not in helm template's order
	}
	modelObjs := render.ModelObjects(objs)
	placeResourceFindings(found, modelObjs)
	model := coord.FromObjects(modelObjs)
	if prepare != nil {
		prepare(model)
	}
	for _, f := range rules.Run(model) {
		if f.Origin.File != "" {
			f.Origin.File = c.templatePath(f.Origin.File)
		}
		found = append(found, f)
	}
	return rendered, objs, found
}

// templatePath turns Helm's "<chart name>/templates/x.yaml" into a path under Dir.
func (c *Chart) templatePath(name string) string {
	if rest, ok := strings.CutPrefix(name, c.chart.Name()+"/"); ok {
		return path.Join(c.Dir, rest)
	}
	return name
}

// resourceRequest finds a request above its limit in a render-typed message.
var resourceRequest = regexp.MustCompile(`^(\S+ \S+) has .*resources\.requests\[([a-z-]+)\]: Invalid value: "([^"]+)": must be less than or equal to \S+ limit of (\S+)`)

// placeResourceFindings points a request above its limit in one of this
// chart's Deployments at the values block that sets it: the user raised one
// of the two in their values (Helm merges the chart's default for the other).
func placeResourceFindings(found []finding.Finding, objs []coord.Object) {
	for i := range found {
		m := resourceRequest.FindStringSubmatch(found[i].Message)
		if m == nil {
			continue
		}
		for _, o := range objs {
			if o.At.Object == m[1] && o.Block != "" {
				resources := o.Block + ".resources"
				found[i].Path, found[i].Origin = resources+".requests."+m[2], finding.Origin{}
				found[i].Message = fmt.Sprintf("%s is %s but %s.limits.%s is %s: the API server refuses a request above its limit, so helm install fails", found[i].Path, m[3], resources, m[2], m[4])
				found[i].Fix = fmt.Sprintf("set %s.limits.%s to at least %s, or lower the request", resources, m[2], m[3])
			}
		}
	}
}
