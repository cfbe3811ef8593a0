package load

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/atslake/atslake/schemas"
)

// Scope decides which previous rows a run may mark deleted: Covers is asked
// for every live row of the previous state that the run did not write, and a
// row it covers gets remote_deleted_at. A nil Scope covers nothing. Commit
// writes tables in parallel, so Covers may be called from several goroutines
// at once (for different tables).
type Scope interface {
	Covers(table string, prev PrevRow) bool
}

// ScopeFunc adapts a function to Scope.
type ScopeFunc func(table string, prev PrevRow) bool

// Covers calls f.
func (f ScopeFunc) Covers(table string, prev PrevRow) bool { return f(table, prev) }

// CoverTables returns a Scope covering every row of the named tables (a full
// read of their source lists).
func CoverTables(tables ...string) Scope {
	set := make(map[string]bool, len(tables))
	for _, t := range tables {
		set[t] = true
	}
	return ScopeFunc(func(table string, _ PrevRow) bool { return set[table] })
}

// PrevRow gives a Scope the string columns of a previous row.
type PrevRow interface {
	// String returns the value of a top-level string column (remote_id,
	// job_id, ...); ok is false when it is NULL or not a string column.
	String(column string) (value string, ok bool)
}

// TableStats counts what a run did to one table.
type TableStats struct {
	Table    string
	RowsSeen int64 // distinct ids the run wrote
	Inserted int64 // new or revived ids
	Updated  int64 // existing rows whose data changed
	Deleted  int64 // rows newly marked deleted
}

// changed reports whether the table's stored state changed.
func (s TableStats) changed() bool { return s.Inserted+s.Updated+s.Deleted > 0 }

// RunRecord describes one run of one connection (the runs view).
type RunRecord struct {
	RunID      string
	Connection string
	Connector  string
	Mode       string // full | incremental
	Status     string // succeeded | partial | failed
	Error      string
	StartedAt  time.Time
	FinishedAt time.Time
	Requests   int64
	Retries    int64
	Skipped    int64
}

// Run is one run of one connection, holding the connection's writer lock
// until Commit, Abort or Fail. Its methods are safe for concurrent use.
type Run struct {
	l       *Lake
	conn    string
	runID   string
	started time.Time
	tmp     string
	lock    *os.File

	mu     sync.Mutex
	done   bool
	bufs   map[string]*tableBuf
	bytes  int64
	temps  []string // temporary files made in lake folders (for Abort)
	spills int
	tempMu sync.Mutex // guards temps while tables commit in parallel
}

