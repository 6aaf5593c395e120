// Package values loads values files the way Helm does, and remembers where every
// value came from.
//
// Each input is parsed twice: with gopkg.in/yaml.v3 into nodes, which carry the
// line and column of every key and value and let hostile input (binary data,
// alias bombs, duplicate keys, several documents) be refused before anything
// expands it; and with sigs.k8s.io/yaml, the parser Helm itself uses, so the
// values are exactly the ones Helm would see (YAML 1.1 booleans included).
package values

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/textenc"
	"github.com/milvus-coord/milvus-coord/internal/yamlnode"
)

const (
	// MaxFileSize is the largest values file accepted. Real values files are a
	// few kilobytes; a larger input is a mistake or an attack.
	MaxFileSize = 4 << 20
	// maxNodes bounds the nodes visited while following aliases, so a "billion
	// laughs" document fails fast instead of expanding.
	maxNodes = 200_000
)

// Rule IDs of the problems found while parsing.
const (
	RuleSyntax       = "parse-syntax"
	RuleNotText      = "parse-not-text"
	RuleTooLarge     = "parse-too-large"
	RuleDuplicateKey = "parse-duplicate-key"
	RuleMultipleDocs = "parse-multiple-documents"
	RuleNotMapping   = "parse-not-mapping"
	RuleAliasBomb    = "parse-alias-expansion"
	RuleEmpty        = "parse-empty"
)

// Rules describes the parse rules.
func Rules() []finding.RuleDoc {
	return []finding.RuleDoc{
		{ID: RuleAliasBomb, Severity: finding.Error, Protects: "A YAML alias bomb: aliases that expand a small file into millions of values.", Fix: "Write the values out instead of nesting aliases."},
		{ID: RuleNotMapping, Severity: finding.Error, Protects: "A file whose top level is a list or a scalar: Helm refuses it.", Fix: "Write `key: value` lines at the top level."},
		{ID: RuleNotText, Severity: finding.Error, Protects: "Binary input, or text neither UTF-8 nor UTF-16 with a byte order mark: Helm refuses it.", Fix: "Pass a YAML text file."},
		{ID: RuleSyntax, Severity: finding.Error, Protects: "Invalid YAML, or a --set flag Helm cannot apply to the values.", Fix: "Correct the syntax at the line shown."},
		{ID: RuleDuplicateKey, Severity: finding.Error, HelmAccepts: true, Protects: "A key set twice in one mapping: Helm keeps the last one and silently drops the first.", Fix: "Remove or merge one of them."},
		{ID: RuleMultipleDocs, Severity: finding.Error, HelmAccepts: true, Protects: "Several YAML documents in one file: Helm reads the first and silently drops the rest.", Fix: "Merge the documents, or pass them as separate files."},
		{ID: RuleTooLarge, Severity: finding.Error, HelmAccepts: true, Protects: "A file over 4 MiB: a mistake, or an attack on the checker.", Fix: "Check that this is the values file you meant."},
		{ID: RuleEmpty, Severity: finding.Warning, HelmAccepts: true, Protects: "An empty values file: it changes nothing, which is rarely what was meant.", Fix: "Add the values, or stop passing the file."},
	}
}

// helmAccepts says whether Helm accepts what a parse rule refuses.
func helmAccepts(rule string) bool {
	for _, r := range Rules() {
		if r.ID == rule {
			return r.HelmAccepts
		}
	}
	return false
}

// Document is one parsed values input.
type Document struct {
	Name   string         // as shown to users: the path given, or "<stdin>"
	Values map[string]any // as Helm parses it
	tree   *posNode       // positions of every key and value
}

// Pos is a 1-based line and column.
type Pos struct{ Line, Col int }

