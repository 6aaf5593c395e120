//go:build unix && !linux

package etcdtest

import "syscall"

// serverSysProcAttr puts a server in its own process group.
func serverSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
