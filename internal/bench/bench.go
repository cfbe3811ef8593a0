package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"
)

// Options configure Run.
type Options struct {
	// Scale is N, the sandboxes' scale (candidates) of the main figures.
	Scale int
	// MemScales are the scales of figure 4, peak RSS at a scale and at ten
	// times it (default Scale/10 and Scale, so the larger run is the
	// end-to-end sync itself and the benchmark fits in minutes; a scale
	// other than Scale gets a sync of its own).
	MemScales [2]int
	// HeapScales are the two scales of the SmartRecruiters-only peak heap
	// comparison (default Scale/10 and Scale; nil or a zero skips it when Scale < 20).
	HeapScales [2]int
	// LimitedScale is the scale of the SmartRecruiters sync at the documented
	// rate limit (10 requests/s); 0 skips it.
	LimitedScale int
	// Dir holds the lakes and dumps (default: a new temporary folder,
	// removed at the end unless Keep).
	Dir  string
	Keep bool
	// Exe and ExeArgs re-execute this program in a child mode: the child
	// is run as Exe ExeArgs... <mode> <flags...> and must call Child with
	// <mode> <flags...>. Env is added to the child's environment.
	Exe     string
	ExeArgs []string
	Env     []string
	// QueryRepeats is how often each query runs on each side (best time
	// counts; default 5).
	QueryRepeats int
	// WriterRepeats is how often the loader and pqarrow write the batches,
	// alternately (best time counts; default 2).
	WriterRepeats int
	// Log receives progress lines (nil: none).
	Log io.Writer

	start     time.Time
	noPqarrow bool        // tests under the race detector, where pqarrow crawls
	only      phase       // phases to run (0: all)
	mainSync  *SyncResult // the end-to-end sync at Scale, reused by figure 4
}

