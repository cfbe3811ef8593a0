package load

import (
	"bytes"
	"fmt"
	"math"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
)

// view is one node's Arrow array in a batch, with its typed form.
type view struct {
	arr  arrow.Array
	str  *array.String
	i64  *array.Int64
	ts   *array.Timestamp
	f64  *array.Float64
	bl   *array.Boolean
	list *array.List
	st   *array.Struct
}

// batch is a record batch prepared for shredding into Parquet rows: every
// plan node mapped to its Arrow array, so no lookup happens per row.
type batch struct {
	p     *plan
	rec   arrow.RecordBatch
	views []view
	ids   *array.String
	err   error // first shredding error (a NULL in a non-nullable nested field)
}

// newBatch maps rec onto plan p. rec must have p's schema (names and types).
func newBatch(p *plan, rec arrow.RecordBatch) (*batch, error) {
	if int(rec.NumCols()) != len(p.top) {
		return nil, fmt.Errorf("record has %d columns, table %d", rec.NumCols(), len(p.top))
	}
	b := &batch{p: p, rec: rec, views: make([]view, len(p.nodes))}
	for i, n := range p.top {
		f := rec.Schema().Field(i)
		if f.Name != n.name || !arrow.TypeEqual(f.Type, n.typ) {
			return nil, fmt.Errorf("column %d is %s %s, want %s %s", i, f.Name, f.Type, n.name, n.typ)
		}
		if !n.optional && rec.Column(i).NullN() > 0 {
			return nil, fmt.Errorf("column %s: %d NULLs in a non-nullable column", n.name, rec.Column(i).NullN())
		}
		b.bind(n, rec.Column(i))
	}
	b.ids = b.views[0].str
	return b, nil
}

func (b *batch) bind(n *pnode, arr arrow.Array) {
	v := &b.views[n.idx]
	v.arr = arr
	switch n.kind {
	case kString:
		v.str = arr.(*array.String)
	case kInt64:
		v.i64 = arr.(*array.Int64)
	case kTimestamp:
		v.ts = arr.(*array.Timestamp)
	case kDouble:
		v.f64 = arr.(*array.Float64)
	case kBool:
		v.bl = arr.(*array.Boolean)
	case kStruct:
		v.st = arr.(*array.Struct)
		for k, c := range n.children {
			b.bind(c, v.st.Field(k))
		}
	case kList:
		v.list = arr.(*array.List)
		b.bind(n.children[0], v.list.ListValues())
	}
}

// len is the number of rows of the batch.
func (b *batch) len() int { return int(b.rec.NumRows()) }

// id returns the id of row i without copying.
func (b *batch) id(i int) string { return b.ids.Value(i) }

// appendRow appends the Parquet values of row i to row, column by column.
// Byte array values point into the Arrow buffers (no copy).
func (b *batch) appendRow(row parquet.Row, i int) parquet.Row {
	for leaf, path := range b.p.paths {
		row = b.emit(row, path, leaf, 0, i, 0, 0)
	}
	return row
}

// emit appends the values of one leaf column below path[d] for element i of
// path[d]'s array, at repetition level rep and parent definition level def.
func (b *batch) emit(row parquet.Row, path []*pnode, leaf, d, i, rep, def int) parquet.Row {
	n := path[d]
	v := &b.views[n.idx]
	if v.arr.IsNull(i) {
		if !n.optional && b.err == nil {
			b.err = fmt.Errorf("row %q: NULL in non-nullable field %s", b.id(i), n.name)
		}
		return append(row, parquet.Value{}.Level(rep, def, leaf))
	}
	switch n.kind {
	case kString:
		s := v.str.Value(i)
		return append(row, parquet.ByteArrayValue(unsafe.Slice(unsafe.StringData(s), len(s))).Level(rep, n.maxDef, leaf))
	case kInt64:
		return append(row, parquet.Int64Value(v.i64.Value(i)).Level(rep, n.maxDef, leaf))
	case kTimestamp:
		return append(row, parquet.Int64Value(int64(v.ts.Value(i))).Level(rep, n.maxDef, leaf))
	case kDouble:
		return append(row, parquet.DoubleValue(v.f64.Value(i)).Level(rep, n.maxDef, leaf))
	case kBool:
		return append(row, parquet.BooleanValue(v.bl.Value(i)).Level(rep, n.maxDef, leaf))
	case kStruct:
		return b.emit(row, path, leaf, d+1, i, rep, n.maxDef)
	default: // kList
		start, end := v.list.ValueOffsets(i)
		if start == end {
			return append(row, parquet.Value{}.Level(rep, n.maxDef, leaf))
		}
		for j := start; j < end; j++ {
			r := rep
			if j > start {
				r = n.repLevel
			}
			row = b.emit(row, path, leaf, d+1, int(j), r, n.maxDef+1)
		}
		return row
	}
}

// rowID returns the id (column 0) of a Parquet row.
func rowID(row parquet.Row) []byte { return row[0].ByteArray() }

// compareIDs orders ids the way the files are sorted (bytewise).
func compareIDs(a, b []byte) int { return bytes.Compare(a, b) }

// sameData reports whether two rows of the same schema hold the same data in
// every column except id, changed_at and remote_deleted_at (columns 0, 2, 3,
// which are single top-level values at row positions 0, 2, 3). Levels are
// compared too, so NULL differs from an empty list; doubles compare by bits.
func sameData(a, b parquet.Row) bool {
	if len(a) != len(b) {
		return false
	}
	if !sameValue(a[1], b[1]) {
		return false
	}
	for i := 4; i < len(a); i++ {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameValue(x, y parquet.Value) bool {
	if x.Column() != y.Column() || x.RepetitionLevel() != y.RepetitionLevel() || x.DefinitionLevel() != y.DefinitionLevel() {
		return false
	}
	if x.Kind() == parquet.Double && !x.IsNull() && !y.IsNull() && y.Kind() == parquet.Double {
		return math.Float64bits(x.Double()) == math.Float64bits(y.Double())
	}
	return parquet.Equal(x, y)
}

// rowSize estimates the uncompressed (plain-encoded) size of a row's values.
func rowSize(row parquet.Row) int64 {
	var n int64
	for _, v := range row {
		if v.IsNull() {
			continue
		}
		switch v.Kind() {
		case parquet.ByteArray:
			n += 4 + int64(len(v.ByteArray()))
		case parquet.Boolean:
			n++
		default:
			n += 8
		}
	}
	return n
}

// recordBytes is the memory held by a record's buffers (their capacity, and
// whole buffers, so slices of a larger record count what they keep alive).
func recordBytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Cap())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	return n
}
