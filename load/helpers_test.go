package load

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/atslake/atslake/schemas"
)

// row is a test row: column name -> Go value (nil, string, int64, float64,
// bool, time.Time, []any, map[string]any). Missing columns are NULL (and
// changed_at the placeholder 0).
type row map[string]any

// appendGo appends a Go value to an Arrow builder of the matching type.
func appendGo(t testing.TB, b array.Builder, f arrow.Field, v any) {
	t.Helper()
	if v == nil {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.Int64Builder:
		b.Append(v.(int64))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
	case *array.ListBuilder:
		b.Append(true)
		ef := f.Type.(*arrow.ListType).ElemField()
		switch l := v.(type) {
		case []string:
			for _, e := range l {
				appendGo(t, b.ValueBuilder(), ef, e)
			}
		case []any:
			for _, e := range l {
				appendGo(t, b.ValueBuilder(), ef, e)
			}
		default:
			t.Fatalf("list value %T", v)
		}
	case *array.StructBuilder:
		m := v.(map[string]any)
		b.Append(true)
		st := f.Type.(*arrow.StructType)
		for i, cf := range st.Fields() {
			appendGo(t, b.FieldBuilder(i), cf, m[cf.Name])
		}
	default:
		t.Fatalf("builder %T", b)
	}
}

// buildRec builds a record of table from test rows.
func buildRec(t testing.TB, mem memory.Allocator, table string, rows ...row) arrow.RecordBatch {
	t.Helper()
	tb := schemas.MustLookup(table)
	b := array.NewRecordBuilder(mem, tb.Schema())
	defer b.Release()
	for _, r := range rows {
		for i, f := range tb.Schema().Fields() {
			v := r[f.Name]
			if i == schemas.ColChangedAt && v == nil {
				v = time.UnixMicro(0)
			}
			appendGo(t, b.Field(i), f, v)
		}
	}
	return b.NewRecordBatch()
}

// goValue converts element i of an Arrow array to the Go value DuckDB scans
// (time.Time in UTC, []any, map[string]any); JSON text stays a string.
func goValue(arr arrow.Array, i int) any {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.String:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.Timestamp:
		return time.UnixMicro(int64(a.Value(i))).UTC()
	case *array.List:
		start, end := a.ValueOffsets(i)
		out := []any{}
		for j := start; j < end; j++ {
			out = append(out, goValue(a.ListValues(), int(j)))
		}
		return out
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		m := map[string]any{}
		for k, f := range st.Fields() {
			m[f.Name] = goValue(a.Field(k), i)
		}
		return m
	}
	panic(fmt.Sprintf("goValue %T", arr))
}

// Tricky sample values.
var (
	sampleStrings = []string{"", " ", "Zoë Ångström", "日本語テキスト", "emoji 🚀👩‍💻", "quote ' and \" and \\", "line\nbreak\ttab",
		"<p>HTML &amp; more</p>", strings.Repeat("long-", 300), "NULL", "null", "0"}
	sampleJSON = []string{`{}`, `[]`, `{"a":1,"b":[true,false,null],"c":{"d":"é"}}`, `{"/jobs/{id}":{"id":"x","name":"Zoë \"Z\""}}`,
		`"just a string"`, `123.5`, `{"emoji":"🚀","nested":[[],[{}]]}`, `{"html":"<b>&</b>"}`}
	sampleTimes = []time.Time{time.Unix(0, 0).UTC(), time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(2024, 2, 29, 12, 34, 56, 123456000, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 1000, time.UTC)}
	sampleInts   = []int64{0, -1, 1, 1 << 62, -(1 << 62), 42}
	sampleFloats = []float64{0, -0.5, 1e300, 3.14159, -1e-300, 100000}
)

// genValue appends a random tricky value.
func genValue(rng *rand.Rand, b array.Builder, f arrow.Field) {
	if f.Nullable && rng.IntN(4) == 0 {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.StringBuilder:
		if schemas.IsJSONField(f) {
			b.Append(sampleJSON[rng.IntN(len(sampleJSON))])
		} else {
			b.Append(sampleStrings[rng.IntN(len(sampleStrings))])
		}
	case *array.Int64Builder:
		b.Append(sampleInts[rng.IntN(len(sampleInts))])
	case *array.Float64Builder:
		b.Append(sampleFloats[rng.IntN(len(sampleFloats))])
	case *array.BooleanBuilder:
		b.Append(rng.IntN(2) == 0)
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(sampleTimes[rng.IntN(len(sampleTimes))].UnixMicro()))
	case *array.ListBuilder:
		b.Append(true)
		n := rng.IntN(4) // 0: an empty list
		for range n {
			genValue(rng, b.ValueBuilder(), f.Type.(*arrow.ListType).ElemField())
		}
	case *array.StructBuilder:
		b.Append(true)
		for i, cf := range f.Type.(*arrow.StructType).Fields() {
			genValue(rng, b.FieldBuilder(i), cf)
		}
	default:
		panic(fmt.Sprintf("genValue %T", b))
	}
}

// genRecord builds n random rows of table with ids prefix+number (first..first+n-1).
func genRecord(rng *rand.Rand, mem memory.Allocator, table, prefix string, first, n int) arrow.RecordBatch {
	ids := make([]int, n)
	for k := range ids {
		ids[k] = first + k
	}
	return genRecordIDs(rng, mem, table, prefix, ids)
}

