//go:build unix && !linux

package testcluster

import "syscall"

// ServerSysProcAttr puts a server in its own process group.
func ServerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// reaperSysProcAttr puts the reaper in its own process group, out of reach of a
// Ctrl-C at the terminal.
func reaperSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
