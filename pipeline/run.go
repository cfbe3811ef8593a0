package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/uuid"

	"github.com/atslake/atslake/extract"
	"github.com/atslake/atslake/load"
)

// Run statuses as the runs view records them.
const (
	StatusSucceeded = "succeeded"
	StatusPartial   = "partial"
	StatusFailed    = "failed"
)

// RunOptions tune one run of one connection.
type RunOptions struct {
	Full   bool     // force a full sync
	Models []string // unified tables to write (all when empty); the others keep their state
}

// Result is the outcome of one run of one connection.
type Result struct {
	Record load.RunRecord
	Tables []load.TableStats
}

// Totals sums the table statistics of a run.
func (r *Result) Totals() (seen, inserted, updated, deleted int64) {
	for _, t := range r.Tables {
		seen += t.RowsSeen
		inserted += t.Inserted
		updated += t.Updated
		deleted += t.Deleted
	}
	return
}

// Runner runs connections into one lake.
type Runner struct {
	lake       *load.Lake
	log        *slog.Logger
	httpClient *http.Client
	alloc      memory.Allocator
	now        func() time.Time
	observer   Observer
	lakeOpts   []load.Option
}

// RunnerOption configures a Runner.
type RunnerOption func(*Runner)

// WithLogger sets the structured logger (default: slog.Default()).
func WithLogger(l *slog.Logger) RunnerOption { return func(r *Runner) { r.log = l } }

// WithHTTPClient sets the HTTP client the extractors use.
func WithHTTPClient(c *http.Client) RunnerOption { return func(r *Runner) { r.httpClient = c } }

// WithAllocator sets the Arrow allocator (tests pass a checked allocator).
func WithAllocator(a memory.Allocator) RunnerOption { return func(r *Runner) { r.alloc = a } }

// WithClock sets the clock that stamps runs (tests).
func WithClock(now func() time.Time) RunnerOption { return func(r *Runner) { r.now = now } }

// WithObserver receives progress events (live progress display).
func WithObserver(o Observer) RunnerOption { return func(r *Runner) { r.observer = o } }

// WithLakeOptions passes options to the lake writer.
func WithLakeOptions(opts ...load.Option) RunnerOption {
	return func(r *Runner) { r.lakeOpts = append(r.lakeOpts, opts...) }
}

// Observer is told how a run progresses.
type Observer interface {
	Progress(p Progress)
}

// Progress is a snapshot of one running connection.
type Progress struct {
	Connection string
	Phase      string // extract, commit, done
	Docs       int64  // source documents read
	Rows       int64  // unified rows produced
	Requests   int64
	Retries    int64
	Elapsed    time.Duration
}

// NewRunner opens the lake and returns a Runner.
func NewRunner(lakeDir string, opts ...RunnerOption) (*Runner, error) {
	r := &Runner{log: slog.Default(), alloc: memory.DefaultAllocator, now: time.Now}
	for _, o := range opts {
		o(r)
	}
	lake, err := load.Open(lakeDir, r.lakeOpts...)
	if err != nil {
		return nil, fmt.Errorf("open lake %s: %w", lakeDir, err)
	}
	r.lake = lake
	return r, nil
}

// Lake returns the runner's lake.
func (r *Runner) Lake() *load.Lake { return r.lake }

