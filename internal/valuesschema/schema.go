// Package valuesschema builds values.schema.json, the chart's values contract.
//
// The schema is generated rather than hand-written so that the rules repeated for
// every coordinator (replicas > 1 needs active-standby, a non-HA coordinator must
// use Recreate) are written once, and so that the Kubernetes objects users pass
// through (affinity, tolerations, env, securityContext, ...) are described field
// by field from the k8s.io/api types themselves, with additionalProperties false
// at every level: a misspelled field is refused by Helm, not dropped by the
// API server. The output is draft-07, the dialect both Helm (santhosh-tekuri
// jsonschema) and valuescheck (gojsonschema) implement.
package valuesschema

import (
	"bytes"
	"encoding/json"
)

// Schema is one JSON Schema (draft-07) node. Only the keywords the chart's
// contract uses are present.
type Schema struct {
	SchemaURI            string             `json:"$schema,omitempty"`
	Comment              string             `json:"$comment,omitempty"`
	Ref                  string             `json:"$ref,omitempty"`
	Title                string             `json:"title,omitempty"`
	Description          string             `json:"description,omitempty"`
	Type                 any                `json:"type,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	Const                any                `json:"const,omitempty"`
	Default              any                `json:"default,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Maximum              *float64           `json:"maximum,omitempty"`
	MinLength            *int               `json:"minLength,omitempty"`
	MinItems             *int               `json:"minItems,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	Properties           map[string]*Schema `json:"properties,omitempty"`
	AdditionalProperties any                `json:"additionalProperties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	Items                *Schema            `json:"items,omitempty"`
	If                   *Schema            `json:"if,omitempty"`
	Then                 *Schema            `json:"then,omitempty"`
	Else                 *Schema            `json:"else,omitempty"`
	AllOf                []*Schema          `json:"allOf,omitempty"`
	AnyOf                []*Schema          `json:"anyOf,omitempty"`
	Not                  *Schema            `json:"not,omitempty"`
	Definitions          map[string]*Schema `json:"definitions,omitempty"`
}

// JSON encodes the schema with two-space indentation and a final newline, the
// form in which it is committed. Map keys come out sorted, so the output is stable.
func (s *Schema) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Property returns the schema of the property at path (a list of keys), or nil.
func (s *Schema) Property(path ...string) *Schema {
	cur := s
	for _, key := range path {
		if cur == nil || cur.Properties == nil {
			return nil
		}
		cur = cur.Properties[key]
	}
	return cur
}
