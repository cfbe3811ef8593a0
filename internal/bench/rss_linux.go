//go:build linux

package bench

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
)

// ownPeakRSS is this process's peak resident set size in bytes since it
// started running this program (VmHWM of /proc/self/status: the high-water
// mark of the current address space, which exec made new), or 0.
func ownPeakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			v = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return 0
			}
			return n * 1024
		}
	}
	return 0
}
