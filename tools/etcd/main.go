// Command etcd is a single-member etcd server for the tests: the etcd server
// library (go.etcd.io/etcd/server/v3/embed) behind a few flags, so the test
// harness can start a pinned etcd built from the Go module proxy alone.
//
// It serves loopback addresses only (the tests never expose it), plain HTTP or,
// with --cert-file and --key-file, HTTPS to clients (--trusted-ca-file and
// --client-cert-auth to require client certificates, as etcd names them), and
// stops cleanly on SIGINT or SIGTERM.
//
//	etcd --data-dir DIR --listen-client-urls http://127.0.0.1:PORT \
//	     --listen-peer-urls http://127.0.0.1:PORT
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("etcd", flag.ContinueOnError)
	name := fs.String("name", "default", "member name")
	dataDir := fs.String("data-dir", "", "directory for the data (required)")
	listenClient := fs.String("listen-client-urls", "http://127.0.0.1:2379", "comma-separated URLs to serve clients on (loopback only)")
	advertiseClient := fs.String("advertise-client-urls", "", "comma-separated client URLs to advertise (default: --listen-client-urls)")
	listenPeer := fs.String("listen-peer-urls", "http://127.0.0.1:2380", "comma-separated URLs to serve peers on (loopback only)")
	advertisePeer := fs.String("initial-advertise-peer-urls", "", "comma-separated peer URLs to advertise (default: --listen-peer-urls)")
	logLevel := fs.String("log-level", "warn", "debug, info, warn, error, panic or fatal")
	noFsync := fs.Bool("unsafe-no-fsync", false, "never fsync: faster, and loses data on a crash (fine for throwaway test data)")
	certFile := fs.String("cert-file", "", "serve clients HTTPS with this certificate (with --key-file)")
	keyFile := fs.String("key-file", "", "key of --cert-file")
	trustedCA := fs.String("trusted-ca-file", "", "CA bundle that verifies client certificates")
	clientCertAuth := fs.Bool("client-cert-auth", false, "require client certificates signed by --trusted-ca-file")
	startTimeout := fs.Duration("start-timeout", time.Minute, "give up when the server is not ready after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *dataDir == "" {
		return errors.New("--data-dir is required")
	}
	if *advertiseClient == "" {
		*advertiseClient = *listenClient
	}
	if *advertisePeer == "" {
		*advertisePeer = *listenPeer
	}

	cfg := embed.NewConfig()
	cfg.Name = *name
	cfg.Dir = *dataDir
	cfg.LogLevel = *logLevel
	cfg.LogOutputs = []string{"stderr"}
	cfg.UnsafeNoFsync = *noFsync
	if (*certFile == "") != (*keyFile == "") {
		return errors.New("--cert-file and --key-file go together")
	}
	clientScheme := "http"
	if *certFile != "" {
		clientScheme = "https"
		cfg.ClientTLSInfo.CertFile = *certFile
		cfg.ClientTLSInfo.KeyFile = *keyFile
		cfg.ClientTLSInfo.TrustedCAFile = *trustedCA
		cfg.ClientTLSInfo.ClientCertAuth = *clientCertAuth
	}
	var err error
	if cfg.ListenClientUrls, err = loopbackURLs("--listen-client-urls", *listenClient, clientScheme); err != nil {
		return err
	}
	if cfg.AdvertiseClientUrls, err = loopbackURLs("--advertise-client-urls", *advertiseClient, clientScheme); err != nil {
		return err
	}
	if cfg.ListenPeerUrls, err = loopbackURLs("--listen-peer-urls", *listenPeer, "http"); err != nil {
		return err
	}
	if cfg.AdvertisePeerUrls, err = loopbackURLs("--initial-advertise-peer-urls", *advertisePeer, "http"); err != nil {
		return err
	}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return err
	}
	defer e.Close()

	select {
	case <-e.Server.ReadyNotify():
		fmt.Fprintf(os.Stderr, "etcd: ready, serving clients on %s\n", *listenClient)
	case <-time.After(*startTimeout):
		e.Server.Stop()
		return fmt.Errorf("not ready after %s", *startTimeout)
	case <-ctx.Done():
		return nil
	}

	select {
	case err := <-e.Err():
		return err
	case <-e.Server.StopNotify():
		return errors.New("server stopped")
	case <-ctx.Done():
		return nil
	}
}

// loopbackURLs parses a comma-separated URL list and refuses any host that is not
// a loopback address: this server is for tests and must not listen on a network.
// Every URL must have the scheme given (https only with a certificate).
func loopbackURLs(flagName, list, scheme string) ([]url.URL, error) {
	var urls []url.URL
	for _, s := range strings.Split(list, ",") {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagName, err)
		}
		if u.Scheme != scheme {
			return nil, fmt.Errorf("%s: %q: only %s:// URLs are served here (https:// needs --cert-file and --key-file)", flagName, s, scheme)
		}
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("%s: %q: only loopback addresses (127.0.0.1, ::1, localhost) are allowed", flagName, s)
		}
		urls = append(urls, *u)
	}
	return urls, nil
}
