// Package report writes check results in the formats valuescheck offers, one
// format per file: text (a compiler's), json, github (workflow annotations)
// and sarif (2.1.0, for code-scanning UIs).
package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// File is the result of checking one values file (or the layers alone).
type File struct {
	Name     string            // the file checked, as the user named it
	Findings []finding.Finding // sorted
}

// Options shape every format.
type Options struct {
	Strict  bool   // warnings fail
	Quiet   bool   // only what fails, no summaries
	Version string // valuescheck's version, for formats that record the tool
	// Catalog describes the rules (for SARIF's rule descriptions).
	Catalog []check.RuleInfo
}

// Format writes the results of one run.
type Format func(w io.Writer, files []File, opts Options) error

var formats = map[string]Format{
	"text":   Text,
	"json":   JSON,
	"github": GitHub,
	"sarif":  SARIF,
}

// Names lists the formats, sorted.
func Names() []string {
	names := slices.Sorted(maps.Keys(formats))
	return names
}

// Lookup returns the named format, or an error listing the valid ones.
func Lookup(name string) (Format, error) {
	if f, ok := formats[name]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("unknown output format %q (valid: %s)", name, strings.Join(Names(), ", "))
}

// shown returns the findings a format prints: with Quiet only those that fail.
func shown(fs []finding.Finding, opts Options) []finding.Finding {
	if !opts.Quiet {
		return fs
	}
	var out []finding.Finding
	for _, f := range fs {
		if f.Severity == finding.Error || opts.Strict {
			out = append(out, f)
		}
	}
	return out
}

// ruleInfo returns the catalog entry of every rule ID, by ID.
func ruleInfo(catalog []check.RuleInfo) map[string]check.RuleInfo {
	out := map[string]check.RuleInfo{}
	for _, r := range catalog {
		out[r.ID] = r
	}
	return out
}

// annotation is a finding's message for formats that place it themselves (an
// annotation, a SARIF result): the flag that set the value when no file did,
// then the message and the fix.
func annotation(f finding.Finding) string {
	msg := f.Message
	if f.Origin.Flag != "" {
		msg = f.Origin.Flag + ": " + msg
	}
	if f.Fix != "" {
		msg += "; " + f.Fix
	}
	if f.Stricter {
		msg += " (stricter than Helm: Helm accepts this)"
	}
	return msg
}
