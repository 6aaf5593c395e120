// Package coordstatus reads the Milvus coordinator sessions from etcd and
// says, per role, which instance is ACTIVE, how many standbys are ready and
// what a crash or a graceful stop would cost (Status); and follows them to
// measure each takeover (Watch). It only reads: Range, Watch and
// LeaseTimeToLive requests, never a Put, Delete, Txn or lease grant.
package coordstatus

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Conn says how to reach etcd, with the names etcdctl gives the same flags.
type Conn struct {
	Endpoints []string      // host:port or URL; https:// or any TLS file turns TLS on
	CACert    string        // --cacert: CA bundle that signed the server certificate
	Cert, Key string        // --cert, --key: client certificate and key
	User      string        // --user: name, or name:password
	Password  string        // --password: wins over a password in User
	Timeout   time.Duration // --timeout: bounds the dial and every request
}

// ConnError is a failure to reach or read etcd (exit code 2 in coordctl).
type ConnError struct{ Err error }

func (e *ConnError) Error() string { return e.Err.Error() }
func (e *ConnError) Unwrap() error { return e.Err }

// Dial makes an etcd client for c. The gRPC dial itself is lazy; the first
// request proves the endpoint answers, within c.Timeout.
func Dial(c Conn) (*clientv3.Client, error) {
	if len(c.Endpoints) == 0 {
		return nil, errors.New("no etcd endpoint: give --etcd HOST:PORT")
	}
	if c.Timeout <= 0 {
		return nil, fmt.Errorf("--timeout must be positive, got %s", c.Timeout)
	}
	cfg := clientv3.Config{
		Endpoints:   c.Endpoints,
		DialTimeout: c.Timeout,
		// The client logs retries through zap; coordctl reports errors itself.
		Logger: zap.NewNop(),
		// No gRPC keepalive pings: every request has its own deadline, and
		// pings more often than etcd allows (--grpc-keepalive-min-time, 5 s)
		// would make it close the connection.
	}
	tlsOn := c.CACert != "" || c.Cert != "" || c.Key != ""
	for _, e := range c.Endpoints {
		if strings.HasPrefix(e, "https://") {
			tlsOn = true
		}
	}
	if tlsOn {
		t, err := tlsConfig(c)
		if err != nil {
			return nil, err
		}
		cfg.TLS = t
	}
	if c.User != "" {
		name, pass, hasPass := strings.Cut(c.User, ":")
		if c.Password != "" {
			pass, hasPass = c.Password, true
		}
		if !hasPass {
			return nil, fmt.Errorf("--user %s has no password: give --user %s:PASSWORD or --password", name, name)
		}
		cfg.Username, cfg.Password = name, pass
	} else if c.Password != "" {
		return nil, errors.New("--password without --user")
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, &ConnError{fmt.Errorf("etcd %s: %w", strings.Join(c.Endpoints, ","), err)}
	}
	return cli, nil
}

func tlsConfig(c Conn) (*tls.Config, error) {
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CACert != "" {
		pem, err := os.ReadFile(c.CACert)
		if err != nil {
			return nil, fmt.Errorf("--cacert: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--cacert %s: no PEM certificate in it", c.CACert)
		}
		t.RootCAs = pool
	}
	if (c.Cert == "") != (c.Key == "") {
		return nil, errors.New("--cert and --key go together: give both or neither")
	}
	if c.Cert != "" {
		pair, err := tls.LoadX509KeyPair(c.Cert, c.Key)
		if err != nil {
			return nil, fmt.Errorf("--cert %s --key %s: %w", c.Cert, c.Key, err)
		}
		t.Certificates = []tls.Certificate{pair}
	}
	return t, nil
}

// request runs one etcd request under the connection timeout and turns a
// failure into a ConnError that names the endpoints and says what to check.
func request[T any](ctx context.Context, c Conn, what string, do func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	v, err := do(ctx)
	if err != nil {
		var zero T
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return zero, &ConnError{fmt.Errorf("etcd %s did not answer %s within %s%s: check the address (kubectl port-forward running?), TLS flags and credentials", strings.Join(c.Endpoints, ","), what, c.Timeout, probe(c))}
		}
		return zero, &ConnError{fmt.Errorf("etcd %s: %s: %w", strings.Join(c.Endpoints, ","), what, err)}
	}
	return v, nil
}

// probe says why the endpoints did not answer, when a plain TCP connection
// or a TLS handshake tells (the gRPC client only reports the timeout): e.g.
// "connection refused", or the certificate error. Each attempt is bounded by
// the connection timeout.
func probe(c Conn) string {
	var reasons []string
	for _, e := range c.Endpoints {
		host := e
		tlsOn := c.CACert != "" || c.Cert != ""
		if u, err := url.Parse(e); err == nil && u.Host != "" {
			host, tlsOn = u.Host, tlsOn || u.Scheme == "https"
		}
		d := net.Dialer{Timeout: c.Timeout}
		conn, err := d.Dial("tcp", host)
		if err != nil {
			reasons = append(reasons, fmt.Sprintf("%s: %v", e, unwrapOp(err)))
			continue
		}
		if tlsOn {
			cfg, cerr := tlsConfig(c)
			if cerr == nil {
				cfg.ServerName, _, _ = net.SplitHostPort(host)
				tc := tls.Client(conn, cfg)
				_ = tc.SetDeadline(time.Now().Add(c.Timeout))
				if herr := tc.Handshake(); herr != nil {
					reasons = append(reasons, fmt.Sprintf("%s: TLS: %v", e, herr))
				}
			}
		}
		conn.Close()
	}
	if len(reasons) == 0 {
		return ""
	}
	return " (" + strings.Join(reasons, "; ") + ")"
}

// unwrapOp drops the "dial tcp ADDR:" prefix the endpoint already says.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}
