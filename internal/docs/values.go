package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/milvus-coord/milvus-coord/internal/values"
)

// Value is one key of a chart's values, documented.
type Value struct {
	Path        string // as users write it: image.all.tag, extraConfigFiles["user.yaml"]
	Type        string // from the schema: "integer", "list of string", "Kubernetes Affinity"...
	Default     string // the default as JSON; empty when the key is not in values.yaml and the schema has none
	Description string // from the key's `# --` comment, else from the schema
	FromComment bool   // Description is the key's comment
	InValues    bool   // the key is written in values.yaml (false: a key only the schema knows)
	HasKeys     bool   // an object whose own keys are listed after it
	Line        int    // line of the key in values.yaml; 0 when not in it
}

// ValuesDoc is the documentation of every key of a chart's values.
type ValuesDoc struct {
	Values []Value
	// Comments is the number of `# --` comment lines in values.yaml; every
	// one must be the description of a key.
	Comments int
}

// Problems lists what makes the documentation incomplete: keys without a
// description, and `# --` comments that describe no key (a comment in a
// place YAML does not attach to the key below it).
func (d ValuesDoc) Problems() []string {
	var out []string
	used := 0
	for _, v := range d.Values {
		if v.Description == "" {
			where := "only in values.schema.json"
			if v.InValues {
				where = fmt.Sprintf("values.yaml line %d", v.Line)
			}
			out = append(out, fmt.Sprintf("%s (%s) has no description: add a `# --` comment above it in values.yaml, or a description in the schema", v.Path, where))
		}
		if v.FromComment {
			used++
		}
	}
	if used != d.Comments {
		out = append(out, fmt.Sprintf("values.yaml has %d `# --` comments but only %d describe a key: a comment must stand directly above its key", d.Comments, used))
	}
	return out
}

// schemaNode is the part of a JSON schema the documentation reads.
type schemaNode struct {
	Ref                  string                 `json:"$ref"`
	Type                 any                    `json:"type"` // a name or a list of names
	Description          string                 `json:"description"`
	Default              json.RawMessage        `json:"default"`
	Enum                 []any                  `json:"enum"`
	Properties           map[string]*schemaNode `json:"properties"`
	Items                *schemaNode            `json:"items"`
	AdditionalProperties json.RawMessage        `json:"additionalProperties"`
	Definitions          map[string]*schemaNode `json:"definitions"`
}

// chartObject reports whether the schema describes an object of the chart's
// own keys (closed, not a Kubernetes type, not a free-form map): its keys are
// documented one by one. Anything else is documented as one value.
func (s *schemaNode) chartObject() bool {
	return s != nil && s.Ref == "" && len(s.Properties) > 0 && string(s.AdditionalProperties) == "false"
}

// Document documents every key of a chart's values.yaml, in file order, with
// the type and (as a fallback) the description from its values.schema.json.
// A key is documented by the `# --` comment directly above it (continued by
// the comment lines that follow it); a comment may describe a mapping whose
// keys have their own. Keys inside a value the schema treats as a whole (a
// Kubernetes type such as resources, a map of labels) are part of that
// value's default, not keys of their own. Keys the schema knows but
// values.yaml does not set follow their siblings, without a default.
func Document(valuesYAML, schemaJSON []byte) (ValuesDoc, error) {
	var root schemaNode
	if err := json.Unmarshal(schemaJSON, &root); err != nil {
		return ValuesDoc{}, fmt.Errorf("values.schema.json: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(valuesYAML, &doc); err != nil {
		return ValuesDoc{}, fmt.Errorf("values.yaml: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return ValuesDoc{}, fmt.Errorf("values.yaml: the top level is not a mapping")
	}
	w := &walker{defs: root.Definitions}
	if err := w.mapping("", doc.Content[0], &root); err != nil {
		return ValuesDoc{}, err
	}
	for _, line := range strings.Split(string(valuesYAML), "\n") {
		if isDocComment(line) {
			w.doc.Comments++
		}
	}
	return w.doc, nil
}

type walker struct {
	defs map[string]*schemaNode
	doc  ValuesDoc
}

// mapping documents the keys of a values mapping whose schema is s, then the
// keys s knows that the mapping does not set.
func (w *walker) mapping(parent string, m *yaml.Node, s *schemaNode) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		seen[k.Value] = true
		var ks *schemaNode
		if s != nil {
			ks = s.Properties[k.Value]
		}
		val := Value{Path: values.Join(parent, k.Value), Type: w.typeOf(ks), InValues: true, Line: k.Line}
		if d, ok := commentDescription(k.HeadComment); ok {
			val.Description, val.FromComment = d, true
		} else if ks != nil {
			val.Description = ks.Description
		}
		if ks.chartObject() && v.Kind == yaml.MappingNode {
			val.HasKeys = true
			if len(v.Content) == 0 {
				val.Default = "{}" // its keys are all unset
			}
			w.doc.Values = append(w.doc.Values, val)
			if err := w.mapping(val.Path, v, ks); err != nil {
				return err
			}
			continue
		}
		var decoded any
		if err := v.Decode(&decoded); err != nil {
			return fmt.Errorf("values.yaml line %d: %w", v.Line, err)
		}
		def, err := compactJSON(decoded)
		if err != nil {
			return fmt.Errorf("values.yaml line %d: %w", v.Line, err)
		}
		val.Default = def
		w.doc.Values = append(w.doc.Values, val)
	}
	if s == nil {
		return nil
	}
	var rest []string
	for key := range s.Properties {
		if !seen[key] {
			rest = append(rest, key)
		}
	}
	slices.Sort(rest)
	for _, key := range rest {
		w.schemaOnly(values.Join(parent, key), s.Properties[key])
	}
	return nil
}