// Report holds every figure of one benchmark run. Ratios are ours over the
// reference measured in the same run on the same data.
type Report struct {
	Scale      int      `json:"scale"`
	MemScales  [2]int   `json:"mem_scales"`
	Cores      int      `json:"cores"`
	GoVersion  string   `json:"go_version"`
	TotalSecs  float64  `json:"total_s"`
	Connectors []string `json:"connectors"`

	// 1. End to end: a full sync of both sandboxes at Scale, relaxed limits.
	RecordsPerS  float64 `json:"records_per_s"` // unified rows committed per second of wall time
	DocsPerS     float64 `json:"docs_per_s"`    // source documents per second
	SyncSecs     float64 `json:"sync_wall_s"`
	Records      int64   `json:"records"`
	Docs         int64   `json:"docs"`
	Requests     int64   `json:"requests"`
	PeakRSS      int64   `json:"peak_rss_bytes"`
	PeakHeap     uint64  `json:"peak_heap_bytes"`
	ParquetBytes int64   `json:"parquet_bytes"`

	// 2. Transform+load of the dumped documents against DuckDB converting the same files.
	DumpDocs          int64    `json:"dump_docs"`
	DumpBytes         int64    `json:"dump_bytes"`
	TransformLoadSecs float64  `json:"transform_load_s"`
	TransformLoadRows int64    `json:"transform_load_rows"`
	DuckDBSecs        float64  `json:"duckdb_s"`
	DuckDBRows        int64    `json:"duckdb_rows"`
	DuckDBTables      []string `json:"duckdb_tables"`
	VsDuckDB          float64  `json:"vs_duckdb_ratio"`

	// 3. The same Arrow batches through our loader and through pqarrow.
	BatchRows     int64   `json:"batch_rows"`
	LoaderSecs    float64 `json:"loader_s"`
	LoaderBytes   int64   `json:"loader_bytes"`
	PqarrowSecs   float64 `json:"pqarrow_s"`
	PqarrowBytes  int64   `json:"pqarrow_bytes"`
	VsPqarrowTime float64 `json:"vs_pqarrow_time_ratio"`
	WriterRepeats int     `json:"writer_repeats"`
	VsPqarrowSize float64 `json:"vs_pqarrow_size_ratio"`
	// The same rows in id order, the last per id (the loader's state files
	// are sorted by id, which costs compression): pqarrow's bytes and our
	// size over them, for what the writer itself costs.
	PqarrowSortedBytes  int64   `json:"pqarrow_sorted_bytes,omitempty"`
	VsPqarrowSortedSize float64 `json:"vs_pqarrow_sorted_size_ratio,omitempty"`

	// 4. Memory: peak RSS of full syncs of both sandboxes at MemScales (separate processes).
	MemSyncSecs [2]float64 `json:"mem_sync_wall_s"`
	MemRecords  [2]int64   `json:"mem_records"`
	MemPeakRSS  [2]int64   `json:"mem_peak_rss_bytes"`
	MemPeakHeap [2]uint64  `json:"mem_peak_heap_bytes"`
	RSSGrowth   float64    `json:"rss_growth_ratio"`

	// 5. Queries on the lake against the same data in native DuckDB tables.
	Queries         []QueryTime `json:"queries"`
	QueryRepeats    int         `json:"query_repeats"`
	QueryLakeSecs   float64     `json:"query_lake_s"`
	QueryNativeSecs float64     `json:"query_native_s"`
	QueryVsNative   float64     `json:"query_vs_native_ratio"`

	// Issue 2 (b): peak Go heap of SmartRecruiters-only syncs at two scales.
	HeapScales [2]int    `json:"sr_heap_scales"`
	HeapPeaks  [2]uint64 `json:"sr_heap_peak_bytes"`
	HeapGrowth float64   `json:"sr_heap_growth_ratio,omitempty"`

	// Issue 2 (a): SmartRecruiters at its documented limit (10 requests/s).
	LimitedScale    int     `json:"limited_scale,omitempty"`
	LimitedRequests int64   `json:"limited_requests,omitempty"`
	LimitedSecs     float64 `json:"limited_wall_s,omitempty"`
	LimitedRatio    float64 `json:"limited_vs_rate_ratio,omitempty"`
}

// QueryTime is one question's best time on the lake and on native tables.
type QueryTime struct {
	Name       string  `json:"name"`
	LakeSecs   float64 `json:"lake_s"`
	NativeSecs float64 `json:"native_s"`
	Rows       int     `json:"rows"`
}

// Goals of the performance issue (ratios, ours over the reference).
const (
	GoalVsDuckDB      = 1.0
	GoalPqarrowTime   = 1.0
	GoalPqarrowSize   = 1.05
	GoalRSSGrowth     = 1.3
	GoalHeapGrowth    = 1.5
	GoalLimitedRatio  = 1.15
	documentedSRLimit = 10 // SmartRecruiters requests per second
)

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, "bench: %6.1fs "+format+"\n", append([]any{time.Since(o.start).Seconds()}, args...)...)
	}
}

func (o *Options) defaults() error {
	if o.Scale < 5 {
		return fmt.Errorf("bench: scale must be at least 5")
	}
	if o.MemScales == [2]int{} {
		o.MemScales = [2]int{max(o.Scale/10, 5), o.Scale}
	}
	if o.MemScales[0] < 5 || o.MemScales[1] < o.MemScales[0] {
		return fmt.Errorf("bench: memory scales %d and %d: want 5 <= first <= second", o.MemScales[0], o.MemScales[1])
	}
	if o.HeapScales == [2]int{} && o.Scale >= 20 {
		o.HeapScales = [2]int{o.Scale / 10, o.Scale}
	}
	if o.QueryRepeats <= 0 {
		o.QueryRepeats = 5
	}
	if o.WriterRepeats <= 0 {
		o.WriterRepeats = 2
	}
	if o.Exe == "" {
		return errors.New("bench: no executable to re-run in a child mode")
	}
	return nil
}

