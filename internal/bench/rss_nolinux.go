//go:build !linux

package bench

// ownPeakRSS is not available here; the parent's wait4 figure is used.
func ownPeakRSS() int64 { return 0 }
