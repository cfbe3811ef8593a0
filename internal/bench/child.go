package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/atslake/atslake/load"
	"github.com/atslake/atslake/pipeline"
)

// SyncResult is what one child sync measured. PeakRSSBytes is the child's
// own high-water mark where the system tells it (Linux), else the parent
// fills it in from the child's resource usage.
type SyncResult struct {
	Scale               int      `json:"scale"`
	Connectors          []string `json:"connectors"`
	Throttled           bool     `json:"throttled"`
	WallSeconds         float64  `json:"wall_s"`
	Docs                int64    `json:"docs"`
	Rows                int64    `json:"rows"`
	Requests            int64    `json:"requests"`
	Retries             int64    `json:"retries"`
	ParquetBytes        int64    `json:"parquet_bytes"`
	PeakHeapBytes       uint64   `json:"peak_heap_bytes"`        // Go heap held by objects, live or not yet swept
	PeakLiveHeapBytes   uint64   `json:"peak_live_heap_bytes"`   // live heap marked by a garbage collection
	PeakLiveCommitBytes uint64   `json:"peak_live_commit_bytes"` // the same from the first commit on
	PeakRSSBytes        int64    `json:"peak_rss_bytes"`
}

// ChildSync is the child mode that syncs sandboxes into a fresh lake.
const ChildSync = "sync"

// Child runs a hidden child mode of the benchmark (the binary re-executed by
// Run): args are the mode followed by its flags. It writes its result as one
// JSON line to stdout.
//
// Mode "sync" (--lake DIR --scale N --url connector=URL... [--throttled])
// syncs the named sandboxes concurrently into the lake with pipeline.Runner,
// sampling the Go heap, and reports a SyncResult.
func Child(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("bench child: no mode")
	}
	switch args[0] {
	case ChildSync:
		fs := flag.NewFlagSet("bench child sync", flag.ContinueOnError)
		lake := fs.String("lake", "", "lake folder")
		scale := fs.Int("scale", 0, "scale of the sandboxes (reported)")
		throttled := fs.Bool("throttled", false, "keep the client-side rate limit")
		var urls urlFlag
		fs.Var(&urls, "url", "connector=base URL (repeatable)")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("bench child sync: %w", err)
		}
		if *lake == "" || len(urls) == 0 {
			return fmt.Errorf("bench child sync: --lake and --url are required")
		}
		res, err := childSync(ctx, *lake, *scale, urls, *throttled)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(res)
	}
	return fmt.Errorf("bench child: unknown mode %q", args[0])
}

// urlFlag collects connector=URL pairs.
type urlFlag map[string]string

func (u *urlFlag) String() string { return fmt.Sprint(map[string]string(*u)) }

func (u *urlFlag) Set(v string) error {
	c, url, ok := strings.Cut(v, "=")
	if !ok || c == "" || url == "" {
		return fmt.Errorf("want connector=URL, got %q", v)
	}
	if *u == nil {
		*u = urlFlag{}
	}
	(*u)[c] = url
	return nil
}

// docCounter remembers the documents each connection read.
type docCounter struct {
	mu   sync.Mutex
	docs map[string]int64
}

func (d *docCounter) Progress(p pipeline.Progress) {
	d.mu.Lock()
	d.docs[p.Connection] = max(d.docs[p.Connection], p.Docs)
	if p.Phase == "commit" {
		committing.Store(true)
	}
	d.mu.Unlock()
}

// committing is set once a connection starts committing (the heap sampler
// keeps the peaks before and after apart).
var committing atomic.Bool

