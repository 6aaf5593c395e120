package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// GitHub writes GitHub Actions workflow commands, which the runner turns into
// annotations on the lines of the pull request:
// "::error file=values.yaml,line=12,col=5,title=rule::message".
func GitHub(w io.Writer, files []File, opts Options) error {
	for _, f := range files {
		for _, x := range shown(f.Findings, opts) {
			level := "error"
			if x.Severity == finding.Warning && !opts.Strict {
				level = "warning"
			}
			var props []string
			if x.Origin.File != "" {
				props = append(props, "file="+escapeProperty(x.Origin.File))
				if x.Origin.Line > 0 {
					props = append(props, fmt.Sprintf("line=%d", x.Origin.Line))
				}
				if x.Origin.Col > 0 {
					props = append(props, fmt.Sprintf("col=%d", x.Origin.Col))
				}
			}
			props = append(props, "title="+escapeProperty(x.Rule))
			if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(annotation(x))); err != nil {
				return err
			}
		}
	}
	return nil
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
