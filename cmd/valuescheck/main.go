// Command valuescheck checks Helm values files for the milvus-coord chart: it
// pinpoints every problem at file:line:col with the fix, enforces the Milvus
// coordinator HA rules, and renders the chart exactly as `helm template` would.
//
// This file is wiring only: flags in, the check pipeline (internal/check), a
// report out, an exit code back.
package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"helm.sh/helm/v3/pkg/chartutil"

	milvuscoord "github.com/milvus-coord/milvus-coord"
	"github.com/milvus-coord/milvus-coord/internal/buildinfo"
	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/localrun"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/report"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// Exit codes, a documented contract (README, --help).
const (
	exitOK       = 0 // nothing fails
	exitFindings = 1 // findings that fail: errors, or warnings with --strict
	exitUsage    = 2 // usage or I/O error: unknown flag, unreadable file, invalid chart
)

const usageText = `valuescheck checks values files for the milvus-coord Helm chart.

Usage:
  valuescheck [flags] FILE...     check each FILE over the chart defaults and the -f layers
  valuescheck render [flags] [FILE]
                                  render the chart like helm template (manifests on stdout)
  valuescheck rules               list every rule: ID, severity, what it protects, the fix
  valuescheck schema              print the chart's values.schema.json
  valuescheck manifests [FILE...] check rendered or live objects (helm template, kubectl get -o yaml)

Each FILE is one check: chart defaults, then every -f layer in order, then FILE,
then --set-json, --set, --set-string, --set-file, --set-literal (Helm's order and
semantics; null deletes a key). "-" reads standard input. With no FILE the
layers are checked alone.

Exit codes:
  0  no findings that fail
  1  findings that fail (errors; warnings too with --strict)
  2  usage or I/O error (unknown flag, unreadable file, malformed --set)

Flags:
`

var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Helm's value coalescing logs type conflicts to the standard logger; the
	// schema stage reports them as findings instead.
	log.SetOutput(io.Discard)
	if len(args) > 0 {
		switch args[0] {
		case "render":
			return runRender(args[1:], stdin, stdout, stderr)
		case "rules":
			return runRules(args[1:], stdout, stderr)
		case "schema":
			return runSchema(args[1:], stdout, stderr)
		case "manifests":
			return runManifests(args[1:], stdin, stdout, stderr)
		}
	}
	return runCheck(args, stdin, stdout, stderr)
}

// valuesFlags are the flags every command that reads values shares.
type valuesFlags struct {
	layers, set, setString, setJSON, setFile, setLiteral []string
	chartDir, kubeVersion, release, namespace            string
}

func (v *valuesFlags) register(fs command) {
	fs.StringArrayVarP(&v.layers, "values", "f", nil, "values file layered under every FILE, in order (repeatable)")
	fs.StringArrayVar(&v.set, "set", nil, "set values on the command line (key1=val1,key2=val2), as helm")
	fs.StringArrayVar(&v.setString, "set-string", nil, "set STRING values on the command line, as helm")
	fs.StringArrayVar(&v.setJSON, "set-json", nil, "set JSON values on the command line, as helm")
	fs.StringArrayVar(&v.setFile, "set-file", nil, "set values from files (key=path), as helm")
	fs.StringArrayVar(&v.setLiteral, "set-literal", nil, "set a literal STRING value, as helm")
	fs.StringVar(&v.chartDir, "chart", "", "check against the chart in this directory instead of the embedded one")
	fs.StringVar(&v.kubeVersion, "kube-version", render.DefaultKubeVersion, "Kubernetes version for Capabilities.KubeVersion")
	fs.StringVar(&v.release, "release", "release-name", "release name")
	fs.StringVarP(&v.namespace, "namespace", "n", "default", "release namespace")
}

func (v *valuesFlags) sets() values.Sets {
	return values.Sets{JSON: v.setJSON, Values: v.set, Strings: v.setString, Files: v.setFile, Literals: v.setLiteral}
}

func (v *valuesFlags) renderOptions() render.Options {
	return render.Options{ReleaseName: v.release, Namespace: v.namespace, KubeVersion: v.kubeVersion}
}

