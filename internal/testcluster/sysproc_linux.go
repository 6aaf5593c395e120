package testcluster

import "syscall"

// ServerSysProcAttr puts a server in its own process group and, as a second line
// behind the reaper, has the kernel kill it when the test process dies.
func ServerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// reaperSysProcAttr puts the reaper in its own process group, out of reach of a
// Ctrl-C at the terminal. It must outlive the test process, so no Pdeathsig.
func reaperSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
