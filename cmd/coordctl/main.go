// Command coordctl says which Milvus coordinator is ACTIVE, read from the
// cluster's etcd: per role the ACTIVE session, its standbys, a verdict with
// the reason and the fix, and the expected failover time (status); and it
// measures every takeover as it happens (watch). It never writes to etcd.
//
// This file is wiring only: flags in, internal/coordstatus, output, an exit
// code back.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/milvus-coord/milvus-coord/internal/buildinfo"
	"github.com/milvus-coord/milvus-coord/internal/coordstatus"
)

// Exit codes, a documented contract (README, --help).
const (
	exitOK       = 0 // status: every role served with a standby; watch: ended as asked
	exitDegraded = 1 // status: a role is down, without a standby, or misconfigured
	exitUsage    = 2 // usage error, or etcd unreachable, refusing, or without sessions
)

const usageText = `coordctl says which Milvus coordinator is ACTIVE, read from etcd (read-only).

Usage:
  coordctl status [flags]   per role: the ACTIVE session, its standbys, a verdict, the failover time
  coordctl watch [flags]    follow the session keys; measure every takeover
  coordctl --version        print the version

Reach the cluster's etcd first, e.g.:
  kubectl port-forward svc/<release>-etcd 2379:2379

Exit codes:
  0  status: every coordinator role is served with a standby; watch: ended as asked
  1  status: a role is down, served without a standby, or misconfigured
  2  usage error, or etcd unreachable, refusing, or without Milvus sessions

`

// version is stamped by the release build (-ldflags -X main.version=...).
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usageText)
		fmt.Fprintln(stdout, "Run coordctl status --help or coordctl watch --help for their flags.")
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "--version", "version":
		fmt.Fprintln(stdout, "coordctl", buildinfo.Version(version))
		return exitOK
	case "status":
		return runStatus(args[1:], stdout, stderr)
	case "watch":
		return runWatch(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "coordctl: unknown command %q (valid: status, watch; see --help)\n", args[0])
	return exitUsage
}

// common are the flags of both commands.
type common struct {
	fs          *pflag.FlagSet
	usage       string
	endpoints   *string
	rootPath    *string
	metaSubPath *string
	output      *string
	conn        coordstatus.Conn
}

func newCommon(name, usage string) *common {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	c := &common{fs: fs, usage: usage}
	c.endpoints = fs.String("etcd", "127.0.0.1:2379", "etcd endpoints, HOST:PORT[,HOST:PORT...] (https:// for TLS)")
	c.rootPath = fs.String("root-path", "by-dev", "Milvus' etcd.rootPath")
	c.metaSubPath = fs.String("meta-sub-path", "meta", "Milvus' etcd.metaSubPath")
	c.output = fs.StringP("output", "o", "text", "output format: "+strings.Join(coordstatus.Formats, ", "))
	fs.StringVar(&c.conn.CACert, "cacert", "", "verify the etcd server certificate with this CA bundle (as etcdctl --cacert)")
	fs.StringVar(&c.conn.Cert, "cert", "", "client certificate for etcd (as etcdctl --cert)")
	fs.StringVar(&c.conn.Key, "key", "", "client key for etcd (as etcdctl --key)")
	fs.StringVar(&c.conn.User, "user", "", "etcd user, NAME or NAME:PASSWORD (as etcdctl --user)")
	fs.StringVar(&c.conn.Password, "password", "", "etcd password (as etcdctl --password)")
	fs.DurationVar(&c.conn.Timeout, "timeout", 5*time.Second, "bound on the connection and on every etcd request")
	return c
}

