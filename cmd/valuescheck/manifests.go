package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/manifests"
	"github.com/milvus-coord/milvus-coord/internal/report"
)

const manifestsUsage = `valuescheck manifests checks Kubernetes objects against the Milvus coordinator HA rules.

Usage:
  valuescheck manifests [flags] [FILE...]

Each FILE is one multi-document YAML stream: the output of helm template (of
any chart), kustomize build, or kubectl get -o yaml (Lists are unwrapped), such
as the objects the Milvus operator made. "-", or no FILE, reads standard input.
The Deployments and StatefulSets that run milvus run <coordinator>, the
ConfigMaps they mount and their env are checked; other objects are ignored.

Exit codes:
  0  no findings that fail
  1  findings that fail (errors; warnings too with --strict)
  2  usage or I/O error (unknown flag, unreadable file)

Flags:
`

func runManifests(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newCommand("valuescheck manifests", manifestsUsage)
	output := fs.StringP("output", "o", "text", "output format: "+strings.Join(report.Names(), ", "))
	strict := fs.Bool("strict", false, "warnings fail the check too")
	quiet := fs.BoolP("quiet", "q", false, "print only the findings that fail, no summaries")
	if code, done := fs.parse(args, stdout, stderr); done {
		return code
	}
	format, err := report.Lookup(*output)
	if err != nil {
		return usageError(stderr, err)
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"-"}
	}
	in := &stdinOnce{r: stdin}
	reports := make([]report.File, 0, len(names))
	for _, name := range names {
		shown, data, err := readManifests(name, in)
		if err != nil {
			return usageError(stderr, err)
		}
		reports = append(reports, report.File{Name: shown, Findings: manifests.Check(shown, data)})
	}
	if err := format(stdout, reports, report.Options{Strict: *strict, Quiet: *quiet, Version: buildVersion(), Catalog: manifests.Catalog()}); err != nil {
		return usageError(stderr, err)
	}
	for _, r := range reports {
		if finding.Fails(r.Findings, *strict) {
			return exitFindings
		}
	}
	return exitOK
}

// readManifests reads a stream, one byte past the size limit (the check
// reports a larger one).
func readManifests(name string, stdin *stdinOnce) (string, []byte, error) {
	var r io.Reader
	shown := name
	if name == "-" {
		if stdin.used {
			return "", nil, fmt.Errorf(`standard input ("-") can be read only once`)
		}
		stdin.used, r, shown = true, stdin.r, "<stdin>"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return "", nil, err
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return "", nil, fmt.Errorf("%s is a directory, not a manifest stream", name)
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, manifests.MaxSize+1))
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", shown, err)
	}
	return shown, data, nil
}