// Run syncs one connection: extract -> transform -> load, then commits the
// new state and the run record together. A failed run leaves the previous
// state untouched and records a failed run.
func (r *Runner) Run(ctx context.Context, conn Connection, opts RunOptions) (*Result, error) {
	started := r.now().UTC().Truncate(time.Microsecond)
	runID, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("connection %s: run id: %w", conn.ID, err)
	}
	rec := load.RunRecord{RunID: runID.String(), Connection: conn.ID, Connector: conn.Connector, StartedAt: started}
	log := r.log.With("connection", conn.ID, "run_id", rec.RunID)

	run, err := r.lake.Begin(ctx, conn.ID, rec.RunID, started)
	if err != nil {
		return nil, fmt.Errorf("connection %s: %w", conn.ID, err)
	}
	mode, after, err := r.chooseMode(ctx, conn, opts, started)
	if err != nil {
		_ = run.Abort()
		return nil, fmt.Errorf("connection %s: %w", conn.ID, err)
	}
	rec.Mode = string(mode)
	log.Info("run started", "mode", mode, "updated_after", after)

	res, err := r.execute(ctx, conn, run, &rec, opts, mode, after, log)
	if err != nil {
		_ = run.Abort()
		rec.Status = StatusFailed
		rec.Error = err.Error()
		rec.FinishedAt = r.now().UTC()
		// A failed run is recorded, except when the process is being stopped.
		if ctx.Err() == nil {
			if werr := r.lake.WriteFailedRun(context.WithoutCancel(ctx), rec); werr != nil {
				log.Error("write failed run record", "error", werr)
			}
		}
		log.Error("run failed", "error", err)
		return &Result{Record: rec}, fmt.Errorf("connection %s: %w", conn.ID, err)
	}
	return res, nil
}

// chooseMode picks full or incremental (and the incremental watermark) from
// the connection's run records; see decideMode (incremental.go).
func (r *Runner) chooseMode(ctx context.Context, conn Connection, opts RunOptions, now time.Time) (extract.Mode, time.Time, error) {
	if opts.Full || conn.Connector != ConnectorSmartRecruiters {
		return extract.Full, time.Time{}, nil
	}
	runs, err := r.lake.Runs(ctx, conn.ID)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("choose sync mode: %w", err)
	}
	mode, after := decideMode(conn, opts, runs, now)
	return mode, after, nil
}

type counters struct {
	docs, rows, skipped atomic.Int64
}

