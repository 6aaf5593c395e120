// Package manifests checks Kubernetes objects as they are applied, whoever
// made them: the output of `helm template` of any chart, the objects the
// Milvus operator made (`kubectl get deploy,sts,cm -o yaml`), a kustomize
// build. It reads the multi-document YAML stream, keeps the objects the
// coordinator model reads (coord.FromObjects: Deployments, StatefulSets,
// ConfigMaps, PodDisruptionBudgets), locates their fields in the stream, and
// runs the HA rules on them. Every problem with the stream itself is a
// finding at its line; no input makes it panic or stop at the first bad
// document.
package manifests

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/textenc"
)

const (
	// MaxSize is the largest stream accepted: `kubectl get -o yaml` of a busy
	// namespace runs to a few megabytes; more is a mistake or an attack.
	MaxSize = 32 << 20
	// maxNodes bounds the YAML nodes visited in one stream, aliases
	// followed, so an alias bomb fails fast instead of expanding.
	maxNodes = 1_000_000
)

// Rule IDs of the problems with a stream.
const (
	RuleTooLarge  = "manifests-too-large"
	RuleNotText   = "manifests-not-text"
	RuleSyntax    = "manifests-syntax"
	RuleAliasBomb = "manifests-alias-expansion"
	RuleNotObject = "manifests-not-object"
	RuleDupKey    = "manifests-duplicate-key"
	RuleDecode    = "manifests-decode"
	RuleEmpty     = "manifests-empty"
	RuleNoCoords  = "manifests-no-coordinators"
)

// Rules describes the findings about the stream itself.
func Rules() []finding.RuleDoc {
	return []finding.RuleDoc{
		{ID: RuleTooLarge, Severity: finding.Error, Protects: fmt.Sprintf("A stream over %d MiB: a mistake, or an attack on the checker.", MaxSize>>20), Fix: "Check the objects of one installation at a time."},
		{ID: RuleNotText, Severity: finding.Error, Protects: "Binary input, or text neither UTF-8 nor UTF-16 with a byte order mark.", Fix: "Pass the YAML kubectl, helm template or kustomize wrote."},
		{ID: RuleSyntax, Severity: finding.Error, Protects: "A document that is not valid YAML (kubectl refuses the stream); the other documents are still checked.", Fix: "Correct the YAML at the line shown."},
		{ID: RuleAliasBomb, Severity: finding.Error, Protects: "A YAML alias bomb, or an alias that contains itself.", Fix: "Write the objects out instead of nesting aliases."},
		{ID: RuleDupKey, Severity: finding.Warning, Protects: "A key set twice in one mapping: Helm and lax clients keep the last and silently drop the first; kubectl's strict field validation refuses the object.", Fix: "Remove or merge one of them."},
		{ID: RuleNotObject, Severity: finding.Error, Protects: "A document that is no Kubernetes object: not a mapping, or without apiVersion and kind.", Fix: "Remove the document, or give it an apiVersion and a kind."},
		{ID: RuleDecode, Severity: finding.Error, Protects: "A Deployment, StatefulSet, ConfigMap or PodDisruptionBudget that does not decode as its API type (the API server refuses it): it was not checked.", Fix: "Correct the field the message names."},
		{ID: RuleEmpty, Severity: finding.Warning, Protects: "A stream without a single object: nothing was checked.", Fix: "Pass the objects (kubectl get deploy,sts,cm -o yaml, or helm template)."},
		{ID: RuleNoCoords, Severity: finding.Warning, Protects: "Objects among which no Deployment or StatefulSet runs a Milvus coordinator (`milvus run rootcoord`, mixture or mixcoord): no HA rule applied.", Fix: "Include the coordinators' Deployments or StatefulSets and the ConfigMaps they mount."},
	}
}

// document is one YAML document of the stream.
type document struct {
	node *yaml.Node // the document's content (not the DocumentNode)
	line int        // lines before the document's chunk: add to node lines
	json []byte     // the document as JSON, as kubectl's YAML reader reads it
}

// split cuts the stream into chunks at `---` lines, as kubectl's YAML reader
// does (a separator line holds `---` and at most spaces and a comment), and
// returns each chunk with the number of lines before it.
func split(data []byte) (chunks [][]byte, offsets []int) {
	start, startLine, line := 0, 0, 0
	for i := 0; i <= len(data); {
		end := bytes.IndexByte(data[i:], '\n')
		next := len(data) + 1
		if end >= 0 {
			end += i
			next = end + 1
		} else {
			end = len(data)
		}
		if isSeparator(data[i:end]) {
			chunks, offsets = append(chunks, data[start:i]), append(offsets, startLine)
			start, startLine = min(next, len(data)), line+1
		}
		line++
		i = next
	}
	chunks, offsets = append(chunks, data[start:]), append(offsets, startLine)
	return chunks, offsets
}

