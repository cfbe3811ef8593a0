package load

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// flatRow builds a row of a flat plan (no nesting) from Go values: nil,
// string, int64 or time.Time.
func flatRow(p *plan, vals ...any) parquet.Row {
	row := make(parquet.Row, len(vals))
	for i, v := range vals {
		def := 0
		if p.top[i].optional {
			def = 1
		}
		switch v := v.(type) {
		case nil:
			row[i] = parquet.Value{}.Level(0, 0, i)
		case string:
			row[i] = parquet.ByteArrayValue([]byte(v)).Level(0, def, i)
		case int64:
			row[i] = parquet.Int64Value(v).Level(0, def, i)
		case time.Time:
			row[i] = parquet.Int64Value(v.UnixMicro()).Level(0, def, i)
		default:
			panic(fmt.Sprintf("flatRow: unsupported %T", v))
		}
	}
	return row
}

func optString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// writeRunsFile writes one run record to a new file at path.
func writeRunsFile(path string, rec RunRecord) error {
	fw, err := createFile(path, runsPlan.schema, plainFile, "")
	if err != nil {
		return err
	}
	row := flatRow(runsPlan, rec.RunID, optString(rec.Connector), optString(rec.Mode), optString(rec.Status),
		rec.StartedAt, optTime(rec.FinishedAt), rec.Requests, rec.Retries, rec.Skipped, optString(rec.Error))
	if err := fw.write(row); err != nil {
		fw.discard()
		return err
	}
	return fw.close()
}

// writeRunFiles writes the run's records under temporary names and returns
// their renames: run_tables first, runs last.
func (r *Run) writeRunFiles(rec RunRecord, stats []TableStats) ([]rename, error) {
	dir := r.l.runsDir(r.conn)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tablesFinal := filepath.Join(dir, "run_tables-"+r.runID+".parquet")
	tablesTmp := tempName(tablesFinal, r.runID)
	r.temps = append(r.temps, tablesTmp)
	fw, err := createFile(tablesTmp, tablesPlan.schema, plainFile, "")
	if err != nil {
		return nil, err
	}
	for _, s := range stats {
		if err := fw.write(flatRow(tablesPlan, r.runID, s.Table, s.RowsSeen, s.Inserted, s.Updated, s.Deleted)); err != nil {
			fw.discard()
			return nil, err
		}
	}
	if err := fw.close(); err != nil {
		return nil, err
	}
	runsFinal := filepath.Join(dir, "runs-"+r.runID+".parquet")
	runsTmp := tempName(runsFinal, r.runID)
	r.temps = append(r.temps, runsTmp)
	if err := writeRunsFile(runsTmp, rec); err != nil {
		return nil, err
	}
	return []rename{
		{From: r.rel(tablesTmp), To: r.rel(tablesFinal)},
		{From: r.rel(runsTmp), To: r.rel(runsFinal)},
	}, nil
}

// Runs returns the committed and failed run records of a connection,
// oldest first (by started_at, then run id). A commit interrupted after its
// journal shows up once the next Begin of the connection completed it, so
// callers computing watermarks read Runs after Begin.
func (l *Lake) Runs(ctx context.Context, connection string) ([]RunRecord, error) {
	if !ValidConnection(connection) {
		return nil, fmt.Errorf("runs: invalid connection id %q", connection)
	}
	if err := plans(); err != nil {
		return nil, err
	}
	dir := l.runsDir(connection)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("runs of %s: %w", connection, err)
	}
	var out []RunRecord
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "runs-") || !strings.HasSuffix(name, ".parquet") {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		recs, err := readRunsFile(filepath.Join(dir, name), connection)
		if err != nil {
			return nil, fmt.Errorf("runs of %s: %w", connection, err)
		}
		out = append(out, recs...)
	}
	slices.SortFunc(out, func(a, b RunRecord) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), cmp.Compare(a.RunID, b.RunID))
	})
	return out, nil
}

func readRunsFile(path, connection string) ([]RunRecord, error) {
	src, err := openSource(path, runsPlan.schema)
	if err != nil {
		return nil, err
	}
	defer src.close()
	var out []RunRecord
	for {
		row, err := src.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		str := func(i int) string {
			if row[i].IsNull() {
				return ""
			}
			return string(row[i].ByteArray())
		}
		ts := func(i int) time.Time {
			if row[i].IsNull() {
				return time.Time{}
			}
			return time.UnixMicro(row[i].Int64()).UTC()
		}
		out = append(out, RunRecord{
			RunID: str(0), Connection: connection, Connector: str(1), Mode: str(2), Status: str(3),
			StartedAt: ts(4), FinishedAt: ts(5), Requests: row[6].Int64(), Retries: row[7].Int64(),
			Skipped: row[8].Int64(), Error: str(9),
		})
	}
}
