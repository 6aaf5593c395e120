// Package schema validates merged values against the chart's values.schema.json
// (draft-07, with github.com/xeipuuv/gojsonschema) and turns every violation into
// a finding at the values path it concerns, with the schema's own description of
// that value and, for an unknown key, the key that was probably meant.
package schema

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/values"
	"github.com/milvus-coord/milvus-coord/internal/valuesschema"
)

// Rule IDs of schema findings.
const (
	RuleUnknownKey = "schema-unknown-key" // a key the chart does not know
	RuleType       = "schema-type"        // a value of the wrong type
	RuleValue      = "schema-value"       // a value out of range, not in the allowed set, or not allowed with others
)

// Rules describes the schema's finding kinds: Helm refuses every one.
func Rules() []finding.RuleDoc {
	return []finding.RuleDoc{
		{ID: RuleType, Severity: finding.Error, Protects: "A value of the wrong type (a quoted number, a string for a boolean): Helm refuses it.", Fix: "Write the value with the type the schema names."},
		{ID: RuleUnknownKey, Severity: finding.Error, Protects: "A key the chart does not know, usually a typo that would otherwise be ignored.", Fix: "Rename it to the key suggested, or remove it."},
		{ID: RuleValue, Severity: finding.Error, Protects: "A value out of range or outside its allowed set.", Fix: "Set an allowed value."},
	}
}

// Validator validates values against one compiled schema. It is safe for
// concurrent use.
//
// A chart's schema may carry HA rules (the generated one does, so that Helm,
// helm lint and editors refuse what the rules refuse): an entry of the root
// allOf whose $comment reads "rule <rule-id> <subject>". The Validator
// compiles those apart from the rest, so a violation is reported once, by the
// rule with that ID (Enforced says which causes Helm refuses), and everything
// else as a schema finding.
type Validator struct {
	compiled  *gojsonschema.Schema // the schema without its rule entries
	fragments []fragment
	// tree is the schema as data, for descriptions and key suggestions; only
	// findings need it, so it is decoded on first use.
	tree func() *valuesschema.Schema
}

// fragment is one rule entry of the schema.
type fragment struct {
	cause    string // "<rule-id>/<subject>", as the rule's finding names its cause
	compiled *gojsonschema.Schema
}

// RuleComment is the prefix of the $comment of a rule entry.
const RuleComment = "rule "

// Compile compiles a values.schema.json document.
func Compile(raw []byte) (*Validator, error) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("values.schema.json: %w", err)
	}
	var fragments []fragment
	if all, ok := doc["allOf"].([]any); ok {
		var rest []any
		for _, entry := range all {
			e, _ := entry.(map[string]any)
			comment, _ := e["$comment"].(string)
			id, subject, ok := strings.Cut(strings.TrimPrefix(comment, RuleComment), " ")
			if !strings.HasPrefix(comment, RuleComment) || !ok {
				rest = append(rest, entry)
				continue
			}
			alone := map[string]any{}
			for k, v := range e {
				alone[k] = v
			}
			// A rule entry names plain values; the Kubernetes definitions
			// (most of the schema) are compiled only for one that refers to them.
			if raw, _ := json.Marshal(e); strings.Contains(string(raw), `"$ref"`) {
				alone["definitions"] = doc["definitions"]
			}
			c, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewGoLoader(alone))
			if err != nil {
				return nil, fmt.Errorf("values.schema.json: %s: %w", comment, err)
			}
			fragments = append(fragments, fragment{cause: id + "/" + subject, compiled: c})
		}
		doc["allOf"] = rest
		if len(rest) == 0 {
			delete(doc, "allOf")
		}
	}
	compiled, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewGoLoader(doc))
	if err != nil {
		return nil, fmt.Errorf("values.schema.json: %w", err)
	}
	tree := sync.OnceValue(func() *valuesschema.Schema {
		var tree valuesschema.Schema
		_ = json.Unmarshal(raw, &tree) // gojsonschema compiled it: it is valid JSON
		return &tree
	})
	return &Validator{compiled: compiled, fragments: fragments, tree: tree}, nil
}

