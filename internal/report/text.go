package report

import (
	"fmt"
	"io"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// Text writes one line per finding, like a compiler, then a summary per file:
// "values.yaml:12:5: error: ...; fix [rule]".
func Text(w io.Writer, files []File, opts Options) error {
	for _, f := range files {
		for _, x := range shown(f.Findings, opts) {
			if _, err := fmt.Fprintln(w, x.Text()); err != nil {
				return err
			}
		}
		if opts.Quiet {
			continue
		}
		errs, warns := finding.Count(f.Findings)
		verdict := "ok"
		if finding.Fails(f.Findings, opts.Strict) {
			verdict = "FAIL"
		}
		if _, err := fmt.Fprintf(w, "%s: %s (%s, %s)\n", f.Name, verdict, plural(errs, "error"), plural(warns, "warning")); err != nil {
			return err
		}
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
