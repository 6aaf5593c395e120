package report

import (
	"encoding/json"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// SARIF 2.1.0, the subset code-scanning UIs read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	ShortDescription     sarifText     `json:"shortDescription"`
	Help                 sarifText     `json:"help"`
	DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// SARIF writes one SARIF 2.1.0 log with one run; its rules are the ones the
// results use, sorted by ID.
func SARIF(w io.Writer, files []File, opts Options) error {
	info := ruleInfo(opts.Catalog)
	used := map[string]bool{}
	var all []finding.Finding
	for _, f := range files {
		for _, x := range shown(f.Findings, opts) {
			used[x.Rule] = true
			all = append(all, x)
		}
	}
	ids := slices.Sorted(maps.Keys(used))
	index := map[string]int{}
	driver := sarifDriver{Name: "valuescheck", Version: opts.Version,
		InformationURI: "https://github.com/milvus-coord/milvus-coord", Rules: []sarifRule{}}
	for i, id := range ids {
		index[id] = i
		r := info[id]
		driver.Rules = append(driver.Rules, sarifRule{
			ID: id, ShortDescription: sarifText{r.Protects}, Help: sarifText{r.Fix},
			DefaultConfiguration: sarifRuleConf{Level: sarifLevel(r.Severity, false)},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, x := range all {
		res := sarifResult{RuleID: x.Rule, RuleIndex: index[x.Rule], Level: sarifLevel(x.Severity, opts.Strict), Message: sarifText{annotation(x)}}
		if uri, ok := artifactURI(x.Origin.File); ok {
			loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}}
			if x.Origin.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: x.Origin.Line, StartColumn: x.Origin.Col}
			}
			res.Locations = []sarifLocation{loc}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// artifactURI turns a file name into the relative URI reference SARIF wants
// (percent-encoded; "./" first when a colon would read as a scheme). Standard
// input has no artifact.
func artifactURI(file string) (string, bool) {
	if file == "" || file == "<stdin>" {
		return "", false
	}
	uri := (&url.URL{Path: filepath.ToSlash(file)}).EscapedPath()
	uri = strings.NewReplacer(",", "%2C").Replace(uri)
	if first, _, _ := strings.Cut(uri, "/"); strings.Contains(first, ":") {
		uri = "./" + uri
	}
	return uri, true
}

func sarifLevel(s finding.Severity, strict bool) string {
	if s == finding.Error || strict {
		return "error"
	}
	return "warning"
}