// RuleIDs are the IDs of the rules the schema's rule entries enforce.
func (v *Validator) RuleIDs() []string {
	ids := make([]string, 0, len(v.fragments))
	for _, f := range v.fragments {
		id, _, _ := strings.Cut(f.cause, "/")
		ids = append(ids, id)
	}
	return ids
}

// Enforced returns the causes ("<rule-id>/<subject>") of the schema's rule
// entries that vals break: Helm refuses the values for them.
func (v *Validator) Enforced(vals map[string]any) []string {
	return v.enforced(load(vals))
}

// load turns values into a JSON document once, for every schema that
// validates them (gojsonschema's Go loader marshals them again on each use).
func load(vals map[string]any) gojsonschema.JSONLoader {
	doc, err := gojsonschema.NewGoLoader(vals).LoadJSON()
	if err != nil {
		return gojsonschema.NewGoLoader(vals) // Validate reports the error
	}
	return gojsonschema.NewRawLoader(doc)
}

// ValidateAll is Validate and Enforced over one load of the values.
func (v *Validator) ValidateAll(vals map[string]any, scalar Scalar) ([]finding.Finding, []string) {
	l := load(vals)
	return v.validate(l, vals, scalar), v.enforced(l)
}

func (v *Validator) enforced(loader gojsonschema.JSONLoader) []string {
	var out []string
	for _, f := range v.fragments {
		if r, err := f.compiled.Validate(loader); err == nil && !r.Valid() {
			out = append(out, f.cause)
		}
	}
	return out
}

// wrappers are errors that only say a sub-schema failed; the errors inside
// them are reported on their own.
var wrappers = []string{"condition_then", "condition_else", "number_all_of", "number_any_of", "number_one_of"}

// Scalar tells how the user wrote the scalar at a values path: its text, and
// whether a file (not a flag) set it; ok is false when the user did not write
// it. Fixes quote what the user wrote, not what YAML made of it.
type Scalar func(path string) (text string, inFile, ok bool)

// Validate returns a finding for each violation, with Path set and Origin
// empty. scalar may be nil.
func (v *Validator) Validate(vals map[string]any, scalar Scalar) []finding.Finding {
	return v.validate(load(vals), vals, scalar)
}

func (v *Validator) validate(loader gojsonschema.JSONLoader, vals map[string]any, scalar Scalar) []finding.Finding {
	result, err := v.compiled.Validate(loader)
	if err != nil {
		return []finding.Finding{{Rule: RuleType, Severity: finding.Error,
			Message: "the values cannot be validated: " + err.Error(), Fix: "check the values' types"}}
	}
	var out []finding.Finding
	wrongType := map[string]bool{}
	for _, e := range result.Errors() {
		if slices.Contains(wrappers, e.Type()) {
			continue
		}
		f := v.finding(vals, e, scalar)
		if f.Rule == RuleType {
			wrongType[f.Path] = true
		}
		out = append(out, f)
	}
	// A value of the wrong type breaks every other constraint on it too
	// ("true" is not the boolean an if/then wants): its type is the finding.
	return slices.DeleteFunc(out, func(f finding.Finding) bool {
		return f.Rule != RuleType && wrongType[f.Path]
	})
}

func (v *Validator) finding(vals map[string]any, e gojsonschema.ResultError, scalar Scalar) finding.Finding {
	segments := contextSegments(e.Context())
	path := valuesPath(vals, segments)
	details := e.Details()
	f := finding.Finding{Severity: finding.Error, Path: path, Rule: RuleValue}
	describe := func(p string, segs []string) string {
		if d := v.describe(segs); d != "" {
			return " (" + p + ": " + strings.TrimSuffix(d, ".") + ")"
		}
		return ""
	}
	switch e.Type() {
	case "additional_property_not_allowed":
		key := fmt.Sprint(details["property"])
		f.Rule = RuleUnknownKey
		f.Path = values.Join(path, key)
		f.Message = fmt.Sprintf("%s is not a value of this chart: Helm refuses values the schema does not know, and a misspelled key would otherwise be silently ignored", f.Path)
		if why, ok := retired[key]; ok && len(segments) == 0 {
			f.Message = fmt.Sprintf("%s is not a value of this chart: %s", f.Path, why)
			f.Fix = "remove " + key
		} else {
			f.Fix = UnknownKeyFix(key, v.keys(segments))
		}
	case "required":
		key := fmt.Sprint(details["property"])
		f.Path = values.Join(path, key)
		f.Message = fmt.Sprintf("%s is required%s", f.Path, describe(f.Path, append(segments, key)))
		f.Fix = "set " + f.Path
	case "invalid_type":
		f.Rule = RuleType
		f.Message = fmt.Sprintf("%s is %s %s (%s) but must be %s%s", path, article(fmt.Sprint(details["given"])),
			details["given"], shortJSON(e.Value()), withArticle(fmt.Sprint(details["expected"])), describe(path, segments))
		f.Fix = typeFix(path, fmt.Sprint(details["expected"]), e.Value(), scalar)
	case "number_not":
		f.Message = fmt.Sprintf("%s is not allowed in this combination%s", path, describe(path, segments))
		f.Fix = "change " + path + " as its description says"
	default:
		f.Message = fmt.Sprintf("%s %s%s", path, constraint(e), describe(path, segments))
		f.Fix = "set " + path + " to an allowed value"
	}
	return f
}