// Begin starts a run of connection: it takes the connection's writer lock
// (failing fast with ErrLocked when another process holds it), completes
// any interrupted commit of the connection and removes its stray temporary
// files. startedAt (truncated to microseconds) becomes changed_at,
// remote_deleted_at and _valid_from of what the run changes.
func (l *Lake) Begin(ctx context.Context, connection, runID string, startedAt time.Time) (*Run, error) {
	if !ValidConnection(connection) {
		return nil, fmt.Errorf("begin run: invalid connection id %q", connection)
	}
	if !runIDRE.MatchString(runID) {
		return nil, fmt.Errorf("begin run of %s: invalid run id %q", connection, runID)
	}
	if startedAt.IsZero() {
		return nil, fmt.Errorf("begin run %s of %s: zero start time", runID, connection)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := plans(); err != nil {
		return nil, err
	}
	lock, err := l.acquire(connection)
	if err != nil {
		return nil, err
	}
	r := &Run{l: l, conn: connection, runID: runID, started: startedAt.UTC().Truncate(time.Microsecond),
		lock: lock, bufs: map[string]*tableBuf{}}
	base := l.stateDir(connection)
	if l.tmpDir != "" {
		base = l.tmpDir
	}
	if err = os.MkdirAll(base, 0o755); err == nil {
		r.tmp, err = os.MkdirTemp(base, "tmp-"+connection+"-")
	}
	if err != nil {
		unlockFile(lock)
		return nil, fmt.Errorf("begin run %s of %s: temp dir: %w", runID, connection, err)
	}
	return r, nil
}

// acquire takes the connection's lock, rolls forward an interrupted commit
// and cleans stray temporary files.
func (l *Lake) acquire(conn string) (*os.File, error) {
	lock, err := lockFile(l.lockPath(conn), conn)
	if err != nil {
		return nil, err
	}
	if err := l.rollForward(conn); err != nil {
		unlockFile(lock)
		return nil, err
	}
	if err := l.cleanStray(conn); err != nil {
		unlockFile(lock)
		return nil, fmt.Errorf("clean temporary files of %s: %w", conn, err)
	}
	return lock, nil
}

// Connection returns the run's connection id.
func (r *Run) Connection() string { return r.conn }

// Write adds rows to a table. rec must have exactly the table's schema
// (schemas.MustLookup(table).Schema()); changed_at and remote_deleted_at are
// ignored (Commit sets them). Write retains rec until Commit or Abort; the
// caller still releases its own reference. Rows may come in any order; for
// an id written twice the last one wins.
func (r *Run) Write(ctx context.Context, table string, rec arrow.RecordBatch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return ErrRunDone
	}
	if rec.NumRows() == 0 {
		if _, ok := tablePlans[table]; !ok {
			return fmt.Errorf("write %s: unknown table", table)
		}
		return nil
	}
	tb, err := r.buf(table)
	if err != nil {
		return err
	}
	before := tb.bytes
	if err := tb.add(rec); err != nil {
		return fmt.Errorf("write %s of %s: %w", table, r.conn, err)
	}
	r.bytes += tb.bytes - before
	for r.bytes > r.l.budget {
		var largest *tableBuf
		for _, b := range r.bufs {
			if largest == nil || b.bytes > largest.bytes {
				largest = b
			}
		}
		if largest == nil || largest.bytes == 0 {
			break
		}
		n := largest.bytes
		if err := largest.spill(r.tmp); err != nil {
			return fmt.Errorf("write %s of %s: %w", table, r.conn, err)
		}
		r.bytes -= n
		r.spills++
		r.l.log.Debug("spilled rows", "connection", r.conn, "table", largest.table, "bytes", n)
	}
	return nil
}

func (r *Run) buf(table string) (*tableBuf, error) {
	if tb, ok := r.bufs[table]; ok {
		return tb, nil
	}
	p, ok := tablePlans[table]
	if !ok {
		return nil, fmt.Errorf("write %s: unknown table", table)
	}
	tb := &tableBuf{table: table, p: p}
	r.bufs[table] = tb
	return tb, nil
}

// Abort ends the run without changing the lake: it drops the buffered rows
// and temporary files and releases the lock.
func (r *Run) Abort() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return nil
	}
	return r.finish()
}

// Fail aborts the run and writes a failed run record (status "failed" unless
// record.Status says otherwise; connection, run id and start time are the
// run's) while still holding the lock.
func (r *Run) Fail(ctx context.Context, record RunRecord) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return ErrRunDone
	}
	r.dropTemps()
	record.StartedAt = r.started
	err := r.l.writeRunRecord(ctx, r.conn, r.runID, record)
	if ferr := r.finish(); err == nil {
		err = ferr
	}
	return err
}

// dropTemps removes the run's buffers and temporary files.
func (r *Run) dropTemps() {
	for _, tb := range r.bufs {
		tb.release()
	}
	r.bufs = map[string]*tableBuf{}
	r.bytes = 0
	for _, t := range r.temps {
		os.Remove(t)
	}
	r.temps = nil
	os.RemoveAll(r.tmp)
}

// finish drops everything temporary and releases the lock.
func (r *Run) finish() error {
	r.done = true
	r.dropTemps()
	return unlockFile(r.lock)
}