// childSync runs one full sync of every sandbox in urls into a fresh lake.
func childSync(ctx context.Context, lake string, scale int, urls map[string]string, throttled bool) (*SyncResult, error) {
	res := &SyncResult{Scale: scale, Throttled: throttled}
	for c := range urls {
		res.Connectors = append(res.Connectors, c)
	}
	sort.Strings(res.Connectors)
	if path := os.Getenv("ATSLAKE_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	peak := startHeapSampler(ctx)
	dc := &docCounter{docs: map[string]int64{}}
	opts := []pipeline.RunnerOption{pipeline.WithLogger(slog.New(slog.DiscardHandler)), pipeline.WithObserver(dc)}
	if v, err := strconv.ParseInt(os.Getenv("ATSLAKE_BENCH_BUDGET"), 10, 64); err == nil {
		opts = append(opts, pipeline.WithLakeOptions(load.WithMemoryBudget(v)))
	}
	runner, err := pipeline.NewRunner(lake, opts...)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	results := make([]*pipeline.Result, len(res.Connectors))
	errs := make([]error, len(res.Connectors))
	var wg sync.WaitGroup
	for i, c := range res.Connectors {
		wg.Go(func() {
			results[i], errs[i] = runner.Run(ctx, connection(c, urls[c], !throttled), pipeline.RunOptions{Full: true})
		})
	}
	wg.Wait()
	res.WallSeconds = time.Since(start).Seconds()
	p := peak()
	res.PeakHeapBytes, res.PeakLiveHeapBytes, res.PeakLiveCommitBytes = p.heap, p.live, p.liveCommit
	for i, c := range res.Connectors {
		if errs[i] != nil {
			return nil, fmt.Errorf("sync %s: %w", c, errs[i])
		}
		r := results[i]
		if r.Record.Status != pipeline.StatusSucceeded {
			return nil, fmt.Errorf("sync %s: %s", c, pipeline.Summary(r))
		}
		seen, _, _, _ := r.Totals()
		res.Rows += seen
		res.Requests += r.Record.Requests
		res.Retries += r.Record.Retries
	}
	for _, n := range dc.docs {
		res.Docs += n
	}
	if res.ParquetBytes, err = parquetBytes(lake); err != nil {
		return nil, err
	}
	res.PeakRSSBytes = ownPeakRSS()
	return res, nil
}

// parquetBytes sums the sizes of the Parquet files under dir.
func parquetBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".parquet") {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n += fi.Size()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", dir, err)
	}
	return n, nil
}

// Heap metrics: the Go heap held by objects (live and not yet swept), and
// the live heap the last garbage collection marked.
const (
	heapMetric = "/memory/classes/heap/objects:bytes"
	liveMetric = "/gc/heap/live:bytes"
)

var sampleEvery = 2 * time.Millisecond

// heapPeaks are the largest samples of the heap metrics (liveCommit: the
// live heap once a connection commits).
type heapPeaks struct{ heap, live, liveCommit uint64 }

// startHeapSampler samples the Go heap every few milliseconds until the
// returned function is called; it returns the largest samples. With
// ATSLAKE_BENCH_HEAPPROFILE set it writes a heap profile there whenever the
// live heap reaches a new high (a profile of the peak).
func startHeapSampler(ctx context.Context) func() heapPeaks {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan heapPeaks, 1)
	prof := os.Getenv("ATSLAKE_BENCH_HEAPPROFILE")
	go func() {
		s := []metrics.Sample{{Name: heapMetric}, {Name: liveMetric}}
		var p heapPeaks
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			metrics.Read(s)
			if s[0].Value.Kind() == metrics.KindUint64 {
				p.heap = max(p.heap, s[0].Value.Uint64())
			}
			if s[1].Value.Kind() == metrics.KindUint64 {
				if v := s[1].Value.Uint64(); committing.Load() {
					p.liveCommit = max(p.liveCommit, v)
				}
				if v := s[1].Value.Uint64(); v > p.live {
					p.live = v
					if prof != "" {
						if f, err := os.Create(prof); err == nil {
							pprof.WriteHeapProfile(f)
							f.Close()
						}
					}
				}
			}
			select {
			case <-ctx.Done():
				done <- p
				return
			case <-t.C:
			}
		}
	}()
	return func() heapPeaks { cancel(); return <-done }
}

// runChild runs the benchmark binary in a child mode and decodes its result;
// the child's peak RSS comes from its resource usage.
func (o *Options) runChild(ctx context.Context, args ...string) (*SyncResult, error) {
	cmd := exec.CommandContext(ctx, o.Exe, append(append([]string(nil), o.ExeArgs...), args...)...)
	cmd.Env = append(os.Environ(), o.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return nil, fmt.Errorf("child %s: %w: %s", strings.Join(args[:1], " "), err, msg)
	}
	var res SyncResult
	out := bytes.TrimSpace(stdout.Bytes())
	if i := bytes.LastIndexByte(out, '\n'); i >= 0 {
		out = out[i+1:]
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("child %s: result: %w (output %q)", args[0], err, truncate(out, 200))
	}
	if res.PeakRSSBytes == 0 { // the child could not tell its own
		res.PeakRSSBytes = maxRSS(cmd.ProcessState)
	}
	if res.PeakRSSBytes == 0 {
		return nil, errors.New("child: peak RSS is not available on this system")
	}
	return &res, nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
