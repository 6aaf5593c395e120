// Package upstream knows zilliztech's milvus Helm chart (zilliztech/milvus-helm
// charts/milvus: chart 4.x for Milvus 2.4 and 2.5, 5.x for 2.6), which has no
// values.schema.json: it recognises the chart from its Chart.yaml and derives
// the keys the chart knows from the chart itself (its values.yaml and the
// .Values paths its templates read), so that a misspelled key is found
// without a schema. How its values become coordinators is coord.FromUpstream.
package upstream

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/schema"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// Name is the upstream chart's name in its Chart.yaml.
const Name = "milvus"

// Majors are the chart versions' major numbers valuescheck reads.
var Majors = []string{"4", "5"}

// Is reports whether md is the upstream chart in a version valuescheck knows.
func Is(md *chart.Metadata) bool {
	if md == nil || md.Name != Name {
		return false
	}
	major, _, _ := strings.Cut(strings.TrimPrefix(md.Version, "v"), ".")
	return slices.Contains(Majors, major)
}

// passThrough are keys whose value the templates copy whole into an object
// (toYaml), or that hold names the user chooses: what is below them is not
// the chart's to know.
var passThrough = map[string]bool{
	"resources": true, "affinity": true, "annotations": true, "labels": true, "nodeSelector": true,
	"tolerations": true, "extraConfigFiles": true, "podAnnotations": true, "podLabels": true,
	"securityContext": true, "containerSecurityContext": true, "topologySpreadConstraints": true,
	"extraEnv": true, "strategy": true, "extraVolumes": true, "extraVolumeMounts": true, "env": true,
}

// node is one key the chart knows; open keys accept anything below them.
type node struct {
	children map[string]*node
	open     bool
	boolean  bool // values.yaml holds a boolean here
}

func (n *node) child(k string) *node {
	if n.children == nil {
		n.children = map[string]*node{}
	}
	c := n.children[k]
	if c == nil {
		c = &node{open: passThrough[k]}
		n.children[k] = c
	}
	return c
}

// Keys are the values keys one upstream chart knows.
type Keys struct {
	chart string // "milvus 4.2.24", for messages
	root  *node
}

// valuesRef finds the .Values paths templates read; openRef those they copy
// whole (toYaml .Values.x, or with .Values.x around a toYaml .).
var (
	valuesRef = regexp.MustCompile(`\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)`)
	openRef   = regexp.MustCompile(`(?:toYaml|with)\s+\(?\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)`)
)

// NewKeys derives the known keys from the chart: its values.yaml (an empty
// mapping there is the user's to fill), the .Values paths of its own
// templates, and, open, the blocks of its subcharts and global.
func NewKeys(ch *chart.Chart) *Keys {
	k := &Keys{chart: ch.Name() + " " + ch.Metadata.Version, root: &node{}}
	var fromValues func(n *node, v map[string]any)
	fromValues = func(n *node, v map[string]any) {
		for key, val := range v {
			c := n.child(key)
			switch m := val.(type) {
			case map[string]any:
				if len(m) == 0 {
					c.open = true
				}
				fromValues(c, m)
			case bool:
				c.open, c.boolean = true, true
			default:
				c.open = true // a scalar or list: a mapping there is Helm's to judge
			}
		}
	}
	fromValues(k.root, ch.Values)
	for _, t := range ch.Templates {
		text := string(t.Data)
		for _, m := range valuesRef.FindAllStringSubmatch(text, -1) {
			n := k.root
			for _, key := range strings.Split(strings.TrimPrefix(m[1], "."), ".") {
				n = n.child(key)
			}
		}
		for _, m := range openRef.FindAllStringSubmatch(text, -1) {
			n := k.root
			for _, key := range strings.Split(strings.TrimPrefix(m[1], "."), ".") {
				n = n.child(key)
			}
			n.open = true
		}
	}
	k.root.child("global").open = true
	for _, dep := range ch.Metadata.Dependencies {
		name := dep.Name
		if dep.Alias != "" {
			name = dep.Alias
		}
		k.root.child(name).open = true
	}
	for _, sub := range ch.Dependencies() {
		k.root.child(sub.Name()).open = true
	}
	return k
}

// Unknown reports every key of the user's values (before the chart defaults
// are merged) that the chart does not know: Helm renders as if it were not
// there, so a misspelled HA key silently leaves the default in place. It
// also reports a string where values.yaml has a boolean: the templates test
// values for truth, so "false" is on.
func (k *Keys) Unknown(user map[string]any) []finding.Finding {
	var out []finding.Finding
	var walk func(path string, n *node, v map[string]any)
	walk = func(path string, n *node, v map[string]any) {
		keys := slices.Sorted(maps.Keys(v))
		for _, key := range keys {
			p := values.Join(path, key)
			c, ok := n.children[key]
			if !ok {
				f := finding.Finding{Rule: schema.RuleUnknownKey, Severity: finding.Error, Path: p, Stricter: true,
					Message: fmt.Sprintf("%s is not a value of chart %s: neither its values.yaml nor its templates read it, so Helm silently renders as if it were not there", p, k.chart),
					Fix:     schema.UnknownKeyFix(key, slices.Sorted(maps.Keys(n.children)))}
				f.Cause = "schema/" + f.Rule + "/" + f.Path
				out = append(out, f)
				continue
			}
			if text, ok := v[key].(string); ok && c.boolean {
				f := finding.Finding{Rule: schema.RuleType, Severity: finding.Error, Path: p, Stricter: true,
					Message: fmt.Sprintf("%s is the string %q, not a boolean: the chart's templates test it for truth, and every string but \"\" is true, so this turns it on", p, text),
					Fix:     fmt.Sprintf("write %s: %s without quotes", p, boolWord(text))}
				f.Cause = "schema/" + f.Rule + "/" + f.Path
				out = append(out, f)
			}
			if m, ok := v[key].(map[string]any); ok && !c.open {
				walk(p, c, m)
			}
		}
	}
	walk("", k.root, user)
	return out
}

// boolWord is what a quoted boolean most likely meant: false for the words
// of no, else true.
func boolWord(text string) string {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "false", "no", "off", "0", "n", "f":
		return "false"
	}
	return "true"
}
