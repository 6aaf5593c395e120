// Command compare measures valuescheck against `helm template` side by side,
// as whole processes on this machine, and prints a Markdown table of medians
// and ratios for BENCHMARKS.md:
//
//	go run ./bench/compare -helm .tools/helm-v3.22.0/helm [-n 1000] [-runs 15]
//
// It builds valuescheck and a Go "hello world" (the floor: process start),
// generates n seeded values files, then times: one file (hello world,
// valuescheck, helm template; warm-up runs first, then -runs runs each), and
// all n files (valuescheck in one invocation, helm template once per file,
// sequentially and two at a time). Peak RSS comes from the kernel's rusage.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/milvus-coord/milvus-coord/internal/valuesgen"
)

func main() {
	helm := flag.String("helm", os.Getenv("MILVUS_COORD_HELM"), "pinned helm binary")
	n := flag.Int("n", 1000, "values files for the many-files comparison")
	runs := flag.Int("runs", 15, "timed runs per single-file command")
	manyRuns := flag.Int("many-runs", 5, "timed runs of valuescheck over all files")
	seed := flag.Uint64("seed", 20261128, "seed of the generated values files")
	flag.Parse()
	if err := run(*helm, *n, *runs, *manyRuns, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// sample is one process run: wall time and peak resident memory.
type sample struct {
	wall time.Duration
	rss  int64 // bytes
}

func run(helm string, n, runs, manyRuns int, seed uint64) error {
	if helm == "" {
		return errors.New("-helm (or MILVUS_COORD_HELM) is required")
	}
	tmp, err := os.MkdirTemp("", "valuescheck-compare-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	vc := filepath.Join(tmp, "valuescheck")
	if err := goBuild(vc, "./cmd/valuescheck"); err != nil {
		return err
	}
	hello := filepath.Join(tmp, "hello")
	helloSrc := filepath.Join(tmp, "hellosrc")
	if err := os.MkdirAll(helloSrc, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(helloSrc, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, world\") }\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(helloSrc, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", hello, ".")
	cmd.Dir = helloSrc
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building hello world: %v\n%s", err, out)
	}

	files := make([]string, n)
	for i, v := range valuesgen.Generate(seed, n) {
		files[i] = filepath.Join(tmp, fmt.Sprintf("values-%04d.yaml", i))
		if err := os.WriteFile(files[i], []byte(v), 0o644); err != nil {
			return err
		}
	}
	chart, err := filepath.Abs("charts/milvus-coord")
	if err != nil {
		return err
	}
	helmArgs := func(file string) []string {
		return []string{"template", "coord", chart, "--kube-version", "v1.37.0", "-f", file}
	}

	fmt.Printf("machine: %d cores (GOMAXPROCS %d), %s/%s, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Printf("files: %d generated values files (seed %d); single-file runs: %d after 3 warm-up runs\n\n", n, seed, runs)

	single := map[string][]sample{}
	order := []string{"hello world", "valuescheck FILE", "helm template -f FILE"}
	commands := map[string][]string{
		"hello world":           {hello},
		"valuescheck FILE":      {vc, files[0]},
		"helm template -f FILE": append([]string{helm}, helmArgs(files[0])...),
	}
	// Interleave the commands run by run, so drift in machine load hits all alike.
	for i := -3; i < runs; i++ {
		for _, name := range order {
			s, err := measure(commands[name]...)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if i >= 0 {
				single[name] = append(single[name], s)
			}
		}
	}

	var many []sample
	for range manyRuns {
		s, err := measure(append([]string{vc}, files...)...)
		if err != nil {
			return fmt.Errorf("valuescheck over %d files: %w", n, err)
		}
		many = append(many, s)
	}
	helmSeq, helmSeqRSS, err := helmAll(helm, files, helmArgs, 1)
	if err != nil {
		return err
	}
	helmPar, _, err := helmAll(helm, files, helmArgs, 2)
	if err != nil {
		return err
	}

	vcOne, helmOne, helloOne := median(single["valuescheck FILE"]), median(single["helm template -f FILE"]), median(single["hello world"])
	fmt.Println("| measurement | median wall | peak RSS | ratio |")
	fmt.Println("| --- | ---: | ---: | --- |")
	for _, name := range order {
		m := median(single[name])
		fmt.Printf("| %s | %s | %s | |\n", name, ms(m.wall), mib(maxRSS(single[name])))
	}
	fmt.Printf("| one file: helm template / valuescheck | | | **%.1fx** faster (target >= 3x) |\n", ratio(helmOne.wall, vcOne.wall))
	fmt.Printf("| one file: valuescheck / hello world | | | **%.1fx** the floor (target <= 5x) |\n", ratio(vcOne.wall, helloOne.wall))
	vcMany := median(many)
	fmt.Printf("| valuescheck, %d files in one invocation (%d runs) | %s | %s | |\n", n, manyRuns, ms(vcMany.wall), mib(maxRSS(many)))
	fmt.Printf("| helm template once per file, sequential | %s | %s | |\n", ms(helmSeq), mib(helmSeqRSS))
	fmt.Printf("| helm template once per file, 2 at a time | %s | | |\n", ms(helmPar))
	fmt.Printf("| %d files: helm sequential / valuescheck | | | **%.0fx** faster (target >= 50x) |\n", n, ratio(helmSeq, vcMany.wall))
	fmt.Printf("| %d files: helm 2 at a time / valuescheck | | | **%.0fx** faster |\n", n, ratio(helmPar, vcMany.wall))
	return nil
}

func goBuild(out, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	if o, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, o)
	}
	return nil
}

// measure runs a command to completion and returns its wall time and peak RSS.
// A non-zero exit is an error: every file generated is valid.
func measure(argv ...string) (sample, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%v: %s", err, stderr.String())
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var rss int64
	if ru != nil {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return sample{wall: wall, rss: rss}, nil
}

// helmAll runs helm template once per file with the given parallelism and
// returns the total wall time and the largest peak RSS of one process.
func helmAll(helm string, files []string, args func(string) []string, parallel int) (time.Duration, int64, error) {
	start := time.Now()
	next := make(chan string)
	var (
		mu    sync.Mutex
		peak  int64
		first error
		wg    sync.WaitGroup
	)
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				s, err := measure(append([]string{helm}, args(f)...)...)
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("helm template -f %s: %w", f, err)
				}
				peak = max(peak, s.rss)
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return time.Since(start), peak, first
}

func median(s []sample) sample {
	walls := make([]time.Duration, len(s))
	for i, x := range s {
		walls[i] = x.wall
	}
	slices.Sort(walls)
	return sample{wall: walls[len(walls)/2]}
}

func maxRSS(s []sample) int64 {
	var m int64
	for _, x := range s {
		m = max(m, x.rss)
	}
	return m
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func ms(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
