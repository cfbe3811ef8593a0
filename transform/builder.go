package transform

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/schemas"
)

// DefaultBatchRows is the number of rows after which a TableBuilder reports
// its batch full.
const DefaultBatchRows = 4096

// Nested element types. In every nested struct an empty string is written as
// NULL (sources omit optional fields rather than send empty text).

// Location is the location struct; the column is NULL when every field is empty.
type Location struct {
	City, Country, Raw, State, Street1, Street2, ZipCode string
}

// IsZero reports whether every field is empty.
func (l *Location) IsZero() bool { return *l == Location{} }

// Phone is one phone_numbers entry (Number must not be empty).
type Phone struct{ Number, Type string }

// Email is one email_addresses entry.
type Email struct{ Address, Type string }

// Social is one social_media entry.
type Social struct{ Link, Type, Username string }

// Integration field types.
const (
	FieldDefault = "DEFAULT"
	FieldCustom  = "CUSTOM"
)

// IntegrationField is one integration_fields entry. Value is JSON text (nil is NULL).
type IntegrationField struct {
	ID, Key, Type string
	Value         []byte
	Label         string
}

// Answer is one screening_question_answers entry. Answer is JSON text (nil is NULL).
type Answer struct {
	QuestionID, QuestionRemoteID, QuestionTitle, QuestionType string
	Answer                                                    []byte
}

type colKind uint8

const (
	kString colKind = iota
	kTimestamp
	kFloat
	kInt
	kBool
	kStringList
	kLocation
	kPhones
	kEmails
	kSocial
	kIntegration
	kAnswers
)

var nestedTypes = []struct {
	kind   colKind
	typ    arrow.DataType
	fields []string // our order of the struct's fields
}{
	{kLocation, schemas.Location, []string{"city", "country", "raw", "state", "street_1", "street_2", "zip_code"}},
	{kPhones, schemas.PhoneNumbers, []string{"phone_number", "type"}},
	{kEmails, schemas.EmailAddresses, []string{"email_address", "type"}},
	{kSocial, schemas.SocialMedia, []string{"link", "type", "username"}},
	{kIntegration, schemas.IntegrationFields, []string{"id", "key", "type", "value", "label"}},
	{kAnswers, schemas.ScreeningAnswers, []string{"question_id", "question_remote_id", "question_title", "question_type", "answer"}},
}

type column struct {
	kind   colKind
	name   string
	str    *array.StringBuilder
	ts     *array.TimestampBuilder
	f64    *array.Float64Builder
	i64    *array.Int64Builder
	bln    *array.BooleanBuilder
	list   *array.ListBuilder
	st     *array.StructBuilder   // location, or the list's element struct
	fields []*array.StringBuilder // struct fields in our order
	elems  *array.StringBuilder   // string list elements
}

// TableBuilder builds record batches of one unified table, row by row, with
// exactly the table's Arrow schema. A row starts with Begin (which fills id,
// remote_id, changed_at = 0 as the loader's placeholder, remote_deleted_at
// NULL), continues with at most one setter call per column (columns left
// unset are NULL), and ends with End. Setters take column positions
// (schemas.Table.MustCol) and panic when the column has another type: that
// is a programming error. Not safe for concurrent use.
type TableBuilder struct {
	table    *schemas.Table
	conn     string
	rb       *array.RecordBuilder
	cols     []column
	set      []bool
	maxRows  int
	rows     int
	inRow    bool
	prefix   []byte // connection 0x00 table 0x00
	scratch  []byte
	idBuf    []byte
	dataLens []int
}