// posNode records where a value and the key naming it stand in one input, and
// the same for what it contains.
type posNode struct {
	origin   finding.Origin // the value (a scalar) or the key naming it (a mapping or sequence)
	key      finding.Origin // the key naming the value; empty for the root, list items and flags
	isMap    bool
	isList   bool
	children map[string]*posNode // keyed by child path element (a key, or "[i]")
	raw      string              // a scalar's text as written
	hasRaw   bool
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses one values input named name. It returns the findings that make
// the input unusable (the Document is then nil) or that deserve a warning.
func Parse(name string, data []byte) (*Document, []finding.Finding) {
	doc, found := parse(name, data)
	for i := range found {
		found[i].Stricter = helmAccepts(found[i].Rule)
	}
	return doc, found
}

func parse(name string, data []byte) (*Document, []finding.Finding) {
	at := func(line, col int) finding.Origin { return finding.Origin{File: name, Line: line, Col: col} }
	fail := func(rule, msg, fix string, o finding.Origin) (*Document, []finding.Finding) {
		return nil, []finding.Finding{{Rule: rule, Severity: finding.Error, Message: msg, Fix: fix, Origin: o}}
	}
	if len(data) > MaxFileSize {
		return fail(RuleTooLarge, fmt.Sprintf("the file is larger than the %d bytes (%d MiB) a values file may have", MaxFileSize, MaxFileSize>>20),
			"check that this is the values file you meant; split it if it really is one", at(0, 0))
	}
	// UTF-16 with a byte order mark is text to Helm's YAML parser: read it as
	// the UTF-8 it stands for (lines and columns count characters alike).
	data = textenc.FromUTF16(data)
	if bad := textenc.FirstNonText(data); bad >= 0 {
		line := 1 + bytes.Count(data[:bad], []byte("\n"))
		return fail(RuleNotText, "the file is not UTF-8 text: binary data, or text in another encoding such as Latin-1",
			"pass a YAML values file saved as UTF-8", at(line, 0))
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return empty(name)
		}
		return syntaxError(name, helmParseError(data, err))
	}
	// Later documents are dropped by Helm: one that holds something is lost.
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return syntaxError(name, helmParseError(data, err))
		}
		if !emptyDocument(&next) {
			return fail(RuleMultipleDocs, "the file holds more than one YAML document: Helm reads only the first and silently drops the rest",
				"remove the `---` separator and merge the documents, or split them into files passed one by one", at(next.Line, next.Column))
		}
	}

	doc := root.Content[0]
	// An empty document or a null ("~", "null") sets nothing, when Helm's
	// parser agrees: a lone tag ("!", "!!null x") reads as null in yaml.v3 but
	// as a string in Helm, which refuses it as the top level.
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		var m map[string]any
		if sigsyaml.Unmarshal(data, &m) == nil {
			return empty(name)
		}
		return fail(RuleNotMapping, "the top level is a scalar, not a mapping of values",
			"write the values as `key: value` lines at the top level", at(doc.Line, doc.Column))
	}
	if yamlnode.Resolve(doc).Kind != yaml.MappingNode {
		return fail(RuleNotMapping, fmt.Sprintf("the top level is a %s, not a mapping of values", yamlnode.KindName(yamlnode.Resolve(doc))),
			"write the values as `key: value` lines at the top level", at(doc.Line, doc.Column))
	}

	w := walker{file: name}
	tree := w.node(doc, 0, 0)
	if w.tooMany {
		return fail(RuleAliasBomb, fmt.Sprintf("following its YAML aliases expands the file to more than %d values", maxNodes),
			"write the values out instead of nesting aliases (*name) of anchors (&name)", at(w.bombAt.Line, w.bombAt.Col))
	}
	if len(w.findings) > 0 {
		return nil, w.findings
	}

	var vals map[string]any
	if err := sigsyaml.Unmarshal(data, &vals); err != nil {
		return syntaxError(name, err)
	}
	if vals == nil {
		vals = map[string]any{}
	}
	if f, ok := collision(tree, vals); ok {
		return nil, []finding.Finding{f}
	}
	return &Document{Name: name, Values: vals, tree: tree}, nil
}

func empty(name string) (*Document, []finding.Finding) {
	return &Document{Name: name, Values: map[string]any{}, tree: &posNode{isMap: true, children: map[string]*posNode{}}},
		[]finding.Finding{{
			Rule: RuleEmpty, Severity: finding.Warning, Origin: finding.Origin{File: name},
			Message: "the file sets no values (it is empty or only comments), so the chart defaults apply unchanged",
			Fix:     "add the values you meant to set, or stop passing this file",
		}}
}

