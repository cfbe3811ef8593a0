package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/atslake/atslake/schemas"
)

// tableResult is what committing one table produced.
type tableResult struct {
	stats   TableStats
	data    []rename // new state file
	hist    []rename // history file
	removes []string // old state files beyond part-0
}

// emptySource yields nothing.
type emptySource struct{}

func (emptySource) next() (parquet.Row, error) { return nil, io.EOF }
func (emptySource) close() error               { return nil }

// listParts returns the state files of a table partition (part-<n>.parquet),
// ordered by n.
func listParts(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	type part struct {
		n    int
		name string
	}
	var parts []part
	for _, e := range entries {
		name := e.Name()
		num, ok := strings.CutPrefix(name, "part-")
		if !ok {
			continue
		}
		num, ok = strings.CutSuffix(num, ".parquet")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 0 {
			continue
		}
		parts = append(parts, part{n, name})
	}
	slices.SortFunc(parts, func(a, b part) int { return a.n - b.n })
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = filepath.Join(dir, p.name)
	}
	return out, nil
}

// prevRow exposes the string columns of a previous row to a Scope.
type prevRow struct {
	p   *plan
	t   *schemas.Table
	row parquet.Row
}

func (pr prevRow) String(column string) (string, bool) {
	c := pr.t.Col(column)
	if c < 0 {
		return "", false
	}
	n := pr.p.top[c]
	if n.kind != kString {
		return "", false
	}
	// Values are ordered by leaf column; a top-level leaf has exactly one.
	for _, v := range pr.row[min(n.leaf, len(pr.row)-1):] {
		if v.Column() == n.leaf {
			if v.IsNull() {
				return "", false
			}
			return string(v.ByteArray()), true
		}
	}
	return "", false
}

// commitTable merges the rows the run wrote to table t with the table's
// previous state, streaming: the new state goes to a temporary part-0 file
// and the changed versions to a temporary history file. When nothing
// changed both are dropped.
func (r *Run) commitTable(ctx context.Context, t *schemas.Table, scope Scope) (res tableResult, err error) {
	res.stats.Table = t.Name
	dir := r.l.tableDir(t.Name, r.conn)
	prevParts, err := listParts(dir)
	if err != nil {
		return res, err
	}
	tb := r.bufs[t.Name]
	if tb != nil {
		defer func() {
			tb.release()
			for _, s := range tb.spills {
				os.Remove(s)
			}
			tb.spills = nil
		}()
	}
	if (tb == nil || (len(tb.ents) == 0 && len(tb.spills) == 0)) && len(prevParts) == 0 {
		return res, nil
	}
	p, hp := tablePlans[t.Name], histPlans[t.Name]

	var newSrc, prevSrc rowSource = emptySource{}, emptySource{}
	if tb != nil {
		if newSrc, err = tb.newRows(r.tmp); err != nil {
			return res, err
		}
	}
	defer func() {
		if cerr := newSrc.close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	switch len(prevParts) {
	case 0:
	case 1:
		prevSrc, err = openSource(prevParts[0], p.schema)
	default:
		prevSrc, err = openSources(prevParts, p.schema)
	}
	if err != nil {
		return res, fmt.Errorf("read previous state: %w", err)
	}
	defer prevSrc.close()

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	final := filepath.Join(dir, "part-0.parquet")
	tmp := tempName(final, r.runID)
	r.addTemp(tmp)
	out, err := createFile(tmp, p.schema, lakeFile, r.tmp)
	if err != nil {
		return res, err
	}
	var hist *fileWriter
	var histFinal string
	ok := false
	defer func() {
		if !ok {
			out.discard()
			if hist != nil {
				hist.discard()
			}
		}
	}()
	started := r.started.UnixMicro()
	changedAt := parquet.Int64Value(started).Level(0, 0, schemas.ColChangedAt)
	deletedNow := parquet.Int64Value(started).Level(0, 1, schemas.ColRemoteDeletedAt)
	live := parquet.Value{}.Level(0, 0, schemas.ColRemoteDeletedAt)
	validFrom := parquet.Int64Value(started).Level(0, 0, p.leaves)
	var histRow parquet.Row

	// version writes a changed row to the state and the history.
	version := func(row parquet.Row) error {
		if err := out.write(row); err != nil {
			return err
		}
		if hist == nil {
			hdir := r.l.historyDir(t.Name, r.conn)
			if err := os.MkdirAll(hdir, 0o755); err != nil {
				return err
			}
			histFinal = filepath.Join(hdir, r.runID+".parquet")
			htmp := tempName(histFinal, r.runID)
			r.addTemp(htmp)
			var err error
			if hist, err = createFile(htmp, hp.schema, lakeFile, r.tmp); err != nil {
				return err
			}
		}
		histRow = append(append(histRow[:0], row...), validFrom)
		return hist.write(histRow)
	}

	nrow, err := next(newSrc)
	if err != nil {
		return res, err
	}
	prow, err := next(prevSrc)
	if err != nil {
		return res, fmt.Errorf("read previous state: %w", err)
	}
	for n := 0; nrow != nil || prow != nil; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		c := -1
		switch {
		case nrow == nil:
			c = 1
		case prow != nil:
			c = compareIDs(rowID(nrow), rowID(prow))
		}
		switch {
		case c < 0: // new id
			res.stats.RowsSeen++
			res.stats.Inserted++
			nrow[schemas.ColChangedAt], nrow[schemas.ColRemoteDeletedAt] = changedAt, live
			err = version(nrow)
		case c == 0:
			res.stats.RowsSeen++
			switch {
			case !prow[schemas.ColRemoteDeletedAt].IsNull(): // revived
				res.stats.Inserted++
				nrow[schemas.ColChangedAt], nrow[schemas.ColRemoteDeletedAt] = changedAt, live
				err = version(nrow)
			case sameData(nrow, prow):
				err = out.write(prow)
			default:
				res.stats.Updated++
				nrow[schemas.ColChangedAt], nrow[schemas.ColRemoteDeletedAt] = changedAt, live
				err = version(nrow)
			}
		default: // previous row the run did not write
			if prow[schemas.ColRemoteDeletedAt].IsNull() && scope != nil && scope.Covers(t.Name, prevRow{p: p, t: t, row: prow}) {
				res.stats.Deleted++
				prow[schemas.ColRemoteDeletedAt] = deletedNow
				err = version(prow)
			} else {
				err = out.write(prow)
			}
		}
		if err != nil {
			return res, err
		}
		if c <= 0 {
			if nrow, err = next(newSrc); err != nil {
				return res, err
			}
		}
		if c >= 0 {
			if prow, err = next(prevSrc); err != nil {
				return res, fmt.Errorf("read previous state: %w", err)
			}
		}
	}
	if !res.stats.changed() {
		return res, nil // out is discarded
	}
	if err := out.close(); err != nil {
		return res, err
	}
	if err := hist.close(); err != nil {
		return res, err
	}
	ok = true
	res.data = []rename{{From: r.rel(tmp), To: r.rel(final)}}
	res.hist = []rename{{From: r.rel(hist.path), To: r.rel(histFinal)}}
	for _, old := range prevParts {
		if old != final {
			res.removes = append(res.removes, r.rel(old))
		}
	}
	return res, nil
}

// next reads the next row of src, nil at the end.
func next(src rowSource) (parquet.Row, error) {
	row, err := src.next()
	if err == io.EOF {
		return nil, nil
	}
	return row, err
}