// contextSegments splits a gojsonschema context "(root).a.b.0" into its
// elements, whatever characters the keys hold.
func contextSegments(c *gojsonschema.JsonContext) []string {
	const sep = "\x00"
	s := c.String(sep)
	segs := strings.Split(s, sep)
	return segs[1:] // drop "(root)"
}

// valuesPath renders schema context segments as a values path, telling list
// indices from keys by the values themselves.
func valuesPath(vals map[string]any, segments []string) string {
	path := ""
	var cur any = vals
	for _, seg := range segments {
		switch c := cur.(type) {
		case []any:
			var i int
			fmt.Sscan(seg, &i)
			path = values.Index(path, i)
			if i >= 0 && i < len(c) {
				cur = c[i]
			} else {
				cur = nil
			}
		case map[string]any:
			path = values.Join(path, seg)
			cur = c[seg]
		default:
			path = values.Join(path, seg)
			cur = nil
		}
	}
	return path
}

// at returns the schema that applies at segments, following $ref, items and
// additionalProperties, or nil.
func (v *Validator) at(segments []string) *valuesschema.Schema {
	cur := v.resolve(v.tree())
	for _, seg := range segments {
		if cur == nil {
			return nil
		}
		switch {
		case cur.Properties[seg] != nil:
			cur = cur.Properties[seg]
		case cur.Items != nil:
			cur = cur.Items
		default:
			if ap, ok := cur.AdditionalProperties.(map[string]any); ok {
				raw, _ := json.Marshal(ap)
				var s valuesschema.Schema
				if json.Unmarshal(raw, &s) != nil {
					return nil
				}
				cur = &s
			} else {
				return nil
			}
		}
		cur = v.resolve(cur)
	}
	return cur
}

func (v *Validator) resolve(s *valuesschema.Schema) *valuesschema.Schema {
	for s != nil && strings.HasPrefix(s.Ref, "#/definitions/") {
		s = v.tree().Definitions[strings.TrimPrefix(s.Ref, "#/definitions/")]
	}
	return s
}

func (v *Validator) describe(segments []string) string {
	if len(segments) == 0 {
		return ""
	}
	// The description sits on the property itself, beside a $ref.
	parent := v.at(segments[:len(segments)-1])
	if parent == nil {
		return ""
	}
	if p := parent.Properties[segments[len(segments)-1]]; p != nil {
		return p.Description
	}
	return ""
}

func (v *Validator) keys(segments []string) []string {
	s := v.at(segments)
	if s == nil {
		return nil
	}
	keys := slices.Sorted(maps.Keys(s.Properties))
	return keys
}

// retired are top-level keys of the upstream milvus chart that this chart has
// on purpose not, and why.
var retired = map[string]string{
	"indexCoordinator": "since Milvus 2.3 datacoord coordinates indexes and registers the indexcoord session itself, so dataCoordinator (or mixCoordinator) runs index coordination",
}

// misplaced maps keys users bring from Milvus' config or other charts to the
// values key that does the job here.
var misplaced = map[string]string{
	"enableActiveStandby": "activeStandby.enabled",
	"replicaCount":        "replicas",
	"replica":             "replicas",
}