// NewTableBuilder returns a builder of table's rows for connection (the
// connection id enters every id). A batch is full at maxRows rows
// (DefaultBatchRows when <= 0). A nil alloc means memory.DefaultAllocator.
func NewTableBuilder(alloc memory.Allocator, connection string, table *schemas.Table, maxRows int) *TableBuilder {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if maxRows <= 0 {
		maxRows = DefaultBatchRows
	}
	rb := array.NewRecordBuilder(alloc, table.Schema())
	b := &TableBuilder{table: table, conn: connection, rb: rb, maxRows: maxRows,
		cols: make([]column, len(table.Columns)), set: make([]bool, len(table.Columns))}
	b.prefix = append(append(append(append(b.prefix, connection...), 0), table.Name...), 0)
	for i, c := range table.Columns {
		col := column{name: c.Name}
		fb := rb.Field(i)
		switch {
		case arrow.TypeEqual(c.Type, schemas.String):
			col.kind, col.str = kString, fb.(*array.StringBuilder)
		case arrow.TypeEqual(c.Type, schemas.Timestamp):
			col.kind, col.ts = kTimestamp, fb.(*array.TimestampBuilder)
		case arrow.TypeEqual(c.Type, schemas.Float64):
			col.kind, col.f64 = kFloat, fb.(*array.Float64Builder)
		case arrow.TypeEqual(c.Type, schemas.Int64):
			col.kind, col.i64 = kInt, fb.(*array.Int64Builder)
		case arrow.TypeEqual(c.Type, schemas.Bool):
			col.kind, col.bln = kBool, fb.(*array.BooleanBuilder)
		case arrow.TypeEqual(c.Type, schemas.StringList):
			col.kind, col.list = kStringList, fb.(*array.ListBuilder)
			col.elems = col.list.ValueBuilder().(*array.StringBuilder)
		default:
			found := false
			for _, nt := range nestedTypes {
				if !arrow.TypeEqual(c.Type, nt.typ, arrow.CheckMetadata()) {
					continue
				}
				found = true
				col.kind = nt.kind
				var st *arrow.StructType
				if nt.kind == kLocation {
					col.st = fb.(*array.StructBuilder)
					st = c.Type.(*arrow.StructType)
				} else {
					col.list = fb.(*array.ListBuilder)
					col.st = col.list.ValueBuilder().(*array.StructBuilder)
					st = c.Type.(*arrow.ListType).Elem().(*arrow.StructType)
				}
				for _, name := range nt.fields {
					j, ok := st.FieldIdx(name)
					if !ok {
						panic(fmt.Sprintf("transform: %s.%s has no field %s", table.Name, c.Name, name))
					}
					col.fields = append(col.fields, col.st.FieldBuilder(j).(*array.StringBuilder))
				}
			}
			if !found {
				panic(fmt.Sprintf("transform: %s.%s: unsupported column type %s", table.Name, c.Name, c.Type))
			}
		}
		b.cols[i] = col
	}
	return b
}

// Table returns the table this builder builds.
func (b *TableBuilder) Table() *schemas.Table { return b.table }

// Len returns the number of complete rows buffered.
func (b *TableBuilder) Len() int { return b.rows }

// Begin starts a row with the given remote_id.
func (b *TableBuilder) Begin(remoteID string) { b.begin(remoteID, nil) }

// BeginBytes starts a row with the given remote_id (copied).
func (b *TableBuilder) BeginBytes(remoteID []byte) { b.begin("", remoteID) }

func (b *TableBuilder) begin(s string, bs []byte) {
	if b.inRow {
		panic("transform: " + b.table.Name + ": Begin inside a row")
	}
	b.inRow = true
	if bs == nil {
		bs = append(b.scratch[:0], s...)
		b.scratch = bs
	}
	h := append(append(b.idBuf[:0], b.prefix...), bs...)
	b.idBuf = h
	sum := sha256.Sum256(h)
	var id [IDLen]byte
	idb := appendBase58ID(id[:0], &sum)
	b.cols[schemas.ColID].str.BinaryBuilder.Append(idb)
	b.cols[schemas.ColRemoteID].str.BinaryBuilder.Append(bs)
	b.cols[schemas.ColChangedAt].ts.Append(0)
	b.cols[schemas.ColRemoteDeletedAt].ts.AppendNull()
	for i := range b.set {
		b.set[i] = i <= schemas.ColRemoteDeletedAt
	}
}

// End finishes the row (unset columns become NULL) and reports whether the
// batch is full (then call Flush or use EndTo).
func (b *TableBuilder) End() (full bool) {
	if !b.inRow {
		panic("transform: " + b.table.Name + ": End outside a row")
	}
	for i, done := range b.set {
		if !done {
			b.appendNull(i)
		}
	}
	b.inRow = false
	b.rows++
	return b.rows >= b.maxRows
}

// EndTo finishes the row and, when the batch is full, emits it to out.
func (b *TableBuilder) EndTo(ctx context.Context, out Emitter) error {
	if b.End() {
		return b.FlushTo(ctx, out)
	}
	return nil
}

