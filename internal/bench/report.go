package bench

import (
	"fmt"
	"io"
	"strings"
)

// verdict says whether a ratio meets its goal (at most goal).
func verdict(ratio, goal float64) string {
	if ratio <= goal {
		return fmt.Sprintf("goal <= %.2f: met", goal)
	}
	return fmt.Sprintf("goal <= %.2f: NOT met", goal)
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
}

// WriteText prints every figure with what it was measured against.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("atslake bench: scale %d, %d cores, %s, %.0fs in all", r.Scale, r.Cores, r.GoVersion, r.TotalSecs)
	if r.SyncSecs > 0 {
		r.writeMain(p)
	}
	if r.RSSGrowth > 0 {
		p("")
		p("4. Memory: peak RSS of a full sync of both sandboxes (relaxed limits), each scale in its own process")
		for i, s := range r.MemScales {
			p("   scale %-9d  %s (%d rows in %.1fs, peak Go heap %s)", s, bytesText(r.MemPeakRSS[i]), r.MemRecords[i], r.MemSyncSecs[i], bytesText(int64(r.MemPeakHeap[i])))
		}
		p("   growth           %.2f scale %d / scale %d (%.1fx the rows; %s)", r.RSSGrowth, r.MemScales[1], r.MemScales[0],
			float64(r.MemRecords[1])/float64(max(r.MemRecords[0], 1)), verdict(r.RSSGrowth, GoalRSSGrowth))
	}
	if r.HeapGrowth > 0 {
		p("")
		p("Peak Go heap of a SmartRecruiters-only sync (relaxed limits), each scale in its own process")
		p("   scale %-9d  %s", r.HeapScales[0], bytesText(int64(r.HeapPeaks[0])))
		p("   scale %-9d  %s", r.HeapScales[1], bytesText(int64(r.HeapPeaks[1])))
		p("   growth           %.2f scale %d / scale %d (%s)", r.HeapGrowth, r.HeapScales[1], r.HeapScales[0], verdict(r.HeapGrowth, GoalHeapGrowth))
	}
	if r.LimitedRatio > 0 {
		p("")
		p("SmartRecruiters at its documented limit (10 requests/s, sandbox and client), scale %d, run beside the memory syncs (it mostly waits)", r.LimitedScale)
		p("   wall             %.2fs for %d requests; the limit allows them in %.2fs", r.LimitedSecs, r.LimitedRequests, float64(r.LimitedRequests)/documentedSRLimit)
		p("   ratio            %.3f wall / (requests / 10 per s) (%s)", r.LimitedRatio, verdict(r.LimitedRatio, GoalLimitedRatio))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeMain prints figures 1, 2, 3 and 5.
func (r *Report) writeMain(p func(string, ...any)) {
	p("")
	p("1. End to end: full sync of both sandboxes (%s) at scale %d, relaxed limits, over loopback HTTP, in a child process", strings.Join(r.Connectors, ", "), r.Scale)
	p("   records/s        %.0f unified rows committed per second (%d rows in %.2fs wall)", r.RecordsPerS, r.Records, r.SyncSecs)
	p("   documents/s      %.0f source documents per second (%d documents, %d requests)", r.DocsPerS, r.Docs, r.Requests)
	p("   peak RSS         %s (child process; the sandboxes run in the parent)", bytesText(r.PeakRSS))
	p("   peak Go heap     %s", bytesText(int64(r.PeakHeap)))
	p("   Parquet written  %s (state, history, run records and schema files)", bytesText(r.ParquetBytes))
	p("")
	p("2. Transform+load against DuckDB, on the same %d documents dumped once as NDJSON (%s)", r.DumpDocs, bytesText(r.DumpBytes))
	p("   ours             %.2fs: NDJSON -> mappers -> loader -> committed lake (%d rows, 20 tables, state + history files, sorted by id)", r.TransformLoadSecs, r.TransformLoadRows)
	p("   DuckDB           %.2fs: COPY (SELECT ... FROM read_json(...) ORDER BY id) TO parquet (zstd) for %d tables (%d rows)", r.DuckDBSecs, len(r.DuckDBTables), r.DuckDBRows)
	p("   ratio            %.2f ours / DuckDB (%s)", r.VsDuckDB, verdict(r.VsDuckDB, GoalVsDuckDB))
	if r.PqarrowSecs > 0 {
		p("")
		p("3. Our loader against arrow-go's pqarrow writer, same %d rows in the same Arrow batches, zstd on both sides, best of %d alternating runs", r.BatchRows, max(r.WriterRepeats, 1))
		p("   our loader       %.2fs, %s: Write + Commit into a fresh lake (sort by id, de-duplicate, state + history files, fsync)", r.LoaderSecs, bytesText(r.LoaderBytes))
		p("   pqarrow          %.2fs, %s: the same state + history files per table (unsorted, fsync)", r.PqarrowSecs, bytesText(r.PqarrowBytes))
		p("   time ratio       %.2f ours / pqarrow (%s)", r.VsPqarrowTime, verdict(r.VsPqarrowTime, GoalPqarrowTime))
		p("   size ratio       %.2f ours / pqarrow (%s)", r.VsPqarrowSize, verdict(r.VsPqarrowSize, GoalPqarrowSize))
		p("   sorted by id     %.2f ours / pqarrow writing the same rows in id order, one per id (%s; the lake's order costs compression)",
			r.VsPqarrowSortedSize, bytesText(r.PqarrowSortedBytes))
	}
	p("")
	p("5. Queries: DuckDB on the lake (catalog views over Parquet) against the same rows in native DuckDB tables, best of %d runs", max(r.QueryRepeats, 1))
	for _, q := range r.Queries {
		p("   %-32s lake %.4fs, native %.4fs (%d result rows)", q.Name, q.LakeSecs, q.NativeSecs, q.Rows)
	}
	p("   ratio            %.2f lake / native, summed over the questions (no goal set)", r.QueryVsNative)
}