// UnknownKeyFix is the fix for an unknown key where the allowed keys are
// allowed: the key it most likely meant, or the keys to choose from.
func UnknownKeyFix(key string, allowed []string) string {
	s := Suggest(key, allowed)
	if s == "" {
		return fmt.Sprintf("remove %s; the keys allowed here are %s", key, strings.Join(allowed, ", "))
	}
	if first, rest, nested := strings.Cut(s, "."); nested {
		return fmt.Sprintf("did you mean %s? replace %s with %s: {%s: <its value>}", s, key, first, rest)
	}
	return fmt.Sprintf("did you mean %s? rename %s to %s", s, key, s)
}

// Suggest returns the allowed key that key most likely meant, or "".
func Suggest(key string, allowed []string) string {
	if m, ok := misplaced[key]; ok {
		first, _, _ := strings.Cut(m, ".")
		if slices.Contains(allowed, first) {
			return m
		}
	}
	return Closest(key, allowed)
}

// Closest returns the candidate nearest to key: a case-insensitive match, else
// the one at the smallest edit distance if that distance is small for the
// key's length; "" when none is close.
func Closest(key string, candidates []string) string {
	lower := strings.ToLower(key)
	best, bestDist := "", -1
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == lower {
			return c
		}
		d := distance(lower, lc)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist >= 0 && (bestDist <= 2 || bestDist*3 <= len(key)) && bestDist < len(key) {
		return best
	}
	return ""
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// typeFix says how to write the value with the type the schema wants, in the
// user's own text: `tag: 2.10` becomes "2.10", not the 2.1 YAML read.
func typeFix(path, expected string, value any, scalar Scalar) string {
	var text string
	inFile, known := true, false
	if scalar != nil {
		text, inFile, known = scalar(path)
	}
	if !known {
		text = fmt.Sprint(value)
	}
	_, isString := value.(string)
	switch {
	case isString && (expected == "integer" || expected == "boolean" || expected == "number"):
		if !inFile {
			return fmt.Sprintf("set %s with --set instead of --set-string", path)
		}
		return fmt.Sprintf("write %s: %s without quotes", path, text)
	case expected == "string" && !isString && (value == nil || isScalar(value)):
		if !inFile {
			return fmt.Sprintf("set %s with --set-string instead of --set", path)
		}
		return fmt.Sprintf("write %s: %s (quoted, so YAML keeps the text)", path, strconv.Quote(text))
	}
	return fmt.Sprintf("set %s to %s", path, withArticle(expected))
}

func isScalar(v any) bool {
	switch v.(type) {
	case bool, float64, int64, int, json.Number:
		return true
	}
	return false
}

// shortJSON renders a value for a message, cut to a readable length.
func shortJSON(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(raw) > 60 {
		return string(raw[:57]) + "..."
	}
	return string(raw)
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func withArticle(word string) string {
	if word == "null" {
		return word
	}
	return article(word) + " " + word
}

// number prints a schema bound without an exponent.
func number(v any) string {
	if f, err := strconv.ParseFloat(fmt.Sprint(v), 64); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// constraint words the constraint a value breaks, after its path.
func constraint(e gojsonschema.ResultError) string {
	d := e.Details()
	switch e.Type() {
	case "enum":
		return fmt.Sprintf("is %s but must be one of %v", shortJSON(e.Value()), d["allowed"])
	case "const":
		return fmt.Sprintf("is %s but must be %v", shortJSON(e.Value()), d["allowed"])
	case "number_gte":
		return fmt.Sprintf("is %s but must be at least %s", shortJSON(e.Value()), number(d["min"]))
	case "number_lte":
		return fmt.Sprintf("is %s but must be at most %s", shortJSON(e.Value()), number(d["max"]))
	case "pattern":
		return fmt.Sprintf("is %s, which does not match %v", shortJSON(e.Value()), d["pattern"])
	case "string_gte":
		return fmt.Sprintf("is %s but must be at least %v characters long", shortJSON(e.Value()), d["min"])
	case "array_min_items":
		return fmt.Sprintf("must have at least %v items", d["min"])
	}
	desc := e.Description()
	desc = strings.TrimPrefix(desc, e.Field()+" ")
	if desc != "" {
		desc = strings.ToLower(desc[:1]) + desc[1:]
	}
	return desc
}