// Flush returns the buffered rows as a record batch with exactly the table's
// schema (nil when there are none); the caller releases it.
func (b *TableBuilder) Flush() arrow.RecordBatch {
	if b.inRow {
		panic("transform: " + b.table.Name + ": Flush inside a row")
	}
	if b.rows == 0 {
		return nil
	}
	full := b.rows >= b.maxRows
	b.rows = 0
	if !full {
		return b.rb.NewRecordBatch()
	}
	// A full batch is likely followed by another: size the next one like it,
	// so its buffers do not grow (and copy) from empty again.
	if cap(b.dataLens) < len(b.cols) {
		b.dataLens = make([]int, len(b.cols))
	}
	for i := range b.cols {
		if c := &b.cols[i]; c.kind == kString {
			b.dataLens[i] = c.str.DataLen()
		}
	}
	rec := b.rb.NewRecordBatch()
	b.rb.Reserve(b.maxRows)
	for i := range b.cols {
		if c := &b.cols[i]; c.kind == kString {
			c.str.ReserveData(b.dataLens[i])
		}
	}
	return rec
}

// FlushTo emits the buffered rows (if any) to out and releases them.
func (b *TableBuilder) FlushTo(ctx context.Context, out Emitter) error {
	rec := b.Flush()
	if rec == nil {
		return nil
	}
	defer rec.Release()
	if err := out.Emit(ctx, b.table.Name, rec); err != nil {
		return fmt.Errorf("emit %s: %w", b.table.Name, err)
	}
	return nil
}

// Release frees the builder and any rows not flushed.
func (b *TableBuilder) Release() { b.rb.Release() }

func (b *TableBuilder) appendNull(i int) {
	c := &b.cols[i]
	switch c.kind {
	case kString:
		c.str.AppendNull()
	case kTimestamp:
		c.ts.AppendNull()
	case kFloat:
		c.f64.AppendNull()
	case kInt:
		c.i64.AppendNull()
	case kBool:
		c.bln.AppendNull()
	case kLocation:
		c.st.AppendNull()
	default:
		c.list.AppendNull()
	}
}

func (b *TableBuilder) mark(col int, kind colKind) *column {
	if !b.inRow {
		panic("transform: " + b.table.Name + ": setter outside a row")
	}
	c := &b.cols[col]
	if c.kind != kind {
		panic(fmt.Sprintf("transform: %s.%s: wrong setter for its type", b.table.Name, c.name))
	}
	if b.set[col] {
		panic(fmt.Sprintf("transform: %s.%s set twice in one row", b.table.Name, c.name))
	}
	b.set[col] = true
	return c
}

// Null sets the column to NULL (the same as leaving it unset).
func (b *TableBuilder) Null(col int) {
	if !b.inRow {
		panic("transform: " + b.table.Name + ": setter outside a row")
	}
	if b.set[col] {
		panic(fmt.Sprintf("transform: %s.%s set twice in one row", b.table.Name, b.cols[col].name))
	}
	b.set[col] = true
	b.appendNull(col)
}

// String sets a string column to s (an empty s is the empty string).
func (b *TableBuilder) String(col int, s string) { b.mark(col, kString).str.Append(s) }

// OptString sets a string column to s, or NULL when s is empty.
func (b *TableBuilder) OptString(col int, s string) {
	c := b.mark(col, kString)
	if s == "" {
		c.str.AppendNull()
	} else {
		c.str.Append(s)
	}
}

// Bytes sets a string column to the text bs (copied); nil is NULL.
func (b *TableBuilder) Bytes(col int, bs []byte) {
	c := b.mark(col, kString)
	if bs == nil {
		c.str.AppendNull()
	} else {
		c.str.BinaryBuilder.Append(bs)
	}
}

// JSON sets a JSON column to the JSON text js (copied); nil is NULL.
func (b *TableBuilder) JSON(col int, js []byte) { b.Bytes(col, js) }

// Ref sets a relation column to ID(connection, table, remoteID).
func (b *TableBuilder) Ref(col int, table, remoteID string) {
	b.scratch = append(b.scratch[:0], remoteID...)
	b.RefBytes(col, table, b.scratch)
}

// RefBytes sets a relation column to ID(connection, table, remoteID).
func (b *TableBuilder) RefBytes(col int, table string, remoteID []byte) {
	c := b.mark(col, kString)
	var id [IDLen]byte
	var idb []byte
	idb, b.idBuf = AppendID(id[:0], b.idBuf, b.conn, table, remoteID)
	c.str.BinaryBuilder.Append(idb)
}

