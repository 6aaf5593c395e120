package check

import (
	"errors"
	"slices"
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// FuzzCheck runs arbitrary values bytes, and an optional --set entry, through
// the whole Check on the embedded chart. It must not panic; it may return an
// error only for a usage problem (the --set entry); its findings must be
// sorted, complete and of known rules; and it renders exactly when no finding
// is an error. The seed corpus is testdata/fuzz/FuzzCheck.
func FuzzCheck(f *testing.F) {
	ch := embedded(f)
	known := map[string]bool{}
	for _, r := range ch.Catalog() {
		known[r.ID] = true
	}
	noFiles := func(string) ([]byte, error) { return nil, errors.New("--set-file is not fuzzed") }
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var opts Options
		if set != "" {
			sets, err := values.Prepare(values.Sets{Values: []string{set}}, noFiles)
			if err != nil {
				return // a malformed flag: a usage error before any check
			}
			opts.Sets = sets
		}
		res := ch.Check(&Input{Name: "fuzz.yaml", Data: data}, opts)
		if !slices.IsSortedFunc(res.Findings, finding.Compare) {
			t.Fatalf("findings not sorted: %v", res.Findings)
		}
		for _, fd := range res.Findings {
			if !known[fd.Rule] {
				t.Fatalf("finding of a rule not in the catalog: %s", fd.Text())
			}
			if fd.Severity != finding.Error && fd.Severity != finding.Warning {
				t.Fatalf("finding of severity %v: %s", fd.Severity, fd.Text())
			}
			if fd.Message == "" || fd.Fix == "" {
				t.Fatalf("incomplete finding: %#v", fd)
			}
		}
		if fails := finding.Fails(res.Findings, false); fails == (res.Rendered != nil) {
			t.Fatalf("rendered %v with errors %v: %v", res.Rendered != nil, fails, res.Findings)
		}
	})
}
