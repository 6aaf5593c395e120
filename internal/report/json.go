package report

import (
	"encoding/json"
	"io"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// JSONVersion is the version of the JSON output format; it changes only when a
// field is removed or changes meaning.
const JSONVersion = 1

type jsonReport struct {
	Version int        `json:"version"`
	OK      bool       `json:"ok"`
	Files   []jsonFile `json:"files"`
}

type jsonFile struct {
	File     string        `json:"file"`
	OK       bool          `json:"ok"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Findings []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Path     string `json:"path,omitempty"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
	// Stricter is true where Helm accepts what the finding refuses.
	Stricter bool       `json:"stricterThanHelm,omitempty"`
	Origin   jsonOrigin `json:"origin"`
}

type jsonOrigin struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Flag   string `json:"flag,omitempty"`
}

// JSON writes one document for the whole run (see README, "JSON output").
func JSON(w io.Writer, files []File, opts Options) error {
	r := jsonReport{Version: JSONVersion, OK: true, Files: []jsonFile{}}
	for _, f := range files {
		errs, warns := finding.Count(f.Findings)
		jf := jsonFile{File: f.Name, OK: !finding.Fails(f.Findings, opts.Strict), Errors: errs, Warnings: warns, Findings: []jsonFinding{}}
		r.OK = r.OK && jf.OK
		for _, x := range shown(f.Findings, opts) {
			jf.Findings = append(jf.Findings, jsonFinding{
				Rule: x.Rule, Severity: x.Severity.String(), Path: x.Path, Message: x.Message, Fix: x.Fix, Stricter: x.Stricter,
				Origin: jsonOrigin{File: x.Origin.File, Line: x.Origin.Line, Column: x.Origin.Col, Flag: x.Origin.Flag},
			})
		}
		r.Files = append(r.Files, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