// setup loads the chart and the layers shared by every check.
func (v *valuesFlags) setup(stdin *stdinOnce) (*check.Chart, check.Options, []finding.Finding, error) {
	var ch *check.Chart
	var err error
	if v.chartDir == "" {
		ch, err = embeddedChart()
	} else {
		ch, err = check.LoadChart(os.DirFS(v.chartDir), v.chartDir)
	}
	if err != nil {
		return nil, check.Options{}, nil, err
	}
	if err := ch.SupportsKubeVersion(v.kubeVersion); err != nil {
		return nil, check.Options{}, nil, err
	}
	inputs := make([]check.Input, 0, len(v.layers))
	for _, name := range v.layers {
		in, err := readInput(name, stdin)
		if err != nil {
			return nil, check.Options{}, nil, err
		}
		inputs = append(inputs, in)
	}
	layers, problems := check.ParseLayers(inputs)
	sets, err := values.Prepare(v.sets(), readLimited)
	if err != nil {
		return nil, check.Options{}, nil, err
	}
	if err := chartutil.ValidateReleaseName(v.release); err != nil {
		return nil, check.Options{}, nil, fmt.Errorf("--release %q: %w", v.release, err)
	}
	opts := check.Options{Layers: layers, Sets: sets, Render: v.renderOptions()}
	return ch, opts, problems, nil
}

var embeddedChart = sync.OnceValues(func() (*check.Chart, error) {
	return check.LoadChart(milvuscoord.Chart(), milvuscoord.ChartDir)
})

// command is a subcommand's flags and the help text printed before them.
type command struct {
	*pflag.FlagSet
	usage string
}

func newCommand(name, usage string) command {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.Usage = func() {} // parse prints help itself: to stdout when asked for
	fs.SetOutput(io.Discard)
	return command{FlagSet: fs, usage: usage}
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newCommand("valuescheck", usageText)
	var vf valuesFlags
	vf.register(fs)
	output := fs.StringP("output", "o", "text", "output format: "+strings.Join(report.Names(), ", "))
	strict := fs.Bool("strict", false, "warnings fail the check too")
	quiet := fs.BoolP("quiet", "q", false, "print only the findings that fail, no summaries")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if code, done := fs.parse(args, stdout, stderr); done {
		return code
	}
	if *showVersion {
		fmt.Fprintln(stdout, "valuescheck", buildVersion())
		return exitOK
	}
	format, err := report.Lookup(*output)
	if err != nil {
		return usageError(stderr, err)
	}
	in := &stdinOnce{r: stdin}
	ch, opts, layerProblems, err := vf.setup(in)
	if err != nil {
		return usageError(stderr, err)
	}

	files := make([]*check.Input, 0, max(1, fs.NArg()))
	for _, name := range fs.Args() {
		input, err := readInput(name, in)
		if err != nil {
			return usageError(stderr, err)
		}
		files = append(files, &input)
	}
	if len(files) == 0 {
		files = append(files, nil) // the layers alone
	}

	opts.Render.Unordered = true // a check needs the objects, not helm template's output
	results, err := checkAll(ch, files, opts)
	if err != nil {
		return usageError(stderr, err)
	}
	reports := make([]report.File, len(files))
	for i, f := range files {
		reports[i] = report.File{Name: checkName(f, vf.layers), Findings: results[i]}
	}
	if len(layerProblems) > 0 {
		finding.Sort(layerProblems)
		reports = append([]report.File{{Name: "layers (-f)", Findings: layerProblems}}, reports...)
	}
	if err := format(stdout, reports, report.Options{Strict: *strict, Quiet: *quiet, Version: buildVersion(), Catalog: ch.Catalog()}); err != nil {
		return usageError(stderr, err)
	}
	for _, r := range reports {
		if finding.Fails(r.Findings, *strict) {
			return exitFindings
		}
	}
	return exitOK
}