func (r *Runner) execute(ctx context.Context, conn Connection, run *load.Run, rec *load.RunRecord, opts RunOptions, mode extract.Mode, after time.Time, log *slog.Logger) (*Result, error) {
	src, err := newSource(conn, sourceOptions{httpClient: r.httpClient, log: log, alloc: r.alloc})
	if err != nil {
		return nil, err
	}
	defer src.mapper.Release()

	var cnt counters
	emit := &emitter{run: run, cnt: &cnt, models: modelSet(opts.Models)}
	skip := &skipper{log: log, cnt: &cnt}
	complete := map[string]bool{}
	// A failed run is recorded with the requests it made.
	defer func() {
		st := src.extractor.Stats()
		rec.Requests, rec.Retries, rec.Skipped = st.Requests, st.Retries, cnt.skipped.Load()
	}()
	var seen *rereads // incremental runs: the jobs and candidates re-read
	if mode == extract.Incremental {
		seen = newRereads()
		if err := r.seedMapper(ctx, conn.ID, src.mapper); err != nil {
			return nil, err
		}
	}

	stopProgress := r.startProgress(ctx, conn.ID, src, &cnt)
	defer stopProgress()

	req := extract.Request{Mode: mode, UpdatedAfter: after, Alloc: r.alloc}
	for batch, err := range src.extractor.Extract(ctx, req) {
		if err != nil {
			return nil, err
		}
		cnt.docs.Add(batch.NumRows())
		noteMarkers(batch, complete, skip)
		seen.note(batch)
		err = src.mapper.Map(ctx, batch, emit, skip)
		batch.Release()
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := src.mapper.Finish(ctx, emit, skip); err != nil {
		return nil, err
	}
	st := src.extractor.Stats()
	rec.Requests, rec.Retries, rec.Skipped = st.Requests, st.Retries, cnt.skipped.Load()
	rec.Status = StatusSucceeded
	if rec.Skipped > 0 {
		rec.Status = StatusPartial
	}
	r.report(conn.ID, "commit", src, &cnt, rec.StartedAt)
	var scope load.Scope = fullScope{deletions: rec.Skipped == 0, models: emit.models}
	if mode == extract.Incremental {
		scope = nil // a run that skipped records deletes nothing
		if rec.Skipped == 0 {
			if scope, err = r.incrementalDeletions(ctx, conn.ID, seen, complete, emit.models); err != nil {
				return nil, err
			}
		}
		log.Info("incremental run read", "jobs", len(seen.jobs), "candidates", len(seen.cands))
	}
	rec.FinishedAt = r.now().UTC()
	tables, err := run.Commit(ctx, scope, *rec)
	if err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	r.report(conn.ID, "done", src, &cnt, rec.StartedAt)
	if err := load.EnsureCatalog(ctx, r.lake.Dir()); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return &Result{Record: *rec, Tables: tables}, nil
}

// fullScope is the deletion scope of a full run: every table's lists were read
// completely, so a previous row the run did not write is deleted. A run that
// skipped records deletes nothing (the skipped records keep their previous
// version; the next clean full run detects deletions).
type fullScope struct {
	deletions bool
	models    map[string]bool // nil: all tables
}

func (s fullScope) Covers(table string, _ load.PrevRow) bool {
	return s.deletions && (s.models == nil || s.models[table])
}

func modelSet(models []string) map[string]bool {
	if len(models) == 0 {
		return nil
	}
	m := make(map[string]bool, len(models))
	for _, t := range models {
		m[t] = true
	}
	return m
}

func noteMarkers(batch arrow.RecordBatch, complete map[string]bool, skip *skipper) {
	kinds := batch.Column(0).(*array.String)
	for i := 0; i < kinds.Len(); i++ {
		switch kinds.Value(i) {
		case extract.KindListComplete:
			complete[batch.Column(1).(*array.String).Value(i)] = true
		case extract.KindSkipped:
			endpoint, err := skippedMarker(batch.Column(2).(*array.Binary).Value(i))
			skip.Skip("", batch.Column(1).(*array.String).Value(i), endpoint, err)
		}
	}
}

// skippedMarker reads the body of an extract.KindSkipped marker,
// {"endpoint": ..., "error": ...}, so the record is logged with its endpoint.
func skippedMarker(body []byte) (endpoint string, err error) {
	var m struct {
		Endpoint string `json:"endpoint"`
		Error    string `json:"error"`
	}
	if json.Unmarshal(body, &m) != nil || m.Error == "" {
		return m.Endpoint, fmt.Errorf("%s", body)
	}
	return m.Endpoint, errors.New(m.Error)
}

type emitter struct {
	run    *load.Run
	cnt    *counters
	models map[string]bool // nil: all tables
}

func (e *emitter) Emit(ctx context.Context, table string, rec arrow.RecordBatch) error {
	if e.models != nil && !e.models[table] {
		return nil
	}
	e.cnt.rows.Add(rec.NumRows())
	if err := e.run.Write(ctx, table, rec); err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	return nil
}

type skipper struct {
	log *slog.Logger
	cnt *counters
	mu  sync.Mutex
}

func (s *skipper) Skip(table, remoteID, endpoint string, err error) {
	s.cnt.skipped.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.Warn("record skipped", "table", table, "remote_id", remoteID, "endpoint", endpoint, "error", err)
}

func (r *Runner) startProgress(ctx context.Context, id string, src *source, cnt *counters) func() {
	if r.observer == nil {
		return func() {}
	}
	start := r.now()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				r.report(id, "extract", src, cnt, start)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func (r *Runner) report(id, phase string, src *source, cnt *counters, start time.Time) {
	if r.observer == nil {
		return
	}
	st := src.extractor.Stats()
	r.observer.Progress(Progress{Connection: id, Phase: phase, Docs: cnt.docs.Load(), Rows: cnt.rows.Load(),
		Requests: st.Requests, Retries: st.Retries, Elapsed: r.now().Sub(start)})
}

// errNoConnector is returned for a connector this build does not know.
var errNoConnector = errors.New("unknown connector")
