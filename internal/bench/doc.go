// Package bench owns the performance report of `atslake bench`: it starts
// the SmartRecruiters and Phenom sandboxes on loopback with relaxed limits,
// syncs them end to end in child processes (so each scale's peak RSS and
// peak heap are its own), dumps the source documents once as NDJSON files,
// replays them through our mappers and loader against DuckDB converting the
// same files itself, writes the same Arrow batches with our loader and with
// arrow-go's pqarrow, times typical questions on the lake against native
// DuckDB tables, and syncs SmartRecruiters at its documented rate limit to
// see how close the client gets to it.
//
// Run does all of that in one call and returns a Report; Child is the hidden
// sub-mode a re-executed binary runs (`atslake bench --child sync ...`).
// Every figure says what it was measured against (Report.WriteText), and
// Report marshals to the JSON object of the performance issue.
//
// A child sync also reads, for profiling: ATSLAKE_BENCH_CPUPROFILE (write a
// CPU profile of the sync there), ATSLAKE_BENCH_HEAPPROFILE (write a heap
// profile there at each new live-heap high) and ATSLAKE_BENCH_BUDGET (the
// loader's memory budget in bytes, to try other budgets).
package bench
