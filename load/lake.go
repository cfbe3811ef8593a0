package load

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"

	"github.com/atslake/atslake/schemas"
)

// ErrLocked is returned (wrapped, with the connection) by Begin and
// WriteFailedRun when another process, or another Run of this one, holds the
// connection's writer lock.
var ErrLocked = errors.New("locked by another atslake process")

// ErrRunDone is returned when a Run is used after Commit, Abort or Fail.
var ErrRunDone = errors.New("run already finished")

// DefaultMemoryBudget is the default limit of the in-memory row buffers of a run.
const DefaultMemoryBudget = 64 << 20

// Folder and file names of the lake layout.
const (
	schemaPartition = "_schema"
	historyDir      = "_history"
	runsDir         = "_runs"
	locksDir        = "_locks"
	stateDir        = "_state"
	catalogFile     = "catalog.duckdb"
	journalFile     = "commit.json"
	tmpSuffix       = ".tmp"
)

var connectionRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
var runIDRE = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$`)

// ValidConnection reports whether id is a valid connection id
// ([a-z][a-z0-9_-]{0,62}, product.md).
func ValidConnection(id string) bool { return connectionRE.MatchString(id) }

// Lake is an open lake folder. It is safe for concurrent use; runs of
// different connections may proceed in parallel.
type Lake struct {
	dir    string
	tmpDir string
	budget int64
	log    *slog.Logger

	// crash, when set (tests only), is asked at each commit step whether to
	// stop there as if the process had been killed.
	crash func(point string) bool
}

// Option configures Open.
type Option func(*Lake)

// WithTempDir puts the temporary files of runs (spilled rows, page buffers)
// under dir instead of <lake>/_state/<connection>/.
func WithTempDir(dir string) Option { return func(l *Lake) { l.tmpDir = dir } }

// WithMemoryBudget limits the in-memory row buffers of one run (all tables
// together) to about n bytes; beyond it, sorted runs spill to temporary
// files. The default is DefaultMemoryBudget.
func WithMemoryBudget(n int64) Option { return func(l *Lake) { l.budget = n } }

// WithLogger sets the logger for spills and commits (default: discard).
func WithLogger(log *slog.Logger) Option { return func(l *Lake) { l.log = log } }

// Open opens (creating when needed) the lake in dir: it makes dir absolute,
// creates the base folders and writes the zero-row schema files that keep
// every view readable (rewriting any whose schema is outdated).
func Open(dir string, opts ...Option) (*Lake, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open lake %s: %w", dir, err)
	}
	l := &Lake{dir: abs, budget: DefaultMemoryBudget, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(l)
	}
	if l.tmpDir != "" {
		if l.tmpDir, err = filepath.Abs(l.tmpDir); err != nil {
			return nil, fmt.Errorf("open lake %s: temp dir: %w", abs, err)
		}
	}
	if l.budget <= 0 {
		l.budget = DefaultMemoryBudget
	}
	for _, d := range []string{abs, filepath.Join(abs, locksDir), filepath.Join(abs, stateDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("open lake %s: %w", abs, err)
		}
	}
	if err := ensureSchemaFiles(abs); err != nil {
		return nil, fmt.Errorf("open lake %s: %w", abs, err)
	}
	return l, nil
}

// Dir returns the lake's absolute folder.
func (l *Lake) Dir() string { return l.dir }

// Table plans (Parquet schemas and shredding plans), built once.
var (
	plansOnce   sync.Once
	plansErr    error
	tablePlans  map[string]*plan // current state files
	histPlans   map[string]*plan // history files: table columns + _valid_from
	runsPlan    *plan
	tablesPlan  *plan
	validFromTS = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

// Run record schemas (the connection is the Hive partition, not a column).
var (
	runsSchema = arrow.NewSchema([]arrow.Field{
		{Name: "run_id", Type: arrow.BinaryTypes.String},
		{Name: "connector", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "mode", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "started_at", Type: validFromTS},
		{Name: "finished_at", Type: validFromTS, Nullable: true},
		{Name: "requests", Type: arrow.PrimitiveTypes.Int64},
		{Name: "retries", Type: arrow.PrimitiveTypes.Int64},
		{Name: "skipped", Type: arrow.PrimitiveTypes.Int64},
		{Name: "error", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	runTablesSchema = arrow.NewSchema([]arrow.Field{
		{Name: "run_id", Type: arrow.BinaryTypes.String},
		{Name: "table_name", Type: arrow.BinaryTypes.String},
		{Name: "rows_seen", Type: arrow.PrimitiveTypes.Int64},
		{Name: "inserted", Type: arrow.PrimitiveTypes.Int64},
		{Name: "updated", Type: arrow.PrimitiveTypes.Int64},
		{Name: "deleted", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
)

func historySchema(t *schemas.Table) *arrow.Schema {
	fields := append(append([]arrow.Field(nil), t.Schema().Fields()...), arrow.Field{Name: "_valid_from", Type: validFromTS,
		Metadata: arrow.NewMetadata([]string{"doc"}, []string{"Start time of the run that wrote this version."})})
	return arrow.NewSchema(fields, nil)
}

func plans() error {
	plansOnce.Do(func() {
		tablePlans = map[string]*plan{}
		histPlans = map[string]*plan{}
		for _, t := range schemas.All() {
			p, err := newPlan(t.Name, t.Schema())
			if err != nil {
				plansErr = fmt.Errorf("schema of %s: %w", t.Name, err)
				return
			}
			tablePlans[t.Name] = p
			if p, err = newPlan(t.Name, historySchema(t)); err != nil {
				plansErr = fmt.Errorf("history schema of %s: %w", t.Name, err)
				return
			}
			histPlans[t.Name] = p
		}
		if runsPlan, plansErr = newPlan("runs", runsSchema); plansErr != nil {
			return
		}
		tablesPlan, plansErr = newPlan("run_tables", runTablesSchema)
	})
	return plansErr
}

// schemaFiles lists the zero-row files that keep every view readable.
func schemaFiles(dir string) (map[string]*plan, error) {
	if err := plans(); err != nil {
		return nil, err
	}
	files := map[string]*plan{
		filepath.Join(dir, runsDir, "connection="+schemaPartition, "runs-0.parquet"):       runsPlan,
		filepath.Join(dir, runsDir, "connection="+schemaPartition, "run_tables-0.parquet"): tablesPlan,
	}
	for _, t := range schemas.All() {
		files[filepath.Join(dir, t.Name, "connection="+schemaPartition, "part-0.parquet")] = tablePlans[t.Name]
		files[filepath.Join(dir, historyDir, t.Name, "connection="+schemaPartition, "part-0.parquet")] = histPlans[t.Name]
	}
	return files, nil
}

// ensureSchemaFiles writes every schema file that is missing or outdated.
func ensureSchemaFiles(dir string) error {
	files, err := schemaFiles(dir)
	if err != nil {
		return err
	}
	var todo []string
	dirs := map[string]bool{}
	for path, p := range files {
		if !fileSchemaIs(path, p.schema) {
			todo = append(todo, path)
			dirs[filepath.Dir(path)] = true
		}
	}
	err = parallel(todo, func(path string) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		removeOldTemps(filepath.Dir(path), time.Hour)
		tmp := tempName(path, randomSuffix())
		fw, err := createFile(tmp, files[path].schema, plainFile, "")
		if err != nil {
			return fmt.Errorf("schema file %s: %w", path, err)
		}
		if err = fw.close(); err == nil {
			err = syncFile(tmp)
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err != nil {
			os.Remove(tmp)
			return fmt.Errorf("schema file %s: %w", path, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return syncDirs(dirs)
}

// fileSchemaIs reports whether path is a readable Parquet file with schema s.
func fileSchemaIs(path string, s *parquet.Schema) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return false
	}
	return parquet.EqualNodes(pf.Schema(), s)
}

// tempName is the temporary name of a file to be renamed to path: in the
// same folder, hidden, never ending in .parquet.
func tempName(path, suffix string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"."+suffix+tmpSuffix)
}

func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, tmpSuffix)
}

func randomSuffix() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// removeOldTemps removes temporary files in dir older than age (files of
// processes that died; younger ones may belong to a process still running).
func removeOldTemps(dir string, age time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !isTempName(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Paths of a connection's files.
func (l *Lake) tableDir(table, conn string) string {
	return filepath.Join(l.dir, table, "connection="+conn)
}
func (l *Lake) historyDir(table, conn string) string {
	return filepath.Join(l.dir, historyDir, table, "connection="+conn)
}
func (l *Lake) runsDir(conn string) string {
	return filepath.Join(l.dir, runsDir, "connection="+conn)
}
func (l *Lake) stateDir(conn string) string { return filepath.Join(l.dir, stateDir, conn) }
func (l *Lake) lockPath(conn string) string {
	return filepath.Join(l.dir, locksDir, conn+".lock")
}

// connectionDirs lists every folder that may hold files of the connection.
func (l *Lake) connectionDirs(conn string) []string {
	dirs := []string{l.runsDir(conn)}
	for _, t := range schemas.All() {
		dirs = append(dirs, l.tableDir(t.Name, conn), l.historyDir(t.Name, conn))
	}
	return dirs
}

// cleanStray removes temporary files of a connection left by runs that died
// before writing their journal. The caller holds the connection's lock and
// has rolled forward any journal.
func (l *Lake) cleanStray(conn string) error {
	for _, d := range l.connectionDirs(conn) {
		entries, err := os.ReadDir(d)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return err
		}
		for _, e := range entries {
			if isTempName(e.Name()) {
				if err := os.Remove(filepath.Join(d, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
					return err
				}
			}
		}
	}
	entries, err := os.ReadDir(l.stateDir(conn))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "tmp-") || isTempName(e.Name()) {
			if err := os.RemoveAll(filepath.Join(l.stateDir(conn), e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
