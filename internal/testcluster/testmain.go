package testcluster

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// What the TestMain of a package that runs a cluster shares.

// DefaultParallel sets -test.parallel to n unless the command line set it or
// GOMAXPROCS already allows n: the tests wait on servers and controllers, not
// on the CPU.
func DefaultParallel(n int) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set && runtime.GOMAXPROCS(0) < n {
		_ = flag.Set("test.parallel", strconv.Itoa(n))
	}
}

// StartStoppable starts a cluster like Start, within timeout, and stops it
// on Ctrl-C or a kill from a CI runner (SIGINT, SIGTERM, SIGHUP), also while
// it starts: a start in progress gives up and cleans up after itself, a
// running cluster is stopped and the process exits 1. who names the package
// in the message. The caller stops the cluster and calls release when done.
func StartStoppable(who string, timeout time.Duration, opts Options) (c *Cluster, release func(), err error) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	release = func() { signal.Stop(signals); close(signals); cancel() }
	var running atomic.Pointer[Cluster]
	go func() {
		s, ok := <-signals
		if !ok {
			return
		}
		fmt.Fprintf(os.Stderr, "%s: %v: stopping the test cluster\n", who, s)
		cancel()
		if c := running.Load(); c != nil {
			c.Stop()
			os.Exit(1)
		}
	}()
	if c, err = Start(ctx, opts); err != nil {
		release()
		return nil, nil, err
	}
	running.Store(c)
	if errors.Is(ctx.Err(), context.Canceled) {
		c.Stop()
		release()
		return nil, nil, errors.New("interrupted while starting") // the signal came before running.Store
	}
	return c, release, nil
}

// RESTConfig is the admin client config of the cluster, without client-side
// throttling, which would only slow the tests down.
func (c *Cluster) RESTConfig() (*rest.Config, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", c.Kubeconfig)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = 200, 400
	return cfg, nil
}

var notDNSLabel = regexp.MustCompile(`[^a-z0-9-]+`)

// NamespaceName is a namespace name for the nth namespace of test testName:
// prefix, n and the test's name as a DNS label, cut to max characters (at
// most 63), so that a failure points at its objects.
func NamespaceName(prefix string, n int32, testName string, max int) string {
	slug := strings.Trim(notDNSLabel.ReplaceAllString(strings.ToLower(testName), "-"), "-")
	name := fmt.Sprintf("%s%02d-%s", prefix, n, strings.TrimPrefix(slug, "test"))
	if len(name) > max {
		name = strings.TrimRight(name[:max], "-")
	}
	return name
}