// checkAll checks the files in parallel, one worker per core, and returns
// their findings in argument order. Only findings are kept: a thousand
// rendered charts would hold memory for nothing.
func checkAll(ch *check.Chart, files []*check.Input, opts check.Options) ([][]finding.Finding, error) {
	results := make([][]finding.Finding, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = ch.Check(files[i], opts).Findings
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return results, nil
}

func checkName(f *check.Input, layers []string) string {
	if f != nil {
		return f.Name
	}
	if len(layers) > 0 {
		return strings.Join(layers, " + ")
	}
	return "chart defaults"
}

func runRender(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newCommand("valuescheck render", `valuescheck render renders the chart in-process, byte for byte as helm template.

Usage:
  valuescheck render [flags] [FILE]

Manifests go to standard output (or one file per template under --output-dir);
findings go to standard error. Values problems stop the render with the same
findings and exit codes as valuescheck (0 ok, 1 findings that fail, 2 usage or I/O error).

Flags:
`)
	var vf valuesFlags
	vf.register(fs)
	outputDir := fs.String("output-dir", "", "write one file per template under this directory, like helm template --output-dir")
	format := fs.String("format", "manifests", "manifests (helm template's output), compose (docker-compose services, one per replica) or local (per replica a config directory, and run.sh to start them as local processes; needs --output-dir)")
	strict := fs.Bool("strict", false, "warnings fail the render too")
	if code, done := fs.parse(args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 1 {
		return usageError(stderr, fmt.Errorf("render takes at most one FILE (layer others with -f), got %d", fs.NArg()))
	}
	if *format != "manifests" && *format != "compose" && *format != "local" {
		return usageError(stderr, fmt.Errorf("unknown --format %q (valid: compose, local, manifests)", *format))
	}
	if *format == "local" && *outputDir == "" {
		return usageError(stderr, fmt.Errorf("--format local writes a directory per replica and run.sh: give --output-dir DIR"))
	}
	in := &stdinOnce{r: stdin}
	ch, opts, layerProblems, err := vf.setup(in)
	if err != nil {
		return usageError(stderr, err)
	}
	var file *check.Input
	if fs.NArg() == 1 {
		input, err := readInput(fs.Arg(0), in)
		if err != nil {
			return usageError(stderr, err)
		}
		file = &input
	}
	res := ch.Check(file, opts)
	found := append(layerProblems, res.Findings...)
	finding.Sort(found)
	for _, f := range found {
		fmt.Fprintln(stderr, f.Text())
	}
	if finding.Fails(found, *strict) || res.Rendered == nil {
		return exitFindings
	}
	if *format == "compose" {
		return writeCompose(res.Objects, vf.release, *outputDir, stdout, stderr)
	}
	if *format == "local" {
		return writeLocal(res.Objects, *outputDir, stdout, stderr)
	}
	if *outputDir != "" {
		written, err := res.Rendered.WriteDir(*outputDir)
		for _, w := range written {
			fmt.Fprintf(stdout, "wrote %s\n", w)
		}
		if err != nil {
			return usageError(stderr, err)
		}
		return exitOK
	}
	fmt.Fprint(stdout, res.Rendered.String())
	return exitOK
}

// writeLocal writes the local form (internal/localrun) under outputDir.
func writeLocal(objs []render.Object, outputDir string, stdout, stderr io.Writer) int {
	files, err := localrun.Build(objs)
	if err != nil {
		return usageError(stderr, err)
	}
	written, err := localrun.Write(outputDir, files)
	for _, w := range written {
		fmt.Fprintf(stdout, "wrote %s\n", w)
	}
	if err != nil {
		return usageError(stderr, err)
	}
	return exitOK
}

// writeCompose writes the docker-compose form to stdout, or to
// DIR/compose.yaml with --output-dir.
func writeCompose(objs []render.Object, project, outputDir string, stdout, stderr io.Writer) int {
	out, err := render.Compose(objs, project)
	if err != nil {
		return usageError(stderr, err)
	}
	if outputDir == "" {
		stdout.Write(out)
		return exitOK
	}
	file := filepath.Join(outputDir, "compose.yaml")
	if err := os.MkdirAll(outputDir, 0o755); err != nil {
		return usageError(stderr, err)
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		return usageError(stderr, err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", file)
	return exitOK
}

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newCommand("valuescheck rules", "Usage:\n  valuescheck rules\n\nLists every rule valuescheck reports.\n\nFlags:\n")
	if code, done := fs.parse(args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Errorf("rules takes no arguments"))
	}
	ch, err := embeddedChart()
	if err != nil {
		return usageError(stderr, err)
	}
	for _, r := range ch.Catalog() {
		fmt.Fprintf(stdout, "%s  %s, %s stage, Helm refuses it: %s\n  protects: %s\n  fix: %s\n\n", r.ID, r.Severity, r.Stage, r.HelmRefuses, r.Protects, r.Fix)
	}
	return exitOK
}

func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := newCommand("valuescheck schema", "Usage:\n  valuescheck schema [--chart DIR]\n\nPrints the chart's values.schema.json.\n\nFlags:\n")
	chartDir := fs.String("chart", "", "print the schema of the chart in this directory instead of the embedded one")
	if code, done := fs.parse(args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Errorf("schema takes no arguments"))
	}
	var ch *check.Chart
	var err error
	if *chartDir == "" {
		ch, err = embeddedChart()
	} else {
		ch, err = check.LoadChart(os.DirFS(*chartDir), *chartDir)
	}
	if err != nil {
		return usageError(stderr, err)
	}
	stdout.Write(ch.Schema())
	return exitOK
}

// parse parses flags; done is true when the command is over: help was asked
// for (printed to stdout) or the flags are wrong (said on stderr).
func (c command) parse(args []string, stdout, stderr io.Writer) (code int, done bool) {
	if err := c.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, c.usage)
			fmt.Fprint(stdout, c.FlagUsages())
			return exitOK, true
		}
		fmt.Fprintf(stderr, "valuescheck: %v (see --help)\n", err)
		return exitUsage, true
	}
	return 0, false
}

func usageError(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "valuescheck: %v\n", err)
	return exitUsage
}

func buildVersion() string { return buildinfo.Version(version) }
