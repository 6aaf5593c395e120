// Package check is valuescheck's pipeline: values are parsed with positions and
// merged like Helm's, validated against the chart's schema, checked by the
// Milvus HA rules, rendered with Helm's engine and checked again as Kubernetes
// objects. Every stage speaks in findings; nothing here prints.
package check

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/schema"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// Chart is a chart loaded for checking: parsed once, then shared read-only by
// every check, also concurrently.
type Chart struct {
	// Dir is the chart directory as shown in findings (charts/milvus-coord for
	// the embedded chart).
	Dir       string
	chart     *chart.Chart
	defaults  *values.Defaults
	validator *schema.Validator
	schemaRaw []byte
}

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
	if len(ch.Schema) == 0 {
		return nil, fmt.Errorf("chart %s has no values.schema.json", dir)
	}
	validator, err := schema.Compile(ch.Schema)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", dir, err)
	}
	return &Chart{Dir: dir, chart: ch, defaults: defaults, validator: validator, schemaRaw: ch.Schema}, nil
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

// Options are the parts of a check shared by every file.
type Options struct {
	Layers   []*values.Document                // the -f layers, parsed
	Sets     values.Sets                       // --set and friends
	ReadFile func(name string) ([]byte, error) // reads --set-file files
	Render   render.Options
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
// may be nil: the layers alone). An error is a usage problem (a malformed
// --set), not a finding.
func (c *Chart) Check(file *Input, opts Options) (Result, error) {
	var res Result
	docs := opts.Layers
	if file != nil {
		doc, problems := values.Parse(file.Name, file.Data)
		res.Findings = append(res.Findings, problems...)
		if doc == nil {
			finding.Sort(res.Findings)
			return res, nil
		}
		docs = append(docs[:len(docs):len(docs)], doc)
	}
	user, prov, err := values.Merge(c.defaults, docs, opts.Sets, opts.ReadFile)
	if err != nil {
		return res, err
	}
	vals, err := chartutil.CoalesceValues(c.chart, user)
	if err != nil {
		return res, fmt.Errorf("merging values: %w", err)
	}

	ruleFindings := rules.Run(&rules.Input{Values: vals, SetByUser: prov.SetByUser})
	found := append(res.Findings, ruleFindings...)
	found = appendUncovered(found, c.validator.Validate(vals))

	if !hasErrors(found) {
		rendered, objs, renderFindings := c.render(vals, opts.Render)
		found = appendUncovered(found, renderFindings)
		if !hasErrors(renderFindings) {
			res.Rendered, res.Objects = rendered, objs
		}
	}
	for i := range found {
		f := &found[i]
		switch {
		case f.Origin != (finding.Origin{}) || f.Path == "":
		case f.Rule == schema.RuleUnknownKey:
			f.Origin = prov.KeyOrigin(f.Path) // the misspelled key, not its value
		default:
			f.Origin = prov.Origin(f.Path)
		}
	}
	finding.Sort(found)
	res.Findings = found
	return res, nil
}

// render renders the chart and checks the objects; template positions in
// findings are made paths under the chart directory.
func (c *Chart) render(vals chartutil.Values, opts render.Options) (*render.Result, []render.Object, []finding.Finding) {
	rendered, err := render.Render(c.chart, vals, opts)
	if err != nil {
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
	return rendered, objs, append(found, render.Invariants(objs)...)
}

// templatePath turns Helm's "<chart name>/templates/x.yaml" into a path under Dir.
func (c *Chart) templatePath(name string) string {
	if rest, ok := strings.CutPrefix(name, c.chart.Name()+"/"); ok {
		return path.Join(c.Dir, rest)
	}
	return name
}

func hasErrors(fs []finding.Finding) bool { return finding.Fails(fs, false) }

// appendUncovered appends the later stage's findings that an earlier finding
// does not already explain: one problem, one finding, from the earliest stage
// (a rule's message beats the schema's, the schema's beats the render's).
func appendUncovered(earlier, later []finding.Finding) []finding.Finding {
	out := earlier
	for _, f := range later {
		if !covered(earlier, f) {
			out = append(out, f)
		}
	}
	return out
}

func covered(earlier []finding.Finding, f finding.Finding) bool {
	if f.Path == "" {
		return false
	}
	for _, e := range earlier {
		if e.Severity < f.Severity {
			continue // a warning never hides an error
		}
		for _, p := range append([]string{e.Path}, e.Related...) {
			if p != "" && (p == f.Path || strings.HasPrefix(p, f.Path+".") || strings.HasPrefix(p, f.Path+"[")) {
				return true
			}
		}
	}
	return false
}
