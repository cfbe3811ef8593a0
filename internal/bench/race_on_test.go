//go:build race

package bench

// raceEnabled: the race detector slows the benchmark's work several times
// (pqarrow's zstd pools most), so TestRun runs lighter under it.
const raceEnabled = true