// phase selects parts of Run (tests run some alone).
type phase uint8

const (
	phaseMain    phase = 1 << iota // figures 1, 2, 3 and 5 at Scale
	phaseMem                       // figure 4: syncs at MemScales
	phaseHeap                      // issue 2 (b): SmartRecruiters heap at two scales
	phaseLimited                   // issue 2 (a): SmartRecruiters at its documented limit
	phaseAll     = phaseMain | phaseMem | phaseHeap | phaseLimited
)

// Run runs every measurement and returns the report. The phases run one
// after the other, so none disturbs another's timing.
func Run(ctx context.Context, o Options) (rep *Report, err error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	o.start = time.Now()
	if o.only == 0 {
		o.only = phaseAll
	}
	if o.Dir == "" {
		if o.Dir, err = os.MkdirTemp("", "atslake-bench-"); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		if !o.Keep {
			defer os.RemoveAll(o.Dir)
		}
	} else if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	rep = &Report{Scale: o.Scale, MemScales: o.MemScales, Cores: runtime.NumCPU(), GoVersion: runtime.Version(),
		Connectors: []string{SmartRecruiters, Phenom}}
	if o.only&phaseMain != 0 {
		if err := o.runMain(ctx, rep); err != nil {
			return nil, err
		}
	}
	// The rate-limited sync mostly waits for its limiter, so it runs beside
	// the memory syncs rather than adding half a minute of its own.
	var limitedDone chan error
	if o.only&phaseLimited != 0 && o.LimitedScale > 0 {
		lctx, cancel := context.WithCancel(ctx)
		limitedDone = make(chan error, 1)
		o.logf("SmartRecruiters sync at scale %d at the documented 10 requests/s (child process, beside the next runs)", o.LimitedScale)
		go func() { limitedDone <- o.runLimited(lctx, rep) }()
		defer func() {
			cancel()
			if limitedDone != nil { // an earlier failure: wait for it to stop
				<-limitedDone
			}
		}()
	}
	if o.only&phaseMem != 0 {
		for i, scale := range o.MemScales {
			res := o.mainSync
			if scale != o.Scale || res == nil {
				o.logf("full sync of both sandboxes at scale %d for its peak RSS (child process)", scale)
				var err error
				if res, err = o.syncAt(ctx, scale, rep.Connectors, "sync-mem-"+strconv.Itoa(i)); err != nil {
					return nil, err
				}
				o.logf("  %d records in %.1fs, peak RSS %s", res.Rows, res.WallSeconds, mib(res.PeakRSSBytes))
			}
			rep.MemSyncSecs[i], rep.MemRecords[i], rep.MemPeakRSS[i], rep.MemPeakHeap[i] = res.WallSeconds, res.Rows, res.PeakRSSBytes, res.PeakHeapBytes
		}
		rep.RSSGrowth = float64(rep.MemPeakRSS[1]) / float64(max(rep.MemPeakRSS[0], 1))
	}
	if o.only&phaseHeap != 0 && o.HeapScales[0] > 0 && o.HeapScales[1] > 0 {
		rep.HeapScales = o.HeapScales
		for i, s := range o.HeapScales {
			o.logf("SmartRecruiters-only sync at scale %d for its peak heap (child process)", s)
			r, err := o.syncAt(ctx, s, []string{SmartRecruiters}, "sync-heap-"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			rep.HeapPeaks[i] = r.PeakHeapBytes
		}
		rep.HeapGrowth = float64(rep.HeapPeaks[1]) / float64(max(rep.HeapPeaks[0], 1))
	}
	if limitedDone != nil {
		err := <-limitedDone
		limitedDone = nil
		if err != nil {
			return nil, err
		}
	}
	rep.TotalSecs = time.Since(o.start).Seconds()
	return rep, nil
}

// runLimited syncs SmartRecruiters at its documented limit (issue 2 (a)).
func (o *Options) runLimited(ctx context.Context, rep *Report) error {
	sb, err := startSandboxes(ctx, o.LimitedScale, -1, SmartRecruiters)
	if err != nil {
		return err
	}
	lake := filepath.Join(o.Dir, "sync-limited")
	r, err := o.runChild(ctx, o.syncArgs(lake, o.LimitedScale, sb.urls, true)...)
	sb.stop()
	if !o.Keep {
		os.RemoveAll(lake)
	}
	if err != nil {
		return fmt.Errorf("bench: limited sync: %w", err)
	}
	rep.LimitedScale, rep.LimitedRequests, rep.LimitedSecs = o.LimitedScale, r.Requests, r.WallSeconds
	rep.LimitedRatio = r.WallSeconds / (float64(r.Requests) / documentedSRLimit)
	o.logf("  SmartRecruiters at 10 requests/s: %d requests in %.1fs", r.Requests, r.WallSeconds)
	return nil
}

// runMain measures figures 1, 2, 3 and 5 at o.Scale.
func (o *Options) runMain(ctx context.Context, rep *Report) error {
	connectors := rep.Connectors
	o.logf("starting the sandboxes at scale %d", o.Scale)
	sb, err := startSandboxes(ctx, o.Scale, 0, connectors...)
	if err != nil {
		return err
	}
	defer func() { sb.stop() }()
	o.logf("end-to-end sync at scale %d (child process)", o.Scale)
	res, err := o.runChild(ctx, o.syncArgs(filepath.Join(o.Dir, "sync-n"), o.Scale, sb.urls, false)...)
	if err != nil {
		return fmt.Errorf("bench: end-to-end sync: %w", err)
	}
	rep.SyncSecs, rep.Records, rep.Docs, rep.Requests = res.WallSeconds, res.Rows, res.Docs, res.Requests
	rep.RecordsPerS = float64(res.Rows) / res.WallSeconds
	rep.DocsPerS = float64(res.Docs) / res.WallSeconds
	rep.PeakRSS, rep.PeakHeap, rep.ParquetBytes = res.PeakRSSBytes, res.PeakHeapBytes, res.ParquetBytes
	o.mainSync = res
	o.logf("  %d records in %.1fs, peak RSS %s", res.Rows, res.WallSeconds, mib(res.PeakRSSBytes))

	o.logf("dumping the source documents as NDJSON")
	d, err := dumpSources(ctx, sb.urls, filepath.Join(o.Dir, "dump"))
	if err != nil {
		return fmt.Errorf("bench: dump: %w", err)
	}
	sb.stop()
	for _, n := range d.docs {
		rep.DumpDocs += n
	}
	rep.DumpBytes = d.bytes
	defer func() {
		if !o.Keep {
			for _, sub := range []string{"dump", "replay", "duckdb", "pqarrow-sorted", "sync-n"} {
				os.RemoveAll(filepath.Join(o.Dir, sub))
			}
		}
	}()

	// 2. Transform+load against DuckDB.
	o.logf("transform+load of the dump (mappers and loader)")
	runtime.GC()
	t := time.Now()
	rep.TransformLoadRows, err = transformLoad(ctx, d, filepath.Join(o.Dir, "replay"), connectors)
	if err != nil {
		return fmt.Errorf("bench: transform+load: %w", err)
	}
	rep.TransformLoadSecs = time.Since(t).Seconds()
	o.logf("DuckDB converting the same NDJSON files")
	runtime.GC()
	dr, err := duckConvert(ctx, d, filepath.Join(o.Dir, "duckdb"))
	if err != nil {
		return fmt.Errorf("bench: duckdb: %w", err)
	}
	rep.DuckDBSecs, rep.DuckDBRows, rep.DuckDBTables = dr.secs, dr.rows, dr.tables
	rep.VsDuckDB = rep.TransformLoadSecs / rep.DuckDBSecs

	// 3. Loader against pqarrow on the same batches.
	o.logf("loader and pqarrow writing the same Arrow batches")
	b, err := captureBatches(ctx, d, connectors)
	if err != nil {
		return fmt.Errorf("bench: capture batches: %w", err)
	}
	rep.BatchRows = b.rows()
	// Alternating runs, best time of each side: a burst of load from
	// elsewhere on a shared machine hits one run, rarely all.
	for i := range o.WriterRepeats {
		if err != nil {
			break
		}
		lake, pq := filepath.Join(o.Dir, "loader-"+strconv.Itoa(i)), filepath.Join(o.Dir, "pqarrow-"+strconv.Itoa(i))
		runtime.GC()
		t = time.Now()
		rep.LoaderBytes, err = writeLoader(ctx, b, lake)
		rep.LoaderSecs = best(rep.LoaderSecs, time.Since(t).Seconds())
		if err == nil && !o.noPqarrow {
			runtime.GC()
			t = time.Now()
			rep.PqarrowBytes, err = writePqarrow(ctx, b, pq)
			rep.PqarrowSecs = best(rep.PqarrowSecs, time.Since(t).Seconds())
		}
		if !o.Keep || i > 0 {
			os.RemoveAll(lake)
			os.RemoveAll(pq)
		}
	}
	rep.WriterRepeats = o.WriterRepeats
	if err == nil && !o.noPqarrow {
		var sb batches
		if sb, err = sortBatches(ctx, b); err == nil {
			rep.PqarrowSortedBytes, err = writePqarrow(ctx, sb, filepath.Join(o.Dir, "pqarrow-sorted"))
			sb.release()
		}
	}
	b.release()
	if err != nil {
		return fmt.Errorf("bench: loader vs pqarrow: %w", err)
	}
	if rep.PqarrowSecs > 0 {
		rep.VsPqarrowTime = rep.LoaderSecs / rep.PqarrowSecs
		rep.VsPqarrowSize = float64(rep.LoaderBytes) / float64(rep.PqarrowBytes)
		rep.VsPqarrowSortedSize = float64(rep.LoaderBytes) / float64(rep.PqarrowSortedBytes)
	}

	// 5. Queries on the lake the replay wrote.
	o.logf("queries on the lake and on native DuckDB tables")
	runtime.GC()
	rep.QueryRepeats = o.QueryRepeats
	if rep.Queries, err = compareQueries(ctx, filepath.Join(o.Dir, "replay"), o.QueryRepeats); err != nil {
		return fmt.Errorf("bench: queries: %w", err)
	}
	for _, q := range rep.Queries {
		rep.QueryLakeSecs += q.LakeSecs
		rep.QueryNativeSecs += q.NativeSecs
	}
	rep.QueryVsNative = rep.QueryLakeSecs / rep.QueryNativeSecs
	return nil
}

// syncAt starts relaxed sandboxes at scale and syncs them in a child process.
func (o *Options) syncAt(ctx context.Context, scale int, connectors []string, sub string) (*SyncResult, error) {
	sb, err := startSandboxes(ctx, scale, 0, connectors...)
	if err != nil {
		return nil, err
	}
	defer sb.stop()
	lake := filepath.Join(o.Dir, sub)
	res, err := o.runChild(ctx, o.syncArgs(lake, scale, sb.urls, false)...)
	if !o.Keep {
		os.RemoveAll(lake)
	}
	if err != nil {
		return nil, fmt.Errorf("bench: sync at scale %d: %w", scale, err)
	}
	return res, nil
}

func (o *Options) syncArgs(lake string, scale int, urls map[string]string, throttled bool) []string {
	args := []string{ChildSync, "--lake", lake, "--scale", strconv.Itoa(scale)}
	for c, u := range urls {
		args = append(args, "--url", c+"="+u)
	}
	if throttled {
		args = append(args, "--throttled")
	}
	return args
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