// WriteFailedRun records a run that failed before it could begin (status
// "failed" unless record.Status says otherwise; a zero finish time means
// now, a zero start time the finish time). It takes the connection's
// lock for the moment of writing, so it fails with ErrLocked while another
// run of the connection is in progress; a Run that fails should call Fail.
func (l *Lake) WriteFailedRun(ctx context.Context, record RunRecord) error {
	if !ValidConnection(record.Connection) {
		return fmt.Errorf("write failed run: invalid connection id %q", record.Connection)
	}
	if !runIDRE.MatchString(record.RunID) {
		return fmt.Errorf("write failed run of %s: invalid run id %q", record.Connection, record.RunID)
	}
	if err := plans(); err != nil {
		return err
	}
	lock, err := l.acquire(record.Connection)
	if err != nil {
		return fmt.Errorf("write failed run %s: %w", record.RunID, err)
	}
	err = l.writeRunRecord(ctx, record.Connection, record.RunID, record)
	if uerr := unlockFile(lock); err == nil {
		err = uerr
	}
	return err
}

// writeRunRecord writes the record of a run that changed nothing.
func (l *Lake) writeRunRecord(ctx context.Context, conn, runID string, record RunRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	record.Connection, record.RunID = conn, runID
	if record.Status == "" {
		record.Status = "failed"
	}
	if record.FinishedAt.IsZero() {
		record.FinishedAt = time.Now()
	}
	if record.StartedAt.IsZero() {
		record.StartedAt = record.FinishedAt
	}
	dir := l.runsDir(conn)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, "runs-"+runID+".parquet")
	tmp := tempName(path, runID)
	err := writeRunsFile(tmp, record)
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write run record %s of %s: %w", runID, conn, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write run record %s of %s: %w", runID, conn, err)
	}
	return syncDir(dir)
}

// Commit merges what the run wrote with the previous state of every table
// of the connection and makes the new state visible: tables whose content
// changed get a new part-0.parquet, every changed version goes to _history,
// and the run records (record, plus one run_tables row per table in the
// returned stats) appear together with the data; the record's connection,
// run id and start time are the run's, an empty status means "succeeded"
// and a zero finish time means now. Previous live rows that the
// run did not write are marked deleted where scope covers them. Tables
// nothing changed in are not rewritten. The lock is released in any case;
// a Commit that fails before its journal is written leaves the previous
// state, one that fails after it is completed by the next Begin.
func (r *Run) Commit(ctx context.Context, scope Scope, record RunRecord) ([]TableStats, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return nil, ErrRunDone
	}
	if (record.Connection != "" && record.Connection != r.conn) || (record.RunID != "" && record.RunID != r.runID) {
		r.finish()
		return nil, fmt.Errorf("commit run %s of %s: record names run %s of %s", r.runID, r.conn, record.RunID, record.Connection)
	}
	record.Connection, record.RunID, record.StartedAt = r.conn, r.runID, r.started
	if record.FinishedAt.IsZero() {
		record.FinishedAt = time.Now()
	}
	if record.Status == "" {
		record.Status = "succeeded"
	}
	stats, err := r.commit(ctx, scope, record)
	if errors.Is(err, errSimulatedCrash) {
		// As if the process died here: files stay, the kernel drops the lock.
		r.done = true
		for _, tb := range r.bufs {
			tb.release()
		}
		unlockFile(r.lock)
		return nil, err
	}
	if ferr := r.finish(); err == nil && ferr != nil {
		err = fmt.Errorf("commit run %s of %s: release lock: %w", r.runID, r.conn, ferr)
	}
	if err != nil {
		return nil, err
	}
	return stats, nil
}

