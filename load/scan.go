package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/parquet-go/parquet-go"

	"github.com/atslake/atslake/schemas"
)

// ScanOptions says what Scan reads.
type ScanOptions struct {
	// Columns are top-level string columns of the table (JSON text columns
	// included), in the order Scan yields their values.
	Columns []string
	// Live skips soft-deleted rows (remote_deleted_at set).
	Live bool
}

// ScanValue is one value read by Scan; Valid is false for NULL.
type ScanValue struct {
	String string
	Valid  bool
}

// scanCheckEvery is how many rows Scan reads between checks of its context.
const scanCheckEvery = 4096

// Scan streams the selected string columns of the current state of table for
// connection (what the last committed run left, soft-deleted rows included
// unless opts.Live), one row at a time in id order. It reads only the
// selected columns (and remote_deleted_at for opts.Live) from the state
// files. The yielded slice is reused: it is valid until the next iteration.
// The sequence ends at the first error. A connection without state yields
// nothing.
//
// For a stable view, scan while holding the connection's Run (between Begin
// and Commit or Abort): a commit of another process may otherwise replace
// the files during the scan.
func (l *Lake) Scan(ctx context.Context, connection, table string, opts ScanOptions) iter.Seq2[[]ScanValue, error] {
	return func(yield func([]ScanValue, error) bool) {
		fail := func(err error) { yield(nil, fmt.Errorf("scan %s of %s: %w", table, connection, err)) }
		if !ValidConnection(connection) {
			yield(nil, fmt.Errorf("scan %s: invalid connection id %q", table, connection))
			return
		}
		if err := plans(); err != nil {
			fail(err)
			return
		}
		t, ok := schemas.Lookup(table)
		if !ok {
			fail(errors.New("unknown table"))
			return
		}
		p := tablePlans[table]
		for _, c := range opts.Columns {
			i := t.Col(c)
			if i < 0 {
				fail(fmt.Errorf("unknown column %q", c))
				return
			}
			if p.top[i].kind != kString {
				fail(fmt.Errorf("column %q is not a string column", c))
				return
			}
		}
		if err := ctx.Err(); err != nil {
			fail(err)
			return
		}
		parts, err := listParts(l.tableDir(table, connection))
		if err != nil {
			fail(err)
			return
		}
		s := &scanner{ctx: ctx, opts: opts, vals: make([]ScanValue, len(opts.Columns)), yield: yield}
		switch len(parts) {
		case 0:
			return
		case 1:
			err = s.file(parts[0])
		default:
			err = s.merged(parts, p, t)
		}
		if err != nil && !errors.Is(err, errStopScan) {
			fail(err)
		}
	}
}

// errStopScan ends a scan whose consumer stopped.
var errStopScan = errors.New("scan stopped")

type scanner struct {
	ctx   context.Context
	opts  ScanOptions
	vals  []ScanValue
	yield func([]ScanValue, error) bool
	rows  int
}

// emit hands the current row to the consumer.
func (s *scanner) emit() error {
	s.rows++
	if s.rows%scanCheckEvery == 0 {
		if err := s.ctx.Err(); err != nil {
			return err
		}
	}
	if !s.yield(s.vals, nil) {
		return errStopScan
	}
	return nil
}

// merged reads several state files (an older layout) through the merge of
// whole rows, where a later file wins for an id.
func (s *scanner) merged(parts []string, p *plan, t *schemas.Table) error {
	src, err := openSources(parts, p.schema)
	if err != nil {
		return err
	}
	defer src.close()
	for {
		row, err := src.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if s.opts.Live && !row[schemas.ColRemoteDeletedAt].IsNull() {
			continue
		}
		pr := prevRow{p: p, t: t, row: row}
		for i, c := range s.opts.Columns {
			v, ok := pr.String(c)
			s.vals[i] = ScanValue{String: v, Valid: ok}
		}
		if err := s.emit(); err != nil {
			return err
		}
	}
}

