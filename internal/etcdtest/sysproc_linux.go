package etcdtest

import "syscall"

// serverSysProcAttr puts a server in its own process group and, as a second
// line behind the reaper, has the kernel kill it when the test process dies.
func serverSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
