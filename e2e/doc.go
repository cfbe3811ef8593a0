// Package e2e holds black-box reliability tests of the atslake binary: they
// build cmd/atslake once, run the simulated sources (atslake sandbox child
// processes, or in-process servers) with faults and hostile bodies switched
// on, run `atslake sync` as a real process against them (killing it at
// chosen moments), and compare the lake with the sandbox truth through
// `atslake query` and DuckDB's read_parquet over the lake's files.
//
// The package has no non-test code. `go test ./e2e/` runs the default set
// (well under 90 s); `go test ./e2e/ -e2e.long` adds the heavy variants.
package e2e
