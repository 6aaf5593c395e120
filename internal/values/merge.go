package values

import (
	"fmt"
	"maps"
	"strconv"
	"sync"

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

// Defaults are the positions in a chart's values.yaml, for findings about
// values the user left at their default. They are parsed on first use (most
// checks never need them) and then shared, read-only, by every check.
type Defaults struct {
	name  string
	index func() map[string]*posNode
}

// NewDefaults returns the defaults of the chart values file name holding data.
func NewDefaults(name string, data []byte) *Defaults {
	return &Defaults{name: name, index: sync.OnceValue(func() map[string]*posNode {
		doc, _ := Parse(name, data)
		if doc == nil {
			return nil // Helm parsed it to load the chart; only positions are lost
		}
		return indexTree(doc.tree)
	})}
}

// Prepared are the value flags of a run, each parsed once and its --set-file
// read once, then applied to every check by Merge.
type Prepared struct {
	entries []preparedSet
}

type preparedSet struct {
	origin finding.Origin                     // the flag, as findings name it
	parse  func(string, map[string]any) error // Helm's parser for its kind
	entry  string
	alone  map[string]any // the entry parsed on its own, for provenance
}

// Prepare parses the value flags (Helm's strvals) and reads the files named by
// --set-file with readFile, once for the whole run. A malformed flag or an
// unreadable file is an error: the run cannot check anything.
func Prepare(sets Sets, readFile func(string) ([]byte, error)) (*Prepared, error) {
	files := map[string]string{}
	var fileErr error
	readOnce := func(rs []rune) (any, error) {
		name := string(rs)
		if data, ok := files[name]; ok {
			return data, nil
		}
		data, err := readFile(name)
		if err == nil && len(data) > MaxFileSize {
			err = fmt.Errorf("%s is larger than the %d MiB valuescheck reads (Helm reads any size)", name, MaxFileSize>>20)
		}
		if err != nil {
			fileErr = err
			return nil, err
		}
		files[name] = string(data)
		return files[name], nil
	}
	kinds := []struct {
		flag    string
		entries []string
		parse   func(string, map[string]any) error
	}{
		{"--set-json", sets.JSON, strvals.ParseJSON},
		{"--set", sets.Values, strvals.ParseInto},
		{"--set-string", sets.Strings, strvals.ParseIntoString},
		{"--set-file", sets.Files, func(s string, m map[string]any) error {
			return strvals.ParseIntoFile(s, m, readOnce)
		}},
		{"--set-literal", sets.Literals, strvals.ParseLiteralInto},
	}
	p := &Prepared{}
	for _, k := range kinds {
		for _, entry := range k.entries {
			alone := map[string]any{}
			if err := k.parse(entry, alone); err != nil {
				if fileErr != nil {
					err = fileErr
				}
				return nil, fmt.Errorf("%s %s: %w", k.flag, entry, err)
			}
			p.entries = append(p.entries, preparedSet{origin: finding.Origin{Flag: k.flag + " " + entry}, parse: k.parse, entry: entry, alone: alone})
		}
	}
	return p, nil
}

// Merge merges values inputs like `helm template -f a -f b --set ...`: the
// documents in order (later keys win, mappings merge, lists are replaced), then
// the flags. It returns Helm's user values (chart defaults are coalesced under
// them later, by Helm's own chartutil) and the provenance of every value, the
// chart defaults' included. A flag that does not apply to these values (an
// index into a value that is no list) is a finding at the flag.
func Merge(defaults *Defaults, docs []*Document, sets *Prepared) (map[string]any, *Provenance, []finding.Finding) {
	user := map[string]any{}
	var tree *posNode
	for _, d := range docs {
		// A copy: --set writes into the merged maps, and documents (the -f
		// layers) are shared by every check of a run.
		user = mergeMaps(user, deepCopy(d.Values).(map[string]any))
		tree = overlay(tree, d.tree, false)
	}
	var out []finding.Finding
	if sets != nil {
		for _, e := range sets.entries {
			if err := e.parse(e.entry, user); err != nil {
				out = append(out, finding.Finding{Rule: RuleSyntax, Severity: finding.Error, Origin: e.origin,
					Message: "Helm cannot apply the flag to these values: " + err.Error(),
					Fix:     "change the flag's key to fit the values it sets (an index needs a list, a key a mapping)"})
				continue
			}
			// strvals sets list items in place (t[0].key=x keeps t[0]'s other keys).
			tree = overlay(tree, flagTree(e.alone, e.origin), true)
		}
	}
	return user, &Provenance{tree: tree, defaults: defaults}, out
}

// deepCopy copies parsed values: mappings and lists, down to their scalars.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, c := range v {
			out[k] = deepCopy(c)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, c := range v {
			out[i] = deepCopy(c)
		}
		return out
	}
	return v
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
// Mappings merge; lists are replaced, or with intoLists merged item by item.
func overlay(dst, src *posNode, intoLists bool) *posNode {
	if dst == nil || !(dst.isMap && src.isMap || intoLists && dst.isList && src.isList) {
		return src
	}
	out := &posNode{origin: src.origin, isMap: src.isMap, isList: src.isList, children: maps.Clone(dst.children)}
	for k, c := range src.children {
		out.children[k] = overlay(dst.children[k], c, intoLists)
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
		p.isList = true
		p.children = make(map[string]*posNode, len(v))
		for i, c := range v {
			p.children["["+strconv.Itoa(i)+"]"] = flagTree(c, origin)
		}
	}
	return p
}

