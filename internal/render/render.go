package render

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/releaseutil"
)

// DefaultKubeVersion is the Kubernetes version rendered for unless told
// otherwise: a current release, not Helm's library default (1.20).
const DefaultKubeVersion = "v1.37.0"

// Options are what `helm template` takes besides values.
type Options struct {
	ReleaseName string // "release-name" when empty, as helm template
	Namespace   string // "default" when empty
	KubeVersion string // DefaultKubeVersion when empty
	// Unordered skips Helm's install ordering, and the YAML parse of every
	// object it costs, when only the objects matter (a check): the Result's
	// Manifests are then in template order, without Head, and it has no String.
	Unordered bool
}

func (o Options) withDefaults() Options {
	if o.ReleaseName == "" {
		o.ReleaseName = "release-name"
	}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.KubeVersion == "" {
		o.KubeVersion = DefaultKubeVersion
	}
	return o
}

// Capabilities returns the capabilities `helm template --kube-version` renders with.
func Capabilities(kubeVersion string) (*chartutil.Capabilities, error) {
	caps := chartutil.DefaultCapabilities.Copy()
	if kubeVersion == "" {
		kubeVersion = DefaultKubeVersion
	}
	kv, err := chartutil.ParseKubeVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("invalid kube version %q: %w", kubeVersion, err)
	}
	caps.KubeVersion = *kv
	return caps, nil
}

// Manifest is one rendered object, named by the template that produced it.
type Manifest = releaseutil.Manifest

// Result is a rendered chart.
type Result struct {
	Manifests []Manifest      // in Helm's install order
	Hooks     []*release.Hook // hooks, in Helm's order
	Notes     string          // the rendered NOTES.txt
}

// Render renders ch with the coalesced values vals (chartutil.CoalesceValues of
// the chart and the user's values), as `helm template` does after its values
// have been validated.
func Render(ch *chart.Chart, vals chartutil.Values, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	caps, err := Capabilities(opts.KubeVersion)
	if err != nil {
		return nil, err
	}
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return nil, fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", ch.Metadata.KubeVersion, caps.KubeVersion.String())
	}
	top := chartutil.Values{
		"Chart":        ch.Metadata,
		"Capabilities": caps,
		"Release": map[string]any{
			"Name":      opts.ReleaseName,
			"Namespace": opts.Namespace,
			"IsUpgrade": false,
			"IsInstall": true,
			"Revision":  1,
			"Service":   "Helm",
		},
		"Values": vals,
	}
	files, err := engine.Render(ch, top)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	notes := path.Join(ch.Name(), "templates", "NOTES.txt")
	for name, content := range files {
		if strings.HasSuffix(name, "NOTES.txt") {
			if name == notes {
				res.Notes = content
			}
			delete(files, name)
		}
	}
	if opts.Unordered {
		res.Manifests = split(files)
		return res, nil
	}
	res.Hooks, res.Manifests, err = releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// split splits rendered files into their objects, in template order (partials
// and empty documents left out), without parsing them.
func split(files map[string]string) []Manifest {
	names := slices.Sorted(maps.Keys(files))
	var out []Manifest
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") || strings.TrimSpace(files[name]) == "" {
			continue
		}
		for _, doc := range splitDocuments(files[name]) {
			out = append(out, Manifest{Name: name, Content: doc})
		}
	}
	return out
}

// splitDocuments splits a YAML stream at its "---" lines, as Helm's
// SplitManifests does but without its regular expression (a tenth of a
// check's time), and drops empty documents.
func splitDocuments(stream string) []string {
	var docs []string
	var cur strings.Builder
	flush := func() {
		if d := strings.TrimSpace(cur.String()); d != "" {
			docs = append(docs, d)
		}
		cur.Reset()
	}
	for line := range strings.Lines(stream) {
		if strings.HasPrefix(line, "---") {
			flush()
			line = strings.TrimLeft(line[3:], " \t\r\n")
		}
		cur.WriteString(line)
	}
	flush()
	return docs
}

// String is the output of `helm template`: every manifest, then every hook.
func (r *Result) String() string {
	var b strings.Builder
	for _, m := range r.Manifests {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.Name, m.Content)
	}
	out := strings.TrimSpace(b.String()) + "\n"
	b.Reset()
	b.WriteString(out)
	for _, h := range r.Hooks {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", h.Path, h.Manifest)
	}
	return b.String()
}

// WriteDir writes one file per template under dir, as `helm template
// --output-dir` does (several objects of one template go to the same file),
// and returns the files written, in order.
func (r *Result) WriteDir(dir string) ([]string, error) {
	var written []string
	seen := map[string]bool{}
	write := func(name, content string) error {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
		if seen[name] {
			flags = os.O_APPEND | os.O_WRONLY
		}
		f, err := os.OpenFile(file, flags, 0o644)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(f, "---\n# Source: %s\n%s\n", name, content)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		seen[name] = true
		written = append(written, file)
		return err
	}
	for _, m := range r.Manifests {
		if err := write(m.Name, m.Content); err != nil {
			return written, err
		}
	}
	for _, h := range r.Hooks {
		if err := write(h.Path, h.Manifest); err != nil {
			return written, err
		}
	}
	return written, nil
}
