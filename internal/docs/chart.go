package docs

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// ChartReadme runs helm-docs (the binary at helmDocs) on the chart in
// chartDir and returns the README.md it makes from the chart's
// README.md.gotmpl, Chart.yaml and the `# --` comments of values.yaml, values
// in file order. helm-docs reports problems (a template error, an unreadable
// file) as log lines and still exits 0, so any line it logs at warning level
// or above is an error here.
func ChartReadme(ctx context.Context, helmDocs, chartDir string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, helmDocs,
		"--chart-search-root", chartDir,
		"--template-files", "README.md.gotmpl",
		"--sort-values-order", "file",
		"--log-level", "warning",
		"--dry-run")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: %w\n%s", helmDocs, err, stderr.String())
	}
	if stderr.Len() > 0 {
		return "", fmt.Errorf("%s reported problems:\n%s", helmDocs, stderr.String())
	}
	return stdout.String(), nil
}

// ValueRow is one row of the values table helm-docs writes.
type ValueRow struct {
	Key, Type, Default, Description string
}

// valuesRow is a row of a Markdown table: cells between unescaped pipes.
var valuesRow = regexp.MustCompile(`^\|(.*)\|$`)

// ValuesTable returns the rows of the first table with the header
// `| Key | Type | Default | Description |` in a README helm-docs wrote.
func ValuesTable(readme string) ([]ValueRow, error) {
	lines := strings.Split(readme, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "| Key | Type | Default | Description |" {
			start = i + 2 // after the delimiter row
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("no values table (| Key | Type | Default | Description |)")
	}
	var rows []ValueRow
	for n, l := range lines[start:] {
		m := valuesRow.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			break
		}
		cells := splitCells(m[1])
		if len(cells) != 4 {
			return nil, fmt.Errorf("values table row %d has %d cells, not 4 (an unescaped | in a description?): %s", n+1, len(cells), l)
		}
		rows = append(rows, ValueRow{Key: cells[0], Type: cells[1], Default: cells[2], Description: cells[3]})
	}
	return rows, nil
}

// splitCells splits the inside of a table row at pipes that are not escaped.
func splitCells(row string) []string {
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cur.WriteString(`\|`)
			i++
		case row[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// DocComments counts the lines of values.yaml that start a `# --`
// description, the comments helm-docs reads.
func DocComments(valuesYAML string) int {
	n := 0
	for _, line := range strings.Split(valuesYAML, "\n") {
		t := strings.TrimSpace(line)
		if t == "# --" || strings.HasPrefix(t, "# -- ") {
			n++
		}
	}
	return n
}

// UndocumentedValues lists what makes a values table incomplete: rows
// without a description, and `# --` comments that describe no row (a comment
// helm-docs attaches to no key, so its text is lost).
func UndocumentedValues(rows []ValueRow, docComments int) []string {
	var out []string
	described := 0
	for _, r := range rows {
		if r.Description == "" {
			out = append(out, fmt.Sprintf("%s has no description: add a `# --` comment directly above it in values.yaml", r.Key))
			continue
		}
		described++
	}
	if described != docComments {
		out = append(out, fmt.Sprintf("values.yaml has %d `# --` comments but the table has %d described keys: a comment must stand directly above its key", docComments, described))
	}
	return out
}
