package testcluster

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The reaper is the test binary started again as a watchdog (see RunReaperIfAsked). It
// holds the read end of a pipe whose write end only this process has: when this
// process dies in any way, even by SIGKILL, the read ends and the reaper kills the
// servers' process groups and removes the cluster directory. A clean stop tells it
// "done" first, so it never kills a process group that was already reaped and
// whose ID the system may have reused.
const reaperEnv = "MILVUS_COORD_TESTCLUSTER_REAPER_DIR"

// dirPrefix starts the name of every cluster directory.
const dirPrefix = "milvus-coord-cluster-"

// reapablePrefix starts the name of every directory a reaper may remove (the
// clusters' and internal/etcdtest's).
const reapablePrefix = "milvus-coord-"

// RunReaperIfAsked must be the first statement of the TestMain of every package
// that calls Start or StartReaper: when this process is a reaper, it watches
// its parent and exits; otherwise it returns at once.
func RunReaperIfAsked() {
	if dir := os.Getenv(reaperEnv); dir != "" {
		os.Exit(runReaper(dir))
	}
}

// Reaper kills the process groups it is told about, and removes dir, when
// the test process dies before it calls Release.
type Reaper struct {
	cmd  *exec.Cmd
	pipe *os.File
	mu   sync.Mutex
}

// StartReaper starts the reaper of dir (a directory named milvus-coord-...).
func StartReaper(dir string) (*Reaper, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), reaperEnv+"="+dir)
	cmd.Stdin = r
	// No stdout or stderr: an inherited pipe would keep `go test` waiting.
	cmd.SysProcAttr = reaperSysProcAttr()
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("start reaper: %w", err)
	}
	r.Close()
	go func() { _ = cmd.Wait() }()
	return &Reaper{cmd: cmd, pipe: w}, nil
}

// Watch tells the reaper about a server's process group (its leader's PID).
func (r *Reaper) Watch(pgid int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := fmt.Fprintf(r.pipe, "pgid %d\n", pgid)
	return err
}

// Release tells the reaper everything is already cleaned up.
func (r *Reaper) Release() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = io.WriteString(r.pipe, "done\n")
	_ = r.pipe.Close()
}

// runReaper is the reaper's main: it returns when this test binary's parent
// instance is gone, after cleaning up unless told "done".
func runReaper(dir string) int {
	var pgids []int
	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		line := scanner.Text()
		if line == "done" {
			return 0
		}
		if v, ok := strings.CutPrefix(line, "pgid "); ok {
			if pgid, err := strconv.Atoi(v); err == nil && pgid > 1 {
				pgids = append(pgids, pgid)
			}
		}
	}
	// The test process died without cleaning up.
	for _, pgid := range pgids {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	if strings.HasPrefix(filepath.Base(dir), reapablePrefix) {
		// Give the killed servers a moment to close their files first.
		time.Sleep(200 * time.Millisecond)
		_ = os.RemoveAll(dir)
	}
	return 0
}
