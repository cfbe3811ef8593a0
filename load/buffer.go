package load

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
)

// entry locates one written row: its id (pointing into the Arrow buffer),
// its batch and its row in the batch. Entries are appended in write order.
type entry struct {
	id  string
	b   int32
	row int32
}

const entryBytes = 24 // size of an entry, counted against the memory budget

// tableBuf holds what a run wrote to one table: retained record batches in
// memory plus the sorted runs already spilled to temporary files.
type tableBuf struct {
	table   string
	p       *plan
	batches []*batch
	ents    []entry
	bytes   int64    // memory held (record buffers and entries)
	spills  []string // spilled sorted runs, oldest first
}

// add retains rec and indexes its rows.
func (tb *tableBuf) add(rec arrow.RecordBatch) error {
	b, err := newBatch(tb.p, rec)
	if err != nil {
		return err
	}
	if len(tb.batches) >= 1<<31-1 {
		return fmt.Errorf("too many batches")
	}
	rec.Retain()
	bi := int32(len(tb.batches))
	tb.batches = append(tb.batches, b)
	n := b.len()
	tb.ents = slices.Grow(tb.ents, n)
	for i := range n {
		tb.ents = append(tb.ents, entry{id: b.id(i), b: bi, row: int32(i)})
	}
	tb.bytes += recordBytes(rec) + int64(n)*entryBytes
	return nil
}

// sortDedupe sorts the entries by id and keeps, for each id, the row written last.
func (tb *tableBuf) sortDedupe() {
	slices.SortStableFunc(tb.ents, func(a, b entry) int { return cmp.Compare(a.id, b.id) })
	out := tb.ents[:0]
	for i, e := range tb.ents {
		if i+1 < len(tb.ents) && tb.ents[i+1].id == e.id {
			continue
		}
		out = append(out, e)
	}
	clear(tb.ents[len(out):])
	tb.ents = out
}

// release drops the in-memory rows.
func (tb *tableBuf) release() {
	for _, b := range tb.batches {
		b.rec.Release()
	}
	tb.batches, tb.ents, tb.bytes = nil, nil, 0
}

// spill writes the in-memory rows, sorted by id, to a temporary file in dir
// and releases them.
func (tb *tableBuf) spill(dir string) error {
	if len(tb.ents) == 0 {
		return nil
	}
	path := filepath.Join(dir, fmt.Sprintf("spill-%s-%d%s", tb.table, len(tb.spills), tmpSuffix))
	src := tb.memSource()
	if err := writeSource(path, tb.p.schema, src); err != nil {
		return fmt.Errorf("spill %s: %w", tb.table, err)
	}
	tb.spills = append(tb.spills, path)
	tb.release()
	return nil
}

// writeSource copies every row of src to a new spill file at path.
func writeSource(path string, schema *parquet.Schema, src rowSource) error {
	fw, err := createFile(path, schema, spillFile, "")
	if err != nil {
		return err
	}
	for {
		row, err := src.next()
		if err == io.EOF {
			break
		}
		if err == nil {
			err = fw.write(row)
		}
		if err != nil {
			fw.discard()
			return err
		}
	}
	if err := fw.close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// memSource yields the in-memory rows in id order (sorting them first).
func (tb *tableBuf) memSource() *memSource {
	tb.sortDedupe()
	return &memSource{tb: tb}
}

type memSource struct {
	tb  *tableBuf
	i   int
	row parquet.Row
}

func (m *memSource) next() (parquet.Row, error) {
	if m.i >= len(m.tb.ents) {
		return nil, io.EOF
	}
	e := m.tb.ents[m.i]
	m.i++
	b := m.tb.batches[e.b]
	m.row = b.appendRow(m.row[:0], int(e.row))
	if b.err != nil {
		return nil, fmt.Errorf("table %s: %w", m.tb.table, b.err)
	}
	return m.row, nil
}

func (m *memSource) close() error { return nil }

// mergeSource merges sources sorted by id into one; for an id present in
// several sources the row of the last source wins.
type mergeSource struct {
	srcs    []rowSource
	cur     []parquet.Row
	started bool
	advance []int
}

func newMergeSource(srcs []rowSource) *mergeSource {
	return &mergeSource{srcs: srcs, cur: make([]parquet.Row, len(srcs))}
}

func (m *mergeSource) pull(k int) error {
	row, err := m.srcs[k].next()
	if err == io.EOF {
		m.cur[k] = nil
		return nil
	}
	if err != nil {
		return err
	}
	m.cur[k] = row
	return nil
}

func (m *mergeSource) next() (parquet.Row, error) {
	if !m.started {
		m.started = true
		for k := range m.srcs {
			if err := m.pull(k); err != nil {
				return nil, err
			}
		}
	}
	for _, k := range m.advance {
		if err := m.pull(k); err != nil {
			return nil, err
		}
	}
	m.advance = m.advance[:0]
	win := -1
	var winID []byte
	for k, row := range m.cur {
		if row == nil {
			continue
		}
		id := rowID(row)
		c := 1
		if win >= 0 {
			c = compareIDs(winID, id)
		}
		switch {
		case c > 0: // a smaller id
			win, winID = k, id
			m.advance = append(m.advance[:0], k)
		case c == 0: // the same id in a later source wins
			win = k
			m.advance = append(m.advance, k)
		}
	}
	if win < 0 {
		return nil, io.EOF
	}
	return m.cur[win], nil
}

func (m *mergeSource) close() error {
	var first error
	for _, s := range m.srcs {
		if err := s.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// maxFanIn bounds the files read at once by a merge (memory stays flat:
// each open file holds one page per column).
const maxFanIn = 8

// compactSpills merges groups of spilled runs until at most maxFanIn remain.
func (tb *tableBuf) compactSpills(dir string) error {
	for round := 0; len(tb.spills) > maxFanIn; round++ {
		var next []string
		for start := 0; start < len(tb.spills); start += maxFanIn {
			group := tb.spills[start:min(start+maxFanIn, len(tb.spills))]
			if len(group) == 1 {
				next = append(next, group[0])
				continue
			}
			path := filepath.Join(dir, fmt.Sprintf("spill-%s-r%d-%d%s", tb.table, round, start, tmpSuffix))
			src, err := openSources(group, tb.p.schema)
			if err != nil {
				return err
			}
			err = writeSource(path, tb.p.schema, src)
			src.close()
			if err != nil {
				return fmt.Errorf("merge spills of %s: %w", tb.table, err)
			}
			for _, g := range group {
				os.Remove(g)
			}
			next = append(next, path)
		}
		tb.spills = next
	}
	return nil
}

// openSources opens files as one merged source (later files win).
func openSources(paths []string, schema *parquet.Schema) (*mergeSource, error) {
	srcs := make([]rowSource, 0, len(paths))
	for _, p := range paths {
		s, err := openSource(p, schema)
		if err != nil {
			for _, o := range srcs {
				o.close()
			}
			return nil, err
		}
		srcs = append(srcs, s)
	}
	return newMergeSource(srcs), nil
}

// newRows returns every row the run wrote to the table, sorted by id, each
// id once (the last written wins).
func (tb *tableBuf) newRows(dir string) (rowSource, error) {
	if err := tb.compactSpills(dir); err != nil {
		return nil, err
	}
	if len(tb.spills) == 0 {
		return tb.memSource(), nil
	}
	m, err := openSources(tb.spills, tb.p.schema)
	if err != nil {
		return nil, err
	}
	if len(tb.ents) > 0 {
		m.srcs = append(m.srcs, tb.memSource())
		m.cur = append(m.cur, nil)
	}
	return m, nil
}