// helmParseError returns the error Helm's parser gives for data when it has
// one, so a syntax error is reported at the line Helm reports; else err.
func helmParseError(data []byte, err error) error {
	var v any
	if herr := sigsyaml.Unmarshal(data, &v); herr != nil {
		if m := sigsPrefix.FindStringIndex(herr.Error()); m != nil {
			return errors.New(herr.Error()[m[1]:])
		}
	}
	return err
}

// sigsPrefix is what sigs.k8s.io/yaml puts before the YAML parser's message.
var sigsPrefix = regexp.MustCompile(`^error converting YAML to JSON: `)

func syntaxError(name string, err error) (*Document, []finding.Finding) {
	msg := err.Error()
	o := finding.Origin{File: name}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		o.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	return nil, []finding.Finding{{
		Rule: RuleSyntax, Severity: finding.Error, Origin: o,
		Message: "invalid YAML: " + msg, Fix: "correct the YAML syntax at this line (indentation, a missing `:` or quote)",
	}}
}

// emptyDocument reports whether a YAML document holds nothing (a lone `---`
// at the end of a file): Helm loses nothing by reading only the first.
func emptyDocument(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	n := doc.Content[0]
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && n.Style == 0
}

// walker builds the position tree of one document, refusing duplicate keys and
// bounding alias expansion.
type walker struct {
	file       string
	visited    int
	tooMany    bool
	bombAt     Pos
	aliases    []Pos               // the aliases being expanded, outermost first
	inProgress map[*yaml.Node]bool // mappings and lists being walked: an alias to one contains itself
	findings   []finding.Finding
}

func (w *walker) origin(n *yaml.Node) finding.Origin {
	return finding.Origin{File: w.file, Line: n.Line, Col: n.Column}
}

// node describes value node n, named by the key at keyLine:keyCol (0 for the root).
func (w *walker) node(n *yaml.Node, keyLine, keyCol int) *posNode {
	w.visited++
	if w.visited > maxNodes {
		if !w.tooMany {
			// Blame the alias whose expansion blew the budget, not a value deep inside it.
			w.tooMany, w.bombAt = true, Pos{n.Line, n.Column}
			if len(w.aliases) > 0 {
				w.bombAt = w.aliases[0]
			}
		}
		return &posNode{}
	}
	if n.Kind == yaml.AliasNode {
		w.aliases = append(w.aliases, Pos{n.Line, n.Column})
		defer func() { w.aliases = w.aliases[:len(w.aliases)-1] }()
	}
	v := yamlnode.Resolve(n)
	if w.inProgress[v] {
		w.selfReference(n)
		return &posNode{}
	}
	if v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode {
		if w.inProgress == nil {
			w.inProgress = map[*yaml.Node]bool{}
		}
		w.inProgress[v] = true
		defer delete(w.inProgress, v)
	}
	p := &posNode{origin: w.origin(n)}
	if keyLine > 0 {
		p.key = finding.Origin{File: w.file, Line: keyLine, Col: keyCol}
		if v.Kind != yaml.ScalarNode {
			p.origin = p.key
		}
	}
	switch v.Kind {
	case yaml.ScalarNode:
		p.raw, p.hasRaw = v.Value, true
	case yaml.MappingNode:
		p.isMap = true
		p.children = map[string]*posNode{}
		w.mapping(v, p, true)
	case yaml.SequenceNode:
		p.isList = true
		p.children = map[string]*posNode{}
		for i, item := range v.Content {
			p.children["["+strconv.Itoa(i)+"]"] = w.node(item, 0, 0)
		}
	}
	return p
}