// Timestamp sets a timestamp column (UTC microseconds).
func (b *TableBuilder) Timestamp(col int, ts arrow.Timestamp) { b.mark(col, kTimestamp).ts.Append(ts) }

// TimestampText sets a timestamp column from source text (ParseTimestamp); NULL
// when s is empty or not a timestamp.
func (b *TableBuilder) TimestampText(col int, s string) {
	c := b.mark(col, kTimestamp)
	if ts, ok := ParseTimestamp(s); ok {
		c.ts.Append(ts)
	} else {
		c.ts.AppendNull()
	}
}

// Float sets a double column.
func (b *TableBuilder) Float(col int, v float64) { b.mark(col, kFloat).f64.Append(v) }

// Int sets an int64 column.
func (b *TableBuilder) Int(col int, v int64) { b.mark(col, kInt).i64.Append(v) }

// Bool sets a boolean column.
func (b *TableBuilder) Bool(col int, v bool) { b.mark(col, kBool).bln.Append(v) }

// StringList sets a list-of-string column to vs (an empty or nil vs is an
// empty list; use Null for NULL).
func (b *TableBuilder) StringList(col int, vs []string) {
	c := b.mark(col, kStringList)
	c.list.Append(true)
	for _, v := range vs {
		c.elems.Append(v)
	}
}

// Location sets a location column; NULL when every field is empty.
func (b *TableBuilder) Location(col int, l *Location) {
	c := b.mark(col, kLocation)
	if l == nil || l.IsZero() {
		c.st.AppendNull()
		return
	}
	c.st.Append(true)
	f := c.fields
	opt(f[0], l.City)
	opt(f[1], l.Country)
	opt(f[2], l.Raw)
	opt(f[3], l.State)
	opt(f[4], l.Street1)
	opt(f[5], l.Street2)
	opt(f[6], l.ZipCode)
}

// Phones sets a phone_numbers column to the list ps (empty or nil: an empty list).
func (b *TableBuilder) Phones(col int, ps []Phone) {
	c := b.mark(col, kPhones)
	c.list.Append(true)
	for i := range ps {
		c.st.Append(true)
		c.fields[0].Append(ps[i].Number)
		opt(c.fields[1], ps[i].Type)
	}
}

// Emails sets an email_addresses column to the list es (empty or nil: an empty list).
func (b *TableBuilder) Emails(col int, es []Email) {
	c := b.mark(col, kEmails)
	c.list.Append(true)
	for i := range es {
		c.st.Append(true)
		opt(c.fields[0], es[i].Address)
		opt(c.fields[1], es[i].Type)
	}
}

// Socials sets a social_media column to the list ss (empty or nil: an empty list).
func (b *TableBuilder) Socials(col int, ss []Social) {
	c := b.mark(col, kSocial)
	c.list.Append(true)
	for i := range ss {
		c.st.Append(true)
		opt(c.fields[0], ss[i].Link)
		opt(c.fields[1], ss[i].Type)
		opt(c.fields[2], ss[i].Username)
	}
}

// IntegrationFields sets an integration_fields column to the list fs (empty or nil: an empty list).
func (b *TableBuilder) IntegrationFields(col int, fs []IntegrationField) {
	c := b.mark(col, kIntegration)
	c.list.Append(true)
	for i := range fs {
		c.st.Append(true)
		opt(c.fields[0], fs[i].ID)
		opt(c.fields[1], fs[i].Key)
		opt(c.fields[2], fs[i].Type)
		optBytes(c.fields[3], fs[i].Value)
		opt(c.fields[4], fs[i].Label)
	}
}

// Answers sets a screening_question_answers column to the list as (empty or nil: an empty list).
func (b *TableBuilder) Answers(col int, as []Answer) {
	c := b.mark(col, kAnswers)
	c.list.Append(true)
	for i := range as {
		c.st.Append(true)
		opt(c.fields[0], as[i].QuestionID)
		opt(c.fields[1], as[i].QuestionRemoteID)
		opt(c.fields[2], as[i].QuestionTitle)
		opt(c.fields[3], as[i].QuestionType)
		optBytes(c.fields[4], as[i].Answer)
	}
}

func opt(sb *array.StringBuilder, s string) {
	if s == "" {
		sb.AppendNull()
	} else {
		sb.Append(s)
	}
}

func optBytes(sb *array.StringBuilder, bs []byte) {
	if bs == nil {
		sb.AppendNull()
	} else {
		sb.BinaryBuilder.Append(bs)
	}
}