// Provenance tells where each merged value was set: by the user (tree), else
// by the chart defaults.
type Provenance struct {
	tree     *posNode
	defaults *Defaults
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

// Scalar returns the text of the scalar at path as the user wrote it (2.10,
// 0123, yes: before YAML turned it into a number or a boolean), and whether a
// file (not a flag) set it; ok is false for a value that is not a scalar the
// user wrote.
func (p *Provenance) Scalar(path string) (text string, inFile, ok bool) {
	if p.index == nil {
		p.index = indexTree(p.tree)
	}
	n := p.index[path]
	if n == nil || n.isMap || n.isList {
		return "", false, false
	}
	if n.origin.Flag != "" {
		return "", false, true
	}
	return n.raw, true, n.hasRaw
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
	_, byUser := p.lookup(path)
	return byUser
}

// find returns the node of path, or of its closest enclosing value.
func (p *Provenance) find(path string) *posNode {
	n, _ := p.lookup(path)
	return n
}

// lookup finds the node that set path: the deepest node on the way to it, in
// what the user set or in the chart defaults; a user value that is not a
// mapping replaced everything the defaults had below it.
func (p *Provenance) lookup(path string) (n *posNode, byUser bool) {
	if p.index == nil {
		p.index = indexTree(p.tree)
	}
	userPath, user := deepest(p.index, path)
	defaultsPath, def := deepest(p.defaults.index(), path)
	if user != nil && (!user.isMap || len(userPath) >= len(defaultsPath)) || def == nil {
		return user, user != nil
	}
	return def, false
}

// deepest returns the node of path in index, or of its closest ancestor there.
func deepest(index map[string]*posNode, path string) (string, *posNode) {
	for {
		if n, ok := index[path]; ok {
			return path, n
		}
		parent, ok := Parent(path)
		if !ok {
			return "", nil
		}
		path = parent
	}
}

// indexTree maps every path in a position tree to its node.
func indexTree(root *posNode) map[string]*posNode {
	index := map[string]*posNode{}
	var walk func(path string, n *posNode)
	walk = func(path string, n *posNode) {
		index[path] = n
		for k, c := range n.children {
			if n.isMap {
				walk(Join(path, k), c)
			} else {
				walk(path+k, c)
			}
		}
	}
	if root != nil {
		walk("", root)
	}
	return index
}
