package values

import (
	"fmt"
	"maps"
	"strconv"

	"helm.sh/helm/v3/pkg/strvals"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// Sets holds the value flags. Helm applies them after the -f files, kind by
// kind in this order whatever their order on the command line, and so does Merge.
type Sets struct {
	JSON     []string // --set-json
	Values   []string // --set
	Strings  []string // --set-string
	Files    []string // --set-file
	Literals []string // --set-literal
}

// Empty reports whether no flag is set.
func (s Sets) Empty() bool {
	return len(s.JSON)+len(s.Values)+len(s.Strings)+len(s.Files)+len(s.Literals) == 0
}

// Merge merges values inputs like `helm template -f a -f b --set ...`: the
// documents in order (later keys win, mappings merge, lists are replaced), then
// the flags. It returns Helm's user values (chart defaults are coalesced under
// them later, by Helm's own chartutil) and the provenance of every value, over
// the chart defaults. readFile reads the files named by --set-file.
func Merge(defaults *Document, docs []*Document, sets Sets, readFile func(string) ([]byte, error)) (map[string]any, *Provenance, error) {
	user := map[string]any{}
	tree := defaults.tree
	for _, d := range docs {
		user = mergeMaps(user, d.Values)
		tree = overlay(tree, d.tree)
	}
	type flagKind struct {
		flag    string
		entries []string
		parse   func(string, map[string]any) error
	}
	kinds := []flagKind{
		{"--set-json", sets.JSON, strvals.ParseJSON},
		{"--set", sets.Values, strvals.ParseInto},
		{"--set-string", sets.Strings, strvals.ParseIntoString},
		{"--set-file", sets.Files, func(s string, m map[string]any) error {
			return strvals.ParseIntoFile(s, m, func(rs []rune) (any, error) {
				data, err := readFile(string(rs))
				return string(data), err
			})
		}},
		{"--set-literal", sets.Literals, strvals.ParseLiteralInto},
	}
	for _, k := range kinds {
		for _, entry := range k.entries {
			alone := map[string]any{}
			if err := k.parse(entry, alone); err != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", k.flag, entry, err)
			}
			if err := k.parse(entry, user); err != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", k.flag, entry, err)
			}
			tree = overlay(tree, flagTree(alone, finding.Origin{Flag: k.flag + " " + entry}))
		}
	}
	return user, &Provenance{tree: tree, defaults: defaults.Name}, nil
}

// mergeMaps returns b merged over a, as Helm merges -f files.
func mergeMaps(a, b map[string]any) map[string]any {
	out := maps.Clone(a)
	for k, v := range b {
		if vm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, vm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// overlay returns the provenance of src merged over dst; neither is modified.
func overlay(dst, src *posNode) *posNode {
	if dst == nil || !dst.isMap || !src.isMap {
		return src
	}
	out := &posNode{origin: src.origin, isMap: true, children: maps.Clone(dst.children)}
	for k, c := range src.children {
		out.children[k] = overlay(dst.children[k], c)
	}
	return out
}

// flagTree is the provenance of value v set by a flag: every part of it comes from origin.
func flagTree(v any, origin finding.Origin) *posNode {
	p := &posNode{origin: origin}
	switch v := v.(type) {
	case map[string]any:
		p.isMap = true
		p.children = make(map[string]*posNode, len(v))
		for k, c := range v {
			p.children[k] = flagTree(c, origin)
		}
	case []any:
		p.children = make(map[string]*posNode, len(v))
		for i, c := range v {
			p.children["["+strconv.Itoa(i)+"]"] = flagTree(c, origin)
		}
	}
	return p
}

// Provenance tells where each merged value was set.
type Provenance struct {
	tree     *posNode
	defaults string // name of the chart's values.yaml
	index    map[string]*posNode
}

// Origin returns where the value at path was set. For a path that does not
// exist (a missing key) it returns the origin of the closest enclosing value.
func (p *Provenance) Origin(path string) finding.Origin {
	if n := p.find(path); n != nil {
		return n.origin
	}
	return finding.Origin{}
}

// KeyOrigin returns where the key naming the value at path was written (the
// flag, for a value set by one); for a missing path, as Origin.
func (p *Provenance) KeyOrigin(path string) finding.Origin {
	if n := p.find(path); n != nil {
		if n.key != (finding.Origin{}) {
			return n.key
		}
		return n.origin
	}
	return finding.Origin{}
}

// SetByUser reports whether the value at path (or, when it is missing, the
// closest enclosing value) was set by the user rather than the chart defaults.
func (p *Provenance) SetByUser(path string) bool {
	n := p.find(path)
	return n != nil && (n.origin.Flag != "" || n.origin.File != p.defaults)
}

func (p *Provenance) find(path string) *posNode {
	if p.index == nil {
		p.index = map[string]*posNode{}
		p.indexNode("", p.tree)
	}
	for {
		if n, ok := p.index[path]; ok {
			return n
		}
		parent, ok := Parent(path)
		if !ok {
			return nil
		}
		path = parent
	}
}

func (p *Provenance) indexNode(path string, n *posNode) {
	p.index[path] = n
	for k, c := range n.children {
		if n.isMap {
			p.indexNode(Join(path, k), c)
		} else {
			p.indexNode(path+k, c)
		}
	}
}