func (r *Run) commit(ctx context.Context, scope Scope, record RunRecord) ([]TableStats, error) {
	j := &journal{Connection: r.conn, RunID: r.runID}
	var stats []TableStats
	var data, hist []rename
	tables := schemas.All()
	results, err := r.commitTables(ctx, tables, scope)
	if err != nil {
		return nil, err
	}
	for i := range tables {
		res := results[i]
		if res.stats.RowsSeen > 0 || res.stats.changed() {
			stats = append(stats, res.stats)
		}
		data = append(data, res.data...)
		hist = append(hist, res.hist...)
		j.Removes = append(j.Removes, res.removes...)
	}
	// Data first, then history, then the run records: the records (which
	// incremental watermarks come from) become visible last.
	j.Renames = append(data, hist...)
	recs, err := r.writeRunFiles(record, stats)
	if err != nil {
		return nil, fmt.Errorf("commit run %s of %s: %w", r.runID, r.conn, err)
	}
	j.Renames = append(j.Renames, recs...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	toSync := make([]string, len(j.Renames))
	for i, rn := range j.Renames {
		toSync[i] = filepath.Join(r.l.dir, rn.From)
	}
	if err := syncFiles(toSync); err != nil {
		return nil, fmt.Errorf("commit run %s of %s: %w", r.runID, r.conn, err)
	}
	if r.l.crash != nil && r.l.crash("before-journal") {
		return nil, errSimulatedCrash
	}
	if err := r.l.writeJournal(j); err != nil {
		return nil, fmt.Errorf("commit run %s of %s: %w", r.runID, r.conn, err)
	}
	r.temps = nil // from here on the journal owns them
	if r.l.crash != nil && r.l.crash("after-journal") {
		return nil, errSimulatedCrash
	}
	if err := r.l.applyJournal(j); err != nil {
		if errors.Is(err, errSimulatedCrash) {
			return nil, err
		}
		return nil, fmt.Errorf("commit run %s of %s: %w (the next run of the connection completes it)", r.runID, r.conn, err)
	}
	for _, s := range stats {
		r.l.log.Debug("committed table", "connection", r.conn, "run_id", r.runID, "table", s.Table,
			"rows_seen", s.RowsSeen, "inserted", s.Inserted, "updated", s.Updated, "deleted", s.Deleted)
	}
	return stats, nil
}

// commitParallel bounds the tables merged and written at once (each holds
// two Parquet writers, tens of MiB for a large table); the CPUs available
// bound it too.
const commitParallel = 2

// commitTables runs commitTable for every table, several at once (largest
// first, so the longest merge starts early), and returns the results in the
// order of tables. The first failure cancels the others.
func (r *Run) commitTables(ctx context.Context, tables []*schemas.Table, scope Scope) ([]tableResult, error) {
	order := make([]int, len(tables))
	for i := range order {
		order[i] = i
	}
	size := func(i int) int64 {
		tb := r.bufs[tables[i].Name]
		if tb == nil {
			return 0
		}
		return tb.bytes + int64(len(tb.spills))*(8<<20)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(size(b), size(a)) })

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]tableResult, len(tables))
	errs := make([]error, len(tables))
	next := make(chan int, len(order))
	for _, i := range order {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(commitParallel, runtime.GOMAXPROCS(0), len(tables)) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					continue
				}
				var err error
				if results[i], err = r.commitTable(ctx, tables[i], scope); err != nil {
					errs[i] = fmt.Errorf("commit run %s of %s: table %s: %w", r.runID, r.conn, tables[i].Name, err)
					cancel()
				}
			}
		})
	}
	wg.Wait()
	// The first failure in table order that is not a consequence of the cancel.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return results, first
}

// addTemp records a temporary file made in a lake folder (for Abort).
func (r *Run) addTemp(path string) {
	r.tempMu.Lock()
	r.temps = append(r.temps, path)
	r.tempMu.Unlock()
}

// rel returns path relative to the lake folder.
func (r *Run) rel(path string) string {
	rel, err := filepath.Rel(r.l.dir, path)
	if err != nil {
		return path
	}
	return rel
}