// schemaOnly documents a key that values.yaml does not set, and the keys below it.
func (w *walker) schemaOnly(path string, s *schemaNode) {
	val := Value{Path: path, Type: w.typeOf(s), Description: s.Description, HasKeys: s.chartObject()}
	if len(s.Default) > 0 {
		var b bytes.Buffer
		if json.Compact(&b, s.Default) == nil {
			val.Default = b.String()
		}
	}
	w.doc.Values = append(w.doc.Values, val)
	if !val.HasKeys {
		return
	}
	keys := make([]string, 0, len(s.Properties))
	for key := range s.Properties {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		w.schemaOnly(values.Join(path, key), s.Properties[key])
	}
}

// typeOf names the type a schema describes, as a reader writes values.
func (w *walker) typeOf(s *schemaNode) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		name := s.Ref[strings.LastIndex(s.Ref, ".")+1:]
		return "Kubernetes " + name
	}
	var names []string
	switch t := s.Type.(type) {
	case string:
		names = []string{t}
	case []any:
		for _, n := range t {
			names = append(names, fmt.Sprint(n))
		}
	}
	for i, n := range names {
		switch {
		case n == "array" && s.Items != nil:
			if item := w.typeOf(s.Items); item != "" {
				names[i] = "list of " + item
			} else {
				names[i] = "list"
			}
		case n == "array":
			names[i] = "list"
		case n == "object" && !s.chartObject() && len(s.Properties) == 0 && len(s.AdditionalProperties) > 0 && string(s.AdditionalProperties) != "false" && string(s.AdditionalProperties) != "true":
			var item schemaNode
			if json.Unmarshal(s.AdditionalProperties, &item) == nil {
				if t := w.typeOf(&item); t != "" {
					names[i] = "map of " + t
				}
			}
		}
	}
	out := strings.Join(names, " or ")
	if len(s.Enum) > 0 {
		enum := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			enum[i] = fmt.Sprint(e)
		}
		out += ": " + strings.Join(enum, ", ")
	}
	return out
}

// isDocComment reports whether a line of values.yaml starts a `# --` description.
func isDocComment(line string) bool {
	t := strings.TrimSpace(line)
	return t == "# --" || strings.HasPrefix(t, "# -- ")
}

// commentDescription returns the description in a key's head comment: the
// last `# --` line and the comment lines that follow it, joined.
func commentDescription(comment string) (string, bool) {
	lines := strings.Split(comment, "\n")
	start := -1
	for i, l := range lines {
		if isDocComment(l) {
			start = i
		}
	}
	if start < 0 {
		return "", false
	}
	parts := []string{strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[start]), "# --"))}
	for _, l := range lines[start+1:] {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") {
			break // a blank line ends the description
		}
		parts = append(parts, strings.TrimSpace(strings.TrimPrefix(t, "#")))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " "), true
}

// compactJSON encodes v as one line of JSON, keys sorted, HTML left alone.
func compactJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
