package render

import (
	"regexp"
	"strconv"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

var (
	// execError is a `fail` or other execution error, as Helm's engine words it.
	execError = regexp.MustCompile(`(?s)^execution error at \(([^:()]+):(\d+):(\d+)\): (.*)$`)
	// parseError is a template that does not parse or names a missing template.
	parseError = regexp.MustCompile(`(?s)^template: ([^:]+):(\d+)(?::(\d+))?: (.*)$`)
)

// ErrorFinding turns an error from Render into a finding at the template
// position it names (a chart-relative path like milvus-coord/templates/x.yaml).
func ErrorFinding(err error) finding.Finding {
	f := finding.Finding{Rule: RuleTemplate, Severity: finding.Error, Message: "the chart does not render: " + err.Error(),
		Fix: "change the values the message names"}
	for _, re := range []*regexp.Regexp{execError, parseError} {
		if m := re.FindStringSubmatch(err.Error()); m != nil {
			f.Origin.File = m[1]
			f.Origin.Line, _ = strconv.Atoi(m[2])
			f.Origin.Col, _ = strconv.Atoi(m[3])
			f.Message = m[4]
			break
		}
	}
	return f
}