// parse parses the flags; done is true when the command is over.
func (c *common) parse(args []string, stdout, stderr io.Writer) (code int, done bool) {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, c.usage)
			fmt.Fprint(stdout, c.fs.FlagUsages())
			return exitOK, true
		}
		return usageError(stderr, fmt.Errorf("%v (see --help)", err)), true
	}
	if c.fs.NArg() > 0 {
		return usageError(stderr, fmt.Errorf("unexpected argument %q (see --help)", c.fs.Arg(0))), true
	}
	if *c.output != "text" && *c.output != "json" {
		return usageError(stderr, fmt.Errorf("unknown --output %q (valid: %s)", *c.output, strings.Join(coordstatus.Formats, ", "))), true
	}
	for _, e := range strings.Split(*c.endpoints, ",") {
		if e = strings.TrimSpace(e); e != "" {
			c.conn.Endpoints = append(c.conn.Endpoints, e)
		}
	}
	return 0, false
}

func (c *common) target() coordstatus.Target {
	return coordstatus.Target{RootPath: *c.rootPath, MetaSubPath: *c.metaSubPath}
}

func runStatus(args []string, stdout, stderr io.Writer) int {
	c := newCommon("coordctl status", `coordctl status reads the coordinator sessions from etcd and judges each role.

Usage:
  coordctl status [flags]

Verdicts: ha (served with a standby), no-standby (a crash costs a restart),
down (no ACTIVE key), ha-off-crash-loop (the ACTIVE runs without active-standby
beside other instances), mixcoord-and-separate (both registered at once).
Exit codes: 0 every role ha; 1 any other verdict; 2 usage or connection error.

Flags:
`)
	if code, done := c.parse(args, stdout, stderr); done {
		return code
	}
	cli, err := coordstatus.Dial(c.conn)
	if err != nil {
		return usageError(stderr, err)
	}
	defer cli.Close()
	rep, err := coordstatus.Check(context.Background(), cli, c.conn, c.target())
	if err != nil {
		return usageError(stderr, err)
	}
	if *c.output == "json" {
		err = coordstatus.WriteStatusJSON(stdout, rep)
	} else {
		err = coordstatus.WriteStatusText(stdout, rep)
	}
	if err != nil {
		return usageError(stderr, err)
	}
	if !rep.OK {
		return exitDegraded
	}
	return exitOK
}

func runWatch(args []string, stdout, stderr io.Writer) int {
	c := newCommon("coordctl watch", `coordctl watch follows the coordinator session keys and prints each change as
it happens; for every takeover, the gap between the old ACTIVE key going and
the new one appearing, the cause (lease expired: a crash; revoked: a graceful
stop) and the outage. Runs until interrupted, --for, or --count takeovers.

Usage:
  coordctl watch [flags]

Flags:
`)
	forDur := c.fs.Duration("for", 0, "stop after this long (0: until interrupted)")
	count := c.fs.Int("count", 0, "stop after this many takeovers (0: no limit)")
	poll := c.fs.Duration("poll", 200*time.Millisecond, "how often to read the ACTIVE leases' TTL (tells a crash from a graceful stop)")
	unregistered := c.fs.Duration("no-session-after", time.Minute, "report a server ID handed out without a session after this long (a crash loop's mark)")
	if code, done := c.parse(args, stdout, stderr); done {
		return code
	}
	if *forDur < 0 || *count < 0 || *poll <= 0 || *unregistered <= 0 {
		return usageError(stderr, errors.New("--for and --count must not be negative, --poll and --no-session-after must be positive"))
	}
	cli, err := coordstatus.Dial(c.conn)
	if err != nil {
		return usageError(stderr, err)
	}
	defer cli.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t := c.target()
	emit := func(ev coordstatus.Event) error {
		if *c.output == "json" {
			return coordstatus.WriteEventJSON(stdout, ev)
		}
		return coordstatus.WriteEventText(stdout, t.Prefix(), ev)
	}
	opts := coordstatus.WatchOptions{For: *forDur, Count: *count, Poll: *poll, Unregistered: *unregistered}
	if err := coordstatus.Watch(ctx, cli, c.conn, t, opts, emit); err != nil {
		return usageError(stderr, err)
	}
	return exitOK
}

func usageError(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "coordctl: %v\n", err)
	return exitUsage
}
