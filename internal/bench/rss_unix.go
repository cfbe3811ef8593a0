//go:build linux || darwin

package bench

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSS is a finished process's peak resident set size in bytes as wait4
// reports it. On Linux it also counts the memory of the process image the
// child replaced at exec, which for a child started with vfork (as os/exec
// does) is the parent's: ownPeakRSS, read by the child itself, is the one to
// trust there.
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) // bytes
	}
	return int64(ru.Maxrss) * 1024 // kilobytes
}