// file reads one state file column by column: only the selected column
// chunks are decoded. A column the file does not have (written before the
// column was added) reads as NULL.
func (s *scanner) file(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	// leaf returns the column index of a top-level value column of the
	// file, -1 when the file does not have it.
	leaf := func(name string, kind parquet.Kind) (int, error) {
		lc, ok := pf.Schema().Lookup(name)
		if !ok {
			return -1, nil
		}
		if lc.MaxRepetitionLevel != 0 || !lc.Node.Leaf() || lc.Node.Type().Kind() != kind {
			return -1, fmt.Errorf("%s: column %q is not a top-level %v column", path, name, kind)
		}
		return lc.ColumnIndex, nil
	}
	cols := make([]int, len(s.opts.Columns))
	for i, c := range s.opts.Columns {
		if cols[i], err = leaf(c, parquet.ByteArray); err != nil {
			return err
		}
	}
	deleted := -1
	if s.opts.Live {
		if deleted, err = leaf(remoteDeletedAtName, parquet.Int64); err != nil {
			return err
		}
	}
	for _, rg := range pf.RowGroups() {
		if err := s.rowGroup(path, rg, cols, deleted); err != nil {
			return err
		}
	}
	return nil
}

// remoteDeletedAtName is the column Live filters on.
const remoteDeletedAtName = "remote_deleted_at"

func (s *scanner) rowGroup(path string, rg parquet.RowGroup, cols []int, deleted int) (err error) {
	chunks := rg.ColumnChunks()
	readers := make([]*columnReader, len(cols))
	var del *columnReader
	defer func() {
		for _, r := range readers {
			if r != nil {
				r.close()
			}
		}
		if del != nil {
			del.close()
		}
	}()
	for i, c := range cols {
		if c >= 0 {
			readers[i] = newColumnReader(chunks[c])
		}
	}
	if deleted >= 0 {
		del = newColumnReader(chunks[deleted])
	}
	for n := rg.NumRows(); n > 0; n-- {
		if del != nil {
			v, err := del.next()
			if err != nil {
				return fmt.Errorf("read %s: %w", path, err)
			}
			if !v.IsNull() {
				for _, r := range readers {
					if r != nil {
						if _, err := r.next(); err != nil {
							return fmt.Errorf("read %s: %w", path, err)
						}
					}
				}
				continue
			}
		}
		for i, r := range readers {
			if r == nil {
				s.vals[i] = ScanValue{}
				continue
			}
			v, err := r.next()
			if err != nil {
				return fmt.Errorf("read %s: %w", path, err)
			}
			if v.IsNull() {
				s.vals[i] = ScanValue{}
			} else {
				s.vals[i] = ScanValue{String: string(v.ByteArray()), Valid: true}
			}
		}
		if err := s.emit(); err != nil {
			return err
		}
	}
	return nil
}

// columnReader reads the values of one column chunk of a non-repeated
// column, one per row. A value stays valid until the reader moves to the
// next page, which happens only in a later call of next.
type columnReader struct {
	pages parquet.Pages
	page  parquet.Page
	vals  parquet.ValueReader
	buf   []parquet.Value
	n, i  int
	eof   bool // the current page has no more values
}

func newColumnReader(c parquet.ColumnChunk) *columnReader {
	return &columnReader{pages: c.Pages(), buf: make([]parquet.Value, 256)}
}

func (r *columnReader) next() (parquet.Value, error) {
	for r.i >= r.n {
		if r.vals == nil || r.eof {
			if r.page != nil {
				parquet.Release(r.page)
				r.page, r.vals = nil, nil
			}
			page, err := r.pages.ReadPage()
			if err == io.EOF {
				return parquet.Value{}, errors.New("column chunk ended before its row group")
			}
			if err != nil {
				return parquet.Value{}, err
			}
			r.page, r.vals, r.eof = page, page.Values(), false
		}
		n, err := r.vals.ReadValues(r.buf)
		r.n, r.i = n, 0
		if err == io.EOF {
			r.eof = true
		} else if err != nil {
			return parquet.Value{}, err
		}
		if n == 0 && !r.eof {
			return parquet.Value{}, errors.New("page reader made no progress")
		}
	}
	r.i++
	return r.buf[r.i-1], nil
}

func (r *columnReader) close() {
	if r.page != nil {
		parquet.Release(r.page)
		r.page = nil
	}
	r.pages.Close()
}