func isSeparator(line []byte) bool {
	rest, ok := bytes.CutPrefix(bytes.TrimRight(line, "\r"), []byte("---"))
	if !ok {
		return false
	}
	rest = bytes.TrimLeft(rest, " \t")
	return len(rest) == 0 || rest[0] == '#'
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads the stream into documents, reporting each problem at its line.
func parse(name string, data []byte) ([]document, []finding.Finding) {
	at := func(line, col int) finding.Origin { return finding.Origin{File: name, Line: line, Col: col} }
	problem := func(rule, msg, fix string, o finding.Origin) finding.Finding {
		return finding.Finding{Rule: rule, Severity: finding.Error, Message: msg, Fix: fix, Origin: o}
	}
	if len(data) > MaxSize {
		return nil, []finding.Finding{problem(RuleTooLarge, fmt.Sprintf("the stream is larger than the %d MiB a manifest stream may have", MaxSize>>20),
			"check the objects of one installation at a time", at(0, 0))}
	}
	data = bytes.TrimPrefix(textenc.FromUTF16(data), []byte("\xef\xbb\xbf")) // and a UTF-8 byte order mark
	if bad := textenc.FirstNonText(data); bad >= 0 {
		line := 1 + bytes.Count(data[:bad], []byte("\n"))
		return nil, []finding.Finding{problem(RuleNotText, "the stream is not UTF-8 text: binary data, or text in another encoding",
			"pass the YAML that kubectl, helm template or kustomize wrote, saved as UTF-8", at(line, 0))}
	}
	var docs []document
	var out []finding.Finding
	budget := maxNodes
	chunks, offsets := split(data)
	for i, chunk := range chunks {
		off := offsets[i]
		dec := yaml.NewDecoder(bytes.NewReader(chunk))
		var nodes []*yaml.Node
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				line, msg := off+1, err.Error()
				if m := yamlLine.FindStringSubmatch(msg); m != nil {
					l, _ := strconv.Atoi(m[1])
					line, msg = off+l, m[2]
				}
				out = append(out, problem(RuleSyntax, "invalid YAML: "+strings.TrimPrefix(msg, "yaml: ")+"; the document was not checked",
					"correct the YAML syntax at this line (indentation, a missing `:` or quote)", at(line, 0)))
				nodes = nil // a chunk that does not parse is skipped whole, as kubectl refuses it
				break
			}
			if len(n.Content) > 0 {
				nodes = append(nodes, n.Content[0])
			}
		}
		for _, n := range nodes {
			if w := (&walk{budget: budget}); !w.visit(n) {
				o := at(off+w.at.Line, w.at.Column)
				if w.cycle {
					out = append(out, problem(RuleAliasBomb, "a YAML alias refers to a node that contains it: the document never ends",
						"write the object out instead of referring to it from inside itself", o))
				} else {
					out = append(out, problem(RuleAliasBomb, fmt.Sprintf("following its YAML aliases expands the stream to more than %d values", maxNodes),
						"write the objects out instead of nesting aliases (*name) of anchors (&name)", o))
				}
				return docs, out // the budget is spent: the rest cannot be read safely
			} else {
				budget = w.budget
				for _, d := range w.dups {
					f := problem(RuleDupKey, fmt.Sprintf("key %q is set twice in this mapping (first at line %d): Helm and lax clients keep this one and silently drop the first; kubectl's strict field validation refuses the object", d[1].Value, off+d[0].Line),
						"remove one of the two, or merge them", at(off+d[1].Line, d[1].Column))
					f.Severity = finding.Warning
					out = append(out, f)
				}
			}
			if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
				continue // an empty document
			}
			text := chunk
			if len(nodes) > 1 {
				// Several documents in one chunk (`--- value` or `...` lines):
				// each is written out on its own for the JSON.
				var err error
				if text, err = yaml.Marshal(n); err != nil {
					out = append(out, problem(RuleSyntax, "the document cannot be read: "+err.Error(), "split the documents with `---` lines", at(off+n.Line, n.Column)))
					continue
				}
			}
			js, err := sigsyaml.YAMLToJSON(text)
			if err != nil {
				msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
				line := off + n.Line
				if m := yamlLine.FindStringSubmatch(msg); m != nil && len(nodes) == 1 {
					l, _ := strconv.Atoi(m[1])
					line, msg = off+l, m[2]
				}
				out = append(out, problem(RuleSyntax, "invalid YAML for kubectl: "+strings.TrimPrefix(msg, "yaml: ")+"; the document was not checked",
					"correct the YAML at this line (a key set twice, a value of another type)", at(line, 0)))
				continue
			}
			docs = append(docs, document{node: n, line: off, json: js})
		}
	}
	return docs, out
}

// walk visits a node tree, aliases followed, within a budget of nodes.
type walk struct {
	budget     int
	dups       [][2]*yaml.Node // a key set twice: the first and the second
	seen       map[*yaml.Node]bool
	cycle      bool
	at         yaml.Node // where it stopped: the outermost alias being expanded
	aliases    []*yaml.Node
	inProgress map[*yaml.Node]bool
}

func (w *walk) visit(n *yaml.Node) bool {
	w.budget--
	if w.budget < 0 {
		w.stop(n)
		return false
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return true
		}
		w.aliases = append(w.aliases, n)
		defer func() { w.aliases = w.aliases[:len(w.aliases)-1] }()
		if w.inProgress[n.Alias] {
			w.cycle = true
			w.stop(n)
			return false
		}
		return w.visit(n.Alias)
	}
	if len(n.Content) == 0 {
		return true
	}
	if w.inProgress == nil {
		w.inProgress = map[*yaml.Node]bool{}
	}
	w.inProgress[n] = true
	defer delete(w.inProgress, n)
	if n.Kind == yaml.MappingNode && !w.seen[n] {
		if w.seen == nil {
			w.seen = map[*yaml.Node]bool{}
		}
		w.seen[n] = true
		first := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				continue
			}
			if f, ok := first[k.Value]; ok {
				w.dups = append(w.dups, [2]*yaml.Node{f, k})
			}
			first[k.Value] = k
		}
	}
	for _, c := range n.Content {
		if !w.visit(c) {
			return false
		}
	}
	return true
}

func (w *walk) stop(n *yaml.Node) {
	w.at = *n
	if len(w.aliases) > 0 {
		w.at = *w.aliases[0]
	}
}
