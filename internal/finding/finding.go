// Package finding defines Finding, the one currency between valuescheck's stages:
// every problem found while loading, validating, checking or rendering values.
package finding

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a finding fails a check.
type Severity int

const (
	// Warning is a risk worth a look; it fails a check only with --strict.
	Warning Severity = iota + 1
	// Error is a setting Helm refuses or Milvus cannot run with; it always fails.
	Error
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Origin is where a value came from: a position in a file, or a command-line flag.
type Origin struct {
	File string // file as the user named it ("-" reads as "<stdin>"); empty for a flag
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based; 0 when unknown
	Flag string // the flag that set the value, e.g. "--set rootCoordinator.replicas=3"
}

func (o Origin) String() string {
	switch {
	case o.Flag != "":
		return o.Flag
	case o.Line > 0 && o.Col > 0:
		return fmt.Sprintf("%s:%d:%d", o.File, o.Line, o.Col)
	case o.Line > 0:
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	}
	return o.File
}

// Finding is one problem.
type Finding struct {
	Rule     string   // stable rule ID, e.g. ha-replicas-need-standby
	Severity Severity // Error or Warning
	Path     string   // values path the finding is about ("rootCoordinator.replicas"); empty for a whole file
	Message  string   // what is wrong and why it matters for Milvus
	Fix      string   // the exact change that resolves it
	Origin   Origin   // where the value at Path was set
	// Cause identifies the problem: the rule and what it is about. Two stages
	// that find one cause report it once; two causes at one path are two findings.
	Cause string
	// Stricter is true when Helm accepts the values anyway (helm template and
	// helm install render them): valuescheck is stricter than Helm here.
	Stricter bool
}

// Text is the finding in a compiler's format, on one line:
// "file:line:col: error: message; fix [rule]".
func (f Finding) Text() string {
	return oneLine.Replace(f.text())
}

// oneLine keeps a finding on one line whatever its keys hold.
var oneLine = strings.NewReplacer("\n", `\n`, "\r", `\r`)

func (f Finding) text() string {
	var b strings.Builder
	if o := f.Origin.String(); o != "" {
		b.WriteString(o)
		b.WriteString(": ")
	}
	b.WriteString(f.Severity.String())
	b.WriteString(": ")
	b.WriteString(f.Message)
	if f.Fix != "" {
		b.WriteString("; ")
		b.WriteString(f.Fix)
	}
	if f.Stricter {
		fmt.Fprintf(&b, " [%s; stricter than Helm]", f.Rule)
	} else {
		fmt.Fprintf(&b, " [%s]", f.Rule)
	}
	return b.String()
}

// Compare orders findings by file, line, column, rule, then path and message.
// Flags sort after files.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Origin.Flag, b.Origin.Flag),
		cmp.Compare(a.Origin.File, b.Origin.File),
		cmp.Compare(a.Origin.Line, b.Origin.Line),
		cmp.Compare(a.Origin.Col, b.Origin.Col),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort sorts findings in place by Compare.
func Sort(fs []Finding) { slices.SortStableFunc(fs, Compare) }

// Fails reports whether any finding fails the check: an error, or with strict a warning.
func Fails(fs []Finding, strict bool) bool {
	for _, f := range fs {
		if f.Severity == Error || strict {
			return true
		}
	}
	return false
}

// Count returns the number of errors and warnings.
func Count(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// RuleDoc describes a rule of a stage other than the HA rules, beside the
// code that reports it.
type RuleDoc struct {
	ID       string
	Severity Severity
	Protects string // what goes wrong without it
	Fix      string // how to resolve its findings, in general
	// HelmAccepts is true when Helm accepts what the rule refuses.
	HelmAccepts bool
}
