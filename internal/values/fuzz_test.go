package values

import (
	"bytes"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

var parseRules = map[string]bool{
	RuleSyntax: true, RuleNotText: true, RuleTooLarge: true, RuleDuplicateKey: true,
	RuleMultipleDocs: true, RuleNotMapping: true, RuleAliasBomb: true, RuleEmpty: true,
}

// FuzzParse feeds Parse arbitrary bytes. It must not panic, must answer every
// input with a Document or an error finding, and a Document's values must be
// exactly what Helm's parser (sigs.k8s.io/yaml) makes of the same bytes.
// The seed corpus is testdata/fuzz/FuzzParse; the over-size input is added here.
func FuzzParse(f *testing.F) {
	f.Add(append([]byte("a: 1\n#"), bytes.Repeat([]byte("x"), MaxFileSize-5)...)) // MaxFileSize+1 bytes
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, found := Parse("fuzz.yaml", data)
		for _, fd := range found {
			if !parseRules[fd.Rule] {
				t.Fatalf("unknown rule %q in %v", fd.Rule, fd)
			}
			if fd.Origin.File != "fuzz.yaml" || fd.Origin.Flag != "" || fd.Message == "" || fd.Fix == "" {
				t.Fatalf("incomplete finding %#v", fd)
			}
		}
		if doc == nil {
			if !finding.Fails(found, false) {
				t.Fatalf("no document and no error: %v", found)
			}
			return
		}
		if finding.Fails(found, false) {
			t.Fatalf("a document and an error: %v", found)
		}
		if doc.Values == nil {
			t.Fatal("a document with nil values")
		}
		var helm map[string]any
		if err := sigsyaml.Unmarshal(data, &helm); err != nil {
			t.Fatalf("Parse accepted what Helm refuses (%v): %#v", err, doc.Values)
		}
		if helm == nil {
			helm = map[string]any{}
		}
		if !equalValues(helm, doc.Values) {
			t.Fatalf("values differ from Helm's:\nParse: %#v\nHelm:  %#v", doc.Values, helm)
		}
	})
}

// equalValues is reflect.DeepEqual for values trees.
func equalValues(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !equalValues(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalValues(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
