package docs

import (
	"fmt"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/check"
)

// Markers of the rules table in README.md.
const (
	RulesBegin = "<!-- rules:begin -->"
	RulesEnd   = "<!-- rules:end -->"
)

// RulesTable returns the Markdown table of the rule catalog: one row per rule,
// in the catalog's order (the pipeline's stages, then by ID).
func RulesTable(rules []check.RuleInfo) string {
	var b strings.Builder
	b.WriteString("| Rule | Severity | Stage | What it protects | Helm refuses it too |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Severity, r.Stage, Cell(r.Protects), check.StricterWord(r))
	}
	return b.String()
}
