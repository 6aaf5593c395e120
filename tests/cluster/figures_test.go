package cluster

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// figureSet collects the measured figures of the whole run, for the README's
// high-availability section (MILVUS_COORD_CLUSTER_FIGURES names the file).
type figureSet struct {
	mu   sync.Mutex
	rows []figureRow
}

type figureRow struct {
	test, scenario, what, value string
}

var figures figureSet

// add records one figure and returns it as written; value is a duration
// (written in seconds) or anything fmt prints.
func (f *figureSet) add(test, scenario, what string, value any) string {
	s := fmt.Sprint(value)
	if d, ok := value.(time.Duration); ok {
		s = secs(d)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows = append(f.rows, figureRow{test: test, scenario: scenario, what: what, value: s})
	return s
}

// logFigure records a figure and logs it in the test's output.
func logFigure(t *testing.T, scenario, what string, value any) {
	t.Helper()
	test, _, _ := strings.Cut(t.Name(), "/")
	t.Logf("figure: %s: %s: %s", scenario, what, figures.add(test, scenario, what, value))
}

// write writes the figures as a Markdown table, sorted, to path ("" writes none).
func (f *figureSet) write(path string) error {
	if path == "" {
		return nil
	}
	f.mu.Lock()
	rows := append([]figureRow(nil), f.rows...)
	f.mu.Unlock()
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].test != rows[j].test {
			return rows[i].test < rows[j].test
		}
		return rows[i].scenario < rows[j].scenario
	})
	var b strings.Builder
	b.WriteString("| test | scenario | figure | value |\n| --- | --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.test, r.scenario, r.what, r.value)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