// genRecordIDs builds random rows of table with the given id numbers.
func genRecordIDs(rng *rand.Rand, mem memory.Allocator, table, prefix string, ids []int) arrow.RecordBatch {
	tb := schemas.MustLookup(table)
	b := array.NewRecordBuilder(mem, tb.Schema())
	defer b.Release()
	for _, id := range ids {
		for i, f := range tb.Schema().Fields() {
			switch i {
			case schemas.ColID:
				b.Field(i).(*array.StringBuilder).Append(fmt.Sprintf("%s%06d", prefix, id))
			case schemas.ColRemoteID:
				b.Field(i).(*array.StringBuilder).Append(fmt.Sprintf("r%d", id))
			case schemas.ColChangedAt:
				b.Field(i).(*array.TimestampBuilder).Append(0)
			case schemas.ColRemoteDeletedAt:
				b.Field(i).AppendNull()
			default:
				genValue(rng, b.Field(i), f)
			}
		}
	}
	return b.NewRecordBatch()
}

var (
	testDBOnce sync.Once
	testDB     *sql.DB
	testDBErr  error
)

// duck returns a shared in-memory DuckDB for reading lake files in tests.
func duck(t testing.TB) *sql.DB {
	t.Helper()
	testDBOnce.Do(func() {
		testDB, testDBErr = sql.Open("duckdb", "")
		if testDBErr == nil {
			_, testDBErr = testDB.Exec("SET TimeZone = 'UTC'")
			testDB.SetMaxOpenConns(1)
		}
	})
	if testDBErr != nil {
		t.Fatal(testDBErr)
	}
	return testDB
}

// queryRows runs a query and returns its rows as maps.
func queryRows(t testing.TB, db *sql.DB, q string, args ...any) []map[string]any {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		for i, c := range cols {
			m[c] = normalize(vals[i])
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// normalize makes scanned values comparable: times in UTC.
func normalize(v any) any {
	switch v := v.(type) {
	case time.Time:
		return v.UTC()
	case []any:
		for i := range v {
			v[i] = normalize(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = normalize(v[k])
		}
		return v
	}
	return v
}

// canonJSON parses JSON text (or re-encodes a parsed value) into a canonical Go value.
func canonJSON(t testing.TB, v any) any {
	t.Helper()
	if v == nil {
		return nil
	}
	var b []byte
	if s, ok := v.(string); ok {
		b = []byte(s)
	} else {
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("json %q: %v", b, err)
	}
	return out
}

// stateRows reads a connection's current state of a table (part files only)
// with DuckDB, ordered by id.
func stateRows(t testing.TB, l *Lake, table, conn string) []map[string]any {
	t.Helper()
	dir := l.tableDir(table, conn)
	if _, err := os.Stat(filepath.Join(dir, "part-0.parquet")); err != nil {
		return nil
	}
	return queryRows(t, duck(t), fmt.Sprintf("SELECT * FROM read_parquet(%s) ORDER BY id", quoteString(dir+"/part-*.parquet")))
}

// byID indexes rows by id.
func byID(rows []map[string]any) map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, r := range rows {
		m[r["id"].(string)] = r
	}
	return m
}

// fileIDs reads the ids of a Parquet file in file order with parquet-go.
func fileIDs(t testing.TB, path string) []string {
	t.Helper()
	src, err := openSource(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.close()
	var ids []string
	for {
		r, err := next(src)
		if err != nil {
			t.Fatal(err)
		}
		if r == nil {
			return ids
		}
		ids = append(ids, string(rowID(r)))
	}
}

// openMeta opens a Parquet file's metadata.
func openMeta(t testing.TB, path string) *parquet.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return pf
}

// snapshot maps every file under dir (relative path) to its content.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// lakeFiles lists the files under dir matching pred, sorted.
func lakeFiles(t testing.TB, dir string, pred func(rel string) bool) []string {
	var out []string
	for rel := range snapshot(t, dir) {
		if pred(rel) {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}

// runOnce begins, writes and commits one run.
func runOnce(t testing.TB, l *Lake, conn, runID string, at time.Time, scope Scope, recs map[string][]arrow.RecordBatch) []TableStats {
	t.Helper()
	ctx := context.Background()
	r, err := l.Begin(ctx, conn, runID, at)
	if err != nil {
		t.Fatal(err)
	}
	tables := make([]string, 0, len(recs))
	for tbl := range recs {
		tables = append(tables, tbl)
	}
	sort.Strings(tables)
	for _, tbl := range tables {
		for _, rec := range recs[tbl] {
			if err := r.Write(ctx, tbl, rec); err != nil {
				r.Abort()
				t.Fatal(err)
			}
		}
	}
	stats, err := r.Commit(ctx, scope, RunRecord{Connector: "smartrecruiters", Mode: "full", Requests: 3})
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

// statsOf returns the stats of one table (zero when absent).
func statsOf(stats []TableStats, table string) TableStats {
	for _, s := range stats {
		if s.Table == table {
			return s
		}
	}
	return TableStats{Table: table}
}

// release releases records.
func release(recs ...arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

func TestMain(m *testing.M) {
	fsync = false // withSync turns it on for the tests about commits
	os.Exit(m.Run())
}

// withSync runs the rest of a test with fsync on.
func withSync(t testing.TB) {
	fsync = true
	t.Cleanup(func() { fsync = false })
}

var t0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

// at returns the start time of the n-th test run.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
