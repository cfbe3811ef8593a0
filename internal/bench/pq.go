package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/atslake/atslake/load"
	"github.com/atslake/atslake/schemas"
)

// writeLoader writes captured batches with our loader (Write, then Commit)
// into a fresh lake, every connector concurrently, and returns the bytes of
// the table files the run wrote (state and history files, not the run
// records or schema files).
func writeLoader(ctx context.Context, b batches, lakeDir string) (int64, error) {
	lake, err := load.Open(lakeDir)
	if err != nil {
		return 0, err
	}
	connectors := make([]string, 0, len(b))
	for c := range b {
		connectors = append(connectors, c)
	}
	err = eachConnector(connectors, func(c string) error {
		r, err := beginRun(ctx, lake, c)
		if err != nil {
			return err
		}
		for _, t := range schemas.All() {
			for _, rec := range b[c][t.Name] {
				if err := r.run.Write(ctx, t.Name, rec); err != nil {
					_ = r.run.Abort()
					return fmt.Errorf("loader %s %s: %w", c, t.Name, err)
				}
			}
		}
		if _, err := r.commit(ctx, c); err != nil {
			return fmt.Errorf("loader %s: %w", c, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return lakeTableBytes(lakeDir)
}

// lakeTableBytes sums the state and history files of the benchmark's connections.
func lakeTableBytes(lakeDir string) (int64, error) {
	var n int64
	for _, t := range schemas.All() {
		for _, pattern := range []string{
			filepath.Join(lakeDir, t.Name, "connection=bench-*", "*.parquet"),
			filepath.Join(lakeDir, "_history", t.Name, "connection=bench-*", "*.parquet"),
		} {
			files, err := filepath.Glob(pattern)
			if err != nil {
				return 0, err
			}
			for _, f := range files {
				fi, err := os.Stat(f)
				if err != nil {
					return 0, err
				}
				n += fi.Size()
			}
		}
	}
	return n, nil
}

// pqarrowRowGroupRows matches the lake's row group limit (product.md).
const pqarrowRowGroupRows = 1_000_000

// writePqarrow writes the same batches with arrow-go's pqarrow writer, zstd
// like the lake: for every table and connector the same two files the
// loader writes, the state file (the batches) and the history file (the
// batches plus _valid_from), each synced like the loader syncs its files.
// It returns the bytes written.
func writePqarrow(ctx context.Context, b batches, dir string) (int64, error) {
	validFrom := time.Now().UTC().UnixMicro()
	var mu sync.Mutex
	var total int64
	connectors := make([]string, 0, len(b))
	for c := range b {
		connectors = append(connectors, c)
	}
	err := eachConnector(connectors, func(c string) error {
		cdir := filepath.Join(dir, c)
		if err := os.MkdirAll(cdir, 0o755); err != nil {
			return err
		}
		for _, t := range schemas.All() {
			recs := b[c][t.Name]
			if len(recs) == 0 {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			n1, err := pqarrowFile(filepath.Join(cdir, t.Name+".parquet"), t.Schema(), recs, nil)
			if err != nil {
				return fmt.Errorf("pqarrow %s %s: %w", c, t.Name, err)
			}
			n2, err := pqarrowFile(filepath.Join(cdir, t.Name+".history.parquet"), historySchema(t), recs, &validFrom)
			if err != nil {
				return fmt.Errorf("pqarrow %s %s history: %w", c, t.Name, err)
			}
			mu.Lock()
			total += n1 + n2
			mu.Unlock()
		}
		return nil
	})
	return total, err
}

// historySchema is a table's schema plus _valid_from, as the lake's history files have it.
func historySchema(t *schemas.Table) *arrow.Schema {
	return arrow.NewSchema(append(append([]arrow.Field(nil), t.Schema().Fields()...),
		arrow.Field{Name: "_valid_from", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}}), nil)
}

// pqarrowFile writes recs to path; with validFrom it appends that constant column.
func pqarrowFile(path string, schema *arrow.Schema, recs []arrow.RecordBatch, validFrom *int64) (n int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithMaxRowGroupLength(pqarrowRowGroupRows),
		parquet.WithStats(true),
		parquet.WithCreatedBy("atslake bench (pqarrow)"),
	)
	// pqarrow closes a writer that is an io.Closer; the file is synced and closed here.
	w, err := pqarrow.NewFileWriter(schema, struct{ io.Writer }{f}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return 0, err
	}
	for _, rec := range recs {
		if validFrom != nil {
			rec = withValidFrom(schema, rec, *validFrom)
			err = w.WriteBuffered(rec)
			rec.Release()
		} else {
			err = w.WriteBuffered(rec)
		}
		if err != nil {
			w.Close()
			return 0, err
		}
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// withValidFrom returns rec with a constant _valid_from column appended.
func withValidFrom(schema *arrow.Schema, rec arrow.RecordBatch, v int64) arrow.RecordBatch {
	tb := array.NewTimestampBuilder(memory.DefaultAllocator, schema.Field(schema.NumFields()-1).Type.(*arrow.TimestampType))
	defer tb.Release()
	n := int(rec.NumRows())
	tb.Reserve(n)
	for range n {
		tb.UnsafeAppend(arrow.Timestamp(v))
	}
	col := tb.NewArray()
	defer col.Release()
	cols := append(append([]arrow.Array(nil), rec.Columns()...), col)
	return array.NewRecordBatch(schema, cols, int64(n))
}

// isBenchConn reports whether a partition folder name is one of the benchmark's connections.
func isBenchConn(name string) bool { return strings.HasPrefix(name, "connection=bench-") }

// sortBatches returns, per connector and table, one record with the rows of
// b in id order, the last row written per id: the rows of the loader's state
// file, so pqarrow can write them in the order the lake requires.
func sortBatches(ctx context.Context, b batches) (batches, error) {
	out := batches{}
	for c, tables := range b {
		out[c] = map[string][]arrow.RecordBatch{}
		for table, recs := range tables {
			rec, err := sortedRecord(ctx, recs)
			if err != nil {
				out.release()
				return nil, fmt.Errorf("sort %s %s: %w", c, table, err)
			}
			out[c][table] = []arrow.RecordBatch{rec}
		}
	}
	return out, nil
}

func sortedRecord(ctx context.Context, recs []arrow.RecordBatch) (arrow.RecordBatch, error) {
	schema := recs[0].Schema()
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		parts := make([]arrow.Array, len(recs))
		for k, r := range recs {
			parts[k] = r.Column(i)
		}
		var err error
		if cols[i], err = array.Concatenate(parts, memory.DefaultAllocator); err != nil {
			return nil, err
		}
	}
	ids := cols[0].(*array.String)
	order := make([]int, ids.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(ids.Value(a), ids.Value(b)) })
	ib := array.NewInt64Builder(memory.DefaultAllocator)
	defer ib.Release()
	for k, i := range order {
		if k+1 < len(order) && ids.Value(order[k+1]) == ids.Value(i) {
			continue // a later row of the same id wins
		}
		ib.Append(int64(i))
	}
	idx := ib.NewArray()
	defer idx.Release()
	sorted := make([]arrow.Array, len(cols))
	for i, c := range cols {
		var err error
		if sorted[i], err = compute.TakeArray(ctx, c, idx); err != nil {
			for _, s := range sorted[:i] {
				s.Release()
			}
			return nil, err
		}
	}
	rec := array.NewRecordBatch(schema, sorted, int64(idx.Len()))
	for _, s := range sorted {
		s.Release()
	}
	return rec, nil
}
