package testcluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Helm runs the pinned helm CLI against a cluster. Its kubeconfig, cache, config
// and data directories are the harness's, whatever the caller's environment says,
// so a developer's own cluster and repositories are never used.
type Helm struct {
	Bin        string        // the pinned helm binary
	Kubeconfig string        // the cluster's admin kubeconfig
	Home       string        // HELM_{CACHE,CONFIG,DATA}_HOME live here, not in $HOME
	Timeout    time.Duration // bounds one command
}

// HelmResult is the outcome of one helm command.
type HelmResult struct {
	Args           []string
	Stdout, Stderr string
	Err            error // nil when helm exited 0
}

func (r HelmResult) String() string {
	return fmt.Sprintf("helm %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(r.Args, " "), r.Err, r.Stdout, r.Stderr)
}

// Run runs one helm command, killing it (and anything it started) after Timeout.
func (h Helm) Run(args ...string) HelmResult {
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.Bin, args...)
	var environ []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "KUBECONFIG=") || strings.HasPrefix(kv, "HELM_") {
			continue
		}
		environ = append(environ, kv)
	}
	cmd.Env = append(environ,
		"KUBECONFIG="+h.Kubeconfig,
		"HELM_CACHE_HOME="+filepath.Join(h.Home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(h.Home, "config"),
		"HELM_DATA_HOME="+filepath.Join(h.Home, "data"),
		"HELM_DRIVER=secret",
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = ServerSysProcAttr()
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s: %w", h.Timeout, err)
	}
	return HelmResult{Args: args, Stdout: stdout.String(), Stderr: stderr.String(), Err: err}
}

// MustRun runs helm and stops the test if it fails; what helm printed on
// stderr (API server warnings, for example) goes to the test log.
func (h *Helm) MustRun(t testing.TB, args ...string) HelmResult {
	t.Helper()
	r := h.Run(args...)
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.String())
	}
	if strings.TrimSpace(r.Stderr) != "" {
		t.Logf("helm %s: stderr:\n%s", args[0], r.Stderr)
	}
	return r
}