// mapping adds the entries of mapping node m to p. YAML merge keys (`<<: *base`
// or `<<: [*a, *b]`) bring in the entries of the merged mappings: the mapping's
// own keys override them, and an earlier merged mapping overrides a later one.
// Duplicate keys are reported where a mapping is written (own), not again
// where it is merged.
func (w *walker) mapping(m *yaml.Node, p *posNode, own bool) {
	for i := 0; i+1 < len(m.Content) && !w.tooMany; i += 2 {
		if key, val := m.Content[i], m.Content[i+1]; key.Tag == "!!merge" {
			sources := mergeSources(val)
			for j := len(sources) - 1; j >= 0; j-- {
				src := sources[j]
				switch {
				case w.inProgress[src]:
					w.selfReference(val)
				case src.Kind == yaml.MappingNode:
					w.visited++
					w.inProgress[src] = true
					w.mapping(src, p, false)
					delete(w.inProgress, src)
				}
			}
		}
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content) && !w.tooMany; i += 2 {
		key, val := m.Content[i], m.Content[i+1]
		if key.Tag == "!!merge" {
			continue
		}
		if first, dup := seen[key.Value]; dup && own {
			w.findings = append(w.findings, finding.Finding{
				Rule: RuleDuplicateKey, Severity: finding.Error, Origin: w.origin(key),
				Message: fmt.Sprintf("key %q is set twice in this mapping (first at line %d): Helm keeps only the last one, so the first is silently lost", key.Value, first.Line),
				Fix:     "remove one of the two, or merge them",
			})
		}
		seen[key.Value] = key
		p.children[key.Value] = w.node(val, key.Line, key.Column)
	}
}

// collision finds a mapping where two keys written differently are one key to
// Helm's YAML 1.1 parser (8 and 08, yes and true): Helm then keeps one of the
// two values at random. Only mappings that lost keys are looked at closely.
func collision(n *posNode, v any) (finding.Finding, bool) {
	switch {
	case n == nil:
	case n.isMap:
		m, _ := v.(map[string]any)
		if len(m) < len(n.children) {
			seen := map[string]string{}
			keys := make([]string, 0, len(n.children))
			for k := range n.children {
				keys = append(keys, k)
			}
			// Report at the later of the two keys, as for plain duplicates.
			slices.SortFunc(keys, func(a, b string) int {
				return cmp.Compare(n.children[a].key.Line*1e6+n.children[a].key.Col, n.children[b].key.Line*1e6+n.children[b].key.Col)
			})
			for _, k := range keys {
				c := helmKey(k)
				if first, dup := seen[c]; dup {
					return finding.Finding{
						Rule: RuleDuplicateKey, Severity: finding.Error, Origin: n.children[k].key,
						Message: fmt.Sprintf("keys %q and %q are the same key %q to Helm's YAML 1.1 parser: Helm keeps one of the two values at random", first, k, c),
						Fix:     "keep one of the two keys, written the same way",
					}, true
				}
				seen[c] = k
			}
		}
		for k, c := range n.children {
			child, ok := m[k]
			if !ok {
				child = m[helmKey(k)]
			}
			if f, found := collision(c, child); found {
				return f, true
			}
		}
	case n.isList:
		l, _ := v.([]any)
		for i := range l {
			if f, found := collision(n.children["["+strconv.Itoa(i)+"]"], l[i]); found {
				return f, true
			}
		}
	}
	return finding.Finding{}, false
}

// helmKey is the key Helm's parser makes of a mapping key written as k.
func helmKey(k string) string {
	var m map[string]any
	if sigsyaml.Unmarshal([]byte(k+": 0"), &m) == nil && len(m) == 1 {
		for key := range m {
			return key
		}
	}
	return k
}

// selfReference reports an alias to a value that contains it, which would
// expand forever.
func (w *walker) selfReference(at *yaml.Node) {
	for _, f := range w.findings {
		if f.Rule == RuleSyntax {
			return // once is enough
		}
	}
	w.findings = append(w.findings, finding.Finding{
		Rule: RuleSyntax, Severity: finding.Error, Origin: w.origin(at),
		Message: "invalid YAML: an alias refers to the value that contains it, which would repeat forever",
		Fix:     "point the alias (*name) at an anchor (&name) outside the value that uses it",
	})
}

func mergeSources(n *yaml.Node) []*yaml.Node {
	n = yamlnode.Resolve(n)
	if n.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, yamlnode.Resolve(c))
		}
		return out
	}
	return []*yaml.Node{n}
}
